"""Vietnamese syllable structure: onset, rhyme and tone, and where the tone mark goes.

Everything that knows Vietnamese spelling lives here, so that the lexicon build, the candidate
generator and the evaluator agree on what a syllable is. A syllable is handled as three parts:
onset ("ngh", "qu", "gi", ...), toneless rhyme ("ương", "oa", ...) and tone (0-5). The written
form is rebuilt from the parts, which makes the two tone-placement styles (hòa / hoà, thủy / thuỷ)
a single switch instead of a table of exceptions.
"""

from __future__ import annotations

import functools
import unicodedata
from typing import Literal, NamedTuple

ToneStyle = Literal["old", "new"]

# Combining tone marks in tone order: ngang (none), huyền, sắc, hỏi, ngã, nặng.
TONE_MARKS = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
HOOK_TONE = TONE_MARKS.index("\u0309")  # hỏi
_TONE_OF_MARK = {mark: tone for tone, mark in enumerate(TONE_MARKS) if mark}

VOWELS = frozenset("aăâeêioôơuưy")
MODIFIED_VOWELS = frozenset("ăâêôơư")

ONSETS = (
    "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr",
    "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x",
)
_ONSETS_LONGEST_FIRST = tuple(sorted(ONSETS, key=len, reverse=True))

STOP_CODAS = ("c", "ch", "p", "t")
CODAS = ("ng", "nh", "ch", "c", "m", "n", "p", "t")

# Toneless rhymes of standard orthography (after any onset, "qu" and "gi" included).
RHYMES = frozenset(
    """
    a ac ach ai am an ang anh ao ap at au ay
    ăc ăm ăn ăng ăp ăt
    âc âm ân âng âp ât âu ây
    e ec em en eng eo ep et
    ê êch êm ên ênh êp êt êu
    i ia ich im in inh ip it iu
    iêc iêm iên iêng iêp iêt iêu
    o oa oac oach oai oam oan oang oanh oao oap oat oay
    oăc oăm oăn oăng oăt oc oe oen oeo oet oi om on ong ooc oong op ot
    ô ôc ôi ôm ôn ông ôp ôt
    ơ ơi ơm ơn ơp ơt
    u ua uân uâng uât uây uc uê uêch uênh ui um un ung uơ up ut uy uya uych uyên uyêt uynh uyt uyu
    uôc uôi uôm uôn uông uôt
    ư ưa ưc ưi ưm ưn ưng ưt ưu
    ươc ươi ươm ươn ương ươp ươt ươu
    y yêm yên yêng yêt yêu ych ynh yt
    """.split()
)


class Syllable(NamedTuple):
    """A lowercase syllable split into its parts; `rhyme` carries no tone mark."""

    onset: str
    rhyme: str
    tone: int


def split_tone(text: str) -> tuple[str, int]:
    """Remove the tone mark from a lowercase NFC string: ("hiện") -> ("hiên", 5)."""
    tone = 0
    kept = []
    for ch in unicodedata.normalize("NFD", text):
        mark_tone = _TONE_OF_MARK.get(ch)
        if mark_tone is None:
            kept.append(ch)
        else:
            tone = mark_tone
    return unicodedata.normalize("NFC", "".join(kept)), tone


def has_hook_or_horn(word: str) -> bool:
    """Whether a lowercase word has the hỏi tone's hook or a horn (ơ, ư): the marks eng draws apart
    from their letter as a "?" ("tht?" thứ, "xu?" xử)."""
    toneless, tone = split_tone(word)
    return tone == HOOK_TONE or "ơ" in toneless or "ư" in toneless


def _split_onset(toneless: str) -> tuple[str, str]:
    for onset in _ONSETS_LONGEST_FIRST:
        if toneless.startswith(onset):
            rest = toneless[len(onset):]
            # "gi" and "qu" are onsets only when a vowel follows ("gìn" is g + in).
            if onset in ("gi", "qu") and not (rest and rest[0] in VOWELS):
                continue
            return onset, rest
    return "", toneless


@functools.lru_cache(maxsize=1 << 16)
def parse(word: str) -> Syllable | None:
    """Parse a lowercase NFC word as one syllable; None when it is not standard orthography.
    Memoized: repair asks about the same few thousand words again and again."""
    toneless, tone = split_tone(word)
    onset, rhyme = _split_onset(toneless)
    # "giếng" is gi + iêng with the i written once.
    if rhyme not in RHYMES and not (onset == "gi" and "i" + rhyme in RHYMES):
        return None
    if rhyme.endswith(STOP_CODAS) and tone not in (2, 5):
        return None
    return Syllable(onset, rhyme, tone)


def is_syllable(word: str) -> bool:
    return parse(word) is not None


def _tone_position(onset: str, rhyme: str, style: ToneStyle) -> int:
    """Index in `rhyme` of the vowel that carries the tone mark."""
    nucleus_end = 0
    while nucleus_end < len(rhyme) and rhyme[nucleus_end] in VOWELS:
        nucleus_end += 1
    vowels = rhyme[:nucleus_end]
    has_coda = nucleus_end < len(rhyme)
    modified = [i for i, ch in enumerate(vowels) if ch in MODIFIED_VOWELS]
    if modified:
        return modified[-1]  # "ươ" takes the mark on ơ
    if len(vowels) == 1:
        return 0
    if has_coda:
        return len(vowels) - 1
    if len(vowels) == 3:
        return 1
    if style == "new" and vowels in ("oa", "oe", "uy") and onset != "qu":
        return 1
    return 0


def compose(syllable: Syllable, style: ToneStyle = "old") -> str:
    """Write a syllable with its tone mark in the chosen placement style."""
    onset, rhyme, tone = syllable
    if tone == 0 or not rhyme:
        return onset + rhyme
    pos = _tone_position(onset, rhyme, style)
    marked = unicodedata.normalize("NFC", rhyme[pos] + TONE_MARKS[tone])
    return onset + rhyme[:pos] + marked + rhyme[pos + 1:]


def restyle(word: str, style: ToneStyle) -> str:
    """Move the tone mark of a lowercase syllable to the placement of `style`; other words unchanged."""
    syllable = parse(word)
    return word if syllable is None else compose(syllable, style)


# Onsets after which a lone i is written y in administrative texts (lý, kỹ, tỷ, quy), the spelling
# of the dispatches vnrestore repairs; dictionaries and schoolbooks write lí, kĩ, tỉ, qui.
_Y_ONSETS = frozenset({"k", "l", "m", "t", "qu"})


def administrative_y(word: str) -> str:
    """lí -> lý, kĩ -> kỹ, tỉ -> tỷ, qui -> quy; other words unchanged. A toneless li, ki, ti stays
    (li, ki-lô, ti vi are written so), except qui."""
    syllable = parse(word)
    if (syllable is None or syllable.rhyme != "i" or syllable.onset not in _Y_ONSETS
            or (syllable.tone == 0 and syllable.onset != "qu")):
        return word
    return compose(Syllable(syllable.onset, "y", syllable.tone))
