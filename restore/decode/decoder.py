"""Choose the best syllable sequence for a block of lines: beam search over a lattice under the
trigram model.

A block is a run of non-blank lines; the model's context flows across line breaks, because a
dispatch wraps its sentences anywhere. The lattice's nodes are the boundaries between decodable
tokens (slots). Each slot offers candidates, one syllable each (one candidate for a fixed token);
besides those, an Arc may read one slot as several symbols (a token cut: "21thang" -> 21 tháng) or
several slots as one (tokens joined: "THƯ ỜNG" -> THƯỜNG). A hypothesis is scored by
lm_weight * log10 P_LM - channel cost; hypotheses at one node that end in the same two symbols are
merged (Viterbi recombination), so the beam keeps distinct histories only.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping, Sequence
from itertools import product
from typing import NamedTuple

from restore.model.candidates import Candidate
from restore.model.language_model import BOS, EOS, LanguageModel

# Hypotheses this far (log10) behind the best are dropped even when the beam has room.
SCORE_SPAN = 6.0
# Rival readings of a joined span that are tried for its margin: the cheapest few of each slot.
JOIN_RIVALS = 3


class Arc(NamedTuple):
    """A reading of slots [start, end) as one or more symbols, beyond the one-slot candidates."""

    end: int
    readings: tuple[Candidate, ...]  # one per symbol, in order
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
_State = tuple[int, int]


class _Hyp(NamedTuple):
    score: float
    context: _State
    back: _Hyp | None
    start: int
    choice: int | Arc  # a candidate index of slot `start`, or an extra arc from it


def decode(positions: Sequence[Sequence[Candidate]], model: LanguageModel, *, lm_weight: float = 1.0,
           beam: int = 8, arcs: Arcs | None = None) -> list[Step]:
    """The best path through the lattice; deterministic (ties broken by candidate order)."""
    if not positions:
        return []
    arcs = arcs or {}
    n = len(positions)
    bos = model.id(BOS)
    frontier: list[dict[_State, _Hyp]] = [{} for _ in range(n + 1)]
    frontier[0][(bos, bos)] = _Hyp(0.0, (bos, bos), None, -1, -1)
    for i, options in enumerate(positions):
        hyps = _survivors(frontier[i], beam)
        _extend_plain(hyps, i, options, [model.id(c.symbol) for c in options], model, lm_weight, frontier[i + 1])
        for arc in arcs.get(i, ()):
            ids = [model.id(r.symbol) for r in arc.readings]
            for hyp in hyps:
                a, b = hyp.context
                score = hyp.score - arc.total
                for word in ids:
                    score += lm_weight * model.logp3(a, b, word)
                    a, b = b, word
                _offer(frontier[arc.end], _Hyp(score, (a, b), hyp, i, arc))
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


def _extend_plain(hyps: list[_Hyp], i: int, options: Sequence[Candidate], option_ids: list[int],
                  model: LanguageModel, lm_weight: float, merged: dict[_State, _Hyp]) -> None:
    """Every hypothesis extended by every one-slot candidate; the hot path."""
    if len(option_ids) == 1:  # a fixed token: one lookup per hypothesis
        word, cost = option_ids[0], options[0].cost
        for hyp in hyps:
            score = hyp.score + lm_weight * model.logp3(hyp.context[0], hyp.context[1], word) - cost
            _offer(merged, _Hyp(score, (hyp.context[1], word), hyp, i, 0))
        return
    gains = [-c.cost for c in options]
    for hyp in hyps:
        logps = model.next_logps(hyp.context, option_ids)
        previous, base = hyp.context[1], hyp.score
        for index, word in enumerate(option_ids):
            score = base + lm_weight * logps[index] + gains[index]
            state = (previous, word)
            held = merged.get(state)
            if held is None or score > held.score:
                merged[state] = _Hyp(score, state, hyp, i, index)


def margins(positions: Sequence[Sequence[Candidate]], path: Sequence[Step], model: LanguageModel, *,
            lm_weight: float = 1.0, arcs: Arcs | None = None) -> list[float]:
    """Per step, the log10 score the chosen path loses if that step alone takes its best rival
    reading of the same slots: the decoder's confidence, asked for only when a caller reports
    words (JSON, review)."""
    arcs = arcs or {}
    symbols = [model.id(BOS)] * 2
    offsets = []
    for step in path:
        offsets.append(len(symbols))
        symbols.extend(model.id(r.symbol) for r in step.arc.readings)
    symbols.append(model.id(EOS))
    out = []
    for step, offset in zip(path, offsets):
        after = offset + len(step.arc.readings)
        if len(step.arc.readings) == 1 and step.arc.end == step.start + 1 and not arcs.get(step.start):
            options = positions[step.start]
            out.append(_margin(offset, options, [model.id(c.symbol) for c in options], symbols, model, lm_weight))
        else:
            rivals = _rivals(step, positions, arcs)
            chosen = _sequence_score(step.arc.readings, step.arc.total, symbols, offset, after, model, lm_weight)
            best = max((_sequence_score(r, sum(c.cost for c in r) + cost, symbols, offset, after, model, lm_weight)
                        for r, cost in rivals.items() if r != step.arc.readings), default=float("-inf"))
            out.append(chosen - best)
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


def _sequence_score(readings: Sequence[Candidate], cost: float, symbols: list[int], offset: int, after: int,
                    model: LanguageModel, lm_weight: float) -> float:
    """Score of the path's symbols from `offset` on when readings replace symbols[offset:after]:
    the readings themselves and the (up to two) symbols after them that see them in context."""
    a, b = symbols[offset - 2], symbols[offset - 1]
    total = -cost
    for word in [model.id(r.symbol) for r in readings] + symbols[after:after + 2]:
        total += lm_weight * model.logp3(a, b, word)
        a, b = b, word
    return total


def _margin(t: int, options: Sequence[Candidate], option_ids: list[int], path: list[int], model: LanguageModel,
            lm_weight: float) -> float:
    """How much worse (log10) the best path gets when the symbol at path[t] takes its best other
    candidate.

    Only the trigrams that see it change: the one predicting it (scored for all rivals in one
    batch) and the two after it.
    """
    if len(options) < 2:
        return float("inf")
    before, after = path[t - 2:t], path[t + 1:t + 3]  # two ids of context; up to two ids that follow
    here = model.next_logps((before[0], before[1]), option_ids)

    def following(word: int) -> float:
        total = 0.0
        if after:
            total += model.logp3(before[1], word, after[0])
        if len(after) > 1:
            total += model.logp3(word, after[0], after[1])
        return total

    # A rival's full score is its score here plus log probabilities (<= 0) after it, so rivals are
    # tried best-first here and the search stops once none can beat the best found.
    chosen_id = path[t]
    chosen = option_ids.index(chosen_id)
    partial = [lm_weight * here[k] - options[k].cost for k in range(len(options))]
    best_rival = float("-inf")
    for k in sorted(range(len(options)), key=partial.__getitem__, reverse=True):
        if partial[k] <= best_rival:
            break
        if option_ids[k] != chosen_id:
            best_rival = max(best_rival, partial[k] + lm_weight * following(option_ids[k]))
    return partial[chosen] + lm_weight * following(chosen_id) - best_rival
