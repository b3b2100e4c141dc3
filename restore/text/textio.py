"""Reading users' files and writing outputs without leaving partial files behind.

A text file should be UTF-8 (a BOM is accepted) or UTF-16 with its BOM. Text in a legacy Vietnamese
encoding (Windows-1258, TCVN3, VNI) is converted when its encoding is clear; anything else gets one
clear line: empty, binary, or not UTF-8 with the best guess at what it is. Only regular files are
read: opening a FIFO would block, and a device never ends.

Outputs go to a temporary file in the target folder (short fixed name, so a long output name still
fits), are synced and renamed over the target, and get the permissions the umask gives any new file.
The writer holds an exclusive lock on its temporary file until the rename: a sweep for files a killed
run left behind removes only unlocked ones, so it never pulls a file from under another live run.

The lexicon's count tables (key<TAB>count, one per line) are read row by row here too.
"""

from __future__ import annotations

import codecs
import errno
import fcntl
import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from restore.errors import InputError, LexiconError, OutputError
from restore.text.legacy_encodings import confident_decoding

# Temporary outputs are named .vnrestore-XXXXXXXX.tmp: a sweep after a killed run removes these
# and nothing else of the user's.
TEMP_PREFIX = ".vnrestore-"
TEMP_SUFFIX = ".tmp"
NO_LOCKS = (errno.ENOLCK, errno.ENOTSUP, errno.EOPNOTSUPP)  # flock on a file system that has none
EMPTY_REMEDY = "copy it again from its source: a copy that stopped early leaves an empty file"
_FILE_TYPES = {stat.S_IFIFO: "a FIFO (named pipe)", stat.S_IFCHR: "a character device",
               stat.S_IFBLK: "a block device", stat.S_IFSOCK: "a socket", stat.S_IFDIR: "a directory"}


class TextFile(NamedTuple):
    text: str
    encoding: str  # "UTF-8" or the legacy encoding it was converted from


def counted_rows(lines: Iterable[str], name: str, shape: str) -> Iterator[tuple[int, str, int]]:
    """(line number, key, count) of each non-blank line of a count table; a line of another shape
    than `shape` ("syllable<TAB>count") stops the read with the file and line named."""
    for number, line in enumerate(lines, 1):
        line = line.rstrip("\n")
        if not line:
            continue
        key, sep, count = line.partition("\t")
        if not sep or not count.isdigit():
            raise LexiconError(f"{name}:{number}: expected '{shape}', got {line!r}")
        yield number, key, int(count)


def read_text(path: Path) -> str:
    return read_text_file(path).text


def require_regular_file(path: Path) -> None:
    """Refuse what is not a regular file before opening it: a FIFO would hang the run."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError as exc:
        if path.is_symlink():
            raise InputError("a link to a missing file", path=path, remedy="mend or remove the link") from exc
        raise InputError("no such file", path=path, remedy="check the name and the folder") from exc
    except OSError as exc:
        raise read_error(path, exc) from exc
    if not stat.S_ISREG(mode):
        what = _FILE_TYPES.get(stat.S_IFMT(mode), "not a regular file")
        raise InputError(f"is {what}, not a file to read", path=path, remedy="give a PDF, image or text file")


def read_text_file(path: Path) -> TextFile:
    require_regular_file(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise read_error(path, exc) from exc
    return decode_text(data, str(path))


def read_error(path: Path, exc: OSError) -> InputError:
    """One line for a failed read, with what to do about it."""
    remedy = {errno.EACCES: "give yourself read permission on it (chmod u+r)",
              errno.EPERM: "give yourself read permission on it (chmod u+r)",
              errno.EIO: "copy it off the failing disk or share, then try again",
              errno.ENAMETOOLONG: "give it a shorter name",
              }.get(exc.errno or 0, "check the file and the disk it is on")
    return InputError(f"cannot read: {exc.strerror or exc}", path=path, remedy=remedy)


def decode_text(data: bytes, name: str) -> TextFile:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return decode_text(data.decode("utf-16").encode("utf-8"), name)._replace(encoding="UTF-16")
        except UnicodeDecodeError as exc:
            raise InputError("UTF-16 text with broken bytes", path=name, remedy="convert it to UTF-8 first") from exc
    if not data.strip():
        raise InputError("empty file", path=name, remedy=EMPTY_REMEDY)
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
    """Write text as UTF-8 via a temporary file in the same folder, then rename: never a half-written output."""
    write_bytes_atomic(path, text.encode("utf-8", "surrogateescape"))


def write_bytes_atomic(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = _locked_temp_file(path.parent)
    except OSError as exc:
        raise output_error(path, exc) from exc
    try:
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb", closefd=False) as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise output_error(path, exc) from exc
        raise
    finally:
        os.close(fd)  # releases the lock, after the rename


def _locked_temp_file(folder: Path) -> tuple[int, str]:
    """A new temporary file in the folder, locked by this process. A sweep may have locked and removed
    it between its creation and our lock (its link count is then 0): then make another."""
    while True:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError as exc:
            if exc.errno not in NO_LOCKS:
                os.close(fd)
                raise
            return fd, tmp  # a file system without locks: sweeps leave its temporary files alone
        if os.fstat(fd).st_nlink:
            return fd, tmp
        os.close(fd)


def sweep_abandoned_temp_files(folders: set[Path]) -> None:
    """Remove the temporary outputs killed runs left in these folders: only vnrestore's own, and
    only those no live writer holds locked."""
    for folder in folders:
        try:
            found = list(folder.glob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}"))
        except OSError:
            continue
        for path in found:
            _remove_if_abandoned(path)


def _remove_if_abandoned(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return  # renamed into place or removed meanwhile
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        if os.stat(path, follow_symlinks=False).st_ino == os.fstat(fd).st_ino:
            path.unlink()
    except OSError:
        pass  # a live writer holds it, or the name now names another file
    finally:
        os.close(fd)


def output_error(path: Path, exc: OSError) -> OutputError:
    """One line for a failed write, with what to do about it."""
    remedy = {errno.ENOSPC: "free some space, then run again to resume",
              errno.EDQUOT: "free some space, then run again to resume",
              errno.EACCES: "choose a folder you may write to",
              errno.EPERM: "choose a folder you may write to",
              errno.EROFS: "choose a folder on a writable disk",
              errno.ENAMETOOLONG: "give the input a shorter name",
              errno.EEXIST: "a file stands where a folder is needed: choose another output path",
              errno.ENOTDIR: "a file stands where a folder is needed: choose another output path",
              }.get(exc.errno or 0)
    return OutputError(f"cannot write: {exc.strerror or exc}", path=path, remedy=remedy)


@lru_cache(maxsize=1)
def _umask() -> int:
    """The process's umask (read once: reading it means setting it)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
