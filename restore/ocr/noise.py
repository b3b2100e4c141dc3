"""Words that are no text: specks of dirt or paper grain that Tesseract reads as marks or letters.

Four signs give a speck away. A word of marks only that Tesseract itself doubts
(restore/text/specks.py). A "letter" whose box is a few pixels across, far smaller than any glyph of
the page's print: a scan's grain beside a short line comes out as "ì" in a 2 x 3 pixel box. A word
Tesseract doubts that stands alone, several spaces from any word of its line: the grain in the
margin after a short line ("công dân; CN"). And a word Tesseract doubts lying wholly outside the
column its confident words fill: a pen's note or tick in the margin ("WWWwv", "~A»w"). Repair would
make words of all four.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable

from restore.ocr.tesseract import OcrLine, OcrWord, median_space, space_between
from restore.text.specks import is_doubted_marks

# A box narrower and lower than this share of the page's median word height holds no glyph (a
# lowercase letter alone is about half that height).
SPECK_SIZE = 0.3
# A word read with less confidence than this (0-100), further than STRAY_SPACES median spaces from
# both its neighbours on the line, is grain in the margin; a header's far cell is read with confidence.
STRAY_CONFIDENCE = 50.0
STRAY_SPACES = 3.0
# The text column spans the words read with at least SURE_CONFIDENCE, when there are MIN_SURE_WORDS
# of them; outside it, a word read with less than MARGIN_CONFIDENCE is a mark in the margin.
SURE_CONFIDENCE = 90.0
MIN_SURE_WORDS = 20
MARGIN_CONFIDENCE = 70.0


def without_specks(lines: list[OcrLine]) -> list[OcrLine]:
    """The lines without their specks; a line left with no word goes."""
    heights = [w.box[3] for line in lines for w in line.words if len(w.text) > 1]
    smallest = SPECK_SIZE * statistics.median(heights) if heights else 0.0
    lines = _kept(lines, lambda line, i: _is_speck(line.words[i], smallest))
    sure = [w.box for line in lines for w in line.words if w.confidence >= SURE_CONFIDENCE]
    if len(sure) >= MIN_SURE_WORDS:
        left, right = min(b[0] for b in sure), max(b[0] + b[2] for b in sure)
        lines = _kept(lines, lambda line, i: _in_margin(line.words[i], left, right))
    space = median_space(lines)
    widest = STRAY_SPACES * space if space is not None else 0.0
    return _kept(lines, lambda line, i: _is_stray(line.words, i, widest))


def _kept(lines: list[OcrLine], drop: Callable[[OcrLine, int], bool]) -> list[OcrLine]:
    return [OcrLine(kept, line.paragraph) for line in lines
            if (kept := tuple(w for i, w in enumerate(line.words) if not drop(line, i)))]


def _is_speck(word: OcrWord, smallest: float) -> bool:
    return is_doubted_marks(word.text, word.confidence) or (word.box[2] < smallest and word.box[3] < smallest)


def _in_margin(word: OcrWord, left: int, right: int) -> bool:
    return word.confidence < MARGIN_CONFIDENCE and (word.box[0] > right or word.box[0] + word.box[2] < left)


def _is_stray(words: tuple[OcrWord, ...], i: int, widest: float) -> bool:
    if words[i].confidence >= STRAY_CONFIDENCE or len(words) == 1:
        return False
    before = space_between(words[i - 1], words[i]) if i else widest + 1
    after = space_between(words[i], words[i + 1]) if i + 1 < len(words) else widest + 1
    return before > widest and after > widest
