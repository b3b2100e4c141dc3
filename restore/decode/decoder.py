"""Choose the best syllable sequence for a block of lines: beam search over a lattice under the
n-gram model.

A block is a run of non-blank lines; the model's context flows across line breaks, because a
dispatch wraps its sentences anywhere. The lattice's nodes are the boundaries between decodable
tokens (slots). Each slot offers candidates, one syllable each (one candidate for a fixed token);
besides those, an Arc may read one slot as several symbols (a token cut: "21thang" -> 21 tháng) or
several slots as one (tokens joined: "THƯ ỜNG" -> THƯỜNG). A hypothesis is scored by
lm_weight * log10 P_LM - channel cost; hypotheses at one node that end in the same symbols (as many
as the model sees before a word) are merged (Viterbi recombination), so the beam keeps distinct
histories only.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping, Sequence
from itertools import accumulate, product, repeat
from operator import attrgetter
from typing import NamedTuple

import numpy as np

from restore.decode import compiled
from restore.model.candidates import Candidate
from restore.model.language_model import BOS, EOS, LanguageModel

# Hypotheses this far (log10) behind the best are dropped even when the beam has room. A rare word
# that the next one rescues falls that far behind first ("; phấn" before "đấu": P(phấn | tế ;) is
# 10^3.7 times below phân's). With the beam of 16 (restore/model/resources.py), 4 keeps it: against 3.5,
# bench/ablation.py's held-out dispatches columns 3.86 -> 3.82 WER together (both "phấn đấu"),
# samples/002's "phấn đấu" too, and bench/ocr_quality.py's pages the same or better at every level,
# for 1.4% more instructions (bench/repair_speed.py --instructions); 4.5 and 5 gain nothing more, 3
# loses words on the eng columns.
SCORE_SPAN = 4.0
# Rival readings of a joined span that are tried for its margin: the cheapest few of each slot.
JOIN_RIVALS = 3


class Arc(NamedTuple):
    """A reading of slots [start, end) as one or more symbols, beyond the one-slot candidates."""

    end: int
    readings: tuple[Candidate, ...]  # one per symbol, in order; none: the slots are read as nothing
    cost: float  # the price of cutting or joining, on top of the readings' channel costs
    pieces: tuple[str, ...] = ()  # the OCR text each reading stands for (the caller's to fill)

    @property
    def total(self) -> float:
        return self.cost + sum(r.cost for r in self.readings)


class Step(NamedTuple):
    """One step of the chosen path: slots [start, arc.end) read as arc.readings."""

    start: int
    arc: Arc


Arcs = Mapping[int, Sequence[Arc]]  # extra arcs by start slot
_State = tuple[int, ...]  # the last order-1 symbols


class _Hyp(NamedTuple):
    score: float
    context: _State
    back: _Hyp | None
    start: int
    choice: int | Arc  # a candidate index of slot `start`, or an extra arc from it


_symbol, _cost = attrgetter("symbol"), attrgetter("cost")


class CandidateArrays:
    """Candidate lists' symbol ids and channel costs as arrays, made once per list: a text's blocks
    share the lists of the words they repeat (the candidate generator's cache), and adaptation's
    second decoding those of the first. Keyed by a list's identity, holding the list so that no
    other takes its id while the arrays are kept (one text's repair)."""

    def __init__(self, model: LanguageModel) -> None:
        self.ids = model.ids
        self._made: dict[int, tuple[Sequence[Candidate], np.ndarray, np.ndarray]] = {}

    def __call__(self, candidates: Sequence[Candidate]) -> tuple[np.ndarray, np.ndarray]:
        made = self._made.get(id(candidates))
        if made is None:
            n = len(candidates)
            made = self._made[id(candidates)] = (
                candidates, np.fromiter(map(self.ids.get, map(_symbol, candidates), repeat(0)), np.int32, n),
                np.fromiter(map(_cost, candidates), np.float64, n))
        return made[1], made[2]


class Lattice:
    """A block's slots (the one-symbol candidates of each) and the arcs beyond them, with what
    every decoding of the block reads again: the candidates' symbol ids and costs as flat arrays
    (slot k's at [starts[k], starts[k+1])) and the arcs in start order."""

    def __init__(self, positions: Sequence[Sequence[Candidate]], arcs: Arcs, model: LanguageModel,
                 arrays: CandidateArrays | None = None) -> None:
        self.positions = positions
        self.arcs = arcs
        self.starts = np.array([0, *accumulate(len(o) for o in positions)], dtype=np.int32)
        made = list(map(arrays or CandidateArrays(model), positions))
        self.ids = np.concatenate([ids for ids, _ in made]) if made else np.empty(0, np.int32)
        self.costs = np.concatenate([costs for _, costs in made]) if made else np.empty(0, np.float64)
        self.ordered_arcs = [(start, arc) for start in sorted(arcs) for arc in arcs[start]]

    def __len__(self) -> int:
        return len(self.positions)


def decode(lattice: Lattice, model: LanguageModel, *, lm_weight: float = 1.0, beam: int = 8) -> list[Step]:
    """The best path through the lattice; deterministic (ties broken by hypothesis, then candidate order).

    Runs compiled (restore/decode/beam.c) where the extension is built, else in Python: the same search.
    """
    if not len(lattice):
        return []
    if not compiled.available(model):
        return _search(lattice, model, lm_weight, beam)
    positions = lattice.positions
    return [Step(start, lattice.ordered_arcs[-1 - choice][1] if choice < 0
                 else Arc(start + 1, (positions[start][choice],), 0.0))
            for start, choice in compiled.best_path(lattice, model, lm_weight, beam, SCORE_SPAN)]


def _search(lattice: Lattice, model: LanguageModel, lm_weight: float, beam: int) -> list[Step]:
    positions, arcs = lattice.positions, lattice.arcs
    n = len(positions)
    start = (model.id(BOS),) * (model.order - 1)
    frontier: list[dict[_State, _Hyp]] = [{} for _ in range(n + 1)]
    frontier[0][start] = _Hyp(0.0, start, None, -1, -1)
    crossed = {k for start, out in arcs.items() for arc in out for k in range(start, arc.end)}
    for i, options in enumerate(positions):
        hyps = _survivors(frontier[i], beam)
        ids = lattice.ids[lattice.starts[i]:lattice.starts[i + 1]]
        if len(hyps) == 1 and len(options) == 1 and i not in crossed:
            # Every path goes this one way: its score is the same for all and need not be looked up.
            hyp = hyps[0]
            _offer(frontier[i + 1], _Hyp(hyp.score, (*hyp.context[1:], int(ids[0])), hyp, i, 0))
            continue
        _extend_plain(hyps, i, ids, lattice.costs[lattice.starts[i]:lattice.starts[i + 1]], model, lm_weight, beam,
                      frontier[i + 1])
        for arc in arcs.get(i, ()):
            symbols = [model.id(r.symbol) for r in arc.readings]
            for hyp in hyps:
                context = hyp.context
                score = hyp.score - arc.total
                for word in symbols:
                    score += lm_weight * model.logp(context, word)
                    context = (*context[1:], word)
                _offer(frontier[arc.end], _Hyp(score, context, hyp, i, arc))
    eos = model.id(EOS)
    final = max(frontier[n].values(), key=lambda h: h.score + lm_weight * model.logp(h.context, eos))
    steps: list[Step] = []
    node: _Hyp | None = final
    while node is not None and node.start >= 0:
        choice = node.choice
        arc = choice if isinstance(choice, Arc) else Arc(node.start + 1, (positions[node.start][choice],), 0.0)
        steps.append(Step(node.start, arc))
        node = node.back
    steps.reverse()
    return steps


def _survivors(merged: dict[_State, _Hyp], beam: int) -> list[_Hyp]:
    best = heapq.nlargest(beam, merged.values(), key=lambda h: h.score)
    floor = best[0].score - SCORE_SPAN
    return [h for h in best if h.score >= floor]


def _offer(merged: dict[_State, _Hyp], hyp: _Hyp) -> None:
    held = merged.get(hyp.context)
    if held is None or hyp.score > held.score:
        merged[hyp.context] = hyp


def _extend_plain(hyps: list[_Hyp], i: int, ids: np.ndarray, costs: np.ndarray, model: LanguageModel,
                  lm_weight: float, beam: int, merged: dict[_State, _Hyp]) -> None:
    """Every hypothesis extended by every one-slot candidate, scored as one array; the hot path.

    Extensions that end in the same state are recombined first, and only the best `beam`
    states are offered: no state beyond them can survive the next node, whatever arcs bring there.
    """
    before = np.array([h.context for h in hyps], dtype=np.int64)
    base = np.fromiter((h.score for h in hyps), dtype=np.float64, count=len(hyps))[:, None]
    history = (before[:, j:j + 1] for j in range(before.shape[1]))
    scores = (base + lm_weight * model.scores(*history, ids.astype(np.int64)[None, :]) + -costs).ravel()
    ids = ids.tolist()
    ranked = np.argsort(-scores, kind="stable").tolist()
    values = scores.tolist()
    floor = values[ranked[0]] - SCORE_SPAN
    width = len(ids)
    offered: set[_State] = set()
    for flat in ranked:  # best first: the first extension to reach a state is its best
        if len(offered) == beam or values[flat] < floor:
            break
        h, k = divmod(flat, width)
        hyp = hyps[h]
        state = (*hyp.context[1:], ids[k])
        if state not in offered:
            offered.add(state)
            _offer(merged, _Hyp(values[flat], state, hyp, i, k))


def margins(lattice: Lattice, path: Sequence[Step], model: LanguageModel, *, lm_weight: float = 1.0) -> list[float]:
    """Per step, the log10 score the chosen path loses if that step alone takes its best rival
    reading of the same slots: the decoder's confidence, asked for only when a caller reports
    words (JSON, review)."""
    positions, arcs = lattice.positions, lattice.arcs
    symbols = [model.id(BOS)] * (model.order - 1)
    offsets = []
    for step in path:
        offsets.append(len(symbols))
        symbols.extend(model.id(r.symbol) for r in step.arc.readings)
    symbols.append(model.id(EOS))
    out = [0.0] * len(path)
    simple = []
    for n, (step, offset) in enumerate(zip(path, offsets)):
        after = offset + len(step.arc.readings)
        if len(step.arc.readings) == 1 and step.arc.end == step.start + 1 and not arcs.get(step.start):
            simple.append((n, offset))
        else:
            options = [(step.arc.readings, step.arc.total), *(
                (r, sum(c.cost for c in r) + cost) for r, cost in _rivals(step, positions, arcs).items()
                if r != step.arc.readings)]
            chosen, *others = _sequence_scores(options, symbols, offset, after, model, lm_weight)
            out[n] = chosen - max(others, default=float("-inf"))
    if simple:
        slots = [path[n].start for n, _ in simple]
        at = [offset for _, offset in simple]
        one_slot = (compiled.one_slot_margins if compiled.available(model) else _one_slot_margins)
        for (n, _), margin in zip(simple, one_slot(lattice, slots, at, symbols, model, lm_weight)):
            out[n] = margin
    return out


def _rivals(step: Step, positions: Sequence[Sequence[Candidate]], arcs: Arcs) -> dict[tuple[Candidate, ...], float]:
    """Other readings of the step's slots, with their cutting or joining price: one-slot candidates
    (for a span of several slots, the cheapest few of each, in every combination) and arcs."""
    span = positions[step.start:step.arc.end]
    if len(span) == 1:
        found: dict[tuple[Candidate, ...], float] = {(c,): 0.0 for c in span[0]}
    else:
        cheapest = [sorted(options, key=lambda c: c.cost)[:JOIN_RIVALS] for options in span]
        found = {combo: 0.0 for combo in product(*cheapest)}
    for arc in arcs.get(step.start, ()):
        if arc.end == step.arc.end:
            found[arc.readings] = min(arc.cost, found.get(arc.readings, arc.cost))
    return found


def _sequence_scores(options: Sequence[tuple[Sequence[Candidate], float]], symbols: list[int], offset: int, after: int,
                     model: LanguageModel, lm_weight: float) -> list[float]:
    """For each (readings, cost), the score of the path's symbols from `offset` on when the readings
    replace symbols[offset:after]: the readings themselves and the (up to order-1) symbols after
    them that see them in context, less the cost. The n-grams of all are looked up at once."""
    width = model.order - 1
    before, tail = symbols[offset - width:offset], symbols[after:after + width]
    grams: list[list[int]] = []
    owners: list[int] = []
    for k, (readings, _) in enumerate(options):
        sequence = [*before, *(model.id(r.symbol) for r in readings), *tail]
        grams.extend(sequence[end - width:end + 1] for end in range(width, len(sequence)))
        owners.extend([k] * (len(sequence) - width))
    logps = model.scores(*np.array(grams, dtype=np.int64).reshape(-1, width + 1).T)
    totals = np.bincount(np.array(owners, dtype=np.int64), weights=logps, minlength=len(options))
    return [lm_weight * total - cost for (_, cost), total in zip(options, totals.tolist())]


def _one_slot_margins(lattice: Lattice, slots: list[int], offsets: list[int], path: list[int], model: LanguageModel,
                      lm_weight: float) -> list[float]:
    """For each one-slot step (its slot, its place in the path's ids), how much worse (log10) the
    best path gets when the symbol there takes its best other candidate.

    Only the n-grams that see it change: the one predicting it and the order-1 after it (those
    past the path's </s> do not count). Every candidate of every step is scored in a few array
    lookups per n-gram; a step whose candidates all share its symbol has an infinite margin.
    """
    width = model.order - 1
    first = lattice.starts[slots]
    sizes = lattice.starts[np.array(slots) + 1] - first
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    picked = np.repeat(first - starts, sizes) + np.arange(int(sizes.sum()))
    ids = lattice.ids[picked].astype(np.int64)
    costs = lattice.costs[picked]
    ids_path = np.array(path + [path[-1]] * width, dtype=np.int64)  # padded: ids after </s> never count
    at = np.repeat(np.array(offsets), sizes)
    total = np.zeros(len(ids))
    for after in range(width + 1):  # the n-gram predicting the symbol `after` places on
        columns = [ids if back == after else ids_path[at + after - back] for back in range(width, -1, -1)]
        total += np.where(at + after < len(path), model.scores(*columns), 0.0)
    total = lm_weight * total - costs
    chosen = ids == ids_path[at]
    chosen_score = np.maximum.reduceat(np.where(chosen, total, -np.inf), starts)
    best_rival = np.maximum.reduceat(np.where(chosen, -np.inf, total), starts)
    with np.errstate(invalid="ignore"):
        return np.where(np.isneginf(best_rival), np.inf, chosen_score - best_rival).tolist()
