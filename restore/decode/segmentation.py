"""Where OCR put spaces wrong: the lattice's arcs that cut one token or join two.

OCR loses spaces ("21thang", "viénSV", "hoabinh") and adds them ("THƯ ỜNG", "s sô"). Each such
reading is offered to the decoder as an extra arc beside the token's own candidates, at a price
(CUT_COST, JOIN_COST, log10) on top of the channel's, and the language model decides: a cut must
buy more in context than the symbol it adds costs, a join must read as a real syllable.

Only where a token gives reason are arcs offered, so the lattice stays small:
- a cut between digits and letters (the digits stay a number) or where lowercase turns to
  uppercase (an acronym glued to a word); a cut anywhere into two syllables, for a token of letters
  that is no syllable and that no candidate reads cheaply as one;
- a join of two words one space apart on one line, when one of them is a stray piece (one or two
  letters, or marked letters that make no syllable: "ỜNG") and the two make at most a syllable's
  length, unless the second opens with a capital the first's case does not carry on ("x Tân": xã
  Tân, never xuân). A word is never joined across a line break, so the pieces of a word broken at
  a line end stay on their lines;
- a lone small letter and the word one space after it that opens with it, read as that word: OCR
  read the word's first letter apart, then the word ("s sô" số, "x xa" xã);
- a word read together with a "?" glued after it, the "?" dropped as the hook or horn of one of
  its letters drawn apart, where a word follows on the line: only readings with a hook (the
  hỏi tone) or a horn (ơ, ư), the marks a "?" draws, are offered, and the model weighs them
  against the word and a question mark (dearer before a capital, where a question may end);
- a word read together with a speck after it, dropped: a lone lowercase letter one space after it
  on the line that is no Vietnamese word ("bố trí i phòng"): any consonant, i or j in vie's
  reading, but only i, j, f, w or z in eng's, which reads số as "s" and xã as "x" (000, 002-004).
  Lone digits stay: the model, which lowercases, finds "điều quyết định" likelier than "Điều 1
  Quyết định".
Readings the channel prices above READING_MAX_COST are not offered for a join or a glued cut: on
000 such joins were all two real words read as one (thi tuc -> thực).
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import product

import regex

from restore.decode.decoder import Arc
from restore.model.candidates import Candidate
from restore.model.channel import Profile
from restore.model.language_model import NUM, word_symbol
from restore.text.normalize import fold
from restore.text.orthography import has_hook_or_horn, is_syllable

CUT_COST = 1.0
JOIN_COST = 1.0
MARK_APART_COST = 0.5  # bench/ablation.py: 0.2, 0.5 and 1.0 give the same figures
# A "?" before a capital may end a question ("Bạn đã hoàn thành chưa? Nếu chưa..."), which the model,
# having seen few, prices at 2 to 4 (log10): a mark apart costs this much more there. At 1.5 that
# question of tests/data/golden_repairs.json reads "chưa Nếu"; 2.0 and 2.5 keep it and the gains
# (marked_arcs); at 3.5 "thi? Năm" stays "thì? Năm" (worn-200dpi eng 6.84 -> 6.91).
QUESTION_BEFORE_CAPITAL_COST = 2.0
SPECK_COST = 1.0
# A token of letters is tried as two glued syllables only when its cheapest reading as one syllable
# costs at least this much (log10): the channel finds no plausible single word in it.
GLUED_MIN_COST = 2.0
READING_MAX_COST = 2.0
PIECE_READINGS = 2  # readings tried per piece of a cut
JOIN_READINGS = 3  # readings tried for two tokens joined
LONGEST_SYLLABLE = 7  # nghiêng

_DIGITS_LETTERS = regex.compile(r"(\d{2,})(\p{L}{2,})|(\p{L}{2,})(\d{2,})")
_CASE_TURN = regex.compile(r"(\p{Ll}{2,})(\p{Lu}{2,})|(\p{Lu}{2,})(\p{Ll}{2,})")
_LETTERS = regex.compile(r"\p{L}+")
# What a speck reads as, alone between spaces, and no word does.
_SPECK: dict[Profile, regex.Pattern] = {"vie": regex.compile(r"[bcdfghjklmnpqrstvwxzij]"),
                                        "eng": regex.compile(r"[ijfwz]")}

Generator = Callable[[str, Profile], list[Candidate]]


def cut_arcs(token: str, slot: int, generator: Generator, profile: Profile) -> list[Arc]:
    """Readings of one token as two pieces."""
    for pattern in (_DIGITS_LETTERS, _CASE_TURN):
        found = pattern.fullmatch(token)
        if found:
            pieces = [g for g in found.groups() if g is not None]
            acronyms = pattern is _CASE_TURN
            readings = [_piece_readings(p, generator, profile, acronyms) for p in pieces]
            return _arcs(slot + 1, readings, pieces, CUT_COST)
    if len(token) < 4 or not _LETTERS.fullmatch(token) or is_syllable(token.lower()):
        return []
    own = [c.cost for c in generator(token, profile) if c.word is not None]
    if own and min(own) < GLUED_MIN_COST:
        return []
    arcs = []
    for k in range(2, len(token) - 1):
        first = _cheap(token[:k], generator, profile, PIECE_READINGS)
        if first:  # no arc without a reading of each piece: the second is not asked for in vain
            second = _cheap(token[k:], generator, profile, PIECE_READINGS)
            arcs.extend(_arcs(slot + 1, [first, second], [token[:k], token[k:]], CUT_COST))
    return arcs


def join_arcs(left: str, right: str, slot: int, generator: Generator, profile: Profile) -> list[Arc]:
    """Readings of two neighbouring tokens as one syllable."""
    joined = left + right
    if len(joined) > LONGEST_SYLLABLE or not _LETTERS.fullmatch(joined) or not (_stray(left) or _stray(right)):
        return []
    if right[:1].isupper() and not left.isupper():
        return []  # a capital opens a word: "x Tân" (xã Tân) is two words, never "xuân"
    return _read_as_one(joined, slot, generator, profile)


def stutter_arcs(left: str, right: str, slot: int, generator: Generator, profile: Profile) -> list[Arc]:
    """Readings of a lone small letter and the word one space after it that opens with that letter
    as the word alone: OCR read the word's first letter apart, then the whole word ("s sô": số)."""
    if len(left) != 1 or not left.islower() or len(right) < 2 or fold(right[0]).lower() != left:
        return []
    return _read_as_one(right, slot, generator, profile)


def _read_as_one(text: str, slot: int, generator: Generator, profile: Profile) -> list[Arc]:
    """Arcs reading the two tokens from `slot` on as the cheapest readings of `text`, at a join's price."""
    return [Arc(slot + 2, (c,), JOIN_COST, (text,)) for c in _cheap(text, generator, profile, JOIN_READINGS)]


def marked_arcs(token: str, slot: int, generator: Generator, profile: Profile, *, capital_after: bool) -> list[Arc]:
    """Readings of a word and the "?" glued after it as one syllable: the "?" is a hook or horn OCR
    drew apart from its letter ("tht?" thứ, "xu?" xử, "s&?" sở), which a question mark inside a
    dispatch's sentence rarely is. So the readings are the word's cheapest that have a hook or a
    horn (a cheaper reading without either leaves the "?" unexplained), and the model weighs them
    against the word and a "?", whatever word follows ("thi? Năm" thứ Năm, "ct? Luật" cử Luật); before
    a capital, where a question may end, at QUESTION_BEFORE_CAPITAL_COST more. bench/ablation.py
    shipped row, against the three cheapest readings and a lowercase word after only: worn-200dpi
    eng 6.91 -> 6.84, clean-300dpi eng 1.59 -> 1.52, office eng 4.96 -> 4.89 WER, the other columns
    the same."""
    readings = [c for c in generator(token, profile) if c.word is not None and has_hook_or_horn(c.word)]
    cost = MARK_APART_COST + (QUESTION_BEFORE_CAPITAL_COST if capital_after else 0.0)
    return [Arc(slot + 2, (c,), cost, (token,)) for c in readings[:JOIN_READINGS]]


def speck_arcs(readings: list[Candidate], speck: str, slot: int, token: str, profile: Profile) -> list[Arc]:
    """Readings of a word and a speck one space after it as the word alone (its first readings)."""
    if not _SPECK[profile].fullmatch(speck):
        return []
    return [Arc(slot + 2, (c,), SPECK_COST, (token,)) for c in readings[:JOIN_READINGS]]


def _stray(piece: str) -> bool:
    """A piece of a word rather than a word: one or two letters, or marked letters that are no syllable."""
    lowered = piece.lower()
    if is_syllable(lowered):
        return False
    return len(piece) <= 2 or fold(lowered) != lowered


def _cheap(text: str, generator: Generator, profile: Profile, limit: int) -> list[Candidate]:
    return [c for c in generator(text, profile) if c.word is not None and c.cost <= READING_MAX_COST][:limit]


def _piece_readings(piece: str, generator: Generator, profile: Profile, acronyms: bool) -> list[Candidate]:
    """A cut piece's readings: digits are a number, capitals beside lowercase an acronym kept as read."""
    if piece.isdigit():
        return [Candidate(None, NUM, 0.0)]
    if acronyms and piece.isupper():
        return [Candidate(None, word_symbol(piece), 0.0)]
    return generator(piece, profile)[:PIECE_READINGS]


def _arcs(end: int, readings: list[list[Candidate]], pieces: list[str], cost: float) -> list[Arc]:
    return [Arc(end, combo, cost, tuple(pieces)) for combo in product(*readings)]
