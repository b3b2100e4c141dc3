"""A second reading of a page, word by word: what another Tesseract model read in the same place.

On a worn page Tesseract's vie and eng models fail on different words: vie guesses a wrong mark or
letter where eng, blind to marks, still gets the letters. Each word of the first reading is paired
with the word of the second whose box covers the same ink (most of both boxes overlap), and that
word's text becomes the first word's `alternative`. Repair decodes both readings of the word
together (restore/decode/repair.py), so the language model picks among the candidates of either.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import replace

from restore.ocr.tesseract import Box, OcrLine, OcrWord

# Two boxes read as the same word when their overlap covers this share of each of them.
SAME_WORD_OVERLAP = 0.6


def _overlap(a: Box, b: Box) -> int:
    width = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    height = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
    return max(width, 0) * max(height, 0)


def _same_ink(a: Box, b: Box) -> bool:
    shared = _overlap(a, b)
    return shared >= SAME_WORD_OVERLAP * a[2] * a[3] and shared >= SAME_WORD_OVERLAP * b[2] * b[3]


def with_alternatives(first: list[OcrLine], second: list[OcrLine]) -> list[OcrLine]:
    """The first reading, each word carrying the second reading's word over the same ink (if any)."""
    others = [word for line in second for word in line.words]
    others.sort(key=lambda w: w.box[0])
    lefts = [w.box[0] for w in others]

    def partner(word: OcrWord) -> str:
        left, _, width, _ = word.box
        # Candidates start within the word's horizontal span; most pages have a few hundred words.
        lo, hi = bisect_left(lefts, left - width), bisect_right(lefts, left + width)
        matches = [w for w in others[lo:hi] if _same_ink(word.box, w.box)]
        return matches[0].text if len(matches) == 1 and matches[0].text != word.text else ""

    return [replace(line, words=tuple(replace(w, alternative=partner(w)) for w in line.words)) for line in first]
