"""Candidate syllables for one OCR word, each with its channel cost.

The inventory finds the folded syllables within a small edit distance of the token's plain letters;
the channel then prices each spelled syllable behind those folds. The token itself is always a
candidate ("keep"), so junk and names the lexicon does not know can stay as they are. A fold's
spellings beyond the cuts by rank stay as a few spares, a little dearer, for the context to choose.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import NamedTuple

import regex

from restore.model.channel import Channel, MixedChannel, Profile, ocr_letters, search_keys
from restore.model.language_model import word_symbol
from restore.model.syllables import SyllableInventory
from restore.text.tokens import LETTER_GLYPHS

# Folds whose letters cost this much more than the best fold's are not worth expanding (log10).
FOLD_COST_SPAN = 4.0
PER_FOLD = 3
# Candidates are ranked by channel cost minus this times the syllable's log10 unigram probability:
# at 1.0 that is the noisy-channel posterior, so a frequent word beats rare look-alikes for a slot.
PRIOR_WEIGHT = 1.0
# A candidate this much dearer (log10) than the token's cheapest is one the model never rescues.
CANDIDATE_COST_SPAN = 4.0
NEAR_FOLD_SPAN = 0.6
# Worn ink turns a short word into three letters two edits away ("ign" for điện). A three-letter
# token is searched that far when no fold one edit away costs less than this (log10; "ign"'s nearest,
# in, costs 4.9): bench/ablation.py shipped row, worn-200dpi eng 7.32 -> 7.18, the other columns
# unchanged, at every threshold from 1 to 4 and with every three-letter token searched that far,
# which makes candidate generation a tenth slower. Two-letter tokens at two edits as well gain a
# word on office (5.65) and cost a tenth of repair's speed.
FAR_SEARCH_COST = 3.0
# Candidates kept per token. A near fold's every spelling is kept (cối, cõi, còi... for "céi"), so
# with 12 a likelier word of a farther fold (cải) could be crowded out; bench/ablation.py: 16 gains
# on 000 and the worn eng pages, 20 loses on 000 and the office pages.
MAX_CANDIDATES = 16
# The cuts above go by the unigram prior, which ranks "mươi" behind mười, muối and muỗi for "mui":
# only the context can bring such a spelling back. So the best MAX_SPARES spellings that the cuts
# leave out of the folds the candidates keep a spelling of stay candidates at SPARE_COST more
# ("chín mươi", "bầu cử", "lần thứ"). bench/ablation.py shipped row, WER 000 body / worn-200dpi eng
# / clean-300dpi eng / office eng: without 1.23 / 7.39 / 1.80 / 5.69; at 0.5 with 6 spares 1.09 /
# 7.32 / 1.66 / 5.69; a price of 0 or 0.25 loses on office (5.93, 5.72), 0.75 gives the same, 1.0
# loses the clean gain (1.80); 2 spares 1.18 / 7.39 / 1.80, 4 1.09 / 7.39 / 1.66, 8 1.14 / 7.32 /
# 1.66; every spare spelling (about 7 a token, up to 34) 1.14 / 7.32 / 1.66 / 5.69, and 7% slower.
SPARE_COST = 0.5
MAX_SPARES = 6
# A capital I before small letters is more often an l OCR drew tall ("Idn" lớn, "Igi" lợi) than a
# word's capital; the letters' costs price the two, this only lets the search find the l's folds.
_CAPITAL_I_FOR_L = regex.compile(r"I\p{Ll}")
# A symbol eng prints for a letter or a mark (¢ for c, € for ê, § for ô) among small letters makes a
# word no dispatch writes ("du¢gc" for được): kept as read, it costs GLYPH_KEEP_COST more, so the
# word its letters nearly spell wins where the model agrees ("Nhận được công văn", not "Nhấn du¢gc").
# bench/ablation.py shipped row: office eng 5.00 -> 4.96, the other columns the same at 1, 2 or 4.
_LETTER_GLYPH = regex.compile("[{}]".format(regex.escape("".join(sorted(LETTER_GLYPHS)))))
_SMALL_LETTER = regex.compile(r"\p{Ll}")  # a lone & (HĐND & UBND) or ¢ is not such a word
GLYPH_KEEP_COST = 2.0
# So is a lowercase word of letters that the model does not know ("dudgc" for được, "trudce" for
# trước, "guri" for gửi): besides <unk>'s share, keeping it costs UNKNOWN_KEEP_COST more. Of the
# words bench/ablation.py's eng columns kept as read that are no syllable, none unknown to the model
# was right (20 wrong; v, km and gas, right, are known; "zalo" in samples/003 still stays). Shipped
# row: office eng 4.89 -> 4.93, office-times 6.44 -> 6.41, dispatches-300dpi 3.71 -> 3.67, the other
# columns the same at 1 and at 2; 2 of 6 such words right in samples/002-004 (no gold, read by me);
# bench/ocr_quality.py --quick: no level worse, harsh 150 dpi 950 -> 948 word errors (vie reading
# repaired), 1,282 -> 1,261 (eng).
UNKNOWN_KEEP_COST = 1.0


# A syllable priced for a token: (rank, the syllable, its channel cost), ranked by the first two.
Scored = tuple[float, str, float]


class Candidate(NamedTuple):
    word: str | None  # lowercase syllable, or None: keep the OCR token as it is
    symbol: str  # language-model symbol
    cost: float  # channel cost, log10 units


class CandidateGenerator:
    """Caches per (token, profile): a document repeats its words, the work is done once."""

    def __init__(self, inventory: SyllableInventory, channel: Channel | MixedChannel, *, keep_cost: float = 1.0,
                 max_candidates: int = MAX_CANDIDATES, fold_limit: int = 25, vocabulary: frozenset[str] = frozenset(),
                 unknown_penalty: float = 0.0) -> None:
        self.inventory = inventory
        self.channel = channel
        self.vocabulary = vocabulary
        self.unknown_penalty = unknown_penalty
        self.keep_cost = keep_cost
        self.max_candidates = max_candidates
        self.fold_limit = fold_limit
        total = sum(inventory.counts.values())
        self.log_prior = {s: math.log10(c / total) for s, c in inventory.counts.items()}
        # Per (token, profile): its candidates, ranked then spares, and how many are ranked.
        self._cache: dict[tuple[str, Profile], tuple[list[Candidate], int]] = {}
        self.folds_cache: dict[tuple[str, int, bool], list[tuple[str, int]]] = {}  # (key, distance, names) -> folds

    def __call__(self, token: str, profile: Profile) -> list[Candidate]:
        return self._generated(token, profile)[0]

    def _generated(self, token: str, profile: Profile) -> tuple[list[Candidate], int]:
        key = (token, profile)
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = self._generate(token, profile)
        return found

    def clear_cache(self) -> None:
        """Forget every token seen: candidates, folds and the channel's letter costs."""
        self._cache.clear()
        self.folds_cache.clear()
        self.channel.clear_cache()

    def _fold_costs(self, letters: str, keys: list[str], profile: Profile, names: bool,
                    three_far: bool = False) -> list[tuple[float, str]]:
        """(letter cost, fold) of the folds (with the name syllables' if `names`) within edit
        distance 2 of any of the token's plain readings; 1 for keys of one or two letters, and of
        three unless `three_far`."""
        distance: dict[str, int] = {}
        for plain in keys:
            max_distance = 2 if len(plain) > 3 or (three_far and len(plain) == 3) else 1
            near = self.folds_cache.get((plain, max_distance, names))
            if near is None:
                # A one- or two-letter key ties with dozens of folds at distance 1: take them all.
                limit = self.fold_limit if len(plain) > 2 else 4 * self.fold_limit
                near = self.folds_cache[(plain, max_distance, names)] = self.inventory.near(
                    plain, max_distance, limit, names)
            for folded, d in near:
                distance[folded] = min(d, distance.get(folded, d))
        return list(zip(self.channel.letter_costs(letters, list(distance), profile), distance))

    def _generate(self, token: str, profile: Profile) -> tuple[list[Candidate], int]:
        letters = ocr_letters(token)
        channel = self.channel
        keys = search_keys(letters)
        if _CAPITAL_I_FOR_L.match(token):
            keys += search_keys("l" + letters[1:])
        # A name syllable (Đắk, Krông) only for a capitalized token: a lowercase one is running text.
        capitalized = token[:1].isupper()
        fold_costs = self._fold_costs(letters, keys, profile, capitalized)
        if min((c for c, _ in fold_costs), default=0.0) >= FAR_SEARCH_COST and any(len(k) == 3 for k in keys):
            fold_costs = self._fold_costs(letters, keys, profile, capitalized, three_far=True)
        best = min((c for c, _ in fold_costs), default=0.0)
        remembered = channel.token_costs(token, profile)
        scored: list[Scored] = []
        spared: list[Scored] = []
        fold_of: dict[str, str] = {}
        # A fold may hold a syllable and a name syllable both.
        names = frozenset() if capitalized else self.inventory.names
        folds: list[tuple[str, bool, list[str], float]] = []
        for letters_cost, folded in fold_costs:
            if letters_cost <= best + FOLD_COST_SPAN:
                near = letters_cost <= best + NEAR_FOLD_SPAN
                # A far fold gives only its best few: price only its most frequent spellings.
                spellings = self.inventory.by_fold[folded] if near else self.inventory.by_fold[folded][:2 * PER_FOLD]
                folds.append((folded, near, [s for s in spellings if s not in names], letters_cost))
        readings = [(folded, syllable, letters_cost) for folded, _, spellings, letters_cost in folds
                    for syllable in spellings]
        costs = iter(channel.costs(token, letters, readings, profile, remembered))  # all at once: faster
        for folded, near, spellings, _ in folds:
            in_fold = []
            for syllable, cost in zip(spellings, costs):
                fold_of[syllable] = folded
                in_fold.append((cost - PRIOR_WEIGHT * self.log_prior[syllable], syllable, cost))
            # Folds within a cheap confusion of the closest keep all their spellings; farther folds
            # only their best few, so that near spellings (ty, tỷ, tý...) cannot crowd out ủy.
            if near:
                scored.extend(in_fold)
            else:
                in_fold.sort()
                scored.extend(in_fold[:PER_FOLD])
                spared.extend(in_fold[PER_FOLD:])
        # A garble seen in training (chit -> chức) is a candidate however far its letters are.
        listed = {syllable for _, syllable, _ in scored}
        for syllable, cost in remembered.items():
            if syllable not in listed and syllable in self.inventory:
                scored.append((cost - PRIOR_WEIGHT * self.log_prior[syllable], syllable, cost))
        candidates = self._ranked(token, scored)
        return candidates + self._spared(candidates, spared + scored, fold_of), len(candidates)

    def repriced(self, token: str, profile: Profile, remembered: dict[str, float]) -> list[Candidate]:
        """The token's candidates with the `remembered` costs ({syllable: cost}) where they are
        cheaper, ranked again: what generating them anew under a channel that remembers those costs
        gives, without pricing every fold again (the spares stay as they were)."""
        generated, ranked = self._generated(token, profile)
        costs = {c.word: c.cost for c in generated[:ranked] if c.word is not None}
        for syllable, cost in remembered.items():
            if syllable in self.inventory and cost < costs.get(syllable, math.inf):
                costs[syllable] = cost
        candidates = self._ranked(token, [(cost - PRIOR_WEIGHT * self.log_prior[syllable], syllable, cost)
                                          for syllable, cost in costs.items()])
        listed = {c.word for c in candidates}
        return candidates + [c for c in generated[ranked:] if c.word not in listed]

    @staticmethod
    def _spared(candidates: list[Candidate], priced: list[Scored], fold_of: dict[str, str]) -> list[Candidate]:
        """The best-ranked MAX_SPARES spellings of `priced` that the candidates leave out of the folds
        they keep a spelling of, near the cheapest, at SPARE_COST more."""
        kept = {c.word for c in candidates}
        folds = {fold_of[word] for word in kept if word in fold_of}
        cheapest = min((cost for _, _, cost in priced), default=0.0)
        spares = sorted(item for item in priced if item[1] not in kept and fold_of.get(item[1]) in folds
                        and item[2] <= cheapest + CANDIDATE_COST_SPAN)
        return [Candidate(syllable, syllable, cost + SPARE_COST) for _, syllable, cost in spares[:MAX_SPARES]]

    def _ranked(self, token: str, scored: list[Scored]) -> list[Candidate]:
        """The best-ranked candidates near the cheapest one, and the token kept as read."""
        scored.sort()
        cheapest = min((cost for _, _, cost in scored), default=0.0)
        candidates = [Candidate(syllable, syllable, cost) for _, syllable, cost in scored[: self.max_candidates]
                      if cost <= cheapest + CANDIDATE_COST_SPAN]
        own = word_symbol(token)
        if not any(c.word == own for c in candidates):
            # Kept as read: a word the model does not know shares <unk> with all other such words.
            unknown = self.unknown_penalty if own not in self.vocabulary else 0.0
            if _LETTER_GLYPH.search(token) and _SMALL_LETTER.search(token):
                garbled = GLYPH_KEEP_COST
            else:
                garbled = UNKNOWN_KEEP_COST if unknown and token.isalpha() and token.islower() else 0.0
            candidates.append(Candidate(None, own, self.keep_cost + unknown + garbled))
        return candidates


@dataclass
class AdaptedGenerator:
    """The shipped generator, except for the learned tokens: the shipped candidates of those are
    priced again by the adapted channel's remembered costs (their own cache); every other token's
    candidates come from the shipped generator's cache."""

    base: CandidateGenerator
    channel: Channel | MixedChannel  # the shipped channel with the learned tokens remembered
    learned: frozenset[str]
    _cache: dict[tuple[str, Profile], list[Candidate]] = field(default_factory=dict)

    def __call__(self, token: str, profile: Profile) -> list[Candidate]:
        if token.lower() not in self.learned:
            return self.base(token, profile)
        key = (token, profile)
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = self.base.repriced(token, profile, self.channel.token_costs(token, profile))
        return found
