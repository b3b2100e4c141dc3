"""Reading users' text files and writing outputs without leaving partial files behind.

A text file must be UTF-8 (a BOM is accepted). Anything else gets one clear line: empty, binary,
or the legacy Vietnamese encoding it looks like, so the user knows what to convert from.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from restore.errors import InputError

# Bytes that TCVN3 (ABC) and VNI use for Vietnamese letters; Windows-1258 uses combining tones 0xCC-0xF2.
_TCVN3_HINTS = frozenset(b"\xb5\xb8\xb6\xb7\xb9\xa8\xbb\xbe\xbc\xbd\xc6\xa9\xc7\xca\xc8\xc9\xcb\xae\xd3\xd6")
_CP1258_TONES = frozenset(b"\xcc\xec\xd2\xde\xf2")


def guess_legacy_encoding(data: bytes) -> str:
    """Best guess at the legacy encoding of non-UTF-8 Vietnamese bytes, for the error message."""
    high = [b for b in data if b >= 0x80]
    if not high:
        return "unknown"
    if sum(b in _CP1258_TONES for b in high) / len(high) > 0.2:
        return "Windows-1258"
    if sum(b in _TCVN3_HINTS for b in high) / len(high) > 0.3:
        return "TCVN3 (ABC)"
    return "a legacy 8-bit encoding (VNI, TCVN3 or Windows-1258)"


def read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except IsADirectoryError as exc:
        raise InputError("is a directory, not a text file", path=str(path)) from exc
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", path=str(path)) from exc
    return decode_text(data, str(path))


def decode_text(data: bytes, name: str) -> str:
    if not data.strip():
        raise InputError("empty file", path=name)
    if b"\x00" in data[:8192]:
        raise InputError("binary file, not text", path=name, remedy="give a .txt of OCR output, or a scan")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        encoding = guess_legacy_encoding(data)
        raise InputError(
            f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); looks like {encoding}",
            path=name, remedy="convert it to UTF-8, e.g. iconv -f CP1258 -t UTF-8",
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
