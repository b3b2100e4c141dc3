"""Text a PDF page already carries: a born-digital page's own text, or an earlier OCR's layer.

pdftotext (the poppler that rasterizes pages) reads it twice: plainly, for the text exactly as
pdftotext gives it, and with -bbox-layout, for each word's box. The boxes are kept when both
readings have the same words in the same order, which is what poppler gives in practice.
"""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from restore.ocr.tesseract import Box, OcrLine, OcrWord

MIN_WORDS = 3  # fewer words than this on a page is no text layer (a page number, a stamp's label)
XHTML = "{http://www.w3.org/1999/xhtml}"


@dataclass(frozen=True)
class PageText:
    lines: list[str]  # as plain pdftotext lays the page out
    boxes: list[list[tuple[str, Box]]]  # per line, its words in pixels at `dpi`; empty when unknown
    width: int  # the page in pixels at `dpi`
    height: int
    dpi: int


def read(path: Path, number: int, dpi: int) -> PageText | None:
    """Page `number`'s text layer, or None when it has none to speak of (or poppler cannot read it)."""
    text = _pdftotext(path, number)
    if text is None or len(text.split()) < MIN_WORDS:
        return None
    lines = text.rstrip("\f\n").split("\n")
    layout = _pdftotext(path, number, "-bbox-layout")
    words, size = _boxes(layout, dpi) if layout else ([], (0, 0))
    flat = [w for line in lines for w in line.split()]
    if [w for w, _ in words] != flat:
        return PageText(lines, [], *size, dpi)
    boxes, k = [], 0
    for line in lines:
        n = len(line.split())
        boxes.append(words[k:k + n])
        k += n
    return PageText(lines, boxes, *size, dpi)


def as_reading(layer: PageText, dpi: int) -> list[OcrLine]:
    """The layer's words as an OCR reading of the page rasterized at `dpi` (boxes scaled to it), for
    pairing with a fresh reading word by word (restore/ocr/readings.py); empty without boxes."""
    scale = dpi / layer.dpi
    return [OcrLine(tuple(OcrWord(text, 0.0, (round(x * scale), round(y * scale), round(w * scale), round(h * scale)))
                          for text, (x, y, w, h) in line), (1, n)) for n, line in enumerate(layer.boxes) if line]


def _pdftotext(path: Path, number: int, *mode: str) -> str | None:
    try:
        done = subprocess.run(["pdftotext", "-q", "-enc", "UTF-8", *mode, "-f", str(number), "-l", str(number),
                               str(path), "-"], capture_output=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.decode("utf-8", "replace") if done.returncode == 0 else None


def _boxes(layout: str, dpi: int) -> tuple[list[tuple[str, Box]], tuple[int, int]]:
    try:
        root = ET.fromstring(layout)
    except ET.ParseError:
        return [], (0, 0)
    scale = dpi / 72
    page = root.find(f".//{XHTML}page")
    size = (0, 0)
    if page is not None:
        size = (round(float(page.get("width", 0)) * scale), round(float(page.get("height", 0)) * scale))
    words = []
    for word in root.iter(f"{XHTML}word"):
        x0, y0 = float(word.get("xMin", 0)) * scale, float(word.get("yMin", 0)) * scale
        x1, y1 = float(word.get("xMax", 0)) * scale, float(word.get("yMax", 0)) * scale
        words.append(((word.text or "").strip(), (round(x0), round(y0), max(round(x1 - x0), 1),
                                                  max(round(y1 - y0), 1))))
    return words, size
