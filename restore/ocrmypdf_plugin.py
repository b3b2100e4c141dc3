"""vnrestore as an OCRmyPDF OCR engine: Tesseract reads each page, vnrestore repairs it, and
OCRmyPDF gets hOCR with the repaired words in their boxes.

    ocrmypdf --plugin restore.ocrmypdf_plugin -l vie in.pdf out.pdf

OCRmyPDF keeps the rest of its workflow (--output-type pdfa, --sidecar, -j, --deskew, --rotate-pages).
Nothing is registered as an entry point: that would replace Tesseract in every OCRmyPDF run of the
environment. Needs the extra `vnrestore[pdf]`. Pages run in OCRmyPDF's threads; the lexicon and
models load once per process.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ocrmypdf import hookimpl
from ocrmypdf.builtin_plugins.tesseract_ocr import TesseractOcrEngine
from ocrmypdf.pluginspec import OcrEngine

from restore.archive.hocr import hocr
from restore.errors import VnRestoreError
from restore.ocr import tesseract
from restore.run.archive_outputs import archive_page
from restore.run.jobs import resources_for
from restore.run.pipeline import RunOptions, process_image
from restore.run.records import versions


class RestoreOcrEngine(OcrEngine):
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
    def generate_hocr(input_file: Path, output_hocr: Path, output_text: Path, options: Any) -> None:
        run_options = RunOptions(lang="+".join(options.languages) or "vie")
        try:
            page = process_image(Path(input_file), Path(input_file), 1, run_options, resources_for(run_options))
        except VnRestoreError as exc:
            raise RuntimeError(f"vnrestore: {exc.one_line()}") from exc
        name = Path(input_file).name
        Path(output_hocr).write_text(hocr([archive_page(page)], title=name, system=versions()), encoding="utf-8")
        Path(output_text).write_text(page.text + "\n", encoding="utf-8")

    @staticmethod
    def generate_pdf(input_file: Path, output_pdf: Path, output_text: Path, options: Any) -> None:
        raise RuntimeError("vnrestore hands OCRmyPDF hOCR: use the default --pdf-renderer (auto or fpdf2)")


@hookimpl
def get_ocr_engine(options: Any) -> OcrEngine:
    return RestoreOcrEngine()
