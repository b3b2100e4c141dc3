"""The OCR channel: how much it costs to believe that an OCR token was written as a given syllable.

Cost (in log10 units, like the language model) = letters + marks:
- letters: a weighted edit distance between the OCR token and the syllable with its diacritics
  folded away, where look-alikes (6/o, 4/a, P/Đ, w/ư) and multi-character breakups (ii, ti, ir
  for u/ư/ủ) are cheap;
- marks: agreement of diacritics. Tesseract's English model drops most marks and turns the rest
  into Latin accents (é for ê, ơ or ô with a tone), so there a missing mark is nearly free; with the
  Vietnamese model marks are usually right, so disagreeing with them is expensive.

The costs here are set by hand; a channel learned from synthetic scans can replace `Costs`.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from restore.normalize import fold
from restore.orthography import split_tone

Profile = Literal["eng", "vie"]

_LIGATURES = {"ﬁ": "fi", "ﬂ": "fl", "ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl"}
# What a look-alike most often stands for, to find candidates by plain edit distance.
_PRIMARY = str.maketrans({"0": "o", "6": "o", "4": "a", "3": "a", "1": "l", "5": "s", "8": "a",
                          "@": "a", "&": "a", "¢": "c", "€": "e", "w": "u", "’": None, "'": None})
# The second reading of an ambiguous look-alike: 4 and é are often ơ, ô.
_SECONDARY = {"4": "o", "E": "o", "p": "d"}


def _default_substitutions() -> dict[tuple[str, str], float]:
    pairs = {
        # digits and symbols for letters
        ("0", "o"): 0.2, ("6", "o"): 0.2, ("4", "a"): 0.3, ("4", "o"): 0.4, ("3", "a"): 0.4,
        ("1", "l"): 0.2, ("1", "i"): 0.4, ("5", "s"): 0.4, ("8", "a"): 0.6, ("9", "g"): 0.6,
        ("@", "a"): 0.4, ("@", "u"): 0.4, ("&", "a"): 0.3, ("¢", "c"): 0.3, ("€", "e"): 0.3,
        # letters that OCR swaps for Vietnamese shapes
        ("w", "u"): 0.15, ("p", "d"): 0.25, ("b", "d"): 0.4, ("b", "o"): 0.4, ("y", "u"): 0.35,
        ("t", "u"): 0.5, ("g", "u"): 0.6, ("d", "a"): 0.6, ("d", "o"): 0.5, ("l", "i"): 0.4,
        ("i", "l"): 0.4, ("i", "u"): 0.5, ("u", "a"): 0.7, ("a", "o"): 0.6, ("e", "o"): 0.7,
        ("n", "u"): 0.7, ("u", "n"): 0.7, ("c", "e"): 0.7, ("q", "o"): 0.5, ("q", "g"): 0.6,
        ("i", "a"): 0.5,  # â and ă lose their hat: din -> dân, nim -> năm
        # accented Latin letters (kept as upper-case placeholders) for Vietnamese vowels
        ("E", "e"): 0.0, ("E", "o"): 0.25, ("E", "a"): 0.9, ("E", "u"): 0.8, ("A", "a"): 0.0,
        ("A", "o"): 0.4, ("A", "u"): 0.5, ("O", "o"): 0.0, ("O", "a"): 0.4, ("U", "u"): 0.0, ("I", "i"): 0.0,
        ("Y", "y"): 0.0, ("E", "i"): 0.6, ("O", "u"): 0.5,
    }
    return pairs


def _default_multi() -> dict[str, tuple[tuple[str, float], ...]]:
    """OCR strings of two characters that stand for fewer letters of the syllable."""
    return {
        "ii": (("u", 0.3),), "ti": (("u", 0.35),), "li": (("u", 0.4), ("h", 0.6)), "ir": (("u", 0.3),),
        "tr": (("u", 0.5),), "tt": (("u", 0.5),), "it": (("u", 0.5),), "ye": (("u", 0.4),),
        "yc": (("u", 0.4),), "ue": (("u", 0.4),), "rn": (("m", 0.4),), "cl": (("d", 0.5),),
        "ni": (("m", 0.6),), "in": (("m", 0.6),), "ri": (("n", 0.6),), "tu": (("u", 0.5),),
    }


@dataclass(frozen=True)
class Costs:
    substitutions: dict[tuple[str, str], float] = field(default_factory=_default_substitutions)
    multi: dict[str, tuple[tuple[str, float], ...]] = field(default_factory=_default_multi)
    cheap_deletions: dict[str, float] = field(
        default_factory=lambda: {"’": 0.1, "'": 0.1, "¢": 0.2, "€": 0.3, "`": 0.1, "~": 0.2, "e": 0.6,
                                 "i": 0.6, "E": 0.5, "h": 0.8}
    )
    insertion: float = 1.0
    # A vowel heavy with diacritics is the glyph OCR most often drops whole: b -> bộ, T -> Tổ.
    vowel_insertion: float = 0.7
    deletion: float = 1.0
    substitution: float = 1.0


COSTS = Costs()


def ocr_letters(token: str) -> str:
    """The OCR token as the channel compares it: lowercase, accented letters as placeholders.

    "hién" -> "hiEn": the accent says "some mark was here" without saying which.
    """
    out = []
    for ch in token.lower():
        ch = _LIGATURES.get(ch, ch)
        if len(ch) == 1 and ch != "đ" and unicodedata.decomposition(ch):
            base = fold(ch)
            out.append(base.upper() if base.isalpha() else ch)
        elif ch == "đ":
            out.append("d")
        else:
            out.append(ch)
    return "".join(out)


def search_keys(letters: str) -> list[str]:
    """Plain-letter forms to find candidate folds by edit distance: "v4i" -> ["vai", "voi"].

    Besides the most likely reading of every look-alike, each two-letter breakup (ii, ti, ir for u)
    and each ambiguous look-alike is also undone on its own, so "ctiia" reaches "cua".
    """
    keys = [letters]
    for pattern, outputs in COSTS.multi.items():
        if pattern in letters:
            keys.extend(letters.replace(pattern, out) for out, _ in outputs)
    for ambiguous, alternative in _SECONDARY.items():
        keys.extend(k.replace(ambiguous, alternative) for k in list(keys) if ambiguous in k)
    return list(dict.fromkeys(k.translate(_PRIMARY).lower() for k in keys))


@lru_cache(maxsize=200_000)
def letter_cost(letters: str, target: str) -> float:
    """Weighted edit distance from OCR letters to a folded syllable (DP with 2:1 operations)."""
    costs = COSTS
    n, m = len(letters), len(target)
    inf = float("inf")
    insert = [costs.vowel_insertion if ch in "aeiouy" else costs.insertion for ch in target]
    row_prev = [0.0]
    for j in range(m):
        row_prev.append(row_prev[-1] + insert[j])
    rows = [row_prev]
    for i in range(1, n + 1):
        a = letters[i - 1]
        row = [inf] * (m + 1)
        row[0] = rows[i - 1][0] + costs.cheap_deletions.get(a, costs.deletion)
        for j in range(1, m + 1):
            b = target[j - 1]
            sub = 0.0 if a == b else costs.substitutions.get((a, b), costs.substitution)
            best = rows[i - 1][j - 1] + sub
            best = min(best, rows[i - 1][j] + costs.cheap_deletions.get(a, costs.deletion))
            best = min(best, row[j - 1] + insert[j - 1])
            if i >= 2:
                for out, cost in costs.multi.get(letters[i - 2:i], ()):
                    if out == b:
                        best = min(best, rows[i - 2][j - 1] + cost)
            row[j] = best
        rows.append(row)
    return rows[n][m]


# Tone marks the vie model mistakes for each other at low resolution: the hook above (hỏi) and the
# acute (sắc) look alike, and so do hỏi and ngã; a dot below is small and easily lost.
_TONE_SWAP = {frozenset((3, 2)): 0.4, frozenset((3, 4)): 0.5, frozenset((5, 0)): 0.6, frozenset((2, 1)): 0.8}


@lru_cache(maxsize=50_000)
def _mark_parts(word: str) -> tuple[int, tuple[str, ...]]:
    """Tone and the modified letters (ă â ê ô ơ ư đ) of a lowercase word."""
    toneless, tone = split_tone(word)
    return tone, tuple(ch for ch in toneless if ch != fold(ch))


def has_marks(word: str) -> bool:
    tone, modified = _mark_parts(word)
    return bool(tone or modified)


def mark_cost(token: str, letters: str, syllable: str, profile: Profile) -> float:
    """Cost of the syllable's diacritics given what the OCR token shows of them."""
    if profile == "eng":
        accented = letters != letters.lower()
        if accented:
            return 0.0 if has_marks(syllable) else 0.7
        return 0.1 if has_marks(syllable) else 0.0
    token_tone, token_mods = _mark_parts(token.lower())
    syl_tone, syl_mods = _mark_parts(syllable)
    cost = 0.0 if token_tone == syl_tone else _TONE_SWAP.get(frozenset((token_tone, syl_tone)), 1.0)
    cost += 0.8 * abs(len(token_mods) - len(syl_mods)) + 0.8 * sum(a != b for a, b in zip(token_mods, syl_mods))
    return cost
