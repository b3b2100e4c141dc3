"""Vietnamese text in the legacy 8-bit encodings: Windows-1258, TCVN3 (ABC) and VNI.

Old office files are often in one of these. Each candidate decoding is scored by the share of its
accented words that are valid Vietnamese syllables; the text is converted only when one encoding
clearly wins, otherwise the caller refuses with the best guess. Converted text is NFC.
"""

from __future__ import annotations

import unicodedata
from typing import NamedTuple

import regex

from restore.text.orthography import is_syllable

# TCVN 5712:1993 (VN3): one byte per lowercase letter; capitals with a tone use a separate font.
_TCVN3 = dict(zip(
    "µ¸¶·¹¨»¾¼½Æ©ÇÊÈÉË®ÌÐÎÏÑªÒÕÓÔÖ×ÝØÜÞßãáâä«åèæçé¬êíëìîïóñòôõøö÷ùúýûüþ¡¢§£¤¥¦" + "\xad",
    "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụừứửữựỳýỷỹỵĂÂĐÊÔƠƯ" + "ư",
))

# VNI Windows: a base letter followed by a mark byte, read here as Latin-1 characters.
_VNI_TONES = {"ù": "\u0301", "ø": "\u0300", "û": "\u0309", "õ": "\u0303", "ï": "\u0323"}
_VNI_CIRCUMFLEX = {"â": "", "á": "\u0301", "à": "\u0300", "å": "\u0309", "ã": "\u0303", "ä": "\u0323"}
_VNI_BREVE = {"ê": "", "é": "\u0301", "è": "\u0300", "ú": "\u0309", "ü": "\u0303", "ë": "\u0323"}
_VNI_LETTERS = {"ô": "ơ", "ö": "ư", "ñ": "đ", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "î": "ỵ"}

_WORD = regex.compile(r"\p{L}+")


class Decoding(NamedTuple):
    encoding: str
    text: str
    score: float  # share of accented words that are valid syllables
    accented_words: int


def decode_tcvn3(data: bytes) -> str:
    return "".join(_TCVN3.get(ch, ch) for ch in data.decode("latin-1"))


def _vni_mark(base: str, mark: str) -> str | None:
    lower = mark.lower()
    if lower in _VNI_TONES:
        return base + _VNI_TONES[lower]
    if base.lower() in "aeo" and lower in _VNI_CIRCUMFLEX:
        return base + "\u0302" + _VNI_CIRCUMFLEX[lower]
    if base.lower() == "a" and lower in _VNI_BREVE:
        return base + "\u0306" + _VNI_BREVE[lower]
    return None


def decode_vni(data: bytes) -> str:
    text = data.decode("latin-1")
    out: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        letter = _VNI_LETTERS.get(ch.lower())
        if letter is not None:
            ch = letter.upper() if ch.isupper() else letter
        if i + 1 < len(text) and ch.lower() in "aeiouyơư":
            combined = _vni_mark(ch, text[i + 1])
            if combined is not None:
                out.append(combined)
                i += 2
                continue
        out.append(ch)
        i += 1
    return unicodedata.normalize("NFC", "".join(out))


def decode_cp1258(data: bytes) -> str:
    return unicodedata.normalize("NFC", data.decode("cp1258", errors="replace"))


_DECODERS = (("Windows-1258", decode_cp1258), ("TCVN3 (ABC)", decode_tcvn3), ("VNI", decode_vni))


def _score(encoding: str, text: str) -> Decoding:
    accented = [w.lower() for w in _WORD.findall(text) if not w.isascii()]
    valid = sum(1 for w in accented if is_syllable(w))
    return Decoding(encoding, text, valid / len(accented) if accented else 0.0, len(accented))


def candidates(data: bytes) -> list[Decoding]:
    """Every legacy decoding, best first."""
    scored = [_score(name, decode(data)) for name, decode in _DECODERS]
    return sorted(scored, key=lambda d: (-d.score, -d.accented_words))


def confident_decoding(data: bytes, *, min_score: float = 0.9, min_words: int = 5,
                       min_lead: float = 0.2) -> tuple[Decoding | None, Decoding]:
    """(the decoding to use, or None when unsure; the best guess either way)."""
    ranked = candidates(data)
    best, runner_up = ranked[0], ranked[1]
    sure = best.score >= min_score and best.accented_words >= min_words and best.score - runner_up.score >= min_lead
    return (best if sure else None), best
