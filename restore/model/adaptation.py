"""Learning a text's own garbles, without gold: decode, re-estimate, decode again.

A scan batch repeats its garbles (& for ở, "ctia" for của) hundreds of times; a channel learned from
clean renders may price them too dear where the context is weak. After a first decoding, every
word chosen with a wide margin over its rival is an (OCR token -> syllable) observation. Tokens
read that way at least MIN_REPEATS times get a remembered cost: the MAP estimate of P(token |
syllable) with the shipped channel's price as a prior worth PRIOR_WEIGHT observations, so a few
sightings move it a little and many move it far. Only garbles the text shows likelier than the
shipped channel thought are kept (adaptation makes a reading cheaper, never dearer), and only
blocks of lines holding such a token are decoded again, with candidates regenerated for those
tokens alone.

Measured with bench/ablation.py's "+ adaptation" row; at most a token's cost changes, never the
letter costs: re-estimating those from one document made repair worse (000 body WER 2.18 -> 3.14,
synthetic eng 7.94 -> 9.67 in this session's trial), too few observations for too many parameters.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import replace

from restore.model.candidates import AdaptedGenerator, CandidateGenerator
from restore.model.channel import Channel, MixedChannel, Profile, ocr_letters
from restore.model.resources import Resources
from restore.text.normalize import fold
from restore.text.orthography import is_syllable

CONFIDENT_MARGIN = 2.0  # log10: the chosen word at least 100 times likelier than its best rival
MIN_CONFIDENT_WORDS = 200  # fewer confident words than this: too little text to learn from
MIN_REPEATS = 2
PRIOR_WEIGHT = 10.0  # the shipped channel's price counts as this many observations
MIN_GAIN = 0.1  # log10: a learned cost that saves less than this changes nothing worth a decoding

Observation = tuple[str, str]  # (OCR token, lowercase syllable chosen for it)


def learned_tokens(observations: Counter[Observation], channel: Channel | MixedChannel,
                   profile: Profile) -> dict[str, dict[str, float]]:
    """Remembered costs for the garbles the text repeats: {token: {syllable: cost}}, or {} when
    there is too little confident text."""
    if sum(observations.values()) < MIN_CONFIDENT_WORDS:
        return {}
    per_syllable: Counter[str] = Counter()
    for (_, syllable), n in observations.items():
        per_syllable[syllable] += n
    learned: dict[str, dict[str, float]] = {}
    for (token, syllable), n in sorted(observations.items()):
        lowered = token.lower()
        if n < MIN_REPEATS or lowered == syllable:
            continue
        shipped = channel.cost(token, ocr_letters(token), fold(syllable), syllable, profile)
        cost = -math.log10((n + PRIOR_WEIGHT * 10 ** -shipped) / (per_syllable[syllable] + PRIOR_WEIGHT))
        if cost < shipped - MIN_GAIN:
            learned.setdefault(lowered, {})[syllable] = cost
    return learned


def adapted_resources(res: Resources, profile: Profile, learned: dict[str, dict[str, float]]) -> Resources:
    """The resources with `learned` added to the channel's remembered tokens for `profile`."""
    base = res.generator.base if isinstance(res.generator, AdaptedGenerator) else res.generator
    channel = base.channel
    if isinstance(channel, MixedChannel):  # a mixture has no token table of its own: adapt its first part
        channel = replace(channel, first=_with_tokens(channel.first, profile, learned))
    else:
        channel = _with_tokens(channel, profile, learned)
    adapted = CandidateGenerator(base.inventory, channel, keep_cost=base.keep_cost,
                                 max_candidates=base.max_candidates, fold_limit=base.fold_limit,
                                 vocabulary=base.vocabulary, unknown_penalty=base.unknown_penalty)
    return replace(res, generator=AdaptedGenerator(base, adapted, frozenset(learned)))


def _with_tokens(channel: Channel, profile: Profile, learned: dict[str, dict[str, float]]) -> Channel:
    tokens = {p: dict(table) for p, table in channel.tokens.items()}
    table = tokens.setdefault(profile, {})
    for token, costs in learned.items():
        table[token] = {**table.get(token, {}), **costs}
    return Channel(f"{channel.name}+adapted", channel.letters, channel.marks, tokens)


def observation(ocr: str, text: str, margin: float, review: bool) -> Observation | None:
    """A repaired word as evidence of how the OCR garbles, when it was chosen with confidence."""
    syllable = text.lower()
    if review or margin < CONFIDENT_MARGIN or " " in ocr or not is_syllable(syllable):
        return None
    return ocr, syllable
