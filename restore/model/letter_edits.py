"""The letters part of the OCR channel: what each edit between a fold's letters and OCR's costs, and
the least-cost edit (a weighted Levenshtein distance with two-character steps: "ti" for u, "rn"
for m). restore/model/channel.py prices candidates with it; lexicon/channel_training.py learns the
costs from the edits it finds on synthetic scans; restore/model/letter_costs.c computes the same
cost compiled.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LetterCosts:
    """Costs of the edit operations that turn a folded syllable into OCR letters."""

    substitutions: dict[tuple[str, str], float]  # (OCR char, syllable letter) -> cost; a match is (a, a)
    multi: dict[str, dict[str, float]]  # two OCR chars -> {one or two syllable letters: cost}
    missing: dict[str, float]  # syllable letter that OCR dropped
    extra: dict[str, float]  # OCR char with no letter behind it
    default_substitution: float
    default_missing: float
    default_extra: float


def edit_cost(letters: str, target: str, costs: LetterCosts) -> float:
    """The cost of `edit_alignment` without its operations: the candidate generator's hot path."""
    subs, multi, extra, missing = costs.substitutions, costs.multi, costs.extra, costs.missing
    default_sub, default_extra, default_missing = costs.default_substitution, costs.default_extra, costs.default_missing
    insert = [missing.get(b, default_missing) for b in target]
    previous2: list[float] | None = None
    previous = [0.0]
    for cost in insert:
        previous.append(previous[-1] + cost)
    for i, a in enumerate(letters, 1):
        drop = extra.get(a, default_extra)
        pair = multi.get(letters[i - 2:i]) if i >= 2 else None
        row = [previous[0] + drop]
        for j, b in enumerate(target, 1):
            sub = subs.get((a, b), 0.0 if a == b and (a, a) not in subs else default_sub)
            best = min(previous[j - 1] + sub, previous[j] + drop, row[j - 1] + insert[j - 1])
            if pair is not None and previous2 is not None:
                two = pair.get(b)
                if two is not None and previous2[j - 1] + two < best:
                    best = previous2[j - 1] + two
                two = pair.get(target[j - 2:j]) if j >= 2 else None
                if two is not None and previous2[j - 2] + two < best:
                    best = previous2[j - 2] + two
            row.append(best)
        previous2, previous = previous, row
    return previous[-1]


def edit_alignment(letters: str, target: str, costs: LetterCosts) -> tuple[float, list[tuple[str, str]]]:
    """Least-cost edit from a folded syllable to OCR letters, and its operations.

    Operations are (OCR part, syllable part): ("a", "a") match, ("4", "a") substitution,
    ("ti", "u") two for one, ("im", "un") two for two (ư read "ir", then "rn" read "m"),
    ("", "u") a letter OCR dropped, ("'", "") an extra OCR character.
    """
    n, m = len(letters), len(target)
    subs, multi = costs.substitutions, costs.multi
    inf = float("inf")
    table = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int]]] = [[(0, 0)] * (m + 1) for _ in range(n + 1)]
    table[0][0] = 0.0
    for i in range(n + 1):
        row, a = table[i], letters[i - 1] if i else ""
        for j in range(m + 1):
            if i == 0 and j == 0:
                continue
            best, step = inf, (0, 0)
            b = target[j - 1] if j else ""
            if i and j:
                sub = subs.get((a, b), 0.0 if a == b and (a, a) not in subs else costs.default_substitution)
                best, step = table[i - 1][j - 1] + sub, (1, 1)
            if i:
                cost = table[i - 1][j] + costs.extra.get(a, costs.default_extra)
                if cost < best:
                    best, step = cost, (1, 0)
            if j:
                cost = row[j - 1] + costs.missing.get(b, costs.default_missing)
                if cost < best:
                    best, step = cost, (0, 1)
            for width in (1, 2) if i >= 2 else ():
                pair_cost = multi.get(letters[i - 2:i], {}).get(target[j - width:j]) if j >= width else None
                if pair_cost is not None and table[i - 2][j - width] + pair_cost < best:
                    best, step = table[i - 2][j - width] + pair_cost, (2, width)
            row[j], back[i][j] = best, step
    ops: list[tuple[str, str]] = []
    i, j = n, m
    while i or j:
        di, dj = back[i][j]
        ops.append((letters[i - di:i], target[j - dj:j]))
        i, j = i - di, j - dj
    ops.reverse()
    return table[n][m], ops
