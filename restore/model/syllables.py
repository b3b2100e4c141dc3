"""The syllable inventory: every attested, well-spelled syllable, its count, and an index by fold.

Opening a file and parsing its lines are separate (symspellpy's habit), so tests feed a StringIO,
and a malformed line is reported as `file:line: what is wrong` instead of being skipped.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from restore.errors import LexiconError
from restore.text.normalize import fold
from restore.text.orthography import is_syllable
from restore.text.textio import counted_rows

MAX_DISTANCE = 2  # the farthest a fold is searched for from a token's letters


class SyllableInventory:
    def __init__(self, counts: dict[str, int]) -> None:
        self.counts = counts
        by_fold: dict[str, list[str]] = defaultdict(list)
        for syllable in sorted(counts, key=lambda s: (-counts[s], s)):
            by_fold[fold(syllable)].append(syllable)
        self.by_fold = dict(by_fold)
        self.folds = sorted(self.by_fold)
        # Symmetric deletion index (SymSpell's): every string a fold becomes by deleting up to
        # MAX_DISTANCE letters, with the folds that become it. Two strings within edit distance d
        # share such a string made by at most d deletions from each, so a lookup finds every fold
        # near a key from the key's own deletions, and only those are measured.
        self._by_deletion: dict[str, list[int]] = defaultdict(list)
        for index, folded in enumerate(self.folds):
            for variant in _deletions(folded, MAX_DISTANCE):
                self._by_deletion[variant].append(index)

    def near(self, key: str, max_distance: int, limit: int) -> list[tuple[str, int]]:
        """The folds within `max_distance` (Levenshtein, at most MAX_DISTANCE) of `key` with their
        distances: the closest first, ties in fold order, at most `limit`."""
        found: set[int] = set()
        for variant in _deletions(key, max_distance):
            found.update(self._by_deletion.get(variant, ()))
        measured = []
        for index in found:
            distance = Levenshtein.distance(key, self.folds[index], score_cutoff=max_distance)
            if distance <= max_distance:
                measured.append((distance, index))
        measured.sort()
        return [(self.folds[index], distance) for distance, index in measured[:limit]]

    def __contains__(self, syllable: str) -> bool:
        return syllable in self.counts

    @classmethod
    def load(cls, path: Path) -> SyllableInventory:
        try:
            with path.open(encoding="utf-8") as handle:
                return cls(parse_inventory(handle, str(path)))
        except OSError as exc:
            raise LexiconError(f"cannot read syllable inventory: {exc.strerror}", path=str(path),
                               remedy="run: vnrestore lexicon build") from exc


def _deletions(text: str, depth: int) -> set[str]:
    """`text` and every string made from it by deleting up to `depth` letters."""
    found = {text}
    edge = {text}
    for _ in range(depth):
        edge = {item[:i] + item[i + 1:] for item in edge for i in range(len(item))}
        found |= edge
    return found


def parse_inventory(lines: Iterable[str], name: str = "<stream>") -> dict[str, int]:
    counts: dict[str, int] = {}
    for number, syllable, count in counted_rows(lines, name, "syllable<TAB>count"):
        if not is_syllable(syllable):
            raise LexiconError(f"{name}:{number}: {syllable!r} is not a Vietnamese syllable")
        counts[syllable] = count
    if not counts:
        raise LexiconError(f"{name}: no syllables")
    return counts
