"""Errors a user can meet, each with an exit code and a remedy; the CLI maps them to one line.

The library raises these and never prints; `cli.py` has the one handler that turns them into
`vnrestore: FILE: what is wrong (what to do)` and the exit code.
"""

from __future__ import annotations

import os
from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    SOME_INPUTS_FAILED = 1
    USAGE_OR_ENVIRONMENT = 2
    QUALITY_REGRESSION = 3
    INTERRUPTED = 130  # 128 + SIGINT, as shells report Ctrl-C
    TERMINATED = 143  # 128 + SIGTERM


def printable(path: str | os.PathLike[str]) -> str:
    """A path as a user can read it and any stream or JSON can carry it: bytes of a name that are
    not UTF-8 (TCVN3 or Latin-1 names of old archives) are shown as \\xNN, never a crash."""
    raw = os.fsencode(path)
    return raw.decode("utf-8", "backslashreplace")


def one_line(path: str | None, message: str, remedy: str | None) -> str:
    """What a user reads of a failure: `FILE: what is wrong (what to do)`."""
    where = f"{path}: " if path else ""
    hint = f" ({remedy})" if remedy else ""
    return f"{where}{message}{hint}"


class VnRestoreError(Exception):
    """Base: `message` says what is wrong, `remedy` what to do, `path` which file."""

    exit_code = ExitCode.USAGE_OR_ENVIRONMENT
    default_remedy: str | None = None  # the remedy when the raiser gives none

    def __init__(self, message: str, *, path: str | os.PathLike[str] | None = None,
                 remedy: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = printable(path) if path is not None else None
        self.remedy = remedy or self.default_remedy

    def one_line(self) -> str:
        return one_line(self.path, self.message, self.remedy)


class InputError(VnRestoreError):
    """A user's input cannot be read: empty, binary, wrong encoding, corrupt, unreadable."""

    exit_code = ExitCode.SOME_INPUTS_FAILED


class EnvironmentProblem(VnRestoreError):
    """Something the machine lacks: Tesseract, its language data, poppler, the lexicon."""


class UsageProblem(VnRestoreError):
    """The command cannot run as given (its standard output is closed)."""


class OutputError(VnRestoreError):
    """An output cannot be written: the folder is read-only or not a folder, the disk is full."""


class LexiconError(VnRestoreError):
    """The lexicon files are missing or malformed: `file:line: what is wrong`."""

    default_remedy = "build the lexicon again with vnrestore lexicon build, or reinstall vnrestore"
