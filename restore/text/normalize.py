"""Normalization at the boundary: NFC, tone-placement style, diacritic folding and casing.

Vietnamese "ệ" can arrive as one, two or three code points; every entry point of vnrestore
passes text through `nfc` once, and the rest of the library may assume NFC. Tone placement
(hòa / hoà) is a second, explicit choice made by `restyle_text`.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Literal

import regex

from restore.text.orthography import ToneStyle, restyle

CasePattern = Literal["lower", "title", "upper", "mixed"]

_WORD = regex.compile(r"\p{L}+")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


class _FoldTable(dict[int, str]):
    """Each character's fold, worked out the first time it is looked up: a translate table, since
    repair folds a word for each candidate it weighs, and a lookup per character is three times as
    fast as decomposing the word and filtering its marks."""

    def __missing__(self, code: int) -> str:
        char = {"đ": "d", "Đ": "D"}.get(chr(code), chr(code))
        folded = "".join(ch for ch in unicodedata.normalize("NFD", char) if not unicodedata.combining(ch))
        self[code] = folded
        return folded


_FOLDS = _FoldTable()


def fold(text: str) -> str:
    """Strip every diacritic and map đ to d: "Đường" -> "Duong". Used for matching, never output."""
    return text.translate(_FOLDS)


def restyle_text(text: str, style: ToneStyle) -> str:
    """Put every syllable's tone mark in the placement of `style`, keeping its casing."""
    return _WORD.sub(lambda match: _restyle_word(match.group(), style), text)


@lru_cache(maxsize=1 << 16)
def _restyle_word(word: str, style: ToneStyle) -> str:
    """Cached: a text repeats its words, and a whole batch under `eval` restyles millions of them."""
    return apply_case(restyle(word.lower(), style), case_pattern(word))


@lru_cache(maxsize=1 << 16)
def case_pattern(token: str) -> CasePattern:
    """How a token is cased: "KE" upper, "Ke" title, "ke" lower, "PAy" or "PiCH" mixed (OCR's doing).
    Cached: repair asks it of every word it writes, and a text repeats its words. A dollar sign is
    eng's capital S ("$6" for Số), and so is a section sign opening a word ("§6:"); inside one it is
    a small letter's mark ("s§" for số)."""
    if token.startswith("§"):
        token = "S" + token[1:]
    letters = [ch for ch in token.replace("$", "S") if ch.isalpha()]
    if not letters:
        return "lower"
    if len(letters) > 1 and all(ch.isupper() for ch in letters):
        return "upper"
    if not letters[0].isupper():
        return "lower"  # "xA": a stray capital inside a lowercase word
    return "mixed" if any(ch.isupper() for ch in letters[1:]) else "title"


def apply_case(word: str, pattern: CasePattern) -> str:
    """Write a lowercase word in a pattern; a mixed token is written Title, as its first letter says."""
    if pattern == "upper":
        return word.upper()
    if pattern in ("title", "mixed"):
        return word[:1].upper() + word[1:]
    return word
