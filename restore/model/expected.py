"""The words the language model expects beside a word, for the candidates the letters' search cut.

A token's candidates come from its letters (restore/model/candidates.py), cut by cost and rank to a
few. A word OCR garbled one edit past those cuts is then no candidate, however sure its context is:
"sot" after cơ never offered sở, "phua" after Chính never phủ, so "cơ sốt" and "Chính phua" stayed.
So adaptation's second decoding (restore/decode/repair.py) also offers each word the first chose
without confidence the words the model finds likeliest after its left neighbour's cheapest
readings and before its right neighbour's whose folds are an edit from its letters, each at its
channel price: the channel and the model weigh them as any candidate, only the search is wider.

bench/ablation.py shipped row, WER 000 body / office eng: 1.09 / 5.03 -> 1.00 / 5.00, the other
columns unchanged. Offered to every word in the first decoding as well: worn-200dpi vie 3.94 ->
3.87 too, but repair half as fast (bench/repair_speed.py), and a filter to words whose readings
fit neither neighbour cost 15% of the speed by itself. Looking at the neighbours' 3 cheapest
readings, or 40 words after each, 000 1.05; at two edits 000 1.05 and clean-300dpi eng 1.52.
samples/002-004 (no gold): "theo dõi" three times, "cơ sở", "Chính phủ", "chính đáng", "đầu tư",
"vai trò", "Thời gian" twice, "TỔ quốc" (was THỦ); one word worse ("Tỉnh ủy về nâng cao" read và).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from restore.model.language_model import LanguageModel
from restore.model.syllables import SyllableInventory
from restore.text.normalize import fold

# Words looked at after (or before) each neighbouring reading.
POOL = 20
# The cheapest readings of each neighbour looked at.
NEIGHBOUR_READINGS = 5
# Edits between a token's plain letters and an expected word's fold.
MAX_DISTANCE = 1

Grouped = dict[str, tuple[str, ...]]  # fold -> the expected syllables of that fold


class ExpectedWords:
    """Per word of the model, the syllables likeliest after it and before it, grouped by fold;
    worked out the first time a word is asked about (a text repeats its words)."""

    def __init__(self, model: LanguageModel, inventory: SyllableInventory, pool: int = POOL) -> None:
        self.model = model
        self.inventory = inventory
        self.pool = pool
        self._after: dict[int, Grouped] = {}
        self._before: dict[int, Grouped] = {}

    def _grouped(self, ids: list[int]) -> Grouped:
        grouped: dict[str, list[str]] = {}
        for word in (self.model.vocab[i] for i in ids):
            if word in self.inventory:
                grouped.setdefault(fold(word), []).append(word)
        return {folded: tuple(words) for folded, words in grouped.items()}

    def after(self, word: int) -> Grouped:
        return self._looked_up(self._after, word, self.model.followers)

    def before(self, word: int) -> Grouped:
        return self._looked_up(self._before, word, self.model.leaders)

    def _looked_up(self, table: dict[int, Grouped], word: int, find: Callable[[int, int], list[int]]) -> Grouped:
        found = table.get(word)
        if found is None:
            found = table[word] = self._grouped(find(word, self.pool))
        return found

    def near(self, keys: list[str], left: Iterable[int], right: Iterable[int]) -> set[str]:
        """The syllables expected after a `left` reading or before a `right` one (word ids) whose
        folds are within MAX_DISTANCE edits of one of `keys` (a token's plain letters)."""
        groups = [*(self.after(word) for word in left), *(self.before(word) for word in right)]
        folds = list(set().union(*groups))
        found: set[str] = set()
        for key in keys:
            for folded, _, _ in process.extract(key, folds, scorer=Levenshtein.distance,
                                                score_cutoff=MAX_DISTANCE, limit=None):
                for grouped in groups:
                    found.update(grouped.get(folded, ()))
        return found
