"""Syllable n-gram language model: the symbols it speaks, its file format and its scores.

The model is stored in backoff form (an ARPA table in binary): for each n-gram a log10
probability, for each context a log10 backoff weight. Interpolated Kneser-Ney estimates
(lexicon/kneser_ney.py) are exact in this form; lookups are binary searches in the sorted keys.
"""

from __future__ import annotations

import math
import struct
from array import array
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np

from restore.errors import LexiconError
from restore.text.acronyms import ABBREVIATIONS
from restore.text.orthography import administrative_y, restyle
from restore.text.tokens import Kind, Token, tokenize

UNK, BOS, EOS = "<unk>", "<s>", "</s>"
CUT = "<cut>"  # the unseen left context of a word pair cut out of a corpus; only the build uses it
NUM, CODE = "<num>", "<code>"
_QUOTES = {"“": '"', "”": '"', "„": '"', "‘": '"', "’": '"', "«": '"', "»": '"'}
LM_PUNCT = frozenset(',.;:()"-?!/')

MODEL_FILE = "lm3.vi.bin"  # in the lexicon directory (restore/paths.py)
_MAGIC = b"VNLM3\n"
KEY_BITS = 21  # bits per word id in a packed n-gram key (restore/decode/beam.c packs the same way)
# N-grams up to this order are keyed by their ids packed side by side (three fit in 63 bits); a
# longer one by its context's index among the shorter n-grams, then its last word. Every context
# of an estimated n-gram is itself an n-gram of the order below (lexicon/kneser_ney.py).
PACKED_ORDER = 3
_WORD_MASK = (1 << KEY_BITS) - 1


def pack(ids: Iterable[int]) -> int:
    key = 0
    for i in ids:
        key = (key << KEY_BITS) | i
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


def joins_words(tokens: list[Token], i: int) -> bool:
    """Whether tokens[i] is a hyphen between two words with no space ("vắc-xin", "ra-đi-ô"): it gets
    no symbol, so that a loanword or compound counts the same hyphenated or not, as official text
    now writes it ("vắc xin"); a dash between spaces ("Hà Nội - Huế") keeps its own."""
    return (tokens[i].text == "-" and 0 < i < len(tokens) - 1
            and tokens[i - 1].kind is Kind.WORD and tokens[i + 1].kind is Kind.WORD)


def abbreviation_symbols(token: Token) -> tuple[str, ...]:
    """The symbols of the words an abbreviation stands for ("b/c": báo cáo); none for other tokens."""
    return ABBREVIATIONS.get(token.text.lower(), ()) if token.kind is Kind.CODE else ()


def line_symbols(line: str) -> Iterator[str]:
    """Symbols of a clean line of text, as the model is trained on them."""
    tokens = tokenize(line)
    for i, token in enumerate(tokens):
        if token.kind is Kind.WORD:
            yield word_symbol(token.text)
        elif words := abbreviation_symbols(token):
            yield from words
        elif token.kind is not Kind.SPACE and not joins_words(tokens, i):
            symbol = fixed_symbol(token)
            if symbol is not None:
                yield symbol


class LanguageModel:
    """Backoff n-gram model over symbol ids; `vocab[0]` is <unk>.

    Each order is held as the file stores it: sorted keys (see PACKED_ORDER) beside their log10
    probabilities and backoffs, found by binary search. Unigram values are dense arrays indexed by
    id. Compared with a dict per order this loads in milliseconds and takes a tenth of the memory,
    and `scores` looks up a whole lattice column (every hypothesis by every candidate) in a few
    array calls.
    """

    def __init__(self, vocab: list[str], keys: list[np.ndarray], logps: list[np.ndarray],
                 backoffs: list[np.ndarray], unknown_types: int = 1):
        self.vocab = vocab
        # <unk> stands for every word type outside the vocabulary: one such word gets its share only.
        self.unknown_penalty = math.log10(max(unknown_types, 1))
        self.ids = {word: i for i, word in enumerate(vocab)}
        self.order = len(keys)
        self.keys, self.logps, self.backoffs = keys, logps, backoffs
        self.unk_logp = float(logps[0][0]) if len(keys[0]) and keys[0][0] == 0 else -7.0
        self.unigram = np.full(len(vocab), self.unk_logp)
        self.unigram[keys[0]] = logps[0]
        self.unigram_backoff = np.zeros(len(vocab))
        if self.order > 1:
            self.unigram_backoff[keys[0]] = backoffs[0]
        self.bos = self.ids.get(BOS, -1)
        # The bigrams' indices in the order of their last word, and those last words.
        self._by_last: tuple[np.ndarray, np.ndarray] | None = None

    def id(self, symbol: str) -> int:
        return self.ids.get(symbol, 0)

    @property
    def uncached(self) -> LanguageModel:
        """The model without a document's caches (itself here)."""
        return self

    def _find(self, n: int, key: int) -> int:
        """Index of `key` among the (n+1)-grams, -1 when absent."""
        keys = self.keys[n]
        at = int(keys.searchsorted(key))
        return at if at < len(keys) and keys[at] == key else -1

    def _index(self, gram: tuple[int, ...]) -> int:
        """Index of the n-gram `gram` in its order's keys, -1 when absent."""
        n = len(gram) - 1
        if n < PACKED_ORDER:
            return self._find(n, pack(gram))
        context = self._index(gram[:-1])
        return -1 if context < 0 else self._find(n, (context << KEY_BITS) | gram[-1])

    def logp(self, context: tuple[int, ...], word: int) -> float:
        """log10 P(word | context); context is up to the last order-1 ids, oldest first."""
        penalty = 0.0
        context = context[max(0, len(context) - self.order + 1):]
        for start in range(len(context) + 1):
            history = context[start:]
            n = len(history)
            at = self._index((*history, word))
            if at >= 0:
                return penalty + float(self.logps[n][at])
            if history:
                found = self._index(history)
                penalty += float(self.backoffs[n - 1][found]) if found >= 0 else 0.0
        return penalty + self.unk_logp

    def scores(self, *columns: np.ndarray) -> np.ndarray:
        """log10 P(last | the ones before) elementwise over id arrays that broadcast together, the
        oldest first: the decoder's hot path. Each order's n-grams are searched for all at once,
        and the backoff formula is applied with array selects."""
        *history, words = columns
        return self._backed_off(tuple(history[max(0, len(history) - self.order + 1):]), words)

    def _backed_off(self, history: tuple[np.ndarray, ...], words: np.ndarray) -> np.ndarray:
        n = len(history)
        if n == 0:
            return self.unigram[words]
        found, at = self._locate((*history, words))
        lower = self._backed_off(history[1:], words)
        if n == 1:
            backoff = self.unigram_backoff[history[0]]
        else:
            context_found, context_at = self._locate(history)
            backoff = np.where(context_found, self.backoffs[n - 1][context_at], 0.0)
        return np.where(found, self.logps[n][at], backoff + lower)

    def _locate(self, gram: tuple[np.ndarray, ...]) -> tuple[np.ndarray, np.ndarray]:
        """`_index` over arrays: whether each n-gram is in the model, and its index where it is."""
        n = len(gram) - 1
        if n < PACKED_ORDER:
            key = gram[0].astype(np.int64)
            for column in gram[1:]:
                key = (key << KEY_BITS) | column
        else:
            context_found, context_at = self._locate(gram[:-1])
            key = np.where(context_found, (context_at << KEY_BITS) | gram[-1], -1)
        return _search(self.keys[n], key)

    def followers(self, word: int, count: int) -> list[int]:
        """The `count` words likeliest after `word`, by its bigrams."""
        if self.order < 2:
            return []
        bigrams = self.keys[1]
        lo, hi = bigrams.searchsorted([word << KEY_BITS, (word + 1) << KEY_BITS])
        return (bigrams[lo:hi][_best(self.logps[1][lo:hi], count)] & _WORD_MASK).tolist()

    def leaders(self, word: int, count: int) -> list[int]:
        """The `count` words likeliest to come before `word`: by the pair's probability, P(w) P(word | w)."""
        if self.order < 2:
            return []
        if self._by_last is None:
            at = np.argsort(self.keys[1] & _WORD_MASK, kind="stable")
            self._by_last = at, self.keys[1][at] & _WORD_MASK
        at, lasts = self._by_last
        lo, hi = lasts.searchsorted([word, word + 1])
        pairs = at[lo:hi]
        before = self.keys[1][pairs] >> KEY_BITS
        return before[_best(self.unigram[before] + self.logps[1][pairs], count)].tolist()

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
        keys: list[np.ndarray] = []
        logps: list[np.ndarray] = []
        backoffs: list[np.ndarray] = []
        for n in range(order):
            (count,) = struct.unpack_from("<Q", data, offset)
            offset += 8
            fields = ((keys, "<i8", np.int64), (logps, "<f4", np.float64), (backoffs, "<f4", np.float64))
            for arrays, stored, held in fields[:3 if n < order - 1 else 2]:
                values = np.frombuffer(data, dtype=stored, count=count, offset=offset)
                offset += values.nbytes
                arrays.append(values.astype(held))
        return cls(vocab, keys, logps, backoffs, unknown_types)


def _best(values: np.ndarray, count: int) -> np.ndarray:
    """Indices of the `count` largest values, largest first (equal values by index)."""
    if len(values) > count:
        top = np.argpartition(-values, count - 1)[:count]
        return top[np.lexsort((top, -values[top]))]
    return np.argsort(-values, kind="stable")


def _search(keys: np.ndarray, query: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each query key, whether `keys` (sorted) holds it, and where (an index in range if not)."""
    at = np.minimum(keys.searchsorted(query), len(keys) - 1)
    return keys[at] == query, at


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
    """The model mixed with a document's own caches: P = (1 - w - v) P_model + w P_cache(word) +
    v P_cache(word | word before).

    A word a text uses again and again (thi in an exam notice, tiêm in a vaccination plan) is
    likelier in that text than the corpus says, and so is a pair it repeats ("dân vận" in a plan
    on mass mobilization): Kuhn and De Mori's cache model, with a unigram and a bigram cache. The
    caches hold the text's confidently chosen words; the mixture is applied wherever the decoder asks.
    `spelling` adds, per word, the log10 lift of the text's own choice among the spellings of the
    word's fold (restore/model/adaptation.py: spelling_lift).
    """

    def __init__(self, base: LanguageModel, cache: dict[int, float], weight: float,
                 pairs: dict[tuple[int, int], float] | None = None, pair_weight: float = 0.0,
                 spelling: dict[int, float] | None = None) -> None:
        self.__dict__.update(base.__dict__)
        self.base = base
        self.weight = weight
        self.pair_weight = pair_weight if pairs else 0.0
        self.spelling: np.ndarray | None = None
        if spelling:
            self.spelling = np.zeros(len(base.vocab))
            self.spelling[list(spelling)] = list(spelling.values())
        self.shares = np.zeros(len(base.vocab))
        self.shares[list(cache)] = list(cache.values())
        order = sorted(pairs or {}, key=lambda ab: (ab[0] << KEY_BITS) | ab[1])
        self.pair_keys = np.array([(a << KEY_BITS) | b for a, b in order] + [np.iinfo(np.int64).max], dtype=np.int64)
        self.pair_probs = np.array([(pairs or {})[ab] for ab in order] + [0.0])

    @property
    def uncached(self) -> LanguageModel:
        return self.base

    def _mixed(self, before: np.ndarray, words: np.ndarray, logps: np.ndarray) -> np.ndarray:
        found, at = _search(self.pair_keys, (before << KEY_BITS) | words)
        pair = self.pair_probs[at]
        keep = 1.0 - self.weight - self.pair_weight
        mixed = np.log10(keep * 10.0 ** logps + self.weight * self.shares[words]
                         + self.pair_weight * np.where(found, pair, 0.0))
        return mixed if self.spelling is None else mixed + self.spelling[words]

    def logp(self, context: tuple[int, ...], word: int) -> float:
        before = context[-1] if context else self.bos
        return float(self._mixed(np.array(before), np.array(word), np.array(super().logp(context, word))))

    def scores(self, *columns: np.ndarray) -> np.ndarray:
        return self._mixed(columns[-2], columns[-1], super().scores(*columns))
