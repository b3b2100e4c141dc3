"""Monotone alignments of two sequences.

`align` takes any substitution cost (pairing OCR tokens with the syllables they came from, for
channel training); a band around the diagonal keeps it cheap when both run roughly in step.
`anchored_opcodes` is the evaluation's: exact edit scripts on texts of ordinary length, and near
linear ones, cut at unique words, on a whole batch or a megabyte on one line.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Hashable, Sequence
from typing import TypeVar

from rapidfuzz.distance import Levenshtein

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


Opcode = tuple[str, int, int, int, int]  # tag ("equal", "replace", "delete", "insert"), a1, a2, b1, b2
EXACT_CELLS = 400_000_000  # a segment up to this many cells is aligned exactly (20,000 words a side: 0.08 s)


def anchored_opcodes(a: Sequence[Hashable], b: Sequence[Hashable], *, exact_cells: int = EXACT_CELLS) -> list[Opcode]:
    """Edit script from a to b that stays near linear on texts of any length.

    A segment small enough is aligned exactly (bit-parallel Levenshtein). A larger one is cut at
    anchors, the items that occur once on each side, kept in the longest run that is in order on
    both sides (patience diff), and each piece between anchors is aligned the same way. Segments
    are taken leftmost first, so the script comes out in order without recursion.
    """
    out: list[Opcode] = []
    pending = [(0, len(a), 0, len(b))]
    while pending:
        i1, i2, j1, j2 = pending.pop()
        while i1 < i2 and j1 < j2 and a[i1] == b[j1]:
            _emit(out, "equal", i1, i1 + 1, j1, j1 + 1)
            i1, j1 = i1 + 1, j1 + 1
        tail = 0
        while i2 - tail > i1 and j2 - tail > j1 and a[i2 - tail - 1] == b[j2 - tail - 1]:
            tail += 1
        i2, j2 = i2 - tail, j2 - tail
        anchors = [] if (i2 - i1) * (j2 - j1) <= exact_cells else _anchors(a, b, i1, i2, j1, j2)
        if anchors:
            # Gaps between anchors and the anchors themselves, each a segment (an anchor trims to equal).
            segments, (pa, pb) = [], (i1, j1)
            for qa, qb in anchors:
                segments += [(pa, qa, pb, qb), (qa, qa + 1, qb, qb + 1)]
                pa, pb = qa + 1, qb + 1
            segments += [(pa, i2, pb, j2), (i2, i2 + tail, j2, j2 + tail)]
            pending.extend(reversed(segments))
            continue
        _align_segment(out, a, b, i1, i2, j1, j2)
        if tail:
            _emit(out, "equal", i2, i2 + tail, j2, j2 + tail)
    return out


def _align_segment(out: list[Opcode], a: Sequence[Hashable], b: Sequence[Hashable], i1: int, i2: int, j1: int,
                   j2: int) -> None:
    if i1 == i2 and j1 == j2:
        return
    if i1 == i2 or j1 == j2:
        _emit(out, "insert" if i1 == i2 else "delete", i1, i2, j1, j2)
        return
    for op in Levenshtein.opcodes(a[i1:i2], b[j1:j2]):
        _emit(out, op.tag, i1 + op.src_start, i1 + op.src_end, j1 + op.dest_start, j1 + op.dest_end)


def _emit(out: list[Opcode], tag: str, i1: int, i2: int, j1: int, j2: int) -> None:
    """Append, merging with the previous opcode of the same tag when they touch."""
    if out and out[-1][0] == tag and out[-1][2] == i1 and out[-1][4] == j1:
        out[-1] = (tag, out[-1][1], i2, out[-1][3], j2)
    else:
        out.append((tag, i1, i2, j1, j2))


def _anchors(a: Sequence[Hashable], b: Sequence[Hashable], i1: int, i2: int, j1: int, j2: int) -> list[
    tuple[int, int]
]:
    """Items unique on both sides of the segment, in the longest order-preserving run (by b)."""
    seen_a: dict[Hashable, int] = {}
    for i in range(i1, i2):
        seen_a[a[i]] = -1 if a[i] in seen_a else i
    seen_b: dict[Hashable, int] = {}
    for j in range(j1, j2):
        seen_b[b[j]] = -1 if b[j] in seen_b else j
    pairs = sorted((i, seen_b[item]) for item, i in seen_a.items() if i >= 0 and seen_b.get(item, -1) >= 0)
    return _longest_increasing(pairs)


def _longest_increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Longest subsequence of pairs (sorted by first) whose second items increase: patience sorting."""
    tops: list[int] = []  # b position at the top of each pile
    top_index: list[int] = []
    back: list[int] = []
    for k, (_, j) in enumerate(pairs):
        pile = bisect_left(tops, j)
        if pile == len(tops):
            tops.append(j)
            top_index.append(k)
        else:
            tops[pile], top_index[pile] = j, k
        back.append(top_index[pile - 1] if pile else -1)
    run: list[tuple[int, int]] = []
    k = top_index[-1] if top_index else -1
    while k >= 0:
        run.append(pairs[k])
        k = back[k]
    return run[::-1]


def hunks(ops: list[Opcode]) -> list[tuple[int, int, int, int]]:
    """Maximal runs of differences between equal stretches: (a1, a2, b1, b2)."""
    out: list[tuple[int, int, int, int]] = []
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal":
            continue
        if out and out[-1][1] == i1 and out[-1][3] == j1:
            out[-1] = (out[-1][0], i2, out[-1][2], j2)
        else:
            out.append((i1, i2, j1, j2))
    return out
