"""The syllable inventory: every attested, well-spelled syllable, its count, and an index by fold.

Beside the syllables, the name syllables: those of minority-language place names (Đắk Lắk, Krông
Pa, Ea Súp) that Vietnamese orthography does not admit. They have an index of their own, searched
only for a capitalized token, so that "Dak Lak" finds Đắk Lắk and running text never finds a name.

Opening a file and parsing its lines are separate (symspellpy's habit), so tests feed a StringIO,
and a malformed line is reported as `file:line: what is wrong` instead of being skipped.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from functools import cached_property
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from restore.errors import LexiconError
from restore.model import compiled_folds
from restore.text.normalize import fold
from restore.text.orthography import VOWELS, is_syllable, parse
from restore.text.textio import counted_rows

MAX_DISTANCE = 2  # the farthest a fold is searched for from a token's letters
NAMES_FILE = "names.vi.tsv"  # the name syllables, in the lexicon directory beside syllables.vi.tsv


def is_name_syllable(word: str) -> bool:
    """Whether a lowercase word may be a name syllable: letters only, a vowel, two letters or more,
    and no Vietnamese syllable."""
    return len(word) >= 2 and word.isalpha() and any(ch in VOWELS for ch in fold(word)) and not is_syllable(word)


class FoldIndex:
    """Folds and their symmetric deletion index (SymSpell's): every string a fold becomes by
    deleting up to MAX_DISTANCE letters, with the folds that become it. Two strings within edit
    distance d share such a string made by at most d deletions from each, so a lookup finds every
    fold near a key from the key's own deletions, and only those are measured."""

    def __init__(self, folds: Iterable[str]) -> None:
        self.folds = sorted(set(folds))
        self._by_deletion: dict[str, list[int]] = defaultdict(list)
        for index, folded in enumerate(self.folds):
            for variant in _deletions(folded, MAX_DISTANCE):
                self._by_deletion[variant].append(index)
        # The same search compiled (restore/model/fold_search.c), where it is built.
        self._compiled = compiled_folds.compiled(self.folds, self._by_deletion)

    def near(self, key: str, max_distance: int, limit: int) -> list[tuple[str, int]]:
        """The folds within `max_distance` (Levenshtein, at most MAX_DISTANCE) of `key` with their
        distances: the closest first, ties in fold order, at most `limit`."""
        found = self._compiled.near(key, max_distance, limit) if self._compiled is not None else None
        return found if found is not None else self.searched(key, max_distance, limit)

    def searched(self, key: str, max_distance: int, limit: int) -> list[tuple[str, int]]:
        """`near` in Python: the key's deletions, the folds that share one, each measured."""
        found: set[int] = set()
        by_deletion = self._by_deletion
        for variant in _deletions(key, max_distance):
            shared = by_deletion.get(variant)
            if shared:
                found.update(shared)
        folds, distance = self.folds, Levenshtein.distance
        measured = sorted((d, index) for index in found
                          if (d := distance(key, folds[index], score_cutoff=max_distance)) <= max_distance)
        return [(folds[index], d) for d, index in measured[:limit]]


class SyllableInventory:
    def __init__(self, counts: dict[str, int], names: dict[str, int] | None = None) -> None:
        self.names = frozenset(names or ())
        counts = {**counts, **(names or {})}
        self.counts = counts
        by_fold: dict[str, list[str]] = defaultdict(list)
        for syllable in sorted(counts, key=lambda s: (-counts[s], s)):
            by_fold[fold(syllable)].append(syllable)
        self.by_fold = dict(by_fold)
        # Two indexes, so that a lowercase token's search never meets a name's fold: running text
        # is no place name, and a name's fold would take a slot or set the cheapest fold's cost.
        self.syllable_folds = FoldIndex(fold(s) for s in counts if s not in self.names)
        self.name_folds = FoldIndex(fold(s) for s in self.names)

    def near(self, key: str, max_distance: int, limit: int, names: bool = False) -> list[tuple[str, int]]:
        """The folds of syllables (and of name syllables if `names`) within `max_distance` of
        `key` with their distances: the closest first, ties in fold order, at most `limit`."""
        found = self.syllable_folds.near(key, max_distance, limit)
        if names:
            found = sorted(set(found) | set(self.name_folds.near(key, max_distance, limit)),
                           key=lambda item: (item[1], item[0]))[:limit]
        return found

    def __contains__(self, syllable: str) -> bool:
        """A Vietnamese syllable of the inventory (a name syllable is none)."""
        return syllable in self.counts and syllable not in self.names

    @cached_property
    def written_rhymes(self) -> frozenset[str]:
        """Every rhyme, tone mark included, that a syllable of the inventory writes: found once, asked
        by each text's adaptation (restore/model/adaptation.py)."""
        return frozenset(syllable[len(parsed.onset):] for syllable in self.counts
                         if (parsed := parse(syllable)) is not None)

    @classmethod
    def load(cls, path: Path) -> SyllableInventory:
        """The syllables of `path` and the name syllables of NAMES_FILE beside it."""
        names_path = path.with_name(NAMES_FILE)
        try:
            with path.open(encoding="utf-8") as handle, names_path.open(encoding="utf-8") as names:
                return cls(parse_inventory(handle, str(path)), parse_names(names, str(names_path)))
        except OSError as exc:
            raise LexiconError(f"cannot read syllable inventory: {exc.strerror}", path=exc.filename,
                               remedy="run: vnrestore lexicon build") from exc


def _deletions(text: str, depth: int) -> set[str]:
    """`text` and every string made from it by deleting up to `depth` letters."""
    found = {text}
    edge = {text}
    for _ in range(depth):
        edge = {item[:i] + item[i + 1:] for item in edge for i in range(len(item))}
        found |= edge
    return found


def syllable_counts(lines: Iterable[str], name: str = "<stream>") -> dict[str, int]:
    """A syllable<TAB>count table, every key a Vietnamese syllable (see checked_counts)."""
    return checked_counts(lines, name, "syllable", is_syllable, "is not a Vietnamese syllable")


def parse_inventory(lines: Iterable[str], name: str = "<stream>") -> dict[str, int]:
    counts = syllable_counts(lines, name)
    if not counts:
        raise LexiconError(f"{name}: no syllables")
    return counts


def parse_names(lines: Iterable[str], name: str = "<stream>") -> dict[str, int]:
    return checked_counts(lines, name, "name syllable", is_name_syllable,
                          "is no name syllable (letters and a vowel, no syllable)")


def checked_counts(lines: Iterable[str], name: str, key: str, check: Callable[[str], bool],
                   failure: str) -> dict[str, int]:
    """The counts of a `key`<TAB>count table whose every key passes `check`; the first that fails
    stops the read with the file and line named."""
    counts: dict[str, int] = {}
    for number, word, count in counted_rows(lines, name, f"{key}<TAB>count"):
        if not check(word):
            raise LexiconError(f"{name}:{number}: {word!r} {failure}")
        counts[word] = count
    return counts
