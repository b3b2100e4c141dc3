"""An input's hOCR and ALTO: its pages' OCR boxes with the repaired words put in them.

Each repaired line is placed on the OCR words of its line (restore/archive/page.py). A word's
confidence is Tesseract's when repair kept the word as read; when repair changed it, it is the
repair's own, from its margin over the best rival (a margin of m log10 units: 1 / (1 + 10^-m)).
"""

from __future__ import annotations

from restore.archive.alto import alto
from restore.archive.hocr import hocr
from restore.archive.page import Line, Page, Word, place_words
from restore.decode.repair import LineResult
from restore.ocr import tesseract
from restore.run.pipeline import InputResult, OcrBox, PageResult
from restore.text.tokens import words_made_by


def archive_pages(result: InputResult) -> list[Page]:
    return [archive_page(page) for page in result.pages if page.size is not None]


def archive_texts(pages: list[Page], outputs: tuple[str, ...], name: str, software: str) -> dict[str, str]:
    """The hOCR and ALTO asked for in `outputs`, by output kind."""
    system = f"{software}; tesseract {tesseract.probe().version}"
    texts = {}
    if "hocr" in outputs:
        texts["hocr"] = hocr(pages, title=name, system=system)
    if "alto" in outputs:
        texts["alto"] = alto(pages, file_name=name, software_version=software,
                             step="Tesseract OCR, then vnrestore repair of each line against a Vietnamese "
                                  "lexicon and language model")
    return texts


def archive_page(page: PageResult) -> Page:
    assert page.size is not None
    width, height, dpi = page.size
    lines = []
    for i, line in enumerate(page.lines):
        ocr = page.ocr_words[i] if i < len(page.ocr_words) else []
        starts = i > 0 and not page.lines[i - 1].text.strip()
        lines.append(Line(tuple(_words(line, ocr)), paragraph_start=starts))
    return Page(page.number, width, height, dpi, tuple(lines))


def _words(line: LineResult, ocr: list[OcrBox]) -> list[Word]:
    words = line.text.split()
    if not words or not ocr:
        return []
    reports = [line.words[t] if t is not None else None
               for t in words_made_by(words, [w.text for w in line.words])]
    out = []
    for word, placed, report in zip(words, place_words(ocr, words), reports):
        confidence = placed.ocr_confidence / 100
        if report is not None and not placed.unchanged:
            confidence = 1 / (1 + 10 ** -min(report.margin, 20.0))
        out.append(Word(word, placed.box, confidence, bool(report and report.review),
                        tuple(report.alternatives) if report else ()))
    return out
