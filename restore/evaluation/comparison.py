"""Compare an output with its gold copy: one-sided blocks, moved text, metrics, rows, confusions.

Layouts differ: a gold copy may lack the header block of the scan, or wrap and order its signature
block differently. Words are aligned first, over the whole text with whitespace collapsed, which
copes with lines split or merged differently. A line whose words are nearly all unmatched is
one-sided; runs of such lines form blocks that are listed and counted apart, not folded into CER
and WER. Word runs found on both sides at different places are moved text: the move is not an
error; a misreading beside it on its line is (the remnants of the line are paired and scored).
Every step is near linear, so a whole batch or a megabyte on one line compares in seconds.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from restore.evaluation.align import Opcode, anchored_opcodes
from restore.evaluation.confusions import Confusions, count_confusions
from restore.evaluation.metrics import Scores, aligned_scores, comparable
from restore.evaluation.rows import Row, Side, build_rows
from restore.text.normalize import fold

ONE_SIDED_SHARE = 0.8  # a line with this share of unmatched words belongs to one side only
MIN_MOVED_WORDS = 3  # a run of words unmatched on both sides, at different places, is text laid out elsewhere
UNRELATED = 0.7  # a substitution this far apart (share of characters, diacritics ignored) is no match
MAX_MOVE_STARTS = 8  # a phrase more frequent than this on the gold side starts no run (it says nothing of place)


@dataclass
class Block:
    """Consecutive lines present on one side only."""

    side: str  # "output" or "gold"
    first_line: int  # 1-based line numbers in that side's file
    last_line: int
    words: int
    text: str


@dataclass
class Comparison:
    scores: Scores
    blocks: list[Block]
    moved: list[str]  # word runs present on both sides at different places (two-column layouts)
    rows: list[Row]
    confusions: Confusions

    def as_dict(self) -> dict:
        return {
            "scores": self.scores.as_dict(),
            "one_sided_blocks": [vars(b) for b in self.blocks],
            "one_sided_words": {side: sum(b.words for b in self.blocks if b.side == side)
                                for side in ("output", "gold")},
            "moved": self.moved,
            "rows": [r.as_dict() for r in self.rows],
            **self.confusions.as_dict(),
        }


def compare(output: str, gold: str, *, ocr: str | None = None, flagged: frozenset[int] = frozenset()) -> Comparison:
    """`flagged`: indices of output words (in comparable form) that the repair marked for review."""
    hyp, ref = Side.of(output), Side.of(gold)
    runs = _moved(hyp, ref, anchored_opcodes(ref.words, hyp.words))
    moved_hyp = {h + k for h, _, n in runs for k in range(n)}
    moved_gold = {g + k for _, g, n in runs for k in range(n)}
    edges = _edges(hyp, ref, runs, moved_hyp, moved_gold)
    moved_hyp.update(j for js, _ in edges for j in js)
    moved_gold.update(i for _, is_ in edges for i in is_)
    rest_hyp = [j for j in range(len(hyp.words)) if j not in moved_hyp]
    rest_gold = [i for i in range(len(ref.words)) if i not in moved_gold]
    rest_gold_words, rest_hyp_words = [ref.words[i] for i in rest_gold], [hyp.words[j] for j in rest_hyp]
    ops = anchored_opcodes(rest_gold_words, rest_hyp_words)
    inserted = {rest_hyp[j] for j in _positions(ops, "insert", b_side=True)}
    deleted = {rest_gold[i] for i in _positions(ops, "delete", b_side=False)}
    # A gold line read as junk is text the scan does not show (under a seal); junk itself still counts.
    deleted.update(rest_gold[i] for i in _unrelated(ops, rest_gold_words, rest_hyp_words))
    blocks = (_blocks(hyp, _one_sided_lines(hyp, inserted), "output")
              + _blocks(ref, _one_sided_lines(ref, deleted), "gold"))
    in_blocks = {side: {n for b in blocks if b.side == side for n in range(b.first_line - 1, b.last_line)}
                 for side in ("output", "gold")}
    kept_hyp = [j for j in rest_hyp if hyp.owners[j] not in in_blocks["output"]]
    kept_gold = [i for i in rest_gold if ref.owners[i] not in in_blocks["gold"]]
    segments = [(kept_gold, kept_hyp), *((list(range(g, g + n)), list(range(h, h + n))) for h, g, n in runs),
                *((is_, js) for js, is_ in edges)]
    aligned = []
    partners: dict[int, int] = {}
    for gold_index, hyp_index in segments:
        gold_words, hyp_words = [ref.words[i] for i in gold_index], [hyp.words[j] for j in hyp_index]
        segment_ops = anchored_opcodes(gold_words, hyp_words)
        partners.update(_partners(segment_ops, gold_index, hyp_index))
        aligned.append((gold_words, hyp_words, segment_ops))
    scores = aligned_scores(*aligned[0])
    for segment in aligned[1:]:
        scores = scores + aligned_scores(*segment)
    rows = build_rows(hyp, ref, partners, in_blocks["output"], in_blocks["gold"], ocr=ocr, flagged=flagged)
    return Comparison(scores, blocks, [" ".join(hyp.words[h:h + n]) for h, _, n in runs], rows,
                      count_confusions(aligned))


def _positions(ops: list[Opcode], tag: str, *, b_side: bool) -> set[int]:
    return {p for t, i1, i2, j1, j2 in ops if t == tag for p in (range(j1, j2) if b_side else range(i1, i2))}


def _unrelated(ops: list[Opcode], gold: list[str], hyp: list[str]) -> list[int]:
    """Gold words substituted by next to nothing in common ("KT." by "—/"): as unmatched as a gap."""
    return [i1 + d for tag, i1, i2, j1, j2 in ops if tag == "replace" for d in range(min(i2 - i1, j2 - j1))
            if Levenshtein.normalized_distance(fold(gold[i1 + d]).lower(), fold(hyp[j1 + d]).lower()) > UNRELATED]


def _partners(ops: list[Opcode], gold_index: list[int], hyp_index: list[int]) -> dict[int, int]:
    """Output word -> gold word it was aligned with (equal or substituted), in whole-text indices."""
    partners = {}
    for tag, i1, i2, j1, j2 in ops:
        if tag in ("equal", "replace"):
            for k in range(min(i2 - i1, j2 - j1)):
                partners[hyp_index[j1 + k]] = gold_index[i1 + k]
    return partners


def _one_sided_lines(side: Side, unmatched: set[int]) -> set[int]:
    total: Counter[int] = Counter(side.owners)
    lost: Counter[int] = Counter(side.owners[i] for i in unmatched)
    return {n for n in total if lost[n] >= ONE_SIDED_SHARE * total[n] and side.lines[n].strip()}


def _blocks(side: Side, one_sided: set[int], name: str) -> list[Block]:
    lines = side.lines
    blocks: list[Block] = []
    current: list[int] = []
    for number in range(len(lines) + 1):
        if number < len(lines) and (number in one_sided or (current and not lines[number].strip())):
            current.append(number)
            continue
        while current and not lines[current[-1]].strip():
            current.pop()
        if current:
            text = "\n".join(lines[i] for i in current)
            blocks.append(Block(name, current[0] + 1, current[-1] + 1, len(comparable(text).split()), text))
        current = []
    return blocks


def _moved(hyp: Side, ref: Side, in_order: list[Opcode]) -> list[tuple[int, int, int]]:
    """Word runs found on both sides but out of order: (output start, gold start, length).

    Every maximal common run of MIN_MOVED_WORDS words or more within a line on each side is
    found through an index of gold phrases (each diagonal walked once, so this stays near
    linear); the longest are kept without overlap, ties going to the pairing the in-order
    alignment chose. Runs on the heaviest chain in order on both sides are not moved; the
    others are. Words must match exactly: matched with diacritics ignored, the many repeated
    phrases of a dispatch ("mối quan hệ mật thiết") would pair a raw OCR's phrase with a twin
    elsewhere. So a moved line misread every other word is not found, and ends in a block.
    """
    k = MIN_MOVED_WORDS
    hyp_words, gold_words = hyp.words, ref.words
    places: dict[tuple[str, ...], list[int]] = {}
    for g in range(len(gold_words) - k + 1):
        if ref.owners[g] == ref.owners[g + k - 1]:
            places.setdefault(tuple(gold_words[g:g + k]), []).append(g)
    paired = {j1 + d: i1 + d for tag, i1, i2, j1, j2 in in_order if tag == "equal" for d in range(j2 - j1)}

    def same(h: int, g: int, line_h: int, line_g: int) -> bool:
        return (0 <= h < len(hyp_words) and 0 <= g < len(gold_words) and hyp.owners[h] == line_h
                and ref.owners[g] == line_g and hyp_words[h] == gold_words[g])

    found: list[tuple[int, bool, int, int]] = []  # length, not chosen in order, output start, gold start
    walked: dict[int, int] = {}  # diagonal (h - g) -> end of the run last walked on it
    for h in range(len(hyp_words) - k + 1):
        if hyp.owners[h] != hyp.owners[h + k - 1]:
            continue
        starts = places.get(tuple(hyp_words[h:h + k]), [])
        for g in starts if len(starts) <= MAX_MOVE_STARTS else ():
            if walked.get(h - g, -1) > h:
                continue
            lines = (hyp.owners[h], ref.owners[g])
            b = 0
            while same(h - b - 1, g - b - 1, *lines):
                b += 1
            n = k + b
            while same(h - b + n, g - b + n, *lines):
                n += 1
            walked[h - g] = h - b + n
            found.append((n, paired.get(h - b) != g - b, h - b, g - b))
    taken_hyp: set[int] = set()
    taken_gold: set[int] = set()
    runs = []
    for n, _, h, g in sorted(found, key=lambda run: (-run[0], run[1], run[2], run[3])):
        h, g, n = _longest_free(h, g, n, taken_hyp, taken_gold)  # a run may overlap a longer one by a word
        if n >= k:
            taken_hyp.update(range(h, h + n))
            taken_gold.update(range(g, g + n))
            runs.append((h, g, n))
    chain = set(_heaviest_chain(runs))
    return sorted(run for run in runs if run not in chain)


def _longest_free(h: int, g: int, n: int, taken_hyp: set[int], taken_gold: set[int]) -> tuple[int, int, int]:
    """The longest stretch of a run whose words are taken on neither side."""
    best, start = (h, g, 0), 0
    for d in range(n + 1):
        if d == n or h + d in taken_hyp or g + d in taken_gold:
            if d - start > best[2]:
                best = (h + start, g + start, d - start)
            start = d + 1
    return best


def _heaviest_chain(runs: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Runs in order on both sides with the most words: a max-weight increasing subsequence."""
    ordered = sorted(runs)  # by output start; runs do not overlap
    gold_order = sorted(range(len(ordered)), key=lambda r: ordered[r][1])
    rank = {r: position for position, r in enumerate(gold_order)}
    tree = [(0, -1)] * (len(ordered) + 1)  # Fenwick tree of (best weight, run) over gold rank
    best: list[tuple[int, int]] = []
    for r, (_, _, n) in enumerate(ordered):
        before, i = (0, -1), rank[r]
        while i > 0:
            before = max(before, tree[i])
            i -= i & -i
        best.append((before[0] + n, before[1]))
        i = rank[r] + 1
        while i <= len(ordered):
            tree[i] = max(tree[i], (best[r][0], r))
            i += i & -i
    chain = []
    r = max(range(len(best)), key=lambda x: best[x][0]) if best else -1
    while r >= 0:
        chain.append(ordered[r])
        r = best[r][1]
    return chain


def _edges(hyp: Side, ref: Side, runs: list[tuple[int, int, int]], taken_hyp: set[int],
           taken_gold: set[int]) -> list[tuple[list[int], list[int]]]:
    """Words next to a moved run, up to the end of its line on each side: (output, gold) indices.

    A moved line with one misread word splits into a run and a remnant; the remnants are paired
    with each other, so the misreading counts once and the move not at all.
    """
    claimed_hyp, claimed_gold = set(taken_hyp), set(taken_gold)
    edges = []
    for h, g, n in runs:
        for step, h0, g0 in ((-1, h - 1, g - 1), (1, h + n, g + n)):
            js = _remnant(hyp, h0, step, hyp.owners[h], claimed_hyp)
            is_ = _remnant(ref, g0, step, ref.owners[g], claimed_gold)
            if js and is_:
                claimed_hyp.update(js)
                claimed_gold.update(is_)
                edges.append((js, is_))
    return edges


def _remnant(side: Side, start: int, step: int, line: int, claimed: set[int]) -> list[int]:
    out = []
    i = start
    while 0 <= i < len(side.words) and side.owners[i] == line and i not in claimed:
        out.append(i)
        i += step
    return sorted(out)
