"""Reading users' text files and writing outputs without leaving partial files behind.

A text file should be UTF-8 (a BOM is accepted). Text in a legacy Vietnamese encoding (Windows-1258,
TCVN3, VNI) is converted when its encoding is clear; anything else gets one clear line: empty,
binary, or not UTF-8 with the best guess at what it is.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import NamedTuple

from restore.errors import InputError
from restore.text.legacy_encodings import confident_decoding


class TextFile(NamedTuple):
    text: str
    encoding: str  # "UTF-8" or the legacy encoding it was converted from


def read_text(path: Path) -> str:
    return read_text_file(path).text


def read_text_file(path: Path) -> TextFile:
    try:
        data = path.read_bytes()
    except IsADirectoryError as exc:
        raise InputError("is a directory, not a text file", path=str(path)) from exc
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", path=str(path)) from exc
    return decode_text(data, str(path))


def decode_text(data: bytes, name: str) -> TextFile:
    if not data.strip():
        raise InputError("empty file", path=name)
    if b"\x00" in data[:8192]:
        raise InputError("binary file, not text", path=name, remedy="give a .txt of OCR output, or a scan")
    try:
        return TextFile(data.decode("utf-8-sig"), "UTF-8")
    except UnicodeDecodeError as exc:
        sure, guess = confident_decoding(data)
        if sure is not None:
            return TextFile(sure.text, sure.encoding)
        raise InputError(
            f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); not sure of its legacy encoding "
            f"(best guess {guess.encoding}: {guess.score:.0%} of {guess.accented_words} accented words read as "
            "Vietnamese)", path=name, remedy="convert it to UTF-8 first, e.g. with iconv",
        ) from exc


def write_atomic(path: Path, text: str) -> None:
    """Write via a temporary file in the same folder, then rename: never a half-written output."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
