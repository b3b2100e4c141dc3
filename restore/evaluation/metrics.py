"""Character and word error rates over NFC grapheme clusters, with diacritic-blind variants.

Both texts are NFC, take the same tone placement (hòa = hoà, ủy = uỷ) and have their whitespace
collapsed before comparison: a line wrapped differently is not an error. CER counts grapheme
clusters, not code points (dinglehopper's choice), so "ệ" is one character however it was typed.
WER compares whitespace-separated words.

`aligned_scores` serves texts of any length: it aligns words first (anchored, near linear) and
sums the character edits of each differing hunk, which on texts of ordinary length is the exact
edit distance (checked in tests against `score`).
"""

from __future__ import annotations

from typing import NamedTuple

import regex
from rapidfuzz.distance import Levenshtein

from restore.evaluation.align import Opcode, anchored_opcodes, hunks
from restore.text.normalize import fold, nfc, restyle_text


class ErrorRate(NamedTuple):
    errors: int
    length: int

    @property
    def rate(self) -> float:
        return self.errors / self.length if self.length else float(self.errors > 0)

    def __add__(self, other: object) -> ErrorRate:  # type: ignore[override]
        assert isinstance(other, ErrorRate)
        return ErrorRate(self.errors + other.errors, self.length + other.length)


def comparable(text: str, *, blind: bool = False) -> str:
    """The form both sides are compared in: NFC, old tone placement, single spaces."""
    text = restyle_text(nfc(text), "old")
    if blind:
        text = fold(text)
    return " ".join(text.split())


def graphemes(text: str) -> list[str]:
    return regex.findall(r"\X", text)


def char_errors(reference: str, hypothesis: str, *, blind: bool = False) -> ErrorRate:
    ref = graphemes(comparable(reference, blind=blind))
    hyp = graphemes(comparable(hypothesis, blind=blind))
    return ErrorRate(Levenshtein.distance(ref, hyp), len(ref))


def word_errors(reference: str, hypothesis: str, *, blind: bool = False) -> ErrorRate:
    ref = comparable(reference, blind=blind).split()
    hyp = comparable(hypothesis, blind=blind).split()
    return ErrorRate(Levenshtein.distance(ref, hyp), len(ref))


class Scores(NamedTuple):
    cer: ErrorRate
    wer: ErrorRate
    cer_blind: ErrorRate
    wer_blind: ErrorRate

    def __add__(self, other: object) -> Scores:  # type: ignore[override]
        assert isinstance(other, Scores)
        return Scores(*(a + b for a, b in zip(self, other)))

    def as_dict(self) -> dict[str, float | int]:
        out: dict[str, float | int] = {}
        for name, rate in zip(self._fields, self):
            out[name] = round(rate.rate, 6)
            out[f"{name}_errors"] = rate.errors
            out[f"{name}_length"] = rate.length
        return out


def score(reference: str, hypothesis: str) -> Scores:
    return aligned_scores(comparable(reference).split(), comparable(hypothesis).split())


def aligned_scores(gold_words: list[str], hyp_words: list[str], ops: list[Opcode] | None = None) -> Scores:
    """Scores of two lists of words already in comparable form, near linear in their length; `ops`,
    when the caller has aligned the words already."""
    blind_gold, blind_hyp = [fold(w) for w in gold_words], [fold(w) for w in hyp_words]
    cer, wer = _hunk_errors(gold_words, hyp_words, anchored_opcodes(gold_words, hyp_words) if ops is None else ops)
    cer_blind, wer_blind = _hunk_errors(blind_gold, blind_hyp, anchored_opcodes(blind_gold, blind_hyp))
    return Scores(cer, wer, cer_blind, wer_blind)


def _hunk_errors(gold: list[str], hyp: list[str], ops: list[Opcode]) -> tuple[ErrorRate, ErrorRate]:
    chars = words = 0
    for g1, g2, h1, h2 in hunks(ops):
        words += Levenshtein.distance(gold[g1:g2], hyp[h1:h2])
        chars += Levenshtein.distance(graphemes(" ".join(gold[g1:g2])), graphemes(" ".join(hyp[h1:h2])))
        # A run missing on one side also takes the space that joined it to its neighbours.
        one_side = (g2 - g1, len(gold)) if h1 == h2 else (h2 - h1, len(hyp)) if g1 == g2 else None
        if one_side is not None and one_side[1] > one_side[0]:
            chars += 1
    return ErrorRate(chars, len(graphemes(" ".join(gold)))), ErrorRate(words, len(gold))
