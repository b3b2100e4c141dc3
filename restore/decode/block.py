"""The tokens of a block of lines and the lattice over them, as the decoder reads it.

Each decodable token (a slot) gets its candidates: a word's from the candidate generator, priced
up where Tesseract read it with confidence (vie) and joined by those of its letters without their
marks and by the second reading's (a scanned vie word; eng on a weak page); a number of look-alike
digits also as a word; a word whose letters explain none of its readings, also the words the model
expects between its neighbours (guesses), and in adaptation's second decoding, a word the first
chose without confidence also those an edit from its letters (restore/model/expected.py); in a run
of capitalized words, a person name's syllables cheaper (restore/model/person_names.py); codes,
markers and marks fixed, but for a period before a lowercase word (a comma, or by an arc nothing)
and a dash opening a line the sentence runs on to (the dash, or nothing): Block._mark_or_nothing.
Arcs cut a token or join two (restore/decode/segmentation.py). A slot remembers what it asked the
generator, so that adaptation's second decoding rebuilds only what a learned garble changes.
"""

from __future__ import annotations

import copy
import heapq

import numpy as np
import regex
from rapidfuzz.distance import Levenshtein

from restore.decode.decoder import Arc, CandidateArrays, Lattice
from restore.decode.segmentation import Generator, cut_arcs, join_arcs, marked_arcs, speck_arcs, stutter_arcs
from restore.model.candidates import Candidate
from restore.model.channel import Profile, ocr_letters, search_keys
from restore.model.expected import NEIGHBOUR_READINGS
from restore.model.language_model import EOS, NUM, abbreviation_symbols, fixed_symbol, joins_words
from restore.model.person_names import in_name_run
from restore.model.resources import Resources
from restore.text import specks
from restore.text.acronyms import Acronyms
from restore.text.normalize import case_pattern, fold
from restore.text.tokens import Kind, Token, marker_text, roman_numeral, tokenize

# With the vie model, changing a word Tesseract read with confidence c (0-1) costs this much more.
CONFIDENCE_WEIGHT = 1.5
# A word in capitals that is no syllable, which vie read with at least this confidence, is an acronym
# kept as read, as the acronyms the lexicon knows are: a table's STT (số thứ tự) had read SỰ.
ACRONYM_CONFIDENCE = 90.0
_CAPITALS = regex.compile(r"[A-ZĐ]{2,}")
# A reading that only the second OCR model (eng, on a weak vie page) offers costs this much more.
SECOND_READING_COST = 0.5
# Reading a number as a word (13 -> là, 161 -> lời) costs this much on top of the channel (log10: the
# model must find the word 10 times likelier in its context), so dates and counts stay numbers. A
# lone 6 or 0 is only offered beside a lowercase word (_beside_a_word), a screen of its own, and pays
# the channel alone: at 1.0 the model gained 0.5 to 1.2 for ở over the number ("tại nguồn ở 8 trên",
# "họp dân ở từng thôn") and the 6 stayed. bench/ablation.py shipped row, held-out dispatches 3.59 ->
# 3.38 (300 dpi) and 3.38 -> 3.25 (200 dpi); office 4.55 -> 4.62 and office-times 5.93 -> 5.96 ("kịp
# thời 6 dịch", which the model then reads "ô đích"); the other columns, bench/ocr_quality.py
# --quick and samples/000-004 the same; at 0.2 the held-out 300-dpi column did not move.
DIGITS_AS_WORD_COST = 1.0
# Only numbers of two or three look-alike digits: one digit is a list number far more often, but
# for a 6 or 0 beside a lowercase word, the shape eng gives ở, ô and ó ("sống 6 vùng").
_LETTER_DIGITS = regex.compile(r"[0134568]{2,3}")
_LETTER_DIGIT = regex.compile(r"[06]")
# The other way round: a word of digits and letters that look like digits (O for 0; I, l, | for 1) may
# be the number ("5O" in "Nghị quyết 5O của" had read số; "4I" in a table row, Ai), at this price.
NUMBER_READING_COST = 1.0
_DIGITS_AND_LOOKALIKES = regex.compile(r"(?=.*\d)[\dOIl|]+")
_AS_DIGITS = str.maketrans("OIl|", "0111")

# A word whose every reading costs this much (log10) is one its letters do not explain: OCR made
# another word of worn ink ("mayest" for tuyên, "gute" for người). It may also read as one of the
# GUESSES words the model expects between its neighbours, at GUESS_BASE plus GUESS_PER_EDIT for each
# edit between its plain letters and the word's ("stec" is nearer sức than đẩy). vie reads a word
# right or within its marks, so less unexplained cost marks a blot there ("N" for gia: its nearest
# syllable, in, costs 3.2). Only a lowercase word in eng: a capital one is as often a name the
# lexicon lacks (Zalo). vie reads such a name or an acronym (PCTT) as it is written, and a blot as a
# capital or a mix of cases and digits ("N", "KửT", "H1Ông"): there only those two shapes are left alone.
UNEXPLAINED_COST: dict[Profile, float] = {"eng": 4.0, "vie": 2.5}
_NAME_OR_ACRONYM = regex.compile(r"\p{Lu}(?:\p{Ll}+|\p{Lu}+)")
GUESS_BASE = 5.0
GUESS_PER_EDIT = 0.5
GUESSES = 6
# Words looked at before or after each neighbour, before GUESSES are kept of them.
_GUESS_POOL = 20

# A period glued to a word before a lowercase word ends no sentence (restore/text/specks.py): it is a
# comma whose tail print or scan lost (eng reads "thanh," as "thanh." on Times designs at 200 dpi:
# bench/ablation.py's office-times column), or a speck. The two readings cost the same, so the
# model alone decides where a comma goes: office-times WER 6.79 -> 6.69, the other columns the same.
# Measured and not kept: a comma favoured by 1 (or 2) log10, office-times 6.41 (6.20) but mixed on
# bench/ocr_quality.py's pages read by vie (worn 150 dpi 0.64 -> 0.67 and photocopy 200 dpi 0.39 ->
# 0.41, commas put where specks were; harsh 200 dpi 6.61 -> 6.47): which a page's periods are
# depends on its font and wear. And a colon that may read as a semicolon, which eng also reads
# there: office 5.00 -> 5.07 to 5.13 for a price of 1.5 to 1.0, office-times no better.

# A line at least this share of its block's longest line is full: the sentence may run on.
RUN_ON_SHARE = 0.8
# log10: a dash opening a line where the sentence runs on from the line before, read as a speck
# (restore/text/specks.py: opens_with_dash). The model tells a compound's dash the line broke at
# ("chính trị\n- xã hội", kept by 1.1 without this price) from a speck ("theo quy\n- định", dropped by
# 8.5); the price keeps a list's dash after a line that lost its semicolon.
DASH_SPECK_COST = 1.0

# Per line: (start, end, confidence 0-100, another model's reading or "") of each OCR word, in the
# line's character offsets.
WordSpans = list[tuple[int, int, float, str]]


def _is_caps_line(tokens: list[Token]) -> bool:
    words = [t.text for t in tokens if t.kind is Kind.WORD and sum(ch.isalpha() for ch in t.text) >= 2]
    caps = sum(1 for w in words if case_pattern(w) == "upper")
    return len(words) >= 2 and caps / len(words) >= 0.6


def _reading_at(spans: WordSpans | None, offset: int) -> tuple[float, str] | None:
    """Tesseract's confidence in the OCR word at `offset`, and the other model's reading of it."""
    for start, end, confidence, alternative in spans or ():
        if start <= offset < end:
            return confidence, alternative
    return None


def _acronyms_read(token: Token, acronyms: Acronyms) -> str | None:
    """What `acronyms` fix a code or a word in capitals as (None: no acronym they know)."""
    if token.kind is Kind.CODE:
        return acronyms.fix_code(token.text)
    return acronyms.fix(token.text) if token.kind is Kind.WORD and token.text[:2].isupper() else None


def _confident_acronym(token: str, reading: tuple[float, str] | None, res: Resources) -> str | None:
    """`token` if vie read it with ACRONYM_CONFIDENCE, in capitals, and it is no syllable."""
    if (reading is not None and reading[0] >= ACRONYM_CONFIDENCE and _CAPITALS.fullmatch(token)
            and token.lower() not in res.inventory):
        return token
    return None


def _trust_ocr(options: list[Candidate], token: str, confidence: float) -> list[Candidate]:
    """Make every change to a confidently read, well-spelled word dearer (vie model only)."""
    own = token.lower()
    if not any(c.word == own for c in options):
        return options
    extra = CONFIDENCE_WEIGHT * confidence / 100
    return [c if c.word == own else c._replace(cost=c.cost + extra) for c in options]


def _with_letters_read(options: list[Candidate], letters: str, generator: Generator,
                       price: float = 0.0) -> list[Candidate]:
    """Beside the vie reading's candidates, those of `letters` (one word) as the eng channel reads
    them, marks unseen, at `price` more: each word at the cheaper of its two prices."""
    words = [t.text for t in tokenize(letters) if t.kind is Kind.WORD]
    if len(words) != 1:
        return options
    best = {c.symbol: c for c in options}
    for candidate in generator(words[0], "eng"):
        if candidate.word is None:
            continue  # eng's letters as read lack the marks: not a reading of their own
        cost, known = candidate.cost + price, best.get(candidate.symbol)
        if known is None or cost < known.cost:
            best[candidate.symbol] = candidate._replace(cost=cost) if price else candidate
    return sorted(best.values(), key=lambda c: (c.cost, c.symbol))


def _word_at(tokens: list[Token], start: int, *, lowercase: bool = False) -> bool:
    """Whether tokens[start] is a space and a word (a lowercase one if `lowercase`) follows it."""
    after = tokens[start:start + 2]
    return (len(after) == 2 and after[0].kind is Kind.SPACE and after[1].kind is Kind.WORD
            and (not lowercase or after[1].text[0].islower()))


def _unjunked(tokens: list[Token], dropped: set[int]) -> list[Token]:
    """A word taken for noise only for the speck glued to it is a word again once the speck goes."""
    return [Token(t.text, Kind.WORD) if t.kind is Kind.JUNK and t.text.isalpha()
            and any(j in dropped for j in (i - 1, i + 1)) else t for i, t in enumerate(tokens)]


class _Asking:
    """A candidate generator that notes what it is asked (lowercased), so that a block can tell
    which of its slots an adapted generator would answer differently."""

    def __init__(self, generator: Generator) -> None:
        self.generator = generator
        self.asked: set[str] = set()

    def __call__(self, token: str, profile: Profile) -> list[Candidate]:
        self.asked.add(token.lower())
        return self.generator(token, profile)


class Block:
    """The tokens of a block of lines and the lattice over them: for each decodable token (slot)
    its candidates, and the arcs that cut a token or join two (restore/decode/segmentation.py).

    Each slot remembers what it asked the candidate generator, so that the second decoding of
    adaptation rebuilds only the slots a learned token changes (`relearned`)."""

    def __init__(self, lines: list[str], res: Resources, profile: Profile,
                 spans: list[WordSpans | None], arrays: CandidateArrays | None = None) -> None:
        self.profile = profile
        # The lattice's arrays of candidate lists, shared by the blocks of one text (repair.py).
        self.arrays = arrays or CandidateArrays(res.model)
        self.lines = [tokenize(line) for line in lines]
        self.caps = [_is_caps_line(tokens) for tokens in self.lines]
        self.widths = [len(line.strip()) for line in lines]
        self.fixed: dict[tuple[int, int], str] = {}
        self.slots: list[tuple[int, int]] = []
        self.options: list[list[Candidate]] = []
        # Per slot, the token and Tesseract's reading its candidates come from (None: fixed), and
        # what they asked the generator; per word slot, what its arcs asked.
        self.sources: list[tuple[Token, tuple[float, str] | None] | None] = []
        self.asked: list[frozenset[str]] = []
        self.arcs: dict[int, list[Arc]] = {}
        self.arcs_asked: dict[int, frozenset[str]] = {}
        self.named: set[int] = set()  # word slots inside a run of capitalized words (person_names.py)
        for li, tokens in enumerate(self.lines):
            offset, alone = 0, specks.standing_alone(tokens, lines[li + 1:li + 1 + specks.QUOTE_LINES])
            tokens[:] = _unjunked(tokens, alone)
            for ti, token in enumerate(tokens):
                if ti in alone:
                    self.fixed[(li, ti)] = ""
                else:
                    reading = _reading_at(spans[li], offset) if profile == "vie" else None
                    self._add(li, ti, token, res, reading)
                offset += len(token.text)
        self.guesses: dict[int, list[Candidate]] = {}  # by slot, beside its own candidates
        # Word slots a first decoding chose without confidence (`relearned`): adaptation's second
        # decoding also offers them the words their neighbours make likely.
        self.unsure: frozenset[int] = frozenset()
        for k in range(len(self.slots)):
            self._guess_at(k, res)
            if res.settings.lattice:
                self._arcs_at(k, res)
        self.lattice = Lattice(self._positions(), self.arcs, res.model, self.arrays)

    def relearned(self, res: Resources, learned: frozenset[str], unsure: frozenset[int]) -> Block:
        """This block for adapted resources, with the `unsure` slots of its first decoding: the same
        as building it again with them, but only the slots and arcs that asked about a learned token
        (and the guesses beside them and at unsure slots) are built anew."""
        block = copy.copy(self)
        block.unsure = unsure
        block.options, block.asked = list(self.options), list(self.asked)
        block.arcs, block.arcs_asked = dict(self.arcs), dict(self.arcs_asked)
        block.guesses = dict(self.guesses)
        rebuilt = set()
        for k, source in enumerate(self.sources):
            if source is not None and not learned.isdisjoint(self.asked[k]):
                block.options[k], block.asked[k] = block._options(*source, res, k in self.named)
                rebuilt.add(k)
        # A slot's guesses hang on its neighbours' readings too. An unsure slot gets its expected
        # words, unless it has a blot's guesses (the only guesses the first decoding made), which
        # its unchanged neighbours leave as they were.
        near_rebuilt = {j for r in rebuilt for j in (r - 1, r, r + 1) if 0 <= j < len(self.slots)}
        for k in sorted(near_rebuilt | (unsure - self.guesses.keys())):
            block._guess_at(k, res)
        for k, asked in self.arcs_asked.items():
            if not learned.isdisjoint(asked):
                block._arcs_at(k, res)
        block.lattice = Lattice(block._positions(), block.arcs, res.model, self.arrays)
        return block

    def _positions(self) -> list[list[Candidate]]:
        """The lattice's candidates per slot: the slot's own, then its guesses."""
        return [options + self.guesses[k] if k in self.guesses else options for k, options in enumerate(self.options)]

    def read_otherwise(self, plain: Acronyms, documented: Acronyms) -> bool:
        """Whether an acronym or a code of the block reads otherwise with the acronyms a text spells
        out (`documented`, restore/text/acronyms.py) than with those it was read with (`plain`)."""
        return any(_acronyms_read(token, documented) != _acronyms_read(token, plain)
                   for tokens in self.lines for token in tokens
                   if token.kind in (Kind.CODE, Kind.WORD) and documented.spells_out(token.text))

    def _guess_at(self, k: int, res: Resources) -> None:
        """For a word slot, words the model expects beside it that its own candidates lack: for one
        its letters do not explain, the likeliest between the cheapest readings of its neighbours,
        dearer the farther their letters are from its own; for any other, those its neighbours'
        readings make likely that are an edit from its letters, at the channel's price
        (restore/model/expected.py)."""
        source, options = self.sources[k], self.options[k]
        self.guesses.pop(k, None)
        if source is None or source[0].kind is not Kind.WORD:
            return
        token, reading = source
        if self._may_be_a_blot(k, token.text) and not any(
                c.cost < UNEXPLAINED_COST[self.profile] and c.word is not None for c in options):
            self.guesses[k] = self._blot_guesses(k, token.text, options, res)
            return
        expected = self._expected_near(k, token.text, options, reading, res) if k in self.unsure else []
        if expected:
            self.guesses[k] = expected

    def _blot_guesses(self, k: int, token: str, options: list[Candidate], res: Resources) -> list[Candidate]:
        model = res.model.uncached
        before = self._cheapest(k - 1, 1, res)[0] if k else model.bos
        after = self._cheapest(k + 1, 1, res)[0] if k + 1 < len(self.options) else model.id(EOS)
        listed = {c.symbol for c in options}
        pool = np.array(sorted({w for w in [*model.followers(before, _GUESS_POOL), *model.leaders(after, _GUESS_POOL)]
                                if model.vocab[w] in res.inventory and model.vocab[w] not in listed}), dtype=np.int64)
        fit = model.scores(np.array(before), pool) + model.scores(pool, np.array(after))
        keys = search_keys(ocr_letters(token))
        guesses = [model.vocab[w] for w in pool[np.argsort(-fit, kind="stable")[:GUESSES]]]
        return [Candidate(word, word, GUESS_BASE + GUESS_PER_EDIT * min(
            Levenshtein.distance(key, fold(word)) for key in keys)) for word in guesses]

    def _expected_near(self, k: int, token: str, options: list[Candidate], reading: tuple[float, str] | None,
                       res: Resources) -> list[Candidate]:
        letters = ocr_letters(token)
        left = self._cheapest(k - 1, NEIGHBOUR_READINGS, res) if k else [res.model.bos]
        right = self._cheapest(k + 1, NEIGHBOUR_READINGS, res) if k + 1 < len(self.options) else []
        listed = {c.word for c in options}
        words = sorted(res.expected.near(search_keys(letters), left, right) - listed)
        if not words:
            return []
        costs = res.generator.channel.costs(token, letters, [(fold(w), w, None) for w in words], self.profile)
        found = [Candidate(w, w, cost) for w, cost in zip(words, costs)]
        if reading is not None:  # a confidently read vie word is as dear to change this way
            found = _trust_ocr(options + found, token, reading[0])[len(options):]
        return found

    def _cheapest(self, k: int, count: int, res: Resources) -> list[int]:
        """The model ids of slot k's `count` cheapest readings (its own candidates)."""
        return [res.model.id(c.symbol) for c in heapq.nsmallest(count, self.options[k], key=lambda c: c.cost)]

    def _may_be_a_blot(self, k: int, text: str) -> bool:
        """A word of this shape may be worn ink OCR made a word of, not a name or an acronym."""
        if text[0].islower():
            return True
        return self.profile == "vie" and not self.caps[self.slots[k][0]] and not _NAME_OR_ACRONYM.fullmatch(text)

    def _arcs_at(self, k: int, res: Resources) -> None:
        """Arcs where word slot k may be cut, or joined with the word one space after it."""
        li, ti = self.slots[k]
        token = self.lines[li][ti]
        if token.kind is not Kind.WORD or (li, ti) in self.fixed:
            return
        asking = _Asking(res.generator)
        found = cut_arcs(token.text, k, asking, self.profile)
        if k + 1 < len(self.slots):
            next_li, next_ti = self.slots[k + 1]
            following = self.lines[next_li][next_ti]
            if next_li == li and next_ti == ti + 2 and self.lines[li][ti + 1].text == " ":
                if following.kind is Kind.WORD and (li, next_ti) not in self.fixed:
                    found += join_arcs(token.text, following.text, k, asking, self.profile)
                    found += stutter_arcs(token.text, following.text, k, asking, self.profile)
                alone = next_ti + 1 == len(self.lines[li]) or self.lines[li][next_ti + 1].kind is Kind.SPACE
                dropped = speck_arcs(self.options[k], following.text, k, token.text, self.profile) if alone else []
                if dropped:
                    asking.asked |= self.asked[k]  # they hold this slot's readings: rebuilt with them
                    found += dropped
            # A space and a word after the "?": the model weighs it as a mark apart or a question's end.
            if ((next_li, next_ti) == (li, ti + 1) and following.text == "?"
                    and _word_at(self.lines[li], ti + 2)):
                found += marked_arcs(token.text, k, asking, self.profile,
                                     capital_after=not _word_at(self.lines[li], ti + 2, lowercase=True))
        self.arcs_asked[k] = frozenset(asking.asked)
        if found:
            self.arcs[k] = found
        else:
            self.arcs.pop(k, None)

    def _options(self, token: Token, reading: tuple[float, str] | None, res: Resources,
                 named: bool) -> tuple[list[Candidate], frozenset[str]]:
        """The candidates of a word (or of a number of look-alike digits), and what they asked;
        `named`: the word stands in a run of capitalized words, where names are likelier."""
        asking = _Asking(res.generator)
        if token.kind is Kind.NUMBER:
            extra = 0.0 if _LETTER_DIGIT.fullmatch(token.text) else DIGITS_AS_WORD_COST  # a lone 6 or 0
            words = [c._replace(cost=c.cost + extra)
                     for c in asking(token.text, self.profile) if c.word is not None]
            return [Candidate(None, NUM, 0.0), *words], frozenset(asking.asked)
        options = asking(token.text, self.profile)
        if _DIGITS_AND_LOOKALIKES.fullmatch(token.text):
            options = [*options, Candidate(token.text.translate(_AS_DIGITS), NUM, NUMBER_READING_COST)]
        if reading is not None:
            # The marks are the least sure part of what vie reads (on worn print it draws marks the
            # ink lost): its letters alone are also a reading, the channel of a model that reads
            # no marks pricing every mark the word may have. Only where Tesseract's confidence
            # guards a confidently read word (_trust_ocr): without it, the text path lost words.
            options = _with_letters_read(options, fold(token.text), asking)
            if reading[1]:
                options = _with_letters_read(options, reading[1], asking, SECOND_READING_COST)
            options = _trust_ocr(options, token.text, reading[0])
        if named:
            options = res.person_names.priced(options)
        return options, frozenset(asking.asked)

    def _add(self, li: int, ti: int, token: Token, res: Resources, reading: tuple[float, str] | None) -> None:
        if token.kind is Kind.SPACE:
            return
        if token.kind is Kind.CODE:
            self.fixed[(li, ti)] = _acronyms_read(token, res.acronyms) or token.text
            if words := abbreviation_symbols(token):  # read as the words it stands for
                for word in words:
                    self._fixed_slot(li, ti, word)
                return
        elif token.kind is Kind.MARKER:
            self.fixed[(li, ti)] = marker_text(token.text)
        elif token.kind is Kind.WORD:
            kept = (roman_numeral(token.text) or _acronyms_read(token, res.acronyms)
                    or _confident_acronym(token.text, reading, res))
            if kept is None:
                self._slot(li, ti, (token, reading), res)
                return
            self.fixed[(li, ti)] = kept
            if kept.lower() in res.model.ids:
                self._fixed_slot(li, ti, kept.lower())
            return
        if token.kind is Kind.NUMBER and (_LETTER_DIGITS.fullmatch(token.text) or self._beside_a_word(li, ti)):
            self._slot(li, ti, (token, None), res)
            return
        if ti == 0 and specks.opens_with_dash(self.lines[li]) and self.runs_on(li) and self._ends_in_word(li - 1):
            self._mark_or_nothing(li, ti, Candidate(None, "-", 0.0), DASH_SPECK_COST)
            return
        speck = specks.replacement(self.lines, li, ti) if token.kind is Kind.PUNCT else None
        if speck == "":  # a period before a lowercase word: a comma that lost its tail, or a speck
            self._mark_or_nothing(li, ti, Candidate(",", ",", 0.0), 0.0)
            return
        if speck is not None:
            self.fixed[(li, ti)] = speck
            if not speck.strip():
                return
            token = Token(speck.strip(), Kind.PUNCT)  # a mark after all: the model reads it
        symbol = fixed_symbol(token)
        if symbol is not None and not joins_words(self.lines[li], ti):
            self._fixed_slot(li, ti, symbol)

    def _beside_a_word(self, li: int, ti: int) -> bool:
        """A lone 6 or 0 one space from a lowercase word, after it or before it: perhaps a letter.
        eng reads a Times ở as 6 (every ở of bench/ablation.py's Termes pages), before a mark or a number
        too ("nhà 6, nước sinh hoạt"); dates and counts stay numbers where the model finds the number
        likelier than the word and its channel price ("tháng 6, các xã", "gồm 6 xã")."""
        tokens = self.lines[li]
        if _LETTER_DIGIT.fullmatch(tokens[ti].text) is None:
            return False
        after = _word_at(tokens, ti + 1, lowercase=True) and tokens[ti + 1].text == " "
        before = ti >= 2 and tokens[ti - 1].text == " " and tokens[ti - 2].kind is Kind.WORD
        return after or (before and tokens[ti - 2].text[:1].islower())

    def _slot(self, li: int, ti: int, source: tuple[Token, tuple[float, str] | None], res: Resources) -> None:
        named = in_name_run(self.lines[li], ti)
        if named:
            self.named.add(len(self.slots))
        self._append(li, ti, *self._options(*source, res, named), source)

    def _mark_or_nothing(self, li: int, ti: int, mark: Candidate, price: float) -> None:
        """A slot read as `mark`, or by an arc as nothing at `price`: the model chooses."""
        self._append(li, ti, [mark])
        self.arcs[len(self.slots) - 1] = [Arc(len(self.slots), (), price)]

    def runs_on(self, li: int) -> bool:
        """Whether line li goes on with the sentence of the line before: that line is about as long
        as the block's longest (a title or a paragraph's last line stops short) and line li is not (a
        fragment of a line OCR split, or a paragraph's last line; a full line after a full line may
        open a paragraph after a title)."""
        if not 0 < li < len(self.lines):
            return False
        full = RUN_ON_SHARE * max(self.widths)
        return self.widths[li - 1] >= full > self.widths[li]

    def _ends_in_word(self, li: int) -> bool:
        """Whether line li ends in a word, with no mark that closes a clause after it."""
        last = next((t for t in reversed(self.lines[li]) if t.kind is not Kind.SPACE), None)
        return last is not None and last.kind is Kind.WORD

    def _fixed_slot(self, li: int, ti: int, symbol: str) -> None:
        self._append(li, ti, [Candidate(None, symbol, 0.0)])

    def _append(self, li: int, ti: int, options: list[Candidate], asked: frozenset[str] = frozenset(),
                source: tuple[Token, tuple[float, str] | None] | None = None) -> None:
        """A slot for token ti of line li: its candidates, what they asked the generator, and the
        token they come from (None: a mark or fixed token, never rebuilt)."""
        self.slots.append((li, ti))
        self.options.append(options)
        self.asked.append(asked)
        self.sources.append(source)
