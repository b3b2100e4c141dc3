"""Syllable n-gram language model: the symbols it speaks, its file format and its scores.

The model is stored in backoff form (an ARPA table in binary): for each n-gram a log10
probability, for each context a log10 backoff weight. Interpolated Kneser-Ney estimates
(lexicon/kneser_ney.py) are exact in this form, and lookups are a few dict probes.
"""

from __future__ import annotations

import math
import struct
from array import array
from collections.abc import Iterable, Iterator
from pathlib import Path

from restore.errors import LexiconError
from restore.text.orthography import administrative_y, restyle
from restore.text.tokens import Kind, Token, tokenize

UNK, BOS, EOS = "<unk>", "<s>", "</s>"
CUT = "<cut>"  # the unseen left context of a word pair cut out of a corpus; only the build uses it
NUM, CODE = "<num>", "<code>"
_QUOTES = {"“": '"', "”": '"', "„": '"', "‘": '"', "’": '"', "«": '"', "»": '"'}
LM_PUNCT = frozenset(',.;:()"-?!/')

_MAGIC = b"VNLM2\n"
_BITS = 21  # bits per word id in a packed n-gram key
_MASK = (1 << _BITS) - 1


def pack(ids: Iterable[int]) -> int:
    key = 0
    for i in ids:
        key = (key << _BITS) | i
    return key


def word_symbol(word: str) -> str:
    """The symbol of a word token: its lowercase form with the tone mark in the old placement and
    the administrative y (lí -> lý), so that sources of either spelling count as one word."""
    return administrative_y(restyle(word.lower(), "old"))


def fixed_symbol(token: Token) -> str | None:
    """The symbol of a token that repair never changes; None for spaces and stray marks."""
    if token.kind in (Kind.NUMBER, Kind.MARKER):
        return NUM
    if token.kind is Kind.CODE:
        return CODE
    if token.kind is Kind.PUNCT:
        char = _QUOTES.get(token.text, token.text)
        return char if char in LM_PUNCT else None
    return None


def line_symbols(line: str) -> Iterator[str]:
    """Symbols of a clean line of text, as the model is trained on them."""
    for token in tokenize(line):
        if token.kind is Kind.WORD:
            yield word_symbol(token.text)
        elif token.kind is not Kind.SPACE:
            symbol = fixed_symbol(token)
            if symbol is not None:
                yield symbol


class LanguageModel:
    """Backoff n-gram model over symbol ids; `vocab[0]` is <unk>."""

    def __init__(self, vocab: list[str], probs: list[dict[int, float]], backoffs: list[dict[int, float]],
                 unknown_types: int = 1):
        self.vocab = vocab
        # <unk> stands for every word type outside the vocabulary: one such word gets its share only.
        self.unknown_penalty = math.log10(max(unknown_types, 1))
        self.ids = {word: i for i, word in enumerate(vocab)}
        self.order = len(probs)
        self.probs = probs
        self.backoffs = backoffs
        self.unk_logp = probs[0].get(0, -7.0)
        self.bos = self.ids.get(BOS, -1)

    def id(self, symbol: str) -> int:
        return self.ids.get(symbol, 0)

    def logp(self, context: tuple[int, ...], word: int) -> float:
        """log10 P(word | context); context is the last order-1 ids, oldest first."""
        penalty = 0.0
        for start in range(len(context) + 1):
            history = context[start:]
            prob = self.probs[len(history)].get(pack((*history, word)))
            if prob is not None:
                return penalty + prob
            if history:
                penalty += self.backoffs[len(history) - 1].get(pack(history), 0.0)
        return penalty + self.unk_logp

    def logp3(self, a: int, b: int, c: int) -> float:
        """log10 P(c | a b), the same value as logp; for a trigram model with keys packed inline."""
        if self.order != 3:
            return self.logp((a, b)[max(0, 3 - self.order):], c)
        p1, p2, p3 = self.probs
        ab = (a << _BITS) | b
        p = p3.get((ab << _BITS) | c)
        if p is not None:
            return p
        bo2 = self.backoffs[1].get(ab, 0.0)
        p = p2.get((b << _BITS) | c)
        if p is not None:
            return bo2 + p
        return bo2 + self.backoffs[0].get(b, 0.0) + p1.get(c, self.unk_logp)

    def next_logps(self, context: tuple[int, int], words: list[int]) -> list[float]:
        """log10 P(w | context) for each w, for a trigram model: the decoder's hot path.

        The context's backoff weights are looked up once for all words, and keys are packed inline.
        A context stored without a backoff weight was never followed by anything: its order is
        skipped for all words at once (most hypotheses of a garbled line are such contexts). <s>
        is the one word followed by bigrams that has no entry of its own (it is never predicted).
        """
        if self.order != 3:
            return [self.logp(context, w) for w in words]
        a, b = context
        p1, p2, p3 = self.probs
        ab = (a << _BITS) | b
        unk = self.unk_logp
        bo2 = self.backoffs[1].get(ab)
        bo_b = self.backoffs[0].get(b)
        if bo_b is None and bo2 is None and b != self.bos:
            return [p1.get(w, unk) for w in words]
        bi_prefix = b << _BITS
        if bo2 is None:
            bo1 = bo_b or 0.0
            out = []
            for w in words:
                p = p2.get(bi_prefix | w)
                out.append(bo1 + p1.get(w, unk) if p is None else p)
            return out
        tri_prefix = ab << _BITS
        bo1 = bo2 + (bo_b or 0.0)
        out = []
        for w in words:
            p = p3.get(tri_prefix | w)
            if p is None:
                p = p2.get(bi_prefix | w)
                p = bo1 + p1.get(w, unk) if p is None else bo2 + p
            out.append(p)
        return out

    def sentence_logp(self, symbols: list[str]) -> float:
        ids = [self.id(BOS)] + [self.id(s) for s in symbols] + [self.id(EOS)]
        total = 0.0
        for i in range(1, len(ids)):
            total += self.logp(tuple(ids[max(0, i - self.order + 1):i]), ids[i])
        return total

    @classmethod
    def load(cls, path: Path) -> LanguageModel:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise LexiconError(f"cannot read language model: {exc.strerror}", path=str(path),
                               remedy="run: vnrestore lexicon build") from exc
        if not data.startswith(_MAGIC):
            raise LexiconError("not a vnrestore language model", path=str(path),
                               remedy="run: vnrestore lexicon build")
        offset = len(_MAGIC)
        order, vocab_bytes, unknown_types = struct.unpack_from("<III", data, offset)
        offset += 12
        vocab = data[offset:offset + vocab_bytes].decode("utf-8").split("\n")
        offset += vocab_bytes
        probs: list[dict[int, float]] = []
        backoffs: list[dict[int, float]] = []
        for n in range(order):
            (count,) = struct.unpack_from("<Q", data, offset)
            offset += 8
            keys, offset = _read_array(data, offset, "q", count)
            logps, offset = _read_array(data, offset, "f", count)
            probs.append(dict(zip(keys, logps)))
            if n < order - 1:
                bows, offset = _read_array(data, offset, "f", count)
                backoffs.append({k: b for k, b in zip(keys, bows) if b != 0.0})
        return cls(vocab, probs, backoffs, unknown_types)


def _read_array(data: bytes, offset: int, typecode: str, count: int) -> tuple[array, int]:
    values = array(typecode)
    size = values.itemsize * count
    values.frombytes(data[offset:offset + size])
    return values, offset + size


def save(path: Path, vocab: list[str], tables: list[tuple[list[int], list[float], list[float]]],
         unknown_types: int = 1) -> None:
    """Write a model: per order, sorted packed keys, log10 probs and log10 backoffs."""
    blob = bytearray(_MAGIC)
    vocab_bytes = "\n".join(vocab).encode("utf-8")
    blob += struct.pack("<III", len(tables), len(vocab_bytes), unknown_types) + vocab_bytes
    for n, (keys, logps, bows) in enumerate(tables):
        blob += struct.pack("<Q", len(keys))
        blob += array("q", keys).tobytes() + array("f", logps).tobytes()
        if n < len(tables) - 1:
            blob += array("f", bows).tobytes()
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(bytes(blob))
    tmp.replace(path)


class CachedLanguageModel(LanguageModel):
    """The model mixed with a document's own unigram cache: P = (1 - w) P_model + w P_cache.

    A word a text uses again and again (thi in an exam notice, tiêm in a vaccination plan) is
    likelier in that text than the corpus says (Kuhn and De Mori's cache model). The cache holds
    the text's confidently chosen words; the mixture is applied wherever the decoder asks.
    """

    def __init__(self, base: LanguageModel, cache: dict[int, float], weight: float) -> None:
        self.__dict__.update(base.__dict__)
        self.base = base
        self.cache = cache
        self.weight = weight
        self._keep = 1.0 - weight
        self._log_keep = math.log10(self._keep)

    def _mixed(self, word: int, logp: float) -> float:
        cached = self.cache.get(word)
        if cached is None:
            return logp + self._log_keep
        return math.log10(self._keep * 10 ** logp + self.weight * cached)

    def logp(self, context: tuple[int, ...], word: int) -> float:
        return self._mixed(word, super().logp(context, word))

    def logp3(self, a: int, b: int, c: int) -> float:
        return self._mixed(c, super().logp3(a, b, c))

    def next_logps(self, context: tuple[int, int], words: list[int]) -> list[float]:
        return [self._mixed(w, p) for w, p in zip(words, super().next_logps(context, words))]
