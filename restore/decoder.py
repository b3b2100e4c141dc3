"""Choose the best syllable sequence for a block of lines: beam search under the trigram model.

A block is a run of non-blank lines; the model's context flows across line breaks, because a
dispatch wraps its sentences anywhere. Each position offers candidates (one for a fixed token);
a hypothesis is scored by lm_weight * log10 P_LM - channel cost, and hypotheses that end in the
same two symbols are merged (Viterbi recombination), so the beam keeps distinct histories only.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from typing import NamedTuple

from restore.candidates import Candidate
from restore.language_model import BOS, EOS, LanguageModel

# Hypotheses this far (log10) behind the best are dropped even when the beam has room.
SCORE_SPAN = 6.0


class Choice(NamedTuple):
    """What the decoder picked at one position, and how sure it was (posterior in the beam)."""

    candidate: Candidate
    margin: float  # best score minus the best score with another candidate here (log10)


class _Hyp(NamedTuple):
    score: float
    context: tuple[int, int]
    back: _Hyp | None
    choice: int  # candidate index chosen at this step


def decode(positions: Sequence[Sequence[Candidate]], model: LanguageModel, *, lm_weight: float = 1.0,
           beam: int = 8) -> list[Choice]:
    """Best candidate per position; deterministic (ties broken by candidate order)."""
    if not positions:
        return []
    bos = model.id(BOS)
    ids = [[model.id(c.symbol) for c in options] for options in positions]
    hyps = [_Hyp(0.0, (bos, bos), None, -1)]
    history: list[list[_Hyp]] = []
    for options, option_ids in zip(positions, ids):
        costs = [c.cost for c in options]
        indices = range(len(option_ids))
        merged: dict[tuple[int, int], tuple[float, _Hyp, int]] = {}
        for hyp in hyps:
            logps = model.next_logps(hyp.context, option_ids)
            previous = hyp.context[1]
            base = hyp.score
            for index in indices:
                score = base + lm_weight * logps[index] - costs[index]
                state = (previous, option_ids[index])
                best = merged.get(state)
                if best is None or score > best[0]:
                    merged[state] = (score, hyp, index)
        survivors = heapq.nlargest(beam, merged.items(), key=lambda item: item[1][0])
        floor = survivors[0][1][0] - SCORE_SPAN
        survivors = [item for item in survivors if item[1][0] >= floor]
        hyps = [_Hyp(score, state, back, index) for state, (score, back, index) in survivors]
        history.append(hyps)
    eos = model.id(EOS)
    final = max(hyps, key=lambda h: h.score + lm_weight * model.logp(h.context, eos))
    chosen: list[int] = []
    node: _Hyp | None = final
    while node is not None and node.choice >= 0:
        chosen.append(node.choice)
        node = node.back
    chosen.reverse()
    return [Choice(options[i], _margin(step, i)) for options, i, step in zip(positions, chosen, history)]


def _margin(step: list[_Hyp], chosen: int) -> float:
    """How far the best surviving hypothesis with a different choice here trails (inf if none)."""
    best_same = max((h.score for h in step if h.choice == chosen), default=0.0)
    others = [h.score for h in step if h.choice != chosen]
    return best_same - max(others) if others else float("inf")
