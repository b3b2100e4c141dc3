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

from restore.model.candidates import Candidate
from restore.model.language_model import BOS, EOS, LanguageModel

# Hypotheses this far (log10) behind the best are dropped even when the beam has room.
SCORE_SPAN = 6.0


class _Hyp(NamedTuple):
    score: float
    context: tuple[int, int]
    back: _Hyp | None
    choice: int  # candidate index chosen at this step


def decode(positions: Sequence[Sequence[Candidate]], model: LanguageModel, *, lm_weight: float = 1.0,
           beam: int = 8) -> list[Candidate]:
    """Best candidate per position; deterministic (ties broken by candidate order)."""
    if not positions:
        return []
    bos = model.id(BOS)
    ids = [[model.id(c.symbol) for c in options] for options in positions]
    hyps = [_Hyp(0.0, (bos, bos), None, -1)]
    for options, option_ids in zip(positions, ids):
        merged: dict[tuple[int, int], tuple[float, _Hyp, int]] = {}
        if len(option_ids) == 1:  # a fixed token: one lookup per hypothesis
            word, cost = option_ids[0], options[0].cost
            for hyp in hyps:
                score = hyp.score + lm_weight * model.logp3(hyp.context[0], hyp.context[1], word) - cost
                state = (hyp.context[1], word)
                best = merged.get(state)
                if best is None or score > best[0]:
                    merged[state] = (score, hyp, 0)
        else:
            gains = [-c.cost for c in options]
            for hyp in hyps:
                logps = model.next_logps(hyp.context, option_ids)
                previous, base = hyp.context[1], hyp.score
                for index, word in enumerate(option_ids):
                    score = base + lm_weight * logps[index] + gains[index]
                    state = (previous, word)
                    best = merged.get(state)
                    if best is None or score > best[0]:
                        merged[state] = (score, hyp, index)
        survivors = heapq.nlargest(beam, merged.items(), key=lambda item: item[1][0])
        floor = survivors[0][1][0] - SCORE_SPAN
        survivors = [item for item in survivors if item[1][0] >= floor]
        hyps = [_Hyp(score, state, back, index) for state, (score, back, index) in survivors]
    eos = model.id(EOS)
    final = max(hyps, key=lambda h: h.score + lm_weight * model.logp(h.context, eos))
    chosen: list[int] = []
    node: _Hyp | None = final
    while node is not None and node.choice >= 0:
        chosen.append(node.choice)
        node = node.back
    chosen.reverse()
    return [options[i] for options, i in zip(positions, chosen)]


def margins(positions: Sequence[Sequence[Candidate]], chosen: Sequence[Candidate], model: LanguageModel, *,
            lm_weight: float = 1.0) -> list[float]:
    """Per position, the log10 score the chosen path loses if that position alone takes its best
    rival: the decoder's confidence, asked for only when a caller reports words (JSON, review)."""
    ids = [[model.id(c.symbol) for c in options] for options in positions]
    path = [model.id(BOS)] * 2 + [model.id(c.symbol) for c in chosen] + [model.id(EOS)]
    return [_margin(t, options, ids[t], path, model, lm_weight) for t, options in enumerate(positions)]


def _margin(t: int, options: Sequence[Candidate], option_ids: list[int], path: list[int], model: LanguageModel,
            lm_weight: float) -> float:
    """How much worse (log10) the best path gets when position t takes its best other candidate.

    Only the trigrams that see position t change: the one predicting it (scored for all rivals in
    one batch) and the two after it.
    """
    if len(options) < 2:
        return float("inf")
    before, after = path[t:t + 2], path[t + 3:t + 5]  # two ids of context; up to two ids that follow
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
    chosen_id = path[t + 2]
    chosen = option_ids.index(chosen_id)
    partial = [lm_weight * here[k] - options[k].cost for k in range(len(options))]
    best_rival = float("-inf")
    for k in sorted(range(len(options)), key=partial.__getitem__, reverse=True):
        if partial[k] <= best_rival:
            break
        if option_ids[k] != chosen_id:
            best_rival = max(best_rival, partial[k] + lm_weight * following(option_ids[k]))
    return partial[chosen] + lm_weight * following(chosen_id) - best_rival
