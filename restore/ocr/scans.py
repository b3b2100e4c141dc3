"""Scanned inputs into page images: PDF (via poppler), multi-page TIFF, PNG, JPEG.

The kind of a file is read from its first bytes, not its name, so a ".png" that is not an image,
a truncated PDF or a password-protected one each get one clear line instead of a decoder's trace.
"""

from __future__ import annotations

from collections.abc import Iterator
from enum import Enum
from pathlib import Path
from typing import Any

import pdf2image
import pdf2image.exceptions as pdf_errors
from PIL import Image, ImageSequence, UnidentifiedImageError

from restore.errors import EnvironmentProblem, InputError

DPI = 300
MAX_PIXELS = 200_000_000  # about an A0 sheet at 300 dpi; larger is a mistake, not a dispatch


class InputKind(Enum):
    PDF = "pdf"
    IMAGE = "image"
    TEXT = "text"


IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".tif", ".tiff"})
TEXT_SUFFIXES = frozenset({".txt"})
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")


def input_kind(path: Path) -> InputKind:
    """What a file is, by its content; its suffix only says what it claims to be."""
    try:
        with path.open("rb") as handle:
            head = handle.read(1024)
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", path=str(path)) from exc
    if not head:
        raise InputError("empty file (0 bytes)", path=str(path))
    if head.startswith(b"%PDF-") or b"%PDF-" in head[:1024]:
        return InputKind.PDF
    if head.startswith(_IMAGE_MAGIC):
        return InputKind.IMAGE
    suffix = path.suffix.lower()
    if suffix in IMAGE_SUFFIXES:
        raise InputError(f"claims to be an image ({suffix}) but is not one", path=str(path))
    if suffix == ".pdf":
        raise InputError("claims to be a PDF but has no PDF header", path=str(path))
    return InputKind.TEXT


def page_count(path: Path) -> int:
    kind = input_kind(path)
    if kind is InputKind.PDF:
        return _pdf_info(path)["Pages"]
    with _open_image(path) as image:
        return getattr(image, "n_frames", 1)


def pages(path: Path, *, dpi: int = DPI, workdir: Path | None = None) -> Iterator[Image.Image | Path]:
    """Each page of a PDF or image file, one at a time.

    A page that already sits in a file Tesseract reads (a single-frame image; a PDF page rendered
    by poppler into `workdir`) is yielded as its path, so it is not re-encoded on the way to OCR.
    """
    if input_kind(path) is InputKind.PDF:
        yield from _pdf_pages(path, dpi, workdir)
        return
    with _open_image(path, decode=False) as image:
        if getattr(image, "n_frames", 1) == 1 and image.format in ("PNG", "JPEG", "TIFF"):
            _verify(path)
            yield path  # Tesseract decodes it: no need to decode it here too
            return
        image.load()
        for frame in ImageSequence.Iterator(image):
            try:
                page = frame.convert("L")
            except (OSError, ValueError) as exc:
                raise InputError(f"unreadable image data: {exc}", path=str(path)) from exc
            yield page


def _open_image(path: Path, *, decode: bool = True) -> Image.Image:
    try:
        image = Image.open(path)  # reads the header only: the size is known before any decoding
        if image.size[0] * image.size[1] > MAX_PIXELS:
            raise Image.DecompressionBombError("over the limit")
        if decode:
            image.load()
    except Image.DecompressionBombError as exc:
        raise InputError(f"image too large (over {MAX_PIXELS // 1_000_000} megapixels)", path=str(path)) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise InputError(f"unreadable or truncated image: {exc}", path=str(path)) from exc
    return image


def _verify(path: Path) -> None:
    """Check a file's integrity (PNG checksums, truncation) without decoding its pixels."""
    try:
        with Image.open(path) as image:
            image.verify()
    except (OSError, SyntaxError, ValueError) as exc:
        raise InputError(f"unreadable or truncated image: {exc}", path=str(path)) from exc


def _pdf_info(path: Path) -> dict:
    try:
        info = pdf2image.pdfinfo_from_path(str(path))
    except pdf_errors.PDFInfoNotInstalledError as exc:
        raise EnvironmentProblem("poppler's pdfinfo is not installed", remedy="apt-get install poppler-utils") from exc
    except pdf_errors.PDFPageCountError as exc:
        message = str(exc)
        if "Incorrect password" in message or "encrypted" in message.lower():
            raise InputError("password-protected PDF", path=str(path), remedy="remove the password first") from exc
        raise InputError("corrupt or truncated PDF", path=str(path)) from exc
    if not info.get("Pages"):
        raise InputError("PDF has no pages", path=str(path))
    return info


def _pdf_pages(path: Path, dpi: int, workdir: Path | None) -> Iterator[Image.Image | Path]:
    count = _pdf_info(path)["Pages"]
    for number in range(1, count + 1):
        try:
            # fmt "ppm" with grayscale writes a .pgm, the cheapest file for Tesseract to read.
            folder: dict[str, Any] = {"output_folder": str(workdir), "paths_only": True} if workdir else {}
            rendered: list = pdf2image.convert_from_path(
                str(path), dpi=dpi, first_page=number, last_page=number, grayscale=True, fmt="ppm", **folder)
        except (pdf_errors.PDFSyntaxError, pdf_errors.PDFPageCountError) as exc:
            raise InputError(f"corrupt PDF page {number}", path=str(path)) from exc
        if not rendered:
            raise InputError(f"poppler rendered nothing for page {number}", path=str(path))
        yield Path(rendered[0]) if workdir is not None else rendered[0]
