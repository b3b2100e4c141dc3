"""The data a repair needs, loaded once: syllable inventory, language model, OCR channel, acronyms,
the case table, person names, and the candidate generator built from them, under the settings that
choose among channels."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from restore.model.candidates import AdaptedGenerator, CandidateGenerator
from restore.model.casing import Casing
from restore.model.channel import (
    Channel,
    Garbles,
    MixedChannel,
    hand_channel,
    with_ceilings,
    with_tone_ceiling,
)
from restore.model.channel_file import load_learned
from restore.model.expected import ExpectedWords
from restore.model.language_model import MODEL_FILE, LanguageModel
from restore.model.person_names import PERSON_NAMES_FILE, PersonNames
from restore.model.syllables import SyllableInventory
from restore.paths import lexicon_dir
from restore.text.acronyms import Acronyms, default_acronyms

# Hand-set confusions at least this likely (log10: 1 in 10) cap the learned costs in the auto channel.
STRONG_HAND_COST = 1.0
# No tone swap costs more than this in the auto channel (log10; restore/model/channel.py
# with_tone_ceiling). bench/ablation.py shipped row, worn-200dpi vie WER: no ceiling 4.42; 4.0,
# 3.5 and 3.0 4.28; 2.5 the same but clean-300dpi vie 0.21 -> 0.28; the eng columns unchanged.
TONE_SWAP_CEILING = 3.5


@dataclass(frozen=True)
class Settings:
    lm_weight: float = 1.0
    keep_cost: float = 1.0  # channel part of keeping a token; the model part is the <unk> share
    # States kept per lattice node. At 8, a word the next one rescues ("về đẩy" before "mạnh") was
    # pruned behind look-alikes of itself; bench/ablation.py gains up to 16, and no more at 24.
    beam: int = 16
    use_lm: bool = True
    channel: str = "auto"  # hand, learned, mixed or auto: see make_channel
    lattice: bool = True  # cut and join tokens where OCR lost or added a space (restore/decode/segmentation.py)
    garbles: Garbles = ()  # learned from an earlier batch: the channel remembers them from the start
    adapt: bool = True  # learn the text's repeated garbles and decode again (restore/model/adaptation.py)


@dataclass
class Resources:
    model: LanguageModel
    inventory: SyllableInventory
    acronyms: Acronyms
    casing: Casing
    generator: CandidateGenerator | AdaptedGenerator  # adapted: restore/model/adaptation.py
    settings: Settings
    expected: ExpectedWords  # of the model without a document's caches
    person_names: PersonNames

    @classmethod
    def load(cls, settings: Settings = Settings()) -> Resources:
        directory = lexicon_dir()
        inventory = SyllableInventory.load(directory / "syllables.vi.tsv")
        model = LanguageModel.load(directory / MODEL_FILE)
        channel = make_channel(settings.channel, directory)
        tables: dict[str, dict[str, dict[str, float]]] = {}
        for profile, token, syllable, cost in settings.garbles:
            tables.setdefault(profile, {}).setdefault(token, {})[syllable] = cost
        for profile, table in sorted(tables.items()):
            channel = channel.with_tokens(profile, table, "batch")  # type: ignore[arg-type]
        generator = CandidateGenerator(inventory, channel,
                                       keep_cost=settings.keep_cost, vocabulary=frozenset(model.ids),
                                       unknown_penalty=model.unknown_penalty)
        return cls(model, inventory, default_acronyms(directory), Casing.load(directory / "case.vi.tsv"), generator,
                   settings, ExpectedWords(model, inventory),
                   PersonNames.load(directory / PERSON_NAMES_FILE, inventory.counts))


def make_channel(name: str, directory: Path) -> Channel | MixedChannel:
    """hand (costs set by hand), learned (trained on synthetic scans), mixed (the two as a mixture),
    or auto: the learned channel with the strong hand-set confusions as ceilings on its letter
    costs, and TONE_SWAP_CEILING on its tone swaps, since real scans garble in ways synthetic
    pages rarely show (bench/ablation.py)."""
    if name == "hand":
        return hand_channel()
    learned = load_learned(directory)
    if name == "learned":
        return learned
    if name == "mixed":
        return MixedChannel("mixed", hand_channel(), learned)
    if name == "auto":
        hand = hand_channel()
        letters = {profile: with_ceilings(costs, hand.letters[profile], STRONG_HAND_COST)
                   for profile, costs in learned.letters.items()}
        marks = {profile: with_tone_ceiling(costs, TONE_SWAP_CEILING) for profile, costs in learned.marks.items()}
        return Channel("auto", letters, marks, learned.tokens, learned.parts)
    raise ValueError(f"unknown channel {name!r}")


@lru_cache(maxsize=4)
def loaded(settings: Settings) -> Resources:
    """The resources for these settings, loaded once per process and shared."""
    return Resources.load(settings)


def default_resources() -> Resources:
    return loaded(Settings())
