"""Acronyms of the administration (UBND, HĐND, ĐU...): kept as they are, with a lost Đ restored.

OCR drops the stroke of Đ (HDND) or reads it as P or B (HPND), and reads Q as O (NO for NQ).
An acronym is fixed only when exactly one entry of the hand-written table explains it.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import regex

from restore.errors import LexiconError
from restore.paths import phrases_dir
from restore.text.normalize import fold

# Single-letter OCR confusions inside an acronym, each tried alone.
_LOOKALIKES = {"P": "Đ", "B": "Đ", "D": "Đ", "O": "Q", "Q": "O", "0": "O", "1": "I", "l": "I"}
_SEPARATORS = regex.compile(r"([-/.])")


def parse_acronyms(lines: Iterable[str], name: str = "<stream>") -> dict[str, str]:
    table: dict[str, str] = {}
    for number, line in enumerate(lines, 1):
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        acronym, sep, expansion = line.partition("\t")
        if not sep or not acronym or not expansion:
            raise LexiconError(f"{name}:{number}: expected 'ACRONYM<TAB>expansion', got {line!r}")
        table[acronym] = expansion
    return table


class Acronyms:
    def __init__(self, table: dict[str, str]) -> None:
        self.table = table
        by_fold: dict[str, list[str]] = {}
        for acronym in table:
            by_fold.setdefault(fold(acronym).upper(), []).append(acronym)
        self.by_fold = {k: v[0] for k, v in by_fold.items() if len(v) == 1}

    @classmethod
    def load(cls) -> Acronyms:
        path = phrases_dir() / "acronyms.vi.tsv"
        with path.open(encoding="utf-8") as handle:
            return cls(parse_acronyms(handle, str(path)))

    def fix(self, part: str) -> str | None:
        """The table's spelling of an OCR'd acronym, or None when no single entry explains it."""
        if part in self.table:
            return part
        found = self.by_fold.get(fold(part).upper())
        if found:
            return found
        variants = {part[:i] + _LOOKALIKES[ch] + part[i + 1:] for i, ch in enumerate(part) if ch in _LOOKALIKES}
        if part[:1] in ("I", "l", "1") and len(part) > 2:
            variants.add(part[1:])
        hits = {self.by_fold.get(fold(v).upper()) or (v if v in self.table else None) for v in variants}
        hits.discard(None)
        return hits.pop() if len(hits) == 1 else None

    def fix_code(self, code: str) -> str:
        """Fix each letter part of a document code: 56-KH/DU -> 56-KH/ĐU, 20/INQ-HPND -> 20/NQ-HĐND."""
        parts = _SEPARATORS.split(code)
        return "".join(self._fix_part(p) for p in parts)

    def _fix_part(self, part: str) -> str:
        if len(part) < 2 or not any(ch.isalpha() for ch in part) or any(ch.isdigit() for ch in part):
            return part
        return self.fix(part) or part


@lru_cache(maxsize=1)
def default_acronyms() -> Acronyms:
    return Acronyms.load()
