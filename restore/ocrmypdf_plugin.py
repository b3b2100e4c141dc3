"""vnrestore as an OCRmyPDF OCR engine: Tesseract reads each page, vnrestore repairs it, and
OCRmyPDF gets the repaired words in their boxes.

    ocrmypdf --plugin restore.ocrmypdf_plugin -l vie in.pdf out.pdf

OCRmyPDF keeps the rest of its workflow (--output-type pdfa, --sidecar, -j, --deskew, --rotate-pages).
Nothing is registered as an entry point: that would replace Tesseract in every OCRmyPDF run of the
environment. Needs the extra `vnrestore[pdf]`; the engine itself is in restore/run/pdf_output.py.
"""

from __future__ import annotations

from ocrmypdf import hookimpl

from restore.run import pdf_output

get_ocr_engine = hookimpl(pdf_output.get_ocr_engine)
