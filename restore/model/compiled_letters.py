"""The channel's letter costs compiled (letter_costs.c): one call prices an OCR token against all
the folds the candidate search found, instead of one Python edit-distance table per fold.

Built and loaded as restore/native.py says; without it `Channel.letter_costs` runs `edit_cost`.
"""

from __future__ import annotations

import ctypes
import math
from array import array
from itertools import accumulate, chain
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from restore.native import DOUBLES, LONGS, doubles, load, longs

if TYPE_CHECKING:
    from restore.model.letter_edits import LetterCosts

LAYOUT = 1  # letter_costs.c's LAYOUT
assert array("i").itemsize == 4, "letter_costs.c takes the codes as int32"


class _Letters(ctypes.Structure):
    _fields_ = [
        ("size", ctypes.c_int32), ("sub", DOUBLES), ("extra", DOUBLES), ("missing", DOUBLES),
        ("default_sub", ctypes.c_double), ("default_extra", ctypes.c_double), ("default_missing", ctypes.c_double),
        ("pair_keys", LONGS), ("pair_costs", DOUBLES), ("pair_count", ctypes.c_int64),
    ]


def _library() -> ctypes.CDLL | None:
    library = load(Path(__file__).parent, "_letters", "letters_layout", LAYOUT)
    if library is not None:
        library.letter_costs.restype = None
    return library


_LIBRARY = _library()


def available() -> bool:
    return _LIBRARY is not None


class CompiledLetters:
    """One profile's letter tables as letter_costs.c reads them. Characters are coded by an
    alphabet: those the tables name first (codes below `size`), then any other as it is met."""

    def __init__(self, costs: LetterCosts) -> None:
        named = {c for pair in costs.substitutions for c in pair} | set(costs.extra) | set(costs.missing)
        for chars, targets in costs.multi.items():
            named.update(chars)
            for target in targets:
                named.update(target)
        alphabet = sorted(named)
        self.codes = {c: i for i, c in enumerate(alphabet)}
        size = len(alphabet)
        sub = np.full((size, size), math.nan)
        for (a, b), cost in costs.substitutions.items():
            sub[self.codes[a], self.codes[b]] = cost
        extra = np.array([costs.extra.get(c, costs.default_extra) for c in alphabet])
        missing = np.array([costs.missing.get(c, costs.default_missing) for c in alphabet])
        pairs = sorted(
            (self._pair_key(chars, target, size), cost)
            for chars, targets in costs.multi.items() if len(chars) == 2
            for target, cost in targets.items() if 1 <= len(target) <= 2)
        self.arrays = [sub, extra, missing, np.array([k for k, _ in pairs], dtype=np.int64),
                       np.array([c for _, c in pairs], dtype=np.float64)]
        self.view = _Letters(size, doubles(sub), doubles(extra), doubles(missing),
                             costs.default_substitution, costs.default_extra, costs.default_missing,
                             longs(self.arrays[3]), doubles(self.arrays[4]), len(pairs))
        self._pointer = ctypes.byref(self.view)
        self._targets: dict[str, tuple[int, ...]] = {}

    def _pair_key(self, chars: str, target: str, size: int) -> int:
        a1, a2, b1 = self.codes[chars[0]], self.codes[chars[1]], self.codes[target[0]]
        b2 = self.codes[target[1]] if len(target) == 2 else -1
        return ((a1 * size + a2) * size + b1) * (size + 1) + b2 + 1

    def _coded(self, text: str) -> list[int]:
        codes = self.codes
        return [codes.setdefault(c, len(codes)) for c in text]

    def _target(self, folded: str) -> tuple[int, ...]:
        """A fold's codes, kept: the same folds are priced for token after token."""
        found = self._targets.get(folded)
        if found is None:
            found = self._targets[folded] = tuple(self._coded(folded))
        return found

    def costs(self, letters: str, targets: list[str]) -> list[float]:
        """edit_cost(letters, target) for each target; NaN for a target too long for the C tables.
        The codes go as plain arrays: numpy's pointers cost more than the work of a short call."""
        assert _LIBRARY is not None
        coded = self._coded(letters)
        codes = array("i", coded)
        codes.extend(chain.from_iterable(map(self._target, targets)))
        starts = array("i", (0, *accumulate(map(len, targets))))
        out = (ctypes.c_double * len(targets))()
        at = codes.buffer_info()[0]
        _LIBRARY.letter_costs(self._pointer, ctypes.c_void_p(at), len(coded), ctypes.c_void_p(at + 4 * len(coded)),
                              ctypes.c_void_p(starts.buffer_info()[0]), len(targets), out)
        return out[:]
