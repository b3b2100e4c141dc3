"""The OCR channel: how much it costs (log10) to believe an OCR token was written as a syllable.

Cost = letters + marks, or a remembered whole-token garble when one is known:
- letters: an edit distance between the OCR token and the syllable with its diacritics folded
  away, whose operations have their own costs: look-alikes (6/o, 4/a, P/Đ, w/ư), two OCR characters
  for one letter (ii, ti, ir for u), a letter OCR dropped, a character OCR added;
- marks: agreement of diacritics. Tesseract's English model drops most marks and turns the rest
  into Latin accents (é for ê, ơ or ô with a tone); its Vietnamese model keeps them but confuses
  some tones (hỏi and sắc look alike);
- tokens: garbles seen often enough in training to be priced whole (ctia -> của);
- parts: a syllable read as its onset's and its rhyme's garbles, each learned from every syllable
  that has it, so that what training saw of frequent words also prices the rare ones.

Two channels exist: the hand-set one (`hand_channel`) and a learned one read from
lexicon/data/channel.{eng,vie}.tsv, estimated from synthetic scans by `vnrestore lexicon
train-channel` (lexicon/channel_training.py); `with_ceilings` and `MixedChannel` combine them.
All price in log10 units, like the language model.
"""

from __future__ import annotations

import math
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from typing import Literal

from restore.model import compiled_letters
from restore.model.compiled_letters import CompiledLetters
from restore.model.letter_edits import LetterCosts, edit_cost
from restore.text.normalize import fold
from restore.text.orthography import parse, split_tone

Profile = Literal["eng", "vie"]
# A syllable behind an OCR token: (its fold, itself, the letter cost of the fold or None if not known).
Reading = tuple[str, str, float | None]
Cuts = dict[str, list[tuple[float, str]]]  # onset -> (its cost, the OCR letters left for the rhyme)
# A syllable's onset, and its rhyme's readings ({OCR letters: cost}) with its tone and without.
SyllableParts = tuple[str, dict[str, float], dict[str, float]]
_UNPARSED: SyllableParts = ("", {}, {})  # a syllable not looked up yet (None: looked up, no syllable)
# A batch's garbles (restore/decode/garbles.py): (profile, OCR token, syllable, cost) rows.
Garbles = tuple[tuple[str, str, str, float], ...]
PROFILES: tuple[Profile, ...] = ("eng", "vie")

_LIGATURES = {"ﬁ": "fi", "ﬂ": "fl", "ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl"}
# What a look-alike most often stands for, to find candidate folds by plain edit distance.
_LOOKALIKES = {"0": "o", "6": "o", "4": "a", "3": "a", "1": "l", "5": "s", "8": "a", "@": "a", "&": "a", "¢": "c",
               "€": "e", "¥": "y", "§": "o", "$": "s", "w": "u"}
_PRIMARY = str.maketrans({**_LOOKALIKES, "’": None, "'": None})
# The second reading of an ambiguous look-alike: 4 and é are often ơ, ô; 1 is i as often as l
# ("ho1" hồi, "nd1" nội, "1p" kịp). With 1 as i: bench/ablation.py shipped row office eng 5.07 -> 5.03,
# the other columns unchanged; samples/004 reads "chủ trì nội dung" twice (was "nd1", "ng1").
_SECONDARY = {"4": "o", "E": "o", "p": "d", "&": "o", "§": "a", "1": "i"}
VOWELS = "aeiouy"
# A rhyme's OCR letters seen under another tone of it (PartGarbles.toneless) cost this much (log10)
# more, and only those that tone gives with a cost of at most TONELESS_SOURCE_COST lend. bench/
# ablation.py shipped row, WER worn-200dpi eng / office eng: none 7.18 / 5.69; 0.6 7.11 / 5.62;
# 0.8 and 1.0 7.04 / 5.65; 1.5 none's; 000 and the clean pages unchanged at each. Lent from every
# reading, the rare "én" of ấn made "gén với" (gắn) read gần twice in samples/002 (no gold); from
# readings of cost 1.0 or less nothing in samples/000-004 changes, and from 0.5 or less worn loses.
TONELESS_COST = 1.0
TONELESS_SOURCE_COST = 1.0


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


def plain_reading(token: str) -> str:
    """The plain letters an OCR token most likely stands for: "1é" -> "le", "Đ6" -> "do"."""
    return fold(token.lower()).translate(_PRIMARY)


def search_keys(letters: str) -> list[str]:
    """Plain-letter forms to find candidate folds by edit distance: "v4i" -> ["vai", "voi"].

    Besides the most likely reading of every look-alike, each two-letter breakup (ii, ti, ir for u)
    and each ambiguous look-alike is also undone on its own, so "ctia" reaches "cua".
    """
    keys = [letters]
    for pattern, out in _BREAKUPS.items():
        if pattern in letters:
            keys.append(letters.replace(pattern, out))
    for ambiguous, alternative in _SECONDARY.items():
        keys.extend(k.replace(ambiguous, alternative) for k in list(keys) if ambiguous in k)
    return list(dict.fromkeys(k.translate(_PRIMARY).lower() for k in keys))


PartCounts = dict[str, Counter[str]]  # onset or written rhyme -> {OCR letters: times seen}


def part_counts(pairs: Mapping[tuple[str, str], int]) -> tuple[PartCounts, PartCounts]:
    """How often each onset and each rhyme was read as what, over (OCR token, syllable) pairs seen n
    times: the lowercase token is cut where the onset's plain letters end, when it starts with them
    and something is left for the rhyme; other pairs say nothing of parts."""
    onsets: PartCounts = defaultdict(Counter)
    rhymes: PartCounts = defaultdict(Counter)
    for (token, syllable), n in pairs.items():
        parsed, lowered = parse(syllable), token.lower()
        if parsed is None:
            continue
        cut = len(parsed.onset)
        if len(lowered) > cut and plain_reading(lowered[:cut]) == fold(parsed.onset):
            onsets[parsed.onset][lowered[:cut]] += n
            rhymes[syllable[cut:]][lowered[cut:]] += n
    return onsets, rhymes


@dataclass(frozen=True)
class MarkCosts:
    """Costs of diacritics. eng: by (OCR shows an accent, syllable has marks). vie: tone and hat swaps."""

    accent: dict[tuple[bool, bool], float]
    tone_swap: dict[tuple[int, int], float]  # (OCR tone, syllable tone) -> cost; same tone included
    default_tone_swap: float
    modifier_match: float
    modifier_mismatch: float
    evidence: dict[str, float] = field(default_factory=dict)  # eng: MarkEvidence name -> cost unexplained


@dataclass(frozen=True)
class PartGarbles:
    """How OCR writes a syllable's onset and its rhyme (tone mark included), each learned from every
    syllable that has it.

    The whole-token table prices only the words training saw often: "tré" is remembered for trở
    (0.12), while trẻ, rarer in the training text, was priced by letters and marks (0.58), so the
    model was pushed to the frequent word. Onset and rhyme are shared by many words: "ẻ" read "é"
    is seen in kẻ, để, trẻ alike, and prices them all. A rhyme's letters seen under one tone are
    evidence for the same rhyme under another, at TONELESS_COST more: training saw "tra" for ửa, and
    it prices ưa as well."""

    onsets: dict[str, dict[str, float]] = field(default_factory=dict)  # onset -> {OCR letters: cost}
    rhymes: dict[str, dict[str, float]] = field(default_factory=dict)  # written rhyme -> {OCR letters: cost}

    @cached_property
    def toneless(self) -> dict[str, dict[str, float]]:
        """Rhyme without its tone -> {OCR letters: the cheapest cost under any tone + TONELESS_COST},
        from the readings a tone gives at least one time in ten (rarer ones are too few to lend)."""
        pooled: dict[str, dict[str, float]] = defaultdict(dict)
        for rhyme, readings in self.rhymes.items():
            table = pooled[split_tone(rhyme)[0]]
            for written, cost in readings.items():
                if cost <= TONELESS_SOURCE_COST:
                    table[written] = min(cost + TONELESS_COST, table.get(written, math.inf))
        return dict(pooled)

    # Per lowercase token, its cuts (see `cuts`), filled as tokens are priced.
    _cuts: dict[str, Cuts] = field(default_factory=dict, compare=False, repr=False)
    # Per syllable, what pricing it by parts looks up (see `_parts_of`): a token's every candidate
    # asks, and the same syllables come back token after token.
    _parts: dict[str, SyllableParts | None] = field(default_factory=dict, compare=False, repr=False)

    @cached_property
    def _onsets_read_as(self) -> dict[str, dict[str, float]]:
        """OCR letters -> {onset: cost}: the onset table turned round."""
        index: dict[str, dict[str, float]] = defaultdict(dict)
        for onset, readings in self.onsets.items():
            for written, cost in readings.items():
                index[written][onset] = cost
        return dict(index)

    def cuts(self, token: str) -> Cuts:
        """Per onset, (its cost, the rest of the lowercase token) for each start of the token it may
        be read from: worked out once per token, since each of the token's candidates asks."""
        found = self._cuts.get(token)
        if found is None:
            table: dict[str, list[tuple[float, str]]] = defaultdict(list)
            for cut in range(len(token) if self.rhymes else 0):
                for onset, cost in self._onsets_read_as.get(token[:cut], {}).items():
                    table[onset].append((cost, token[cut:]))
            found = self._cuts[token] = dict(table)
        return found

    def clear_cache(self) -> None:
        self._cuts.clear()
        self._parts.clear()

    def cost(self, token: str, syllable: str) -> float:
        """The cheapest reading of the lowercase token as the syllable's onset then its rhyme, both
        garbles seen in training; infinite when there is none."""
        return self.costs_by_cuts(self.cuts(token), [syllable])[0]

    def costs_by_cuts(self, cuts: Cuts, syllables: Sequence[str]) -> list[float]:
        """`cost` of each syllable for the token whose `cuts` these are: one call for all of a
        token's candidates, which are many (a few dozen) and each cheap to price."""
        known, inf = self._parts, math.inf
        found = []
        for syllable in syllables:
            parts = known.get(syllable, _UNPARSED)
            if parts is _UNPARSED:
                parts = known[syllable] = self._parts_of(syllable)
            best = inf
            if parts is not None and (readings := cuts.get(parts[0])):
                _, rhymes, toneless = parts
                for onset_cost, written in readings:
                    cost = onset_cost + min(rhymes.get(written, inf), toneless.get(written, inf))
                    if cost < best:
                        best = cost
            found.append(best)
        return found

    def _parts_of(self, syllable: str) -> SyllableParts | None:
        """The syllable's onset and the readings of its rhyme, with and without its tone; None for
        a word that is no syllable."""
        parsed = parse(syllable)
        if parsed is None:
            return None
        return parsed.onset, self.rhymes.get(syllable[len(parsed.onset):], {}), self.toneless.get(parsed.rhyme, {})


@dataclass
class Channel:
    name: str
    letters: dict[Profile, LetterCosts]
    marks: dict[Profile, MarkCosts]
    tokens: dict[Profile, dict[str, dict[str, float]]] = field(default_factory=dict)
    parts: dict[Profile, PartGarbles] = field(default_factory=dict)
    # Letter costs already computed, per (OCR letters, profile): {target: cost}. They depend on the
    # letter tables alone, so a channel made from this one with more remembered tokens (with_tokens)
    # shares them.
    letter_cache: dict[tuple[str, Profile], dict[str, float]] = field(default_factory=dict, repr=False)
    # The letter tables as the compiled letter costs read them, per profile (shared the same way).
    compiled: dict[Profile, CompiledLetters] = field(default_factory=dict, repr=False)

    def letter_costs(self, letters: str, targets: list[str], profile: Profile) -> list[float]:
        """The cost of each target's letters read as `letters`: compiled where it is built, in one
        call for all the targets not priced before."""
        cache = self.letter_cache.get((letters, profile))
        if cache is None:
            cache = self.letter_cache[(letters, profile)] = {}
        new = [t for t in dict.fromkeys(targets) if t not in cache]
        if new:
            costs = [math.nan] * len(new)
            if compiled_letters.available():
                tables = self.compiled.get(profile)
                if tables is None:
                    tables = self.compiled[profile] = CompiledLetters(self.letters[profile])
                costs = tables.costs(letters, new)
            for target, cost in zip(new, costs):
                cache[target] = edit_cost(letters, target, self.letters[profile]) if math.isnan(cost) else cost
        return [cache[t] for t in targets]

    def clear_cache(self) -> None:
        self.letter_cache.clear()
        for parts in self.parts.values():
            parts.clear_cache()

    def marks_of(self, token: str, letters: str, profile: Profile, syllables: Sequence[str]) -> list[float]:
        """The cost of the marks of each syllable behind the OCR token, for all of a token's
        candidates in one pass."""
        costs = self.marks[profile]
        if profile == "eng":
            upper = letters != letters.lower()
            plain, marked = costs.accent[(upper, False)], costs.accent[(upper, True)]
            found = [marked if has_marks(syllable) else plain for syllable in syllables]
            shown = [(sign.lacks, costs.evidence[sign.name]) for sign in MARK_EVIDENCE
                     if sign.name in costs.evidence and sign.shows(letters)]
            if shown:
                found = [cost + sum(price for lacks, price in shown if lacks(syllable))
                         for cost, syllable in zip(found, syllables)]
            return found
        token_tone, token_mods = mark_parts(token.lower())
        found = []
        for syllable in syllables:
            syl_tone, syl_mods = mark_parts(syllable)
            cost = costs.tone_swap.get((token_tone, syl_tone), costs.default_tone_swap)
            mismatches = abs(len(token_mods) - len(syl_mods)) + sum(a != b for a, b in zip(token_mods, syl_mods))
            matches = max(len(syl_mods) - mismatches, 0)
            found.append(cost + mismatches * costs.modifier_mismatch + matches * costs.modifier_match)
        return found

    def token_costs(self, token: str, profile: Profile) -> dict[str, float]:
        """Syllables this exact OCR token was seen standing for, with their costs."""
        return self.tokens.get(profile, {}).get(token.lower(), {})

    def with_tokens(self, profile: Profile, learned: dict[str, dict[str, float]], name: str) -> Channel:
        """This channel with `learned` ({token: {syllable: cost}}) added to its remembered tokens."""
        tokens = {p: dict(table) for p, table in self.tokens.items()}
        table = tokens.setdefault(profile, {})
        for token, costs in learned.items():
            table[token] = {**table.get(token, {}), **costs}
        return Channel(f"{self.name}+{name}", self.letters, self.marks, tokens, self.parts,
                       letter_cache=self.letter_cache, compiled=self.compiled)

    def cost(self, token: str, letters: str, folded: str, syllable: str, profile: Profile,
             letters_cost: float | None = None, remembered: dict[str, float] | None = None) -> float:
        """Cost of the syllable behind the OCR token: letters and marks, or a remembered garble's
        (whole, or onset and rhyme).

        A capitalized token is not read by parts: it is often a name the language model hardly
        knows, and the parts make a plain reading as cheap for the common marked word (Phan: Phân)
        as for itself; letters and marks keep a small price on marks the OCR did not show.
        `letters_cost` (this channel's letter cost of the fold) and `remembered` (its token_costs of
        the token) may be passed by a caller that has them already, as the candidate generator does."""
        return self.costs(token, letters, [(folded, syllable, letters_cost)], profile, remembered)[0]

    def costs(self, token: str, letters: str, readings: Sequence[Reading], profile: Profile,
              remembered: dict[str, float] | None = None) -> list[float]:
        """`cost` of each reading of the OCR token: what hangs on the token alone (its marks,
        remembered garbles, cuts into parts) is worked out once for all its candidates, and the
        letter costs not given are priced in one call."""
        if remembered is None:
            remembered = self.token_costs(token, profile)
        syllables = [syllable for _, syllable, _ in readings]
        marks = self.marks_of(token, letters, profile, syllables)
        parts = self.parts.get(profile)
        cuts = parts.cuts(token.lower()) if parts is not None and not token[:1].isupper() else None
        unpriced = [folded for folded, _, letters_cost in readings if letters_cost is None]
        priced = dict(zip(unpriced, self.letter_costs(letters, unpriced, profile))) if unpriced else {}
        inf = math.inf
        found = [min((priced[folded] if letters_cost is None else letters_cost) + mark, remembered.get(syllable, inf))
                 for (folded, syllable, letters_cost), mark in zip(readings, marks)]
        if parts is not None and cuts:
            found = [min(cost, other) for cost, other in zip(found, parts.costs_by_cuts(cuts, syllables))]
        return found


@dataclass
class MixedChannel:
    """Two channels as one: P(OCR | syllable) = share * P_first + (1 - share) * P_second.

    The hand-set channel knows garbles of real scans that synthetic pages rarely show (P for Đ,
    v4i); the learned one knows what Tesseract does to print. The mixture keeps both.
    """

    name: str
    first: Channel
    second: Channel
    share: float = 0.5

    def _mix(self, a: float, b: float) -> float:
        return -math.log10(self.share * 10 ** -a + (1 - self.share) * 10 ** -b)

    def with_tokens(self, profile: Profile, learned: dict[str, dict[str, float]], name: str) -> MixedChannel:
        """A mixture has no token table of its own: its first part remembers them."""
        return replace(self, first=self.first.with_tokens(profile, learned, name))

    def clear_cache(self) -> None:
        self.first.clear_cache()
        self.second.clear_cache()

    def letter_costs(self, letters: str, targets: list[str], profile: Profile) -> list[float]:
        return [self._mix(a, b) for a, b in zip(self.first.letter_costs(letters, targets, profile),
                                                self.second.letter_costs(letters, targets, profile))]

    def token_costs(self, token: str, profile: Profile) -> dict[str, float]:
        return {**self.first.token_costs(token, profile), **self.second.token_costs(token, profile)}

    def cost(self, token: str, letters: str, folded: str, syllable: str, profile: Profile,
             letters_cost: float | None = None, remembered: dict[str, float] | None = None) -> float:
        """The mixture's cost; given costs are the mixture's, so each part computes its own."""
        return self.costs(token, letters, [(folded, syllable, letters_cost)], profile)[0]

    def costs(self, token: str, letters: str, readings: Sequence[Reading], profile: Profile,
              remembered: dict[str, float] | None = None) -> list[float]:
        own = [(folded, syllable, None) for folded, syllable, _ in readings]
        return [self._mix(a, b) for a, b in zip(self.first.costs(token, letters, own, profile),
                                                self.second.costs(token, letters, own, profile))]


@lru_cache(maxsize=50_000)
def mark_parts(word: str) -> tuple[int, tuple[str, ...]]:
    """Tone and the modified letters (ă â ê ô ơ ư đ) of a lowercase word."""
    toneless, tone = split_tone(word)
    return tone, tuple(ch for ch in toneless if ch != fold(ch))


@lru_cache(maxsize=50_000)
def has_marks(word: str) -> bool:
    """Whether the word has a tone or a modified letter (remembered: every candidate asks)."""
    tone, modified = mark_parts(word)
    return bool(tone or modified)


@dataclass(frozen=True)
class MarkEvidence:
    """A sign of a mark that eng shows without printing it, since its alphabet lacks the letter: a
    look-alike glyph (6 for ô, 4 for ã, w for ư, & for ở), or a B or P for the stroke of đ (a plain
    d it reads as d). `shows` tests the OCR letters (ocr_letters), `has` and `lacks` the syllable:
    one that lacks what the sign shows does not explain it. The price of that is learned from
    training pairs (lexicon/channel_training.py: estimate_marks), as the odds of the sign under a
    syllable that has the mark against one that lacks it."""

    name: str
    shows: Callable[[str], bool]
    has: Callable[[str], bool]
    lacks: Callable[[str], bool]


MARK_EVIDENCE = (
    MarkEvidence("glyph", lambda letters: any(ch in _LOOKALIKES for ch in letters), has_marks,
                 lambda syllable: not has_marks(syllable)),
    MarkEvidence("stroke", lambda letters: letters[:1] in ("b", "p"),
                 lambda syllable: syllable[:1] == "đ", lambda syllable: syllable[:1] == "d"),
)


# --- the hand-set channel ---------------------------------------------------------------------------

def _hand_letters() -> LetterCosts:
    scale = 2.0  # one plain edit costs two orders of magnitude
    pairs = {
        ("0", "o"): 0.2, ("6", "o"): 0.2, ("4", "a"): 0.3, ("4", "o"): 0.4, ("3", "a"): 0.4,
        ("1", "l"): 0.2, ("1", "i"): 0.4, ("5", "s"): 0.4, ("8", "a"): 0.6, ("9", "g"): 0.6,
        ("@", "a"): 0.4, ("@", "u"): 0.4, ("&", "a"): 0.3, ("&", "e"): 0.4, ("&", "o"): 0.3, ("¥", "y"): 0.3,
        ("¢", "c"): 0.3, ("€", "e"): 0.3, ("§", "o"): 0.3, ("§", "a"): 0.4, ("§", "s"): 0.5, ("$", "s"): 0.3,
        ("w", "u"): 0.15, ("v", "u"): 0.5, ("p", "d"): 0.25, ("b", "d"): 0.4, ("b", "o"): 0.4, ("y", "u"): 0.35,
        ("t", "u"): 0.5, ("g", "u"): 0.6, ("d", "a"): 0.6, ("d", "o"): 0.5, ("l", "i"): 0.4,
        ("i", "l"): 0.4, ("i", "u"): 0.5, ("u", "a"): 0.7, ("a", "o"): 0.6, ("e", "o"): 0.7,
        ("n", "u"): 0.7, ("u", "n"): 0.7, ("c", "e"): 0.7, ("q", "o"): 0.5, ("q", "g"): 0.6,
        ("i", "a"): 0.5,  # â and ă lose their hat: din -> dân, nim -> năm
        ("E", "e"): 0.0, ("E", "o"): 0.25, ("E", "a"): 0.9, ("E", "u"): 0.8, ("A", "a"): 0.0,
        ("A", "o"): 0.4, ("A", "u"): 0.5, ("O", "o"): 0.0, ("O", "a"): 0.4, ("U", "u"): 0.0, ("I", "i"): 0.0,
        ("Y", "y"): 0.0, ("E", "i"): 0.6, ("O", "u"): 0.5,
    }
    multi = {"ii": {"u": 0.3}, "ti": {"u": 0.35}, "li": {"u": 0.4, "h": 0.6}, "il": {"u": 0.4}, "ir": {"u": 0.3},
             "tr": {"u": 0.5}, "tt": {"u": 0.5}, "it": {"u": 0.5}, "ye": {"u": 0.4}, "yc": {"u": 0.4}, "ue": {"u": 0.4},
             "rn": {"m": 0.4}, "cl": {"d": 0.5}, "ni": {"m": 0.6}, "in": {"m": 0.6}, "ri": {"n": 0.6},
             "tu": {"u": 0.5},
             # ư read "ir" or "tr" whose "r" runs into a following n as "m": đứng -> dimg, ứng -> tmg.
             "im": {"un": 0.4}, "tm": {"un": 0.5},
             # ư in a serif print: the bowl read "v", the horn "t", "i" or "f" (sử -> stv, chức -> chifc, cứ -> ctf).
             "tv": {"u": 0.5}, "iv": {"u": 0.5}, "if": {"u": 0.5}, "tf": {"u": 0.5}}
    extra = {"’": 0.1, "'": 0.1, "¢": 0.2, "€": 0.3, "`": 0.1, "~": 0.2, "e": 0.6, "i": 0.6, "E": 0.5, "h": 0.8}
    # A vowel heavy with diacritics is the glyph OCR most often drops whole: b -> bộ, T -> Tổ.
    missing = {v: 0.7 for v in VOWELS}
    return LetterCosts(
        {k: v * scale for k, v in pairs.items()},
        {k: {t: c * scale for t, c in v.items()} for k, v in multi.items()},
        {k: v * scale for k, v in missing.items()},
        {k: v * scale for k, v in extra.items()},
        1.0 * scale, 1.0 * scale, 1.0 * scale,
    )


def _hand_marks() -> tuple[MarkCosts, MarkCosts]:
    eng = MarkCosts({(True, True): 0.0, (True, False): 0.7, (False, True): 0.1, (False, False): 0.0}, {}, 0.0,
                    0.0, 0.0, {"glyph": 2.0, "stroke": 1.0})
    # The vie model mistakes the hook above (hỏi) for the acute (sắc), hỏi for ngã, and loses dots.
    swaps = {(3, 2): 0.4, (2, 3): 0.4, (3, 4): 0.5, (4, 3): 0.5, (5, 0): 0.6, (0, 5): 0.6, (2, 1): 0.8, (1, 2): 0.8}
    swaps.update({(t, t): 0.0 for t in range(6)})
    vie = MarkCosts({}, swaps, 1.0, 0.0, 0.8)
    return eng, vie


def hand_channel() -> Channel:
    letters = _hand_letters()
    eng, vie = _hand_marks()
    return Channel("hand", {"eng": letters, "vie": letters}, {"eng": eng, "vie": vie})


# The hand-set table's two-character OCR strings (ii, ti, ir...), each undone as its likeliest
# letters when looking for candidate folds (search_keys).
_BREAKUPS = {part: min(out, key=out.__getitem__) for part, out in _hand_letters().multi.items()}


def with_ceilings(learned: LetterCosts, hand: LetterCosts, strong: float) -> LetterCosts:
    """Learned letter costs, none of them above a hand-set cost of at most `strong` (log10).

    Synthetic pages rarely show some garbles of real photocopies (P for Đ, 6 for ô); the hand-set
    costs that say "at least this likely" keep them so, and everything else is as learned."""
    def capped(costs: dict, ceilings: dict) -> dict:
        out = dict(costs)
        for key, ceiling in ceilings.items():
            if ceiling <= strong:
                out[key] = min(ceiling, out.get(key, ceiling))
        return out

    multi = {part: capped(learned.multi.get(part, {}), hand.multi.get(part, {}))
             for part in set(learned.multi) | set(hand.multi)}
    return LetterCosts(capped(learned.substitutions, hand.substitutions), multi, learned.missing, learned.extra,
                       learned.default_substitution, learned.default_missing, learned.default_extra)


def with_tone_ceiling(marks: MarkCosts, ceiling: float) -> MarkCosts:
    """Mark costs with no tone swap dearer than `ceiling` (log10), seen in training or not.

    The training pages seldom swap some tones (nặng for huyền: 4.7), but specks and worn strokes
    on a real page add and drop dots and hooks, and the candidate generator never offers a
    spelling more than CANDIDATE_COST_SPAN dearer than the token's cheapest, so "lạm việc" could
    never become "làm việc" however sure the model was."""
    swaps = {pair: cost if pair[0] == pair[1] else min(cost, ceiling) for pair, cost in marks.tone_swap.items()}
    return replace(marks, tone_swap=swaps, default_tone_swap=min(marks.default_tone_swap, ceiling))
