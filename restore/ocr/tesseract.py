"""The one wrapper around Tesseract: probed before work starts, called through pytesseract.

Probing once (version, installed languages) turns "tesseract not found" or "no vie data" into one
line naming the Debian package to install, instead of a failure on the first page of a batch.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pytesseract
from PIL import Image

from restore.errors import EnvironmentProblem, InputError

DEBIAN_PACKAGE = {"eng": "tesseract-ocr-eng", "vie": "tesseract-ocr-vie", "osd": "tesseract-ocr-osd"}


@dataclass(frozen=True)
class TesseractInfo:
    version: str
    languages: frozenset[str]


Box = tuple[int, int, int, int]  # left, top, width, height in page pixels


@dataclass(frozen=True)
class OcrWord:
    text: str
    confidence: float  # 0-100, Tesseract's word confidence
    box: Box
    alternative: str = ""  # another model's reading of the same ink (restore/ocr/readings.py)


@dataclass(frozen=True)
class OcrLine:
    words: tuple[OcrWord, ...]
    paragraph: tuple[int, int]  # (block, paragraph): a change starts a new paragraph

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


def space_between(a: OcrWord, b: OcrWord) -> int:
    """Blank pixels between word a and the word b that follows it on its line."""
    return b.box[0] - (a.box[0] + a.box[2])


def median_space(lines: list[OcrLine]) -> float | None:
    """The page's usual space between two words of a line (at least a pixel); None with no pair."""
    spaces = [space_between(a, b) for line in lines for a, b in zip(line.words, line.words[1:])]
    return max(statistics.median(spaces), 1) if spaces else None


@lru_cache(maxsize=1)
def probe() -> TesseractInfo:
    """Version and installed languages of the tesseract binary, or an error naming the package."""
    if shutil.which("tesseract") is None:
        raise EnvironmentProblem("tesseract is not installed", remedy="apt-get install tesseract-ocr")
    try:
        version = str(pytesseract.get_tesseract_version())
        languages = frozenset(pytesseract.get_languages(config=""))
    except (pytesseract.TesseractError, OSError, subprocess.SubprocessError) as exc:
        raise EnvironmentProblem(f"tesseract does not run: {exc}",
                                 remedy="apt-get install --reinstall tesseract-ocr") from exc
    return TesseractInfo(version, languages)


def require_languages(lang: str) -> None:
    """Fail early when a language of `lang` (e.g. "vie+eng") has no traineddata installed."""
    installed = probe().languages
    prefix = os.environ.get("TESSDATA_PREFIX")
    for code in lang.split("+"):
        if code not in installed:
            package = DEBIAN_PACKAGE.get(code, f"tesseract-ocr-{code}")
            if prefix:
                raise EnvironmentProblem(f"Tesseract has no '{code}' language data in TESSDATA_PREFIX={prefix}",
                                         remedy=f"put {code}.traineddata there, or unset TESSDATA_PREFIX")
            raise EnvironmentProblem(f"Tesseract has no '{code}' language data", remedy=f"apt-get install {package}")
    _check_loads(lang)


@lru_cache(maxsize=4)
def _check_loads(lang: str) -> None:
    """OCR a tiny blank page once: a corrupt .traineddata fails here, before a batch, not on every file."""
    try:
        pytesseract.image_to_string(Image.new("L", (64, 32), 255), lang=lang, timeout=60)
    except (pytesseract.TesseractError, RuntimeError, OSError) as exc:
        raise EnvironmentProblem(f"Tesseract cannot load its '{lang}' language data: {exc}",
                                 remedy="apt-get install --reinstall " + " ".join(
                                     DEBIAN_PACKAGE.get(code, f"tesseract-ocr-{code}") for code in lang.split("+"))
                                 ) from exc


def default_language() -> tuple[str, str | None]:
    """`vie` when installed, else `eng` with a warning to show the user."""
    if "vie" in probe().languages:
        return "vie", None
    if os.environ.get("TESSDATA_PREFIX"):
        require_languages("vie")  # names the variable: the data may be installed elsewhere
    return "eng", "Tesseract's Vietnamese data is missing, using eng (apt-get install tesseract-ocr-vie)"


def recognize(image: Image.Image | Path, *, lang: str, name: str, timeout: float = 300.0) -> list[OcrLine]:
    """OCR one page (an image, or a file Tesseract reads) into lines of words with confidences."""
    single_thread_environment()
    try:
        data = pytesseract.image_to_data(str(image) if isinstance(image, Path) else image, lang=lang,
                                         config="--psm 3", timeout=timeout, output_type=pytesseract.Output.DICT)
    except RuntimeError as exc:
        if "timeout" in str(exc).lower():
            raise InputError(f"Tesseract timed out after {timeout:.0f} s on a page", path=name,
                             remedy="check the page: one that slow is mostly noise or far over 300 dpi") from exc
        raise InputError(f"Tesseract could not read the page: {_first_sentence(str(exc))}", path=name,
                         remedy="re-export or re-scan it") from exc
    except pytesseract.TesseractError as exc:
        raise InputError(f"Tesseract failed: {_first_sentence(exc.message or str(exc))}", path=name,
                         remedy="re-export or re-scan it") from exc
    if "text" not in data:  # Tesseract exits 0 with no TSV when Leptonica cannot decode the file
        raise InputError("Tesseract could not decode the image (truncated, or a pixel format it does not read)",
                         path=name, remedy="convert it to an 8-bit PNG or TIFF")
    return _lines_of(data)


def _first_sentence(message: str) -> str:
    """Tesseract and Leptonica print a paragraph of decoder chatter; its first clause says enough."""
    text = " ".join(message.strip(" ()'\"").replace("\\n", " ").split())
    text = text.split(" Error in ")[0].removeprefix("1, '")
    return text[:120] or "unknown error"


def _lines_of(data: dict[str, list]) -> list[OcrLine]:
    lines: dict[tuple[int, int, int], list[OcrWord]] = {}
    for i, text in enumerate(data["text"]):
        if not text or not text.strip():
            continue
        key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        box = (data["left"][i], data["top"][i], data["width"][i], data["height"][i])
        lines.setdefault(key, []).append(OcrWord(text, max(float(data["conf"][i]), 0.0), box))
    return [OcrLine(tuple(words), key[:2]) for key, words in sorted(lines.items())]


def single_thread_environment() -> None:
    """One OpenMP thread per Tesseract unless the user set OMP_THREAD_LIMIT. Tesseract's OpenMP
    threads spin while they wait: on this project's 2-core machine one 300-dpi page took 10 s with
    them and 2 s with one thread (`vnrestore run` on 4 pages: 42 s against 8 s), and with N worker
    processes N threads in all is what the cores can take."""
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
