"""The compiled beam search (beam.c) behind `decode`: the same path, a tenth of the time.

Built and loaded as restore/native.py says; without it, or for a model of another order than 3,
`decode` runs its Python search (the tests compare the two).
"""

from __future__ import annotations

import ctypes
import weakref
from itertools import accumulate
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from restore.model.language_model import BOS, EOS, KEY_BITS, CachedLanguageModel, LanguageModel
from restore.native import DOUBLES, LONGS, doubles, ints, load

if TYPE_CHECKING:
    from restore.decode.decoder import Lattice


class _Model(ctypes.Structure):
    _fields_ = [
        ("keys", LONGS * 3), ("logps", DOUBLES * 3), ("backoffs", DOUBLES * 2), ("sizes", ctypes.c_int64 * 3),
        ("unigram", DOUBLES), ("unigram_backoff", DOUBLES), ("bigram_starts", LONGS), ("trigram_starts", LONGS),
        ("weight", ctypes.c_double),
        ("pair_weight", ctypes.c_double), ("shares", DOUBLES), ("pair_keys", LONGS), ("pair_probs", DOUBLES),
        ("pair_count", ctypes.c_int64), ("spelling", DOUBLES),
    ]


LAYOUT = 3  # beam.c's LAYOUT: the Model struct and signatures this module passes


def _library() -> ctypes.CDLL | None:
    library = load(Path(__file__).parent, "_beam", "beam_layout", LAYOUT)
    if library is not None:
        library.beam_decode.restype = ctypes.c_int32
        library.one_slot_margins.restype = None
    return library


_LIBRARY = _library()
# Per model, where each word's bigrams and each bigram's trigrams start (restore/decode/beam.c
# reads the ranges instead of searching for them), or None where a trigram's context is no bigram.
_STARTS: weakref.WeakKeyDictionary[LanguageModel, tuple[np.ndarray, np.ndarray] | None] = weakref.WeakKeyDictionary()
# The C view of each model, with the arrays it points into kept alive beside it.
_VIEWS: weakref.WeakKeyDictionary[LanguageModel, tuple[_Model, list[np.ndarray]]] = weakref.WeakKeyDictionary()


def available(model: LanguageModel) -> bool:
    return _LIBRARY is not None and model.order == 3 and _starts(model.uncached) is not None


def _starts(model: LanguageModel) -> tuple[np.ndarray, np.ndarray] | None:
    if model not in _STARTS:
        bigrams, trigrams = model.keys[1], model.keys[2]
        contexts = trigrams >> KEY_BITS
        at = np.minimum(bigrams.searchsorted(contexts), len(bigrams) - 1)
        if len(bigrams) and bool((bigrams[at] == contexts).all()):
            words = np.arange(len(model.vocab) + 1, dtype=np.int64) << KEY_BITS
            trigram_starts = np.append(trigrams.searchsorted(bigrams << KEY_BITS), len(trigrams))
            _STARTS[model] = (bigrams.searchsorted(words), trigram_starts)
        else:
            _STARTS[model] = None
    return _STARTS[model]


def _view(model: LanguageModel) -> _Model:
    held = _VIEWS.get(model)
    if held is None:
        arrays: list[np.ndarray] = []

        def pointer(values: np.ndarray, kind: type) -> ctypes._Pointer:
            values = np.ascontiguousarray(values)
            arrays.append(values)
            return values.ctypes.data_as(kind)

        view = _Model()
        for n in range(3):
            view.keys[n] = pointer(model.keys[n], LONGS)
            view.logps[n] = pointer(model.logps[n], DOUBLES)
            view.sizes[n] = len(model.keys[n])
        for n in range(2):
            view.backoffs[n] = pointer(model.backoffs[n], DOUBLES)
        view.unigram = pointer(model.unigram, DOUBLES)
        view.unigram_backoff = pointer(model.unigram_backoff, DOUBLES)
        starts = _starts(model.uncached)
        assert starts is not None
        view.bigram_starts = pointer(starts[0], LONGS)
        view.trigram_starts = pointer(starts[1], LONGS)
        if isinstance(model, CachedLanguageModel):
            view.weight, view.pair_weight = model.weight, model.pair_weight
            view.shares = pointer(model.shares, DOUBLES)
            view.pair_keys = pointer(model.pair_keys, LONGS)
            view.pair_probs = pointer(model.pair_probs, DOUBLES)
            view.pair_count = len(model.pair_keys)
            if model.spelling is not None:
                view.spelling = pointer(model.spelling, DOUBLES)
        held = _VIEWS[model] = (view, arrays)
    return held[0]


def best_path(lattice: Lattice, model: LanguageModel, lm_weight: float, beam: int,
              span: float) -> list[tuple[int, int]]:
    """The chosen path as (start slot, choice) pairs in order: a choice >= 0 is a candidate of the
    slot, -1 - j is lattice.ordered_arcs[j]."""
    assert _LIBRARY is not None
    n = len(lattice)
    arcs = lattice.ordered_arcs
    arc_starts = np.array([start for start, _ in arcs], dtype=np.int32)
    arc_ends = np.array([arc.end for _, arc in arcs], dtype=np.int32)
    arc_totals = np.array([arc.total for _, arc in arcs], dtype=np.float64)
    arc_symbol_starts = np.array([0, *accumulate(len(arc.readings) for _, arc in arcs)], dtype=np.int32)
    arc_symbols = np.array([model.id(r.symbol) for _, arc in arcs for r in arc.readings], dtype=np.int32)
    out_starts = np.empty(n, dtype=np.int32)
    out_choices = np.empty(n, dtype=np.int32)
    steps = _LIBRARY.beam_decode(
        ctypes.byref(_view(model)), n, ints(lattice.starts), ints(lattice.ids), doubles(lattice.costs), len(arcs),
        ints(arc_starts), ints(arc_ends), doubles(arc_totals), ints(arc_symbol_starts), ints(arc_symbols),
        ctypes.c_double(lm_weight), beam, ctypes.c_double(span), model.id(BOS), model.id(EOS),
        ints(out_starts), ints(out_choices))
    if steps < 0:
        raise MemoryError("the beam search ran out of memory")
    return list(zip(out_starts[:steps][::-1].tolist(), out_choices[:steps][::-1].tolist()))


def one_slot_margins(lattice: Lattice, slots: list[int], offsets: list[int], path: list[int], model: LanguageModel,
                     lm_weight: float) -> list[float]:
    """decoder._one_slot_margins, compiled."""
    assert _LIBRARY is not None
    out = np.empty(len(slots), dtype=np.float64)
    _LIBRARY.one_slot_margins(
        ctypes.byref(_view(model)), len(slots), ints(np.array(slots, dtype=np.int32)),
        ints(np.array(offsets, dtype=np.int32)), ints(lattice.starts), ints(lattice.ids), doubles(lattice.costs),
        ints(np.array(path, dtype=np.int32)), len(path), ctypes.c_double(lm_weight), doubles(out))
    return out.tolist()
