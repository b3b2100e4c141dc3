"""Searchable PDF/A through OCRmyPDF, with vnrestore as its OCR engine (extra `pdf`).

OCRmyPDF does what it does best: rasterize, graft an invisible text layer on each page, keep
born-digital text (--redo-ocr), write PDF/A-2b or -1b (with Ghostscript when installed, in a version
OCRmyPDF accepts for the input, else its internal backend, which refuses what its validator cannot
confirm). The text comes from this engine:
Tesseract's reading repaired. When `vnrestore run --pdf` has already read the input, the engine
hands over those pages (boxes scaled to OCRmyPDF's raster) instead of reading them again, so the
PDF's text layer is NAME.txt; a page rotated or sized otherwise is read afresh.

`restore/ocrmypdf_plugin.py` is the module OCRmyPDF loads; its hooks are defined here.
"""

from __future__ import annotations

import functools
import logging
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from PIL import Image

from restore.archive.hocr import hocr
from restore.archive.page import Line, Page
from restore.errors import EnvironmentProblem, InputError, VnRestoreError
from restore.model.resources import loaded
from restore.ocr import tesseract
from restore.run.archive_outputs import archive_page
from restore.run.pipeline import RunOptions, process_image
from restore.run.records import versions

try:
    from ocrmypdf.builtin_plugins.tesseract_ocr import TesseractOcrEngine
    from ocrmypdf.hocrtransform import HocrParser, OcrElement
    from ocrmypdf.pluginspec import OcrEngine
    HAVE_OCRMYPDF = True
except ImportError:  # the extra is not installed: `run --pdf` says so, nothing else needs it
    OcrEngine = object  # type: ignore[assignment,misc]
    HAVE_OCRMYPDF = False

PLUGIN = "restore.ocrmypdf_plugin"
ASPECT_TOLERANCE = 0.02  # a prepared page fits OCRmyPDF's raster when the aspect ratios agree this well
# Ghostscript versions OCRmyPDF refuses for a PDF with text (see _ghostscript_backend).
GS_REDO_BROKEN, GS_REDO_FIXED = (10, 0, 0), (10, 2, 1)
SPACE_SHARE = 0.25  # the gap kept between words of a line, as a share of its height (a space at its font size)
_prepared: dict[Path, list[Page]] = {}
_prepared_lock = threading.Lock()


@contextmanager
def prepared(source: Path, pages: list[Page]) -> Iterator[None]:
    """Hand the engine the pages a run has read already, while OCRmyPDF works on `source`."""
    with _prepared_lock:
        _prepared[source.resolve()] = pages
    try:
        yield
    finally:
        with _prepared_lock:
            _prepared.pop(source.resolve(), None)


def require_ocrmypdf() -> None:
    if not HAVE_OCRMYPDF:
        raise EnvironmentProblem("--pdf needs OCRmyPDF, which is not installed", remedy="pip install 'vnrestore[pdf]'")


def searchable_pdf(source: Path, pages: list[Page], *, lang: str, pdfa: str) -> bytes:
    """NAME.pdf of a run: the input's pages with the repaired words as an invisible layer, PDF/A-`pdfa`."""
    require_ocrmypdf()
    import ocrmypdf
    from ocrmypdf.exceptions import ExitCodeException

    quiet = logging.getLogger("ocrmypdf")
    quiet.addHandler(logging.NullHandler())
    quiet.propagate = False
    is_pdf = source.suffix.lower() == ".pdf"
    ghostscript = _ghostscript_backend(redo=is_pdf)
    with tempfile.TemporaryDirectory(prefix="vnrestore-pdf-") as workdir, prepared(source, pages):
        out = Path(workdir) / "out.pdf"
        try:
            ocrmypdf.ocr(source, out, language=lang.split("+"), plugins=[PLUGIN], output_type=f"pdfa-{pdfa}",
                         pdfa_backend="ghostscript" if ghostscript else "internal", redo_ocr=is_pdf, jobs=1,
                         use_threads=True, progress_bar=False, optimize=0,
                         image_dpi=None if is_pdf else pages[0].dpi if pages else 300)
        except ExitCodeException as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            remedy = None if ghostscript else (
                f"upgrade Ghostscript to {'.'.join(map(str, GS_REDO_FIXED))} or later for a fuller conversion"
                if shutil.which("gs") else "install Ghostscript (apt install ghostscript) for a fuller conversion")
            raise InputError(f"cannot make the searchable PDF: {first}", path=source, remedy=remedy) from exc
        return out.read_bytes()


def _ghostscript_backend(*, redo: bool) -> bool:
    """Whether OCRmyPDF makes the PDF/A with Ghostscript: where one is installed, and for a PDF that
    may hold text (--redo-ocr) only from GS_REDO_FIXED on: OCRmyPDF refuses the versions before,
    which corrupt such PDFs, and Debian 12 ships 10.0.0. Its internal backend is used instead."""
    gs = shutil.which("gs")
    if gs is None or not redo:
        return gs is not None
    version = _ghostscript_version(gs)
    return version is not None and not GS_REDO_BROKEN <= version < GS_REDO_FIXED


@functools.lru_cache(maxsize=4)
def _ghostscript_version(gs: str) -> tuple[int, ...] | None:
    """The version `gs --version` prints, asked once per run rather than once per PDF of a batch;
    None where it cannot be read."""
    try:
        said = subprocess.run([gs, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
        return tuple(int(part) for part in said.split("."))
    except (OSError, subprocess.SubprocessError, ValueError):
        return None


def _scaled(page: Page, width: int, height: int, dpi: int) -> Page | None:
    """The page in OCRmyPDF's raster of `width` x `height`; None when it is not the same page shape."""
    if abs(page.width / page.height - width / height) > ASPECT_TOLERANCE * width / height:
        return None
    sx, sy = width / page.width, height / page.height

    def box(b: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
        return round(b[0] * sx), round(b[1] * sy), max(round(b[2] * sx), 1), max(round(b[3] * sy), 1)

    lines = tuple(Line(tuple(replace(w, box=box(w.box)) for w in line.words), line.paragraph_start)
                  for line in page.lines)
    return Page(page.number, width, height, dpi, lines)


def _spaced(page: Page) -> Page:
    """Words of a line at least a space apart: the renderer sets each word with a trailing space
    beyond its box, and where the next word begins inside that space extractors see one word."""
    lines = []
    for line in page.lines:
        room = round(SPACE_SHARE * line.box[3])
        words = list(line.words)
        for k in range(len(words) - 1):
            left, top, width, height = words[k].box
            overlap = left + width + room - words[k + 1].box[0]
            if overlap > 0:
                words[k] = replace(words[k], box=(left, top, max(width - overlap, max(width // 2, 1)), height))
        lines.append(Line(tuple(words), line.paragraph_start))
    return replace(page, lines=tuple(lines))


def _page_for(input_file: Path, options: Any, number: int) -> Page:
    """The prepared page `number` (from 1) of the input OCRmyPDF works on, else a fresh reading."""
    with Image.open(input_file) as image:
        (width, height), declared = image.size, image.info.get("dpi")
    dpi = round(float(declared[0])) if declared else 300
    with _prepared_lock:
        pages = _prepared.get(Path(options.input_file).resolve()) if hasattr(options, "input_file") else None
    known = next((p for p in pages or [] if p.number == number), None)
    fitted = _scaled(known, width, height, dpi) if known is not None else None
    if fitted is not None:
        return _spaced(fitted)
    run_options = RunOptions(lang="+".join(options.languages) or "vie")
    try:
        page = process_image(input_file, input_file, number, run_options, loaded(run_options.settings()))
    except VnRestoreError as exc:
        raise RuntimeError(f"vnrestore: {exc.one_line()}") from exc
    return _spaced(archive_page(page))


def _write_hocr(page: Page, image: Path, out: Path) -> None:
    out.write_text(hocr([page], title=image.name, system=versions()), encoding="utf-8")


def _text(page: Page) -> str:
    return "\n".join(" ".join(w.text for w in line.words) for line in page.lines if line.words) + "\n"


class RestoreOcrEngine(OcrEngine):  # type: ignore[misc,valid-type]
    """Tesseract's reading of each page image, repaired; orientation and deskew are Tesseract's."""

    @staticmethod
    def version() -> str:
        return versions()

    @staticmethod
    def creator_tag(options: Any) -> str:
        return f"OCRmyPDF + {versions()} + Tesseract OCR {tesseract.probe().version}"

    def __str__(self) -> str:
        return f"vnrestore repair of Tesseract OCR {tesseract.probe().version}"

    @staticmethod
    def languages(options: Any) -> set[str]:
        return set(tesseract.probe().languages)

    @staticmethod
    def get_orientation(input_file: Path, options: Any) -> Any:
        return TesseractOcrEngine.get_orientation(input_file, options)

    @staticmethod
    def get_deskew(input_file: Path, options: Any) -> float:
        return TesseractOcrEngine.get_deskew(input_file, options)

    @staticmethod
    def supports_generate_ocr() -> bool:
        return True

    @staticmethod
    def generate_ocr(input_file: Path, options: Any, page_number: int = 0) -> tuple[OcrElement, str]:
        page = _page_for(Path(input_file), options, page_number + 1)
        hocr_file = Path(input_file).with_suffix(".vnrestore.hocr")
        _write_hocr(page, Path(input_file), hocr_file)
        return HocrParser(hocr_file).parse(), _text(page)

    @staticmethod
    def generate_hocr(input_file: Path, output_hocr: Path, output_text: Path, options: Any) -> None:
        page = _page_for(Path(input_file), options, 1)
        _write_hocr(page, Path(input_file), Path(output_hocr))
        Path(output_text).write_text(_text(page), encoding="utf-8")

    @staticmethod
    def generate_pdf(input_file: Path, output_pdf: Path, output_text: Path, options: Any) -> None:
        raise RuntimeError("vnrestore hands OCRmyPDF its words: use the default --pdf-renderer (auto or fpdf2)")


def get_ocr_engine(options: Any) -> RestoreOcrEngine:
    return RestoreOcrEngine()
