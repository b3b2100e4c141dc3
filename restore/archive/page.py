"""Pages as an archive keeps them: each repaired word in the box of the ink it was read from.

Repair may split a word ("hoabinh" -> "hòa bình"), merge two ("Nghi ep" -> "Nghiệp") or change
every letter's marks. Boxes follow the characters: the repaired line is aligned to the OCR line
character by character (diacritics and case ignored), each OCR character owns a slice of its
word's box, and a repaired word spans the slices of the characters it came from. Words that
touch are pulled apart by a small gap: pdftotext glues touching boxes back into one word.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from restore.text.normalize import fold

Box = tuple[int, int, int, int]  # left, top, width, height in page pixels
WORD_GAP = 2  # pixels between the slices of a split word


@dataclass(frozen=True)
class Word:
    text: str
    box: Box
    confidence: float  # 0-1
    review: bool = False
    alternatives: tuple[str, ...] = ()


@dataclass(frozen=True)
class Line:
    words: tuple[Word, ...]
    paragraph_start: bool = False  # the first line of a paragraph (Tesseract's blank-line breaks)

    @property
    def box(self) -> Box:
        return union([w.box for w in self.words])


@dataclass(frozen=True)
class Page:
    number: int
    width: int
    height: int
    dpi: int
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class Placed:
    box: Box
    ocr_confidence: float  # 0-100, the lowest of the OCR words it came from
    unchanged: bool  # read exactly as the OCR read it


def place_words(ocr: list[tuple[str, Box, float]], repaired: list[str]) -> list[Placed]:
    """A box for each repaired word of a line, from the OCR words (text, box, confidence) it came from."""
    owner: list[tuple[int, int] | None] = []  # OCR line character -> (word, position in word); None for spaces
    for w, (text, _, _) in enumerate(ocr):
        owner += ([None] if w else []) + [(w, k) for k in range(len(text))]
    source = _keys(" ".join(text for text, _, _ in ocr))
    target_text = " ".join(repaired)
    origin: list[int | None] = [None] * len(target_text)  # repaired character -> OCR line character
    for op in Levenshtein.opcodes(source, _keys(target_text)):
        if op.tag in ("equal", "replace"):
            for d in range(op.dest_end - op.dest_start):
                origin[op.dest_start + d] = min(op.src_start + d, op.src_end - 1)
    placed, start = [], 0
    for word in repaired:
        chars = [owner[i] for i in origin[start:start + len(word)] if i is not None and owner[i] is not None]
        placed.append(_place(word, chars, ocr))  # type: ignore[arg-type]
        start += len(word) + 1
    return _apart(placed)


def _keys(text: str) -> str:
    """One comparable character per character: base letter, lower case."""
    return "".join((fold(c) or c)[0].lower() for c in text)


def _place(word: str, chars: list[tuple[int, int]], ocr: list[tuple[str, Box, float]]) -> Placed:
    if not chars:
        return Placed((0, 0, 0, 0), 0.0, False)  # nothing of it was read: placed by _apart
    spans: list[tuple[float, float]] = []
    for w, k in chars:
        text, (x, _, width, _), _ = ocr[w]
        step = width / max(len(text), 1)
        spans.append((x + step * k, x + step * (k + 1)))
    sources = sorted({w for w, _ in chars})
    top = min(ocr[w][1][1] for w in sources)
    bottom = max(ocr[w][1][1] + ocr[w][1][3] for w in sources)
    left, right = round(min(a for a, _ in spans)), round(max(b for _, b in spans))
    unchanged = len(sources) == 1 and ocr[sources[0]][0] == word and len(chars) == len(word)
    box = (left, top, max(right - left, 1), bottom - top)
    return Placed(box, min(ocr[w][2] for w in sources), unchanged)


def _apart(placed: list[Placed]) -> list[Placed]:
    """Boxes in reading order that do not touch; a word read from nothing gets a sliver after the one before."""
    out: list[Placed] = []
    for k, p in enumerate(placed):
        left, top, width, height = p.box
        if width == 0:
            before = out[-1].box if out else next((q.box for q in placed[k + 1:] if q.box[2]), (0, 0, 1, 1))
            left, top, width, height = before[0] + before[2] + WORD_GAP, before[1], 1, before[3]
        if out and out[-1].box[0] + out[-1].box[2] + WORD_GAP > left:
            b = out[-1].box
            shrunk = max(left - WORD_GAP - b[0], 1)
            out[-1] = Placed((b[0], b[1], shrunk, b[3]), out[-1].ocr_confidence, out[-1].unchanged)
            left = max(left, b[0] + shrunk + WORD_GAP)
        out.append(Placed((left, top, width, height), p.ocr_confidence, p.unchanged))
    return out


def union(boxes: list[Box]) -> Box:
    if not boxes:
        return (0, 0, 0, 0)
    left = min(b[0] for b in boxes)
    top = min(b[1] for b in boxes)
    right = max(b[0] + b[2] for b in boxes)
    bottom = max(b[1] + b[3] for b in boxes)
    return (left, top, right - left, bottom - top)
