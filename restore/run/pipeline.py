"""One input end to end: pages -> OCR -> repair -> the records that become NAME.txt and NAME.json.

A scan's pages are OCR'd one at a time (pytesseract image_to_data) and repaired with Tesseract's
word confidences. A .txt input is repaired directly. A blank page is an empty result, not a failure.
"""

from __future__ import annotations

import hashlib
import tempfile
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image

from restore.archive.page import Box
from restore.decode.repair import LineResult, WordSpans, repair_lines
from restore.errors import printable
from restore.model.channel import Garbles, Profile
from restore.model.resources import Resources, Settings
from restore.ocr import noise, prepare, reading_order, readings, scans, tesseract, text_layer
from restore.text.headings import renumber
from restore.text.orthography import ToneStyle
from restore.text.textio import read_text_file

FORM_FEED = "\f"
LAYOUT_OUTPUTS = ("hocr", "alto", "pdf")
CONFIDENT_OCR = 60.0  # a word Tesseract reads with this confidence (0-100) or more is read confidently
WEAK_PAGE_WORDS, WEAK_PAGE_SHARE = 5, 0.5  # fewer confident words, or a smaller share: a weak first reading
# A vie page with a smaller share of words read at SURE_OCR or more is also read with eng, and
# repair weighs both readings of each word (restore/ocr/readings.py). Synthetic clean pages give
# 0.98-1.00 and are read once; worn, photocopied and harsh ones give 0.35-0.97. A share is noise
# on a short page (2 doubted words of 66 are 0.97), so it takes UNSURE_WORDS doubted words too.
SURE_OCR, SECOND_READING_SHARE, UNSURE_WORDS = 90.0, 0.97, 3
SMOOTHED_WORDS_KEPT = 0.9  # share of the confident words a smoothed reading must keep to be kept
LAYER_CONFIDENCE = 50.0  # an old text layer's words carry no confidence: neither trusted nor doubted
DOUBTFUL_SHARE = 0.5  # a page with more of its words flagged for review than this is reported
OcrBox = tuple[str, Box, float]  # an OCR word, its box in page pixels, Tesseract's confidence (0-100)


@dataclass(frozen=True)
class RunOptions:
    lang: str = "vie"
    style: ToneStyle = "old"
    dpi: int = 0  # PDF rasterization; 0: a scanned page at its own resolution, other pages at scans.DPI
    channel: str = ""  # hand, learned, mixed or auto (restore.model.resources.make_channel); "" for the default
    # What to write besides NAME.json (restore/run/discovery.py OUTPUT_SUFFIXES): txt, ocr (the raw
    # reading), hocr, alto and pdf (word boxes: scans only).
    outputs: tuple[str, ...] = ("txt",)
    force_ocr: bool = False  # read every PDF page afresh, ignoring any text it carries
    adapt: bool = True  # restore/model/adaptation.py; off with --no-adapt
    pdfa: str = "2"  # the PDF/A part of NAME.pdf: "2" (PDF/A-2b) or "1" (PDF/A-1b)
    garbles: Garbles = ()  # an earlier batch's (restore/decode/garbles.py)

    def settings(self) -> Settings:
        """The repair settings these options ask for."""
        return Settings(channel=self.channel or Settings.channel, adapt=self.adapt, garbles=self.garbles)

    def outputs_for(self, kind: str) -> tuple[str, ...]:
        """The outputs an input of this kind gets: a text input has no word boxes for hOCR or ALTO."""
        if kind == scans.InputKind.TEXT.value:
            return tuple(o for o in self.outputs if o not in LAYOUT_OUTPUTS)
        return self.outputs

    def fingerprint(self, kind: str) -> str:
        """What, besides the input's bytes, decides the outputs' content: a changed option redoes the
        file. Which outputs are written is recorded apart (restore/run/records.py)."""
        channel = (f";channel={self.channel}" if self.channel else "") + ("" if self.adapt else ";adapt=off")
        if "pdf" in self.outputs and self.pdfa != "2":
            channel += f";pdfa={self.pdfa}"
        if self.force_ocr:
            channel += ";force-ocr"
        if self.garbles:
            channel += ";garbles=" + hashlib.sha256(repr(self.garbles).encode()).hexdigest()[:12]
        if kind == scans.InputKind.TEXT.value:
            return f"style={self.style}{channel}"
        return f"lang={self.lang};style={self.style};dpi={self.dpi or 'scan'}{channel}"


@dataclass
class PageResult:
    """One page: its repaired lines (each with its OCR line), the OCR words of a scanned page with
    their boxes and confidences, line by line (none for a text input), the page's size, and why it
    is empty if so."""

    number: int
    lines: list[LineResult]
    ocr_words: list[list[OcrBox]] = field(default_factory=list)
    note: str | None = None  # "blank page" and the like
    size: tuple[int, int, int] | None = None  # width, height in pixels, dpi; None for a text input
    reading: str = "ocr"  # or "born-digital" (the page's own text, kept), "text layer" (an old OCR's, repaired)

    @property
    def flagged_share(self) -> float:
        words = [word for line in self.lines for word in line.words]
        return sum(word.review for word in words) / len(words) if words else 1.0

    @property
    def confidences(self) -> list[list[float]]:
        return [[confidence for _, _, confidence in words] for words in self.ocr_words]

    @property
    def ocr_text(self) -> str:
        return "\n".join(line.ocr for line in self.lines)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


@dataclass
class InputResult:
    path: Path
    sha256: str
    kind: str
    pages: list[PageResult]
    seconds: float
    encoding: str | None = None  # of a text input: UTF-8, or the legacy encoding converted from

    @property
    def text(self) -> str:
        return FORM_FEED.join(page.text for page in self.pages)

    @property
    def ocr_text(self) -> str:
        return FORM_FEED.join(page.ocr_text for page in self.pages)

    @property
    def kept_readings(self) -> tuple[tuple[str, int], ...]:
        """How many pages kept a reading other than a fresh OCR: born-digital text, an old layer."""
        counts = Counter(page.reading for page in self.pages if page.reading != "ocr")
        return tuple(sorted(counts.items()))

    @property
    def empty_pages(self) -> tuple[int, ...]:
        """Pages of a scan that gave no text, or words mostly flagged for review."""
        if self.kind == scans.InputKind.TEXT.value:
            return ()
        return tuple(page.number for page in self.pages
                     if page.reading != "born-digital" and (not page.lines or page.flagged_share > DOUBTFUL_SHARE))

    @property
    def flagged(self) -> int:
        """Words flagged for review in all pages."""
        return sum(word.review for page in self.pages for line in page.lines for word in line.words)

    def as_json(self, options: RunOptions) -> dict[str, Any]:
        return {
            "source": printable(self.path),
            "sha256": self.sha256,
            "options": options.fingerprint(self.kind),
            "kind": self.kind,
            "encoding": self.encoding,
            "seconds": round(self.seconds, 3),
            "pages": [_page_json(page) for page in self.pages],
        }


def _page_json(page: PageResult) -> dict[str, Any]:
    lines = []
    for i, line in enumerate(page.lines):
        confidences = page.confidences[i] if i < len(page.confidences) else []
        lines.append({
            "ocr": line.ocr,
            "text": line.text,
            "ocr_confidence": confidences,
            "tokens": [
                {"ocr": w.ocr, "text": w.text, "margin": round(min(w.margin, 99.0), 3),
                 "alternatives": w.alternatives, "review": w.review}
                for w in line.words
            ],
        })
    size = dict(zip(("width", "height", "dpi"), page.size)) if page.size else {}
    return {"number": page.number, "note": page.note, "reading": page.reading, **size, "lines": lines}


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _profile_for(lang: str) -> Profile | None:
    return {"vie": "vie", "eng": "eng"}.get(lang)  # type: ignore[return-value]


def ocr_page_lines(lines: list[tesseract.OcrLine]) -> tuple[list[str], list[WordSpans], list[list[OcrBox]]]:
    """Text lines of a page as image_to_string lays them out: a blank line between paragraphs.

    Specks are left out (restore/ocr/noise.py). A two-column header or signature block comes
    column by column (restore/ocr/reading_order.py)."""
    texts: list[str] = []
    spans: list[WordSpans] = []
    words: list[list[OcrBox]] = []
    previous = None
    lines = reading_order.in_reading_order(noise.without_specks(lines))
    for line in lines:
        if previous is not None and line.paragraph != previous:
            texts.append("")
            spans.append([])
            words.append([])
        previous = line.paragraph
        offset, line_spans = 0, []
        for word in line.words:
            line_spans.append((offset, offset + len(word.text), word.confidence, word.alternative))
            offset += len(word.text) + 1
        texts.append(line.text)
        spans.append(line_spans)
        words.append([(w.text, w.box, w.confidence) for w in line.words])
    return texts, spans, words


def repair_page(texts: list[str], spans: list[WordSpans], options: RunOptions, resources: Resources,
                report_words: bool = True, *, detect_profile: bool = False) -> list[LineResult]:
    """Repair a page's lines as one run of text. Tesseract's paragraph breaks (the blank lines) are
    layout guesses: a short line ends one though its sentence goes on, so the model reads across
    them, and they come back in the output where they were."""
    content = [i for i, text in enumerate(texts) if text.strip()]
    profile = None if detect_profile else _profile_for(options.lang)
    repaired = repair_lines([texts[i] for i in content], style=options.style, profile=profile,
                            resources=resources, spans=[spans[i] for i in content], report_words=report_words)
    results = [LineResult(text, text) for text in texts]
    for i, result in zip(content, repaired):
        results[i] = result
    return results


def _renumber_across_pages(pages: list[PageResult]) -> None:
    lines = [line for page in pages for line in page.lines]
    for line, text in zip(lines, renumber([line.text for line in lines])):
        line.text = text


def process_pages(path: Path, kind: scans.InputKind, numbers: Iterable[int], options: RunOptions,
                  resources: Resources) -> tuple[list[PageResult], str | None]:
    """Pages `numbers` of an input, OCR'd and repaired, and a text input's encoding. Each page is
    read alone, so pages may be spread over workers (restore/run/cluster.py) and put together by
    `assemble`; a text input is one page."""
    if kind is scans.InputKind.TEXT:
        text_file = read_text_file(path)
        lines = repair_lines(text_file.text.split("\n"), style=options.style, resources=resources)
        return [PageResult(1, lines)], text_file.encoding
    results = []
    with tempfile.TemporaryDirectory(prefix="vnrestore-") as workdir:
        for number in numbers:
            is_pdf = kind is scans.InputKind.PDF
            layer = None
            if is_pdf and not options.force_ocr:
                layer = text_layer.read(path, number, options.dpi or scans.DPI)
            # A page's own resolution decides how it is rasterized, and whether a text layer is its own.
            needed = is_pdf and (layer is not None or not options.dpi)
            scan_dpi = scans.scan_resolution(path, number) if needed else None
            if layer is not None and scan_dpi is None:
                results.append(_born_digital(number, layer))
                continue
            dpi = options.dpi or scan_dpi or scans.DPI
            image = scans.page(path, number, dpi=dpi, workdir=Path(workdir))
            reading = text_layer.as_reading(layer, dpi) if layer is not None else None
            page = process_image(path, image, number, options, resources, dpi=dpi, layer_reading=reading)
            if isinstance(image, Path) and image.parent == Path(workdir):
                image.unlink()  # a rendered PDF page: done with it
            results.append(page if layer is None else _better(page, _layer_reading(number, layer, options, resources)))
    return results, None


def _born_digital(number: int, layer: text_layer.PageText) -> PageResult:
    """A page that is no scan keeps its own text exactly as pdftotext reads it."""
    words = [[(w, box, 100.0) for w, box in line] for line in layer.boxes]
    return PageResult(number, [LineResult(line, line) for line in layer.lines], words,
                      note="born-digital: its own text kept", size=(layer.width, layer.height, layer.dpi),
                      reading="born-digital")


def _layer_reading(number: int, layer: text_layer.PageText, options: RunOptions, resources: Resources) -> PageResult:
    """A scan's old text layer (an earlier OCR, often English) read as OCR text and repaired."""
    lines = repair_page(layer.lines, [[] for _ in layer.lines], options, resources, detect_profile=True)
    words = [[(w, box, LAYER_CONFIDENCE) for w, box in line] for line in layer.boxes]
    return PageResult(number, lines, words, size=(layer.width, layer.height, layer.dpi), reading="text layer")


def _better(fresh: PageResult, layer: PageResult) -> PageResult:
    """The reading with fewer words the repair doubts: the old layer repaired, or a fresh OCR."""
    shares = {page.reading: page.flagged_share for page in (fresh, layer)}
    chosen = layer if layer.flagged_share < fresh.flagged_share else fresh
    choice = (f"old text layer found; {chosen.reading} kept (words flagged: "
              + ", ".join(f"{name} {100 * share:.1f}%" for name, share in shares.items()) + ")")
    chosen.note = "; ".join(filter(None, [choice, chosen.note]))
    return chosen


def process_image(path: Path, image: Image.Image | Path, number: int, options: RunOptions, resources: Resources,
                  *, dpi: int = scans.DPI, layer_reading: list[tesseract.OcrLine] | None = None) -> PageResult:
    """One page image of input `path`, OCR'd and repaired (also the OCRmyPDF engine's page step).

    A sheet photographed on a desk is first cut out and made rectangular. A weak first reading (few
    words, or few read with confidence), or a page that looks skewed at a glance, is tried again on
    the page turned upright and straightened (restore/ocr/prepare.py); a speckled page whose
    reading Tesseract is not sure of, again smoothed; the better reading is kept each time, and the
    page's note says what was done. `dpi`:
    the resolution a PDF page was rendered at (an image's own is read from it). `layer_reading`: another
    reading of the page as it is (an old text layer), decoded with the fresh one word by word in
    place of a second Tesseract pass."""
    picture = image if isinstance(image, Image.Image) else scans.load_page(path, image)
    size = scans.geometry(path, picture, dpi)
    notes = []
    flat = prepare.flattened(picture)
    if flat is not None:
        image = picture = flat.image
        notes.append("sheet photographed on a desk flattened")
    cleaned = prepare.without_colour_ink(picture)
    if cleaned is not None:
        image = picture = cleaned
        notes.append("coloured ink (seals, signatures) whitened")
    evened = prepare.with_even_light(picture)
    if evened is not None:
        image = picture = evened
        notes.append("uneven light evened")
    ocr_lines = tesseract.recognize(image, lang=options.lang, name=str(path))
    read, turned_read = image, False
    weak = _confident_words(ocr_lines) < WEAK_PAGE_WORDS or _confident_share(ocr_lines) < WEAK_PAGE_SHARE
    if weak or prepare.looks_skewed(picture):
        turned, done = prepare.upright(picture)
        if done is not None:
            again = tesseract.recognize(turned, lang=options.lang, name=str(path))
            if _confident_words(again) > _confident_words(ocr_lines):
                ocr_lines, size = again, (turned.width, turned.height, size[2])
                read, turned_read = turned, True
                notes.append(f"read {done}")
    if not ocr_lines:
        return PageResult(number, [], note="; ".join(["blank page", *notes]), size=size)
    as_is = not turned_read and flat is None  # an old text layer's boxes fit the page read
    if _unsure(ocr_lines) and prepare.speckled(picture):
        smooth = prepare.smoothed(read if isinstance(read, Image.Image) else picture)
        again = tesseract.recognize(smooth, lang=options.lang, name=str(path))
        # Specks read as words add doubted words, so the surer reading is the one with the larger
        # share of sure words, unless smoothing lost print with the specks.
        if (_confident_share(again, SURE_OCR) > _confident_share(ocr_lines, SURE_OCR)
                and _confident_words(again) >= SMOOTHED_WORDS_KEPT * _confident_words(ocr_lines)):
            ocr_lines, read = again, smooth
            notes.append("speckle smoothed")
    if layer_reading and as_is:
        ocr_lines = readings.with_alternatives(ocr_lines, layer_reading)
        notes.append("old text layer read as a second reading")
    elif options.lang == "vie" and _unsure(ocr_lines):
        second = tesseract.recognize(read, lang="eng", name=str(path))
        ocr_lines = readings.with_alternatives(ocr_lines, second)
        notes.append("also read with eng (a worn page)")
    texts, spans, words = ocr_page_lines(ocr_lines)
    if flat is not None and not turned_read:  # boxes go back onto the photo the archive keeps
        words = [[(text, flat.box_in_photo(box), confidence) for text, box, confidence in line] for line in words]
    return PageResult(number, repair_page(texts, spans, options, resources), words, note="; ".join(notes) or None,
                      size=size)


def _confident_words(lines: list[tesseract.OcrLine], level: float = CONFIDENT_OCR) -> int:
    return sum(word.confidence >= level for line in lines for word in line.words)


def _unsure(lines: list[tesseract.OcrLine]) -> bool:
    """Too few words read at SURE_OCR: the page is worth a second reading."""
    total = sum(len(line.words) for line in lines)
    sure = _confident_words(lines, SURE_OCR)
    return total - sure >= UNSURE_WORDS and sure / total < SECOND_READING_SHARE


def _confident_share(lines: list[tesseract.OcrLine], level: float = CONFIDENT_OCR) -> float:
    total = sum(len(line.words) for line in lines)
    return _confident_words(lines, level) / total if total else 0.0


def assemble(path: Path, sha: str, kind: scans.InputKind, pages: list[PageResult], seconds: float,
             encoding: str | None = None) -> InputResult:
    """An input's pages, in order, as one result; a heading's numeral follows the one on an earlier page."""
    pages = sorted(pages, key=lambda page: page.number)
    if kind is not scans.InputKind.TEXT:
        _renumber_across_pages(pages)
    return InputResult(path, sha, kind.value, pages, seconds, encoding)


def process_input(path: Path, options: RunOptions, resources: Resources, *, sha: str | None = None) -> InputResult:
    """`sha`: the input's SHA-256 when the caller has it already (a batch hashes for resume)."""
    start = time.perf_counter()
    sha = sha or file_sha256(path)
    kind = scans.input_kind(path)
    numbers = range(1, 2 if kind is scans.InputKind.TEXT else scans.page_count(path) + 1)
    pages, encoding = process_pages(path, kind, numbers, options, resources)
    return assemble(path, sha, kind, pages, time.perf_counter() - start, encoding)
