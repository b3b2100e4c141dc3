"""The fold lookup compiled (fold_search.c): one call finds a key's folds within an edit distance,
where the Python search builds the key's deletions, unions their folds and measures each.

Built and loaded as restore/native.py says; without it `FoldIndex.near` searches in Python.
"""

from __future__ import annotations

import ctypes
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from restore.native import INTS, LONGS, ints, load, longs

LAYOUT = 1  # fold_search.c's LAYOUT
LONGEST_KEY = 12  # fold_search.c's LONGEST_KEY: a string of more letters is searched in Python
_OTHER = 27  # the code of any character but a-z
_CODES = {chr(ord("a") + i): i + 1 for i in range(26)}
_PLAIN = str.maketrans({c: chr(code) for c, code in _CODES.items()})


class _Folds(ctypes.Structure):
    _fields_ = [
        ("count", ctypes.c_int32), ("letters", ctypes.POINTER(ctypes.c_uint8)), ("starts", INTS),
        ("variant_count", ctypes.c_int64), ("variants", LONGS), ("posting_starts", INTS), ("postings", INTS),
    ]


def _library() -> ctypes.CDLL | None:
    library = load(Path(__file__).parent, "_folds", "folds_layout", LAYOUT)
    if library is not None:
        library.fold_near.restype = ctypes.c_int32
    return library


_LIBRARY = _library()


def available() -> bool:
    return _LIBRARY is not None


def _coded(text: str) -> bytes:
    if text.isascii() and text.isalpha() and text.islower():  # the common key: a-z only
        return text.translate(_PLAIN).encode("ascii")
    return bytes(_CODES.get(c, _OTHER) for c in text)


def _packed(text: str) -> int:
    value = 0
    for code in _coded(text):
        value = (value << 5) | code
    return value


class CompiledFolds:
    """A FoldIndex's folds and deletion index as fold_search.c reads them."""

    def __init__(self, folds: list[str], by_deletion: Mapping[str, list[int]]) -> None:
        variants = sorted(by_deletion, key=_packed)
        starts = np.zeros(len(folds) + 1, dtype=np.int32)
        np.cumsum([len(f) for f in folds], out=starts[1:])
        posting_starts = np.zeros(len(variants) + 1, dtype=np.int32)
        np.cumsum([len(by_deletion[v]) for v in variants], out=posting_starts[1:])
        letters = np.frombuffer(b"".join(map(_coded, folds)) or b"\0", dtype=np.uint8)
        packed = np.array([_packed(v) for v in variants], dtype=np.int64)
        postings = np.array([i for v in variants for i in by_deletion[v]], dtype=np.int32)
        self._arrays = [letters, starts, packed, posting_starts, postings]  # kept alive for the view
        self._view = _Folds(len(folds), letters.ctypes.data_as(ctypes.POINTER(ctypes.c_uint8)), ints(starts),
                            len(variants), longs(packed), ints(posting_starts), ints(postings))
        self._pointer = ctypes.byref(self._view)
        self.folds = folds

    def near(self, key: str, max_distance: int, limit: int) -> list[tuple[str, int]] | None:
        """FoldIndex.near's answer, or None where the compiled search declines (a key too long)."""
        assert _LIBRARY is not None
        size = max(min(limit, len(self.folds)), 1)
        out = (ctypes.c_int32 * (2 * size))()  # the folds, then their distances
        n = _LIBRARY.fold_near(self._pointer, _coded(key), len(key), max_distance, limit, out,
                               ctypes.byref(out, 4 * size))
        if n < 0:
            return None
        return list(zip(map(self.folds.__getitem__, out[:n]), out[size:size + n]))


def compiled(folds: list[str], by_deletion: Mapping[str, list[int]]) -> CompiledFolds | None:
    """The compiled search over these folds, or None where it is not built or a fold is too long."""
    if _LIBRARY is None or any(len(f) > LONGEST_KEY for f in folds):
        return None
    return CompiledFolds(folds, by_deletion)
