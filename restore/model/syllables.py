"""The syllable inventory: every attested, well-spelled syllable, its count, and an index by fold.

Opening a file and parsing its lines are separate (symspellpy's habit), so tests feed a StringIO,
and a malformed line is reported as `file:line: what is wrong` instead of being skipped.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from restore.errors import LexiconError
from restore.text.normalize import fold
from restore.text.orthography import is_syllable


class SyllableInventory:
    def __init__(self, counts: dict[str, int]) -> None:
        self.counts = counts
        by_fold: dict[str, list[str]] = defaultdict(list)
        for syllable in sorted(counts, key=lambda s: (-counts[s], s)):
            by_fold[fold(syllable)].append(syllable)
        self.by_fold = dict(by_fold)
        self.folds = sorted(self.by_fold)

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


def parse_inventory(lines: Iterable[str], name: str = "<stream>") -> dict[str, int]:
    counts: dict[str, int] = {}
    for number, line in enumerate(lines, 1):
        line = line.rstrip("\n")
        if not line:
            continue
        syllable, _, count = line.partition("\t")
        if not count.isdigit():
            raise LexiconError(f"{name}:{number}: expected 'syllable<TAB>count', got {line!r}")
        if not is_syllable(syllable):
            raise LexiconError(f"{name}:{number}: {syllable!r} is not a Vietnamese syllable")
        counts[syllable] = int(count)
    if not counts:
        raise LexiconError(f"{name}: no syllables")
    return counts
