"""Monotone alignment of two sequences with a substitution cost: words to words, lines to lines.

One dynamic programme serves two needs: pairing OCR tokens with the syllables they came from
(channel training) and pairing hypothesis lines with gold lines (the evaluation report). A band
around the diagonal keeps long sequences cheap when they are known to run roughly in step.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

A = TypeVar("A")
B = TypeVar("B")
Pair = tuple[int | None, int | None]  # (index in a, index in b); None on the side with a gap


def align(a: Sequence[A], b: Sequence[B], substitution: Callable[[A, B], float], *, gap: float = 1.0,
          band: int | None = None) -> list[Pair]:
    """Least-cost alignment; `band` limits |i - j * len(a) / len(b)| (None: no limit)."""
    n, m = len(a), len(b)
    inf = float("inf")
    ratio = n / m if m else 1.0

    def inside(i: int, j: int) -> bool:
        return band is None or abs(i - j * ratio) <= band + 1

    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    move = [[0] * (m + 1) for _ in range(n + 1)]  # 1 diagonal, 2 gap in b (skip a[i]), 3 gap in a
    cost[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            if (i == 0 and j == 0) or not inside(i, j):
                continue
            best, how = inf, 0
            if i and j and cost[i - 1][j - 1] < inf:
                best, how = cost[i - 1][j - 1] + substitution(a[i - 1], b[j - 1]), 1
            if i and cost[i - 1][j] + gap < best:
                best, how = cost[i - 1][j] + gap, 2
            if j and cost[i][j - 1] + gap < best:
                best, how = cost[i][j - 1] + gap, 3
            cost[i][j], move[i][j] = best, how
    pairs: list[Pair] = []
    i, j = n, m
    while i or j:
        how = move[i][j]
        if how == 1:
            pairs.append((i - 1, j - 1))
            i, j = i - 1, j - 1
        elif how == 2 or (how == 0 and i):
            pairs.append((i - 1, None))
            i -= 1
        else:
            pairs.append((None, j - 1))
            j -= 1
    pairs.reverse()
    return pairs
