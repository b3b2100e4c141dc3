"""Learning a text's own garbles and words, without gold: decode, re-estimate, decode again.

A scan batch repeats its garbles (& for ở, "ctia" for của) hundreds of times; a channel learned from
clean renders may price them too dear where the context is weak. After a first decoding, every word
chosen with a wide margin over its rival is an (OCR token -> syllable) observation. Tokens read that
way at least MIN_REPEATS times get a remembered cost: the MAP estimate of P(token | syllable) with
the shipped channel's price as a prior worth PRIOR_WEIGHT observations, so a few sightings move it a
little and many move it far. Only garbles the text shows likelier than the shipped channel thought
are kept (adaptation makes a reading cheaper, never dearer), and only those tokens' candidates are
priced again (restore/model/candidates.py: AdaptedGenerator). The confident words also teach the
onset and rhyme garbles the text repeats ("irc" for ức in chức and thức), which then read the text's
other tokens ("dirc" đức) by parts, as the shipped channel's part garbles do (bench/ablation.py
shipped row, office eng WER 5.89 -> 5.82, the other columns unchanged; the same readings saved with
a batch's garbles by `vnrestore adapt` gained nothing there: office 5.79, worn 7.53 -> 7.60); and
the glyphs it draws for a class of marked vowels, lent to every rhyme of the class (é for ậ and ấ
in nhận and chất teaches gắn: _vowel_glyph_estimates).

For an eng reading (a vie reading shows the marks: restore/decode/repair.py), the first decoding
also makes two document caches: the text's words, each with its share, mixed
into the language model at CACHE_WEIGHT, so that a word the text uses again and again (thi in an
exam notice) is likelier where its context is weak; and the confident word pairs it repeats, as
P(word | word before), at PAIR_CACHE_WEIGHT ("nhiệm vụ dẫn vẫn" -> "dân vận" in a plan that writes
"công tác dân vận" fifteen times). A third use of them is the text's choice among the spellings
of each fold (spelling_lift): which of tỉnh, tình and tính it writes for "tinh", lifted by how
much more often than the corpus it chooses that one. The word cache counts every word the first
decoding chose, each by its posterior against its best rival (expected_words, the E step of EM):
counting only the confident ones left out the words a text repeats in weak contexts, the very
words it should lift (an exam notice chose thi with confidence 2 times in 21). The pairs and the
spellings stay with the confident words: counted from every word, the spellings turned "tranh thủ"
into "tránh thụ" in samples/002 and "năm trước" into "nằm trước" in 003, and the pairs lost on
bench/ablation.py's office column. The blocks decoded again are those holding a learned garble
and, with a cache, those holding a word chosen without confidence (restore/decode/repair.py).

Measured with bench/ablation.py's "+ adaptation" row; at most a token's or a part's cost changes, never the
letter costs: re-estimating those from one document made repair worse (000 body WER 2.18 -> 3.14,
synthetic eng 7.94 -> 9.67 in this session's trial), too few observations for too many parameters.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import replace
from functools import cache

from restore.model.candidates import AdaptedGenerator
from restore.model.channel import (
    Channel,
    MixedChannel,
    PartCounts,
    PartGarbles,
    Profile,
    mark_parts,
    ocr_letters,
    part_counts,
)
from restore.model.language_model import CachedLanguageModel, LanguageModel
from restore.model.resources import Resources
from restore.model.syllables import SyllableInventory
from restore.text.normalize import fold
from restore.text.orthography import VOWELS, is_syllable

CONFIDENT_MARGIN = 2.0  # log10: the chosen word at least 100 times likelier than its best rival
# Fewer confident words (or confident pairs, or words counted by posterior for the word cache)
# than this: too little text to learn from.
MIN_CONFIDENT_WORDS = 200
MIN_REPEATS = 2
PRIOR_WEIGHT = 10.0  # the shipped channel's price counts as this many observations
# The share of the document cache in the mixed language model. bench/ablation.py (shipped default,
# synthetic eng / office eng WER): no cache 8.11 / 8.30, 0.02 7.67 / 8.34, 0.05 7.56 / 8.61, 0.1 7.63 / 8.55.
# With the guesses (restore/decode/block.py), WER 000 body / worn-200dpi eng / clean-300dpi eng /
# office eng: 0.02 1.50 / 7.94 / 2.21 / 6.89; 0.025 1.41 / 8.01 / 2.21 / 6.82; 0.03 1.41 / 7.94 /
# 2.21 / 6.82; 0.035 1.41 / 8.01 / 2.14 / 6.93; 0.04 1.41 / 7.94 / 2.00 / 7.06. But on scans 0.03
# loses: bench/pdf_layer.py worn pages 3.31 -> 3.45, bench/ocr_quality.py's eng reading repaired
# clean 300 dpi 2.30 -> 2.37 and worn 300 dpi 7.57 -> 7.71. 0.02 stays.
CACHE_WEIGHT = 0.02
# The share of the pair cache. bench/ablation.py shipped row, WER 000 body / worn-200dpi eng /
# worn-200dpi vie / clean-300dpi eng / office eng: none 1.96 / 9.46 / 4.83 / 2.83 / 7.48; 0.05 1.82 /
# 9.32 / 4.90 / 2.76 / 7.48; 0.1 1.82 / 9.32 / 4.90 / 2.62 / 7.48; 0.2 the same but office 7.58.
PAIR_CACHE_WEIGHT = 0.1
MIN_GAIN = 0.1  # log10: a learned cost that saves less than this changes nothing worth a decoding
# A vowel class's glyph is lent to a rhyme only where the text shows it this much (log10) likelier than
# the shipped channel prices it: a glyph the channel never learned (é for ậ on a real scan), not a
# finer price of one it knows (ien for iên), which, lent to every rhyme, moved bench/ocr_quality.py's
# harsh and clean eng readings by a few words either way.
GLYPH_MIN_GAIN = 1.0
# The spelling lift (spelling_lift): its power, and the corpus's share within a fold as a prior worth
# this many confident words. bench/ablation.py shipped row, WER 000 body / worn-200dpi eng /
# worn-200dpi vie / clean-300dpi eng / clean-300dpi vie / office eng: none 1.32 / 7.53 / 3.94 / 1.86
# / 0.14 / 5.75; power 0.25 1.23 / 7.39 / 3.94 / 1.86 / 0.07 / 5.75; 0.5 1.32 / 7.18 / 3.94 / 1.73 /
# 0.07 / 5.58; 0.75 1.41 / 7.18 / 3.87 / 1.66 / 0.07 / 5.62; 1.0 1.50 / 7.25 / 3.87 / 1.80 / 0.07 /
# 5.69; at 0.5, a prior of 2 1.41 / 7.18 / 3.87 / 1.66 / 0.07 / 5.51, of 10 1.32 / 7.39 / 3.94 /
# 1.80 / 0.07 / 5.75. 0.25 is best on 000, the one real text with a gold copy, and safest: at 0.5,
# read on 002-004 (no gold), the lift also turned stock phrases into the text's frequent spellings
# of their folds ("đổi mới" into "dõi mai" beside "theo dõi", "có sự" into "cơ sự" beside "cơ sở").
# Those figures lifted vie readings and every spelling the text shows. vie lost on scans (see
# spelling_lift), and so did eng: on bench/ocr_quality.py's pages read by eng, 38 more word errors
# over the 11 levels but harsh 150 dpi (clean 200 dpi 94 -> 99: công read cống on a page that writes
# cống three times). Lifting only the spelling a text chooses most of a fold (others may only
# fall) left those pages within a few words (the same 11 levels: +6, between -2 and +5 each) and
# keeps the gains, as shipped: 1.23 / 7.39 / 3.94 / 1.80 / 0.14 / 5.75.
SPELLING_POWER = 0.25
SPELLING_PRIOR = 5.0

Observation = tuple[str, str]  # (OCR token, lowercase syllable chosen for it)
Table = dict[str, dict[str, float]]  # {OCR token: {syllable: cost}}, or {part: {OCR letters: cost}}


def learned_tokens(observations: Counter[Observation], channel: Channel | MixedChannel,
                   profile: Profile) -> Table:
    """Remembered costs for the garbles the text repeats: {token: {syllable: cost}}, or {} when
    there is too little confident text."""
    if sum(observations.values()) < MIN_CONFIDENT_WORDS:
        return {}
    per_syllable: Counter[str] = Counter()
    for (_, syllable), n in observations.items():
        per_syllable[syllable] += n
    learned: Table = {}
    for (token, syllable), n in sorted(observations.items()):
        lowered = token.lower()
        if n < MIN_REPEATS or lowered == syllable:
            continue
        cost = _learned_cost(n, per_syllable[syllable], channel, profile, token, syllable, MIN_GAIN)
        if cost is not None:
            learned.setdefault(lowered, {})[syllable] = cost
    return learned


def _learned_cost(seen: int, total: int, channel: Channel | MixedChannel, profile: Profile, written: str,
                  syllable: str, gain: float) -> float | None:
    """The MAP cost of `syllable` (or a rhyme) written as `written`, seen `seen` times in `total`,
    when it is at least `gain` cheaper than the shipped channel's price, its prior."""
    shipped = channel.cost(written, ocr_letters(written), fold(syllable), syllable, profile)
    cost = _map_cost(seen, total, shipped)
    return cost if cost < shipped - gain else None


def _map_cost(seen: int, total: int, shipped: float) -> float:
    """The cost of a reading seen `seen` times in `total`, with its shipped cost as a prior worth
    PRIOR_WEIGHT observations (MAP)."""
    return -math.log10((seen + PRIOR_WEIGHT * 10 ** -shipped) / (total + PRIOR_WEIGHT))


def learned_garbles(observations: Counter[Observation], channel: Channel | MixedChannel, profile: Profile,
                    tokens: Iterable[str], inventory: SyllableInventory) -> Table:
    """The garbles the text repeats, whole (learned_tokens) or by parts for its lowercase `tokens`
    (learned_part_readings); a whole token's estimate wins over its parts'."""
    learned = learned_tokens(observations, channel, profile)
    for token, costs in learned_part_readings(observations, channel, profile, tokens, inventory).items():
        learned[token] = {**costs, **learned.get(token, {})}
    return learned


def learned_part_readings(observations: Counter[Observation], channel: Channel | MixedChannel, profile: Profile,
                          tokens: Iterable[str], inventory: SyllableInventory) -> Table:
    """Readings of the text's `tokens` by the onset and rhyme garbles it repeats: {token: {syllable:
    cost}}, for those cheaper than the shipped channel's price.

    A garble of a part is shared by every syllable that has it ("irc" for ức in chức, thức, đức),
    so the text's confident words teach it for words it read only once or not confidently. Each
    part's garbles are priced like whole tokens: MAP with the shipped part's price as a prior."""
    if sum(observations.values()) < MIN_CONFIDENT_WORDS:
        return {}
    onsets, rhymes = part_counts(observations)
    shipped = channel.parts.get(profile, PartGarbles()) if isinstance(channel, Channel) else PartGarbles()
    new_onsets, new_rhymes = _part_estimates(onsets, shipped.onsets), _part_estimates(rhymes, shipped.rhymes)
    readable = sorted(set(tokens))
    endings = {token[cut:] for token in readable for cut in range(len(token))}
    for rhyme, glyphs in _vowel_glyph_estimates(rhymes, channel, profile, inventory.written_rhymes, endings).items():
        new_rhymes[rhyme] = {**glyphs, **new_rhymes.get(rhyme, {})}
    if not new_onsets and not new_rhymes:
        return {}
    onset_index, rhyme_index = _by_reading(shipped.onsets, new_onsets), _by_reading(shipped.rhymes, new_rhymes)
    learned: Table = {}
    for token in readable:
        readings: dict[str, float] = {}
        for cut in range(len(token)):
            prefix, suffix = token[:cut], token[cut:]
            for onset, (onset_cost, onset_new) in onset_index.get(prefix, {}).items():
                for rhyme, (rhyme_cost, rhyme_new) in rhyme_index.get(suffix, {}).items():
                    syllable = onset + rhyme
                    if (onset_new or rhyme_new) and syllable in inventory:
                        readings[syllable] = min(readings.get(syllable, math.inf), onset_cost + rhyme_cost)
        letters = ocr_letters(token)
        for syllable, cost in readings.items():
            if cost < channel.cost(token, letters, fold(syllable), syllable, profile) - MIN_GAIN:
                learned.setdefault(token, {})[syllable] = cost
    return learned


def _part_estimates(counts: PartCounts, shipped: Table) -> Table:
    """{part: {OCR letters: cost}} for the readings the text repeats and shows likelier than shipped."""
    estimates: Table = {}
    for part, readings in counts.items():
        total = sum(readings.values())
        for ocr, n in readings.items():
            prior = shipped.get(part, {}).get(ocr, math.inf)
            cost = _map_cost(n, total, prior)
            if n >= MIN_REPEATS and cost < prior - MIN_GAIN:
                estimates.setdefault(part, {})[ocr] = cost
    return estimates


VowelClass = tuple[str, bool, int]  # plain vowel, with a hat, breve or horn, its tone (0: none)


@cache
def _vowel_class(letter: str) -> VowelClass | None:
    """The class of a marked vowel letter (ấ and ắ: ("a", True, 2)); None for a plain vowel or
    another letter."""
    tone, modified = mark_parts(letter)
    if fold(letter) not in VOWELS or not (tone or modified):
        return None
    return fold(letter), bool(modified), tone


def _glyph_swap(rhyme: str, written: str) -> tuple[int, str] | None:
    """Where OCR wrote one other glyph for one letter of the rhyme and kept the rest: (its index,
    the glyph)."""
    if len(rhyme) != len(written):
        return None
    swaps = [i for i, (a, b) in enumerate(zip(rhyme, written)) if a != b]
    return (swaps[0], written[swaps[0]]) if len(swaps) == 1 else None


def _vowel_glyph_estimates(counts: PartCounts, channel: Channel | MixedChannel, profile: Profile,
                           rhymes: Iterable[str], endings: set[str]) -> Table:
    """{rhyme: {OCR letters: cost}} for the glyphs the text draws for a class of marked vowels,
    wherever a rhyme has one of the class and one of the text's tokens ends in the letters it
    makes (`endings`: no other reading can be used).

    The glyph eng draws for a marked vowel depends on the print and the scan, not on the word: on
    the real scan of samples/000 it writes é for a hatted a with a dot or an acute in nhận, vận,
    trật and chất (7 of the 121 confident words with such a vowel), which the synthetic pages the
    channel learned from almost never show. Pooled by the vowel's class, a few confident words
    teach every rhyme of it ("gén với" reads gắn in samples/002). Each glyph is priced by MAP over
    the class's confident words, with the shipped channel's price of the rhyme read so as the prior."""
    seen: dict[VowelClass, Counter[str]] = defaultdict(Counter)
    totals: Counter[VowelClass] = Counter()
    for rhyme, readings in counts.items():
        classes = {c for ch in rhyme if (c := _vowel_class(ch)) is not None}
        for written, n in readings.items():
            for each in classes:
                totals[each] += n
            swap = _glyph_swap(rhyme, written)
            if swap is not None and (swapped := _vowel_class(rhyme[swap[0]])) is not None:
                seen[swapped][swap[1]] += n
    repeated = {each: [(glyph, n) for glyph, n in glyphs.items() if n >= MIN_REPEATS] for each, glyphs in seen.items()}
    estimates: Table = {}
    for rhyme in rhymes:
        for i, ch in enumerate(rhyme):
            vowel_class = _vowel_class(ch)
            if vowel_class is None:
                continue
            for glyph, n in repeated.get(vowel_class, []):
                written = rhyme[:i] + glyph + rhyme[i + 1:]
                if written not in endings:
                    continue
                cost = _learned_cost(n, totals[vowel_class], channel, profile, written, rhyme, GLYPH_MIN_GAIN)
                if cost is not None:
                    estimates.setdefault(rhyme, {})[written] = cost
    return estimates


def _by_reading(shipped: Table, new: Table) -> dict[str, dict[str, tuple[float, bool]]]:
    """OCR letters -> {part: (cost, learned from the text)}: the shipped garbles with the text's over them."""
    index: dict[str, dict[str, tuple[float, bool]]] = defaultdict(dict)
    for table, is_new in ((shipped, False), (new, True)):
        for part, readings in table.items():
            for ocr, cost in readings.items():
                index[ocr][part] = (cost, is_new)
    return index


def expected_words(choices: Iterable[tuple[str, float]]) -> dict[str, float]:
    """The syllables among the (written word, margin) choices of a decoding, each counted by its
    posterior against its best rival, 1 / (1 + 10^-margin): a word chosen 10 times likelier than
    its rival counts 0.91, a toss-up 0.5."""
    counts: dict[str, float] = defaultdict(float)
    for text, margin in choices:
        syllable = text.lower()
        if is_syllable(syllable):
            counts[syllable] += 1 / (1 + 10 ** -margin)
    return counts


def document_cache(words: Mapping[str, float], model: LanguageModel) -> dict[int, float]:
    """The text's words (expected_words) with their share of all its words, by model id; {} when
    there is too little text."""
    total = sum(words.values())
    if total < MIN_CONFIDENT_WORDS:
        return {}
    counts: dict[int, float] = defaultdict(float)
    for syllable, n in words.items():
        counts[model.id(syllable)] += n
    counts.pop(0, None)  # words the model does not know
    return {word: n / total for word, n in counts.items()}


def spelling_lift(observations: Counter[Observation], model: LanguageModel,
                  inventory: SyllableInventory) -> dict[int, float]:
    """Per word, by model id, the log10 lift of the text's own spelling among its fold's: SPELLING_POWER
    times log10 of P_text(word | fold) over P_corpus(word | fold), the text's share smoothed towards the
    corpus's by SPELLING_PRIOR words (an MDI adaptation of the model within each fold); only the
    spelling the text chooses most may rise, the others may only fall; {} when there is too little
    confident text.

    What OCR without marks leaves open is mostly which spelling of a fold was written (tinh: tỉnh,
    tình, tính), and a text keeps choosing the same: a provincial plan writes tỉnh where an essay
    writes tình. Unlike the word cache, the lift moves nothing between folds, so a frequent word of
    the text (dân) is not made likelier where the letters read another (Ban). A rare spelling the
    text shows a few times is not lifted: a few sightings make a large ratio, and the confident words
    over-represent such words (a page on flood works reads cống with confidence where công, in weak
    contexts, is not: lifted, cống replaced công). For eng readings only
    (restore/decode/repair.py): vie shows the marks, and there the lift overrode marks read right
    (bench/page_preparation.py's dispatches 0.14 -> 0.41 WER, bench/pdf_layer.py's worn pages 0.35 ->
    0.48)."""
    if sum(observations.values()) < MIN_CONFIDENT_WORDS:
        return {}
    by_fold: dict[str, Counter[str]] = defaultdict(Counter)
    for (_, syllable), n in observations.items():
        by_fold[fold(syllable)][syllable] += n
    lift: dict[int, float] = {}
    for folded, chosen in by_fold.items():
        spellings = {s: word for s in inventory.by_fold.get(folded, []) if (word := model.id(s))}
        corpus = sum(inventory.counts[s] for s in spellings)
        if not corpus:
            continue
        seen = sum(chosen.values())
        favourite = max(chosen, key=lambda s: (chosen[s], s))
        for syllable, word in spellings.items():
            share = inventory.counts[syllable] / corpus
            text_share = (chosen[syllable] + SPELLING_PRIOR * share) / (seen + SPELLING_PRIOR)
            value = SPELLING_POWER * math.log10(text_share / share)
            lift[word] = value if syllable == favourite else min(value, 0.0)
    return lift


def document_pairs(pairs: Counter[tuple[str, str]], model: LanguageModel) -> dict[tuple[int, int], float]:
    """P(word | word before) among the text's confident word pairs, for the pairs it repeats, by
    model ids; {} when there are too few pairs to learn from."""
    if sum(pairs.values()) < MIN_CONFIDENT_WORDS:
        return {}
    ids = Counter({(model.id(a), model.id(b)): n for (a, b), n in pairs.items()})
    before: Counter[int] = Counter()
    for (a, _), n in ids.items():
        before[a] += n
    return {(a, b): n / before[a] for (a, b), n in ids.items() if a and b and n >= MIN_REPEATS}


def adapted_resources(res: Resources, profile: Profile, learned: Table, cache: dict[int, float],
                      pairs: dict[tuple[int, int], float], spelling: dict[int, float]) -> Resources:
    """The resources with `learned` added to the channel's remembered tokens for `profile`, and the
    language model mixed with the document's word and pair caches and lifted by its spellings."""
    base = res.generator.base if isinstance(res.generator, AdaptedGenerator) else res.generator
    channel = base.channel.with_tokens(profile, learned, "adapted")
    model = res.model.uncached
    if cache or pairs or spelling:
        model = CachedLanguageModel(model, cache, CACHE_WEIGHT, pairs, PAIR_CACHE_WEIGHT, spelling)
    return replace(res, model=model, generator=AdaptedGenerator(base, channel, frozenset(learned)))


def part_readable(tokens: Iterable[str]) -> set[str]:
    """The OCR tokens learned part garbles may read, lowercased: single words not capitalized (a
    capitalized token is often a name; the shipped channel does not read those by parts either)."""
    return {token.lower() for token in tokens if " " not in token and not token[:1].isupper()}


def observation(ocr: str, text: str, margin: float, review: bool) -> Observation | None:
    """A repaired word as evidence of how the OCR garbles, when it was chosen with confidence."""
    syllable = text.lower()
    if review or margin < CONFIDENT_MARGIN or " " in ocr or not is_syllable(syllable):
        return None
    return ocr, syllable
