"""Acronyms of the administration (UBND, HĐND, ĐU...): kept as they are, with a lost Đ restored.

OCR drops the stroke of Đ (HDND) or reads it as P or B (HPND), and reads Q as O (NO for NQ).
An acronym is fixed when exactly one entry of the hand-written table explains it. Beyond that
table, the lexicon build counts every acronym its sources write (lexicon/data/acronyms.vi.tsv):
where they write one with a Đ and (nearly) never without, a D that OCR read there is an Đ
(GDDT -> GDĐT), also after an office's initial (BGDDT, SGDDT: Bộ, Sở GDĐT).

A text also spells out its own acronyms: an exam notice headed "TRƯỜNG ĐẠI HỌC SƯ PHẠM KỸ THUẬT
... PHÒNG ĐÀO TẠO" numbers itself 214/TB-ĐHSPKT and files a copy with ĐT, which eng reads DHSPKT
and DT. The initials of its capitalized names, as repair first reads them (`spelled_out`), put
back such an Đ (`Acronyms.with_document`; restore/decode/repair.py decodes again the blocks it
changes).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import regex

from restore.errors import LexiconError
from restore.paths import phrases_dir
from restore.text.normalize import fold
from restore.text.orthography import is_syllable
from restore.text.textio import counted_rows
from restore.text.tokens import SPACED_SEPARATOR

# Single-letter OCR confusions inside an acronym, each tried alone.
_LOOKALIKES = {"P": "Đ", "B": "Đ", "D": "Đ", "O": "Q", "Q": "O", "0": "O", "1": "I", "l": "I"}
_SEPARATORS = regex.compile(r"([-/.])")
_SPLIT = regex.compile(SPACED_SEPARATOR)
# Abbreviations of letters and a slash that dispatches write (Nơi nhận: "(để b/c)"; "V/v" before a
# letter's subject): the words they stand for are what the language model reads in their place.
ABBREVIATIONS = {"b/c": ("báo", "cáo"), "v/v": ("về", "việc"), "đ/c": ("đồng", "chí"), "k/g": ("kính", "gửi"),
                 "t/m": ("thay", "mặt"), "k/t": ("ký", "thay")}
LEARNED_ACRONYMS = "acronyms.vi.tsv"  # in the lexicon's data: acronym<TAB>uses, written by the build
# What the build counts as an acronym: three or more capitals (Đ among them), standing alone. Two
# letters are too often both ways (ĐT đào tạo, DT dự toán): the hand table settles those.
ACRONYM = regex.compile(r"(?<![\p{L}\p{N}])[A-ZĐ]{3,}(?![\p{L}\p{N}])")
# A learned spelling is taken when it has this share of its folded form's uses.
DOMINANT_SHARE = 0.9
# A name a text spells out: a run of up to NAME_WORDS words opening with a capital; "và" joins its
# parts and has no initial (Giáo dục và Đào tạo: GDĐT).
NAME_WORDS = 8
_MARKS = regex.compile(r"[^\p{L}\s]+")  # a name runs up to a mark or a digit


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


def parse_counts(lines: Iterable[str], name: str = "<stream>") -> dict[str, int]:
    counts: dict[str, int] = {}
    for number, acronym, uses in counted_rows(lines, name, "ACRONYM<TAB>uses"):
        if not ACRONYM.fullmatch(acronym):
            raise LexiconError(f"{name}:{number}: {acronym!r} is not an acronym (three or more capitals)")
        counts[acronym] = uses
    return counts


def learned_spellings(counts: dict[str, int]) -> dict[str, str]:
    """Per folded form, the sources' spelling of an acronym that has an Đ, where they write that
    form so DOMINANT_SHARE of the time (VND, written VNĐ a few times, stays)."""
    by_fold: dict[str, dict[str, int]] = {}
    for acronym, uses in counts.items():
        by_fold.setdefault(fold(acronym), {})[acronym] = uses
    spellings = {}
    for key, spelled in by_fold.items():
        best = max(sorted(spelled), key=spelled.__getitem__)
        if "Đ" in best and spelled[best] >= DOMINANT_SHARE * sum(spelled.values()):
            spellings[key] = best
    return spellings


def spelled_out(lines: Iterable[str]) -> dict[str, str]:
    """Per folded form, the acronym with an Đ that the lines spell out: the initials of a run of
    words opening with a capital, up to a mark (ĐẠI HỌC SƯ PHẠM KỸ THUẬT: ĐHSPKT; Phòng Đào tạo:
    PĐT, and ĐT from its second word). A form the lines also spell otherwise (Dự toán: DT) is left
    out."""
    found: dict[str, set[str]] = {}
    for line in lines:
        for stretch in _MARKS.split(line):
            words = stretch.split()
            initials = ["" if w.lower() == "và" else "Đ" if w[0] in "Đđ" else fold(w[0]).upper() for w in words]
            for start, first in enumerate(words):
                if first[:1].isupper():
                    spelled = ""
                    for initial in initials[start:start + NAME_WORDS]:
                        spelled += initial
                        if len(spelled) >= 2:  # initials are folded but for Đ
                            found.setdefault(spelled.replace("Đ", "D"), set()).add(spelled)
    return {key: only for key, spellings in found.items()
            if len(spellings) == 1 and "Đ" in (only := next(iter(spellings)))}


class Acronyms:
    def __init__(self, table: dict[str, str], learned: dict[str, int] | None = None) -> None:
        self.table = table
        by_fold: dict[str, list[str]] = {}
        for acronym in table:
            by_fold.setdefault(fold(acronym).upper(), []).append(acronym)
        self.by_fold = {k: v[0] for k, v in by_fold.items() if len(v) == 1}
        self.learned = learned_spellings(learned or {})
        self.document: dict[str, str] = {}

    def with_document(self, spelled: dict[str, str]) -> Acronyms:
        """These acronyms and those a text spells out (`spelled_out`), which come before the
        sources' learned spellings."""
        documented = copy.copy(self)
        documented.document = spelled
        return documented

    @classmethod
    def load(cls, data_dir: Path) -> Acronyms:
        """The hand table, and the build's counts in `data_dir` when it has them."""
        path = phrases_dir() / "acronyms.vi.tsv"
        with path.open(encoding="utf-8") as handle:
            table = parse_acronyms(handle, str(path))
        counts = data_dir / LEARNED_ACRONYMS
        if not counts.exists():
            return cls(table)
        with counts.open(encoding="utf-8") as handle:
            return cls(table, parse_counts(handle, str(counts)))

    def spells_out(self, text: str) -> bool:
        """Whether a word or a code has a part that folds to an acronym the text spells out: only
        those may read otherwise with them."""
        return bool(self.document) and any(fold(part.strip()) in self.document for part in _SEPARATORS.split(text))

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
        if hits:
            return hits.pop() if len(hits) == 1 else None
        return self._restored(part)

    def _restored(self, part: str) -> str | None:
        """The learned spelling of an acronym, alone or after one initial: the Đs OCR lost put back."""
        key = fold(part)
        if (spelled := self.document.get(key)) and not is_syllable(key.lower()):  # DO stays a word
            return spelled
        if key in self.learned:
            return self.learned[key]
        head, rest = part[:1], key[1:]
        if len(rest) >= 3 and head.isupper() and (spelled := self.learned.get(rest) or self.by_fold.get(rest)):
            return head + spelled
        return None

    def fix_code(self, code: str) -> str:
        """Fix each letter part of a document code: 56-KH/DU -> 56-KH/ĐU, 20/INQ-HPND -> 20/NQ-HĐND,
        and close the gaps OCR put at its separators: 29- -NQ/TW -> 29-NQ/TW."""
        parts = _SEPARATORS.split(_SPLIT.sub(lambda gap: gap[0].strip()[0], code))
        return "".join(self._fix_part(p) for p in parts)

    def _fix_part(self, part: str) -> str:
        if len(part) < 2 or not any(ch.isalpha() for ch in part) or any(ch.isdigit() for ch in part):
            return part
        return self.fix(part) or part


@lru_cache(maxsize=2)
def default_acronyms(data_dir: Path) -> Acronyms:
    return Acronyms.load(data_dir)
