"""Scanned inputs into page images: PDF (via poppler), multi-page TIFF, PNG, JPEG.

The kind of a file is read from its first bytes, not its name, so a ".png" that is not an image,
a truncated PDF or a password-protected one each get one clear line instead of a decoder's trace.
Pillow's format plugins raise many kinds of exception on malformed files (TypeError "Missing
dimensions" from a cut TIFF, KeyError, SyntaxError, struct.error...): every Pillow call on a
user's file is guarded so that all of them become that one line.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar

import pdf2image
import pdf2image.exceptions as pdf_errors
from PIL import Image, UnidentifiedImageError

from restore.errors import EnvironmentProblem, InputError
from restore.text.textio import EMPTY_REMEDY, read_error, require_regular_file

DPI = 300  # a PDF page that is not one scanned image is rasterized at this resolution
MIN_DPI, MAX_DPI = 100, 600  # the range a scanned page's own resolution is taken from
MAX_PIXELS = 200_000_000  # about an A0 sheet at 300 dpi; larger is a mistake, not a dispatch
MAX_PDF_PAGES = 100_000  # pdfinfo lists page sizes up to here
# Pixel modes of a TIFF that Tesseract (Leptonica) reads as it is; others are converted first.
_TESSERACT_TIFF_MODES = frozenset({"1", "L", "RGB", "P"})
_COLOUR_MODES = frozenset({"RGB", "RGBA", "P", "CMYK", "YCbCr", "LAB", "HSV", "PA", "RGBX"})
T = TypeVar("T")
_REMEDY = "re-export or re-scan it"
_KIND_REMEDY = "see what it really is with the file command, and give it that suffix or re-export it"
_SIZE_REMEDY = "scale it down: an A4 page at 300 dpi is about 9 megapixels"


class InputKind(Enum):
    PDF = "pdf"
    IMAGE = "image"
    TEXT = "text"


IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".tif", ".tiff", ".gif", ".webp", ".bmp"})
TEXT_SUFFIXES = frozenset({".txt"})
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"GIF87a", b"GIF89a", b"BM")


def input_kind(path: Path) -> InputKind:
    """What a file is, by its content; its suffix only says what it claims to be.

    A PDF may carry junk before its header (readers accept 1 KB of it), but a file that says it is
    text is a PDF only when it starts like one."""
    require_regular_file(path)
    try:
        with path.open("rb") as handle:
            head = handle.read(1024)
    except OSError as exc:
        raise read_error(path, exc) from exc
    if not head:
        raise InputError("empty file (0 bytes)", path=path, remedy=EMPTY_REMEDY)
    suffix = path.suffix.lower()
    if head.startswith(b"%PDF-") or (b"%PDF-" in head and suffix not in TEXT_SUFFIXES):
        return InputKind.PDF
    if head.startswith(_IMAGE_MAGIC) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        return InputKind.IMAGE
    if suffix in IMAGE_SUFFIXES:
        raise InputError(f"claims to be an image ({suffix}) but is not one", path=str(path), remedy=_KIND_REMEDY)
    if suffix == ".pdf":
        raise InputError("claims to be a PDF but has no PDF header", path=str(path), remedy=_KIND_REMEDY)
    return InputKind.TEXT


def require_poppler() -> None:
    """Fail before a batch, not on each PDF of it, when poppler's tools are missing."""
    if shutil.which("pdfinfo") is None or shutil.which("pdftoppm") is None:
        raise EnvironmentProblem("poppler's pdfinfo and pdftoppm are not installed",
                                 remedy="apt-get install poppler-utils")


def page_count(path: Path) -> int:
    kind = input_kind(path)
    if kind is InputKind.PDF:
        return _pdf_info(path)["Pages"]
    with _open_image(path, decode=False) as image:
        return _frame_count(path, image)


def _frame_count(path: Path, image: Image.Image) -> int:
    """The image's pages. A multi-page TIFF cut short breaks its chain of page directories: then the
    line says after which page, rather than only that the file is truncated."""
    try:
        return _guarded(path, "unreadable or truncated image", lambda: getattr(image, "n_frames", 1))
    except InputError:
        whole = _directories_read(image)
        if whole < 1:
            raise
        raise InputError(f"a multi-page image broken after page {whole}: the next page's directory is cut short "
                         "or corrupt", path=path, remedy="copy it again from its source or re-export it") from None


def _directories_read(image: Image.Image) -> int:
    """How many page directories of a broken multi-page image can be read, from the first."""
    read = 0
    with _pillow_quiet():
        while read < MAX_PDF_PAGES:
            try:
                image.seek(read)
            except Exception:  # noqa: BLE001 - Pillow plugins raise any type on malformed files
                break
            read += 1
    return read


def page(path: Path, number: int, *, dpi: int = DPI, workdir: Path | None = None) -> Image.Image | Path:
    """Page `number` (from 1) of a PDF or image file, alone: a distributed batch hands out pages.

    A page that already sits in a file Tesseract reads (a PNG or JPEG that verifies, a plain 8-bit
    TIFF that decodes; a PDF page rendered by poppler into `workdir`) is returned as its path, so it
    is not re-encoded on the way to OCR. Other pages are decoded and checked here.
    """
    if input_kind(path) is InputKind.PDF:
        return _pdf_page(path, number, dpi, workdir)
    with _open_image(path, decode=False) as image:
        frames = _frame_count(path, image)
        if not 1 <= number <= frames:
            raise InputError(f"has no page {number} ({frames} in all)", path=path)
        if frames == 1 and image.format in ("PNG", "JPEG"):
            _verify(path)
            return path  # Tesseract decodes it: no need to decode it here too
        if frames == 1 and image.format == "TIFF" and image.mode in _TESSERACT_TIFF_MODES:
            _guarded(path, "unreadable or truncated image", image.load)
            return path
        return _frame(path, image, number)


def load_page(path: Path, page_file: Path) -> Image.Image:
    """A page that sits in a file (a checked PNG, JPEG or TIFF; a rendered PDF page), decoded: in
    colour when it has colour (seals and signatures are told from print by it), else in gray."""
    return _guarded(path, "unreadable image", lambda: _decoded(page_file))


def _decoded(page_file: Path) -> Image.Image:
    with Image.open(page_file) as image:
        return _in_gray_or_colour(image)


def _in_gray_or_colour(image: Image.Image) -> Image.Image:
    return image.convert("RGB" if image.mode in _COLOUR_MODES else "L")


def geometry(path: Path, picture: Image.Image, dpi: int) -> tuple[int, int, int]:
    """Width and height in pixels, and resolution, of a page as OCR saw it: a PDF page at the `dpi`
    it was rendered at, an image at the resolution it declares (DPI when it declares none)."""
    if input_kind(path) is InputKind.PDF:
        return picture.width, picture.height, dpi
    declared = picture.info.get("dpi")
    resolution = round(float(declared[0])) if declared and float(declared[0]) >= 50 else DPI
    return picture.width, picture.height, resolution


def _frame(path: Path, image: Image.Image, number: int) -> Image.Image:
    """Page `number` of a multi-frame image, decoded and checked: size first, so no bomb is decoded."""
    _guarded(path, f"page {number} is unreadable", lambda: image.seek(number - 1))
    width, height = image.size
    if width == 0 or height == 0:
        raise InputError(f"page {number} is empty ({width}x{height} pixels)", path=path, remedy=_REMEDY)
    if width * height > MAX_PIXELS:
        raise InputError(f"page {number} is too large ({width}x{height} pixels, over "
                         f"{MAX_PIXELS // 1_000_000} megapixels)", path=path, remedy=_SIZE_REMEDY)
    return _guarded(path, f"page {number} is unreadable", lambda: _in_gray_or_colour(image))


def _guarded(path: Path, what: str, action: Callable[[], T]) -> T:
    """Run a Pillow call on a user's file; whatever its plugin raises becomes one InputError."""
    try:
        with _pillow_quiet():
            return action()
    except (MemoryError, Image.DecompressionBombError) as exc:
        raise _too_large(path) from exc
    except UnidentifiedImageError as exc:  # its message repeats the path, raw
        raise InputError(f"{what}: not in an image format Pillow reads", path=path, remedy=_REMEDY) from exc
    except Exception as exc:  # noqa: BLE001 - Pillow plugins raise any type on malformed files
        detail = str(exc) or type(exc).__name__
        raise InputError(f"{what}: {detail}", path=path, remedy=_REMEDY) from exc


def _too_large(path: Path) -> InputError:
    """One line for an image past MAX_PIXELS, whether its header says so or decoding runs out of memory."""
    return InputError(f"image too large (over {MAX_PIXELS // 1_000_000} megapixels)", path=path, remedy=_SIZE_REMEDY)


@contextmanager
def _pillow_quiet() -> Iterator[None]:
    """libtiff prints its warnings straight to file descriptor 2, without the file's name
    ("TIFFReadDirectory: Failed to read directory"), and Pillow warns of what it reads broken
    ("Corrupt EXIF data"); the InputError says it better."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            saved = os.dup(2)
            devnull = os.open(os.devnull, os.O_WRONLY)
        except OSError:
            yield
            return
        os.dup2(devnull, 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            os.close(devnull)


def _open_image(path: Path, *, decode: bool = True) -> Image.Image:
    image = _guarded(path, "unreadable or truncated image", lambda: Image.open(path))  # the header only
    if image.size[0] * image.size[1] > MAX_PIXELS:
        image.close()
        raise _too_large(path)
    if decode:
        _guarded(path, "unreadable or truncated image", image.load)
    return image


def _verify(path: Path) -> None:
    """Check a file's integrity (PNG checksums, truncation) without decoding its pixels."""
    with _open_image(path, decode=False) as image:
        _guarded(path, "unreadable or truncated image", image.verify)


def _pdf_info(path: Path, first: int = 1, last: int = MAX_PDF_PAGES) -> dict:
    try:
        info = pdf2image.pdfinfo_from_path(str(path), first_page=first, last_page=last)
    except pdf_errors.PDFInfoNotInstalledError as exc:
        raise EnvironmentProblem("poppler's pdfinfo is not installed", remedy="apt-get install poppler-utils") from exc
    except pdf_errors.PDFPageCountError as exc:
        message = str(exc)
        if "Incorrect password" in message or "encrypted" in message.lower():
            raise InputError("password-protected PDF", path=path, remedy="remove the password first") from exc
        if "page count 0" in message or "last page (0)" in message:
            raise InputError("PDF has no pages", path=path, remedy=_REMEDY) from exc
        raise InputError("corrupt or truncated PDF", path=path,
                         remedy="copy it again or re-export it; a PDF cut short lacks its page table") from exc
    if not info.get("Pages"):
        raise InputError("PDF has no pages", path=path, remedy=_REMEDY)
    return info


def _page_images(path: Path, number: int) -> list[list[str]]:
    """The rows of pdfimages' listing of PDF page `number`'s images, split into cells; [] when
    pdfimages cannot tell."""
    try:
        listing = subprocess.run(["pdfimages", "-list", "-f", str(number), "-l", str(number), str(path)],
                                 capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.TimeoutExpired):
        return []
    return [cells for cells in (row.split() for row in listing.splitlines()[2:])
            if len(cells) >= 14 and cells[2] == "image" and cells[1].isdigit()]


def scan_is_colour(path: Path, number: int) -> bool:
    """Whether PDF page `number` holds a colour image (a colour scan)."""
    return any(cells[5] in ("rgb", "cmyk", "icc", "index") for cells in _page_images(path, number))


def scan_resolution(path: Path, number: int) -> int | None:
    """The resolution of the image PDF page `number` is made of, when one image covers most of it;
    None when the page is not a scan.

    Tesseract reads a 200-dpi scan better at its own 200 dpi than resampled to 300 (the real
    101.scan.pdf: 4.1 against 7.1 WER after repair, README), so a scan is rasterized
    at the resolution it was scanned at, between MIN_DPI and MAX_DPI."""
    points = _page_points(_pdf_info(path, number, number), number)
    best: tuple[int, float] | None = None  # pixels, x-ppi of the largest image
    for cells in _page_images(path, number):
        try:
            pixels, ppi = int(cells[3]) * int(cells[4]), float(cells[12])
        except ValueError:
            continue
        if best is None or pixels > best[0]:
            best = (pixels, ppi)
    if best is None or not points or min(points) <= 0 or best[1] <= 0:
        return None
    covered = best[0] / best[1] ** 2 / ((points[0] / 72) * (points[1] / 72))
    return min(max(round(best[1]), MIN_DPI), MAX_DPI) if covered >= 0.5 else None


def _page_points(info: dict, number: int) -> tuple[float, float] | None:
    """Width and height of a page in points, as pdfinfo reports them ("595.44 x 841.68 pts (A4)")."""
    size = info.get(f"Page {number:4d} size", "")
    try:
        width, _, height = size.split()[:3]
        return float(width), float(height)
    except ValueError:
        return None


def _pdf_page(path: Path, number: int, dpi: int, workdir: Path | None) -> Image.Image | Path:
    info = _pdf_info(path, number, number)
    if number > info["Pages"]:
        raise InputError(f"has no page {number} ({info['Pages']} in all)", path=path)
    points = _page_points(info, number)
    if points and points[0] * points[1] * (dpi / 72) ** 2 > MAX_PIXELS:
        raise InputError(f"page {number} is {points[0]:.0f} x {points[1]:.0f} pt: over "
                         f"{MAX_PIXELS // 1_000_000} megapixels at {dpi} dpi", path=path,
                         remedy="give a lower --dpi")
    try:
        # fmt "ppm" with grayscale writes a .pgm, the cheapest file for Tesseract to read; a colour
        # scan is rendered in colour, so that its seals and signatures can be told from the print.
        folder: dict[str, Any] = {"output_folder": str(workdir), "paths_only": True} if workdir else {}
        rendered: list = pdf2image.convert_from_path(
            str(path), dpi=dpi, first_page=number, last_page=number, grayscale=not scan_is_colour(path, number),
            fmt="ppm", **folder)
    except (pdf_errors.PDFSyntaxError, pdf_errors.PDFPageCountError) as exc:
        raise InputError(f"corrupt PDF page {number}", path=path, remedy=_REMEDY) from exc
    if not rendered:
        raise InputError(f"poppler rendered nothing for page {number}", path=path, remedy=_REMEDY)
    return Path(rendered[0]) if workdir is not None else rendered[0]
