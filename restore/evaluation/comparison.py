"""Compare a hypothesis with its gold copy: aligned lines, one-sided blocks, metrics, confusions.

Layouts differ: a gold copy may lack the header block of the scan, or wrap and order its signature
block differently. Words are aligned first, over the whole text with whitespace collapsed, which
copes with lines split or merged differently. A line whose words are nearly all unmatched is
one-sided; runs of such lines form blocks that are listed and counted apart, not folded into CER
and WER. Lines are then aligned for the side-by-side view, each pair with its own CER.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from rapidfuzz.distance import Levenshtein

from restore.evaluation.align import align
from restore.evaluation.metrics import Scores, char_errors, comparable, graphemes, score

ONE_SIDED_SHARE = 0.8  # a line with this share of unmatched words belongs to one side only
MIN_MOVED_WORDS = 3  # a run of words unmatched on both sides, at different places, is text laid out elsewhere
LINE_GAP = 0.6  # cost of leaving a line unpaired in the side-by-side alignment


@dataclass
class Block:
    """Consecutive lines present on one side only."""

    side: str  # "hypothesis" or "gold"
    first_line: int  # 1-based line numbers in that side's file
    last_line: int
    words: int
    text: str


@dataclass
class LinePair:
    hyp_line: int | None  # 1-based; None when the other side has no partner
    gold_line: int | None
    hyp: str
    gold: str
    cer: float | None
    diff: list[tuple[str, str]] = field(default_factory=list)  # (op, text): equal, delete (gold), insert (hyp)


@dataclass
class Comparison:
    scores: Scores
    blocks: list[Block]
    moved: list[str]  # word runs present on both sides at different places (two-column layouts)
    pairs: list[LinePair]
    confusions: list[tuple[str, str, int]]  # gold word, hypothesis word, count

    def as_dict(self) -> dict:
        return {
            "scores": self.scores.as_dict(),
            "one_sided_blocks": [vars(b) for b in self.blocks],
            "one_sided_words": {side: sum(b.words for b in self.blocks if b.side == side)
                                for side in ("hypothesis", "gold")},
            "moved": self.moved,
            "lines": [vars(p) for p in self.pairs],
            "confusions": [{"gold": g, "output": h, "count": n} for g, h, n in self.confusions],
        }


def _words_by_line(lines: list[str]) -> tuple[list[str], list[int]]:
    words, owners = [], []
    for number, line in enumerate(lines):
        for word in comparable(line).split():
            words.append(word)
            owners.append(number)
    return words, owners


def _one_sided_lines(lines: list[str], owners: list[int], unmatched: set[int]) -> set[int]:
    total: Counter[int] = Counter(owners)
    lost: Counter[int] = Counter(owners[i] for i in unmatched)
    return {n for n in total if lost[n] >= ONE_SIDED_SHARE * total[n] and lines[n].strip()}


def _blocks(lines: list[str], one_sided: set[int], side: str) -> list[Block]:
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
            blocks.append(Block(side, current[0] + 1, current[-1] + 1, len(comparable(text).split()), text))
        current = []
    return blocks


def _diff(gold: str, hyp: str) -> list[tuple[str, str]]:
    g, h = graphemes(gold), graphemes(hyp)
    ops: list[tuple[str, str]] = []
    for opcode in Levenshtein.opcodes(g, h):
        tag, g1, g2, h1, h2 = opcode.tag, opcode.src_start, opcode.src_end, opcode.dest_start, opcode.dest_end
        if tag == "equal":
            ops.append(("equal", "".join(g[g1:g2])))
            continue
        if g2 > g1:
            ops.append(("delete", "".join(g[g1:g2])))
        if h2 > h1:
            ops.append(("insert", "".join(h[h1:h2])))
    return ops


def _line_pairs(hyp_lines: list[str], gold_lines: list[str], skip_hyp: set[int], skip_gold: set[int]) -> list[
    LinePair
]:
    hyp_index = [i for i, line in enumerate(hyp_lines) if line.strip() and i not in skip_hyp]
    gold_index = [i for i, line in enumerate(gold_lines) if line.strip() and i not in skip_gold]
    hyp_keys = [comparable(hyp_lines[i], blind=True) for i in hyp_index]
    gold_keys = [comparable(gold_lines[i], blind=True) for i in gold_index]
    pairs = []
    for a, b in align(hyp_keys, gold_keys, Levenshtein.normalized_distance, gap=LINE_GAP):
        hyp = hyp_lines[hyp_index[a]] if a is not None else ""
        gold = gold_lines[gold_index[b]] if b is not None else ""
        cer = char_errors(gold, hyp).rate if a is not None and b is not None else None
        pairs.append(LinePair(hyp_index[a] + 1 if a is not None else None, gold_index[b] + 1 if b is not None else None,
                              hyp, gold, cer, _diff(comparable(gold), comparable(hyp))))
    return pairs


def _runs(positions: set[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for p in sorted(positions):
        if runs and runs[-1][-1] == p - 1:
            runs[-1].append(p)
        else:
            runs.append([p])
    return runs


def _moved(hyp_words: list[str], gold_words: list[str], inserted: set[int], deleted: set[int]) -> tuple[
    set[int], set[int], list[str]
]:
    """Word runs inserted in one place and deleted in another: the longest shared run, repeatedly."""
    moved_hyp: set[int] = set()
    moved_gold: set[int] = set()
    texts: list[str] = []
    while True:
        best: tuple[int, int, int] = (0, 0, 0)  # length, hyp start, gold start
        for h_run in _runs(inserted - moved_hyp):
            for g_run in _runs(deleted - moved_gold):
                for hi in range(len(h_run)):
                    for gi in range(len(g_run)):
                        k = 0
                        while (hi + k < len(h_run) and gi + k < len(g_run)
                               and hyp_words[h_run[hi + k]] == gold_words[g_run[gi + k]]):
                            k += 1
                        if k > best[0]:
                            best = (k, h_run[hi], g_run[gi])
        length, h, g = best
        if length < MIN_MOVED_WORDS:
            return moved_hyp, moved_gold, texts
        moved_hyp.update(range(h, h + length))
        moved_gold.update(range(g, g + length))
        texts.append(" ".join(hyp_words[h:h + length]))


def compare(hypothesis: str, gold: str) -> Comparison:
    hyp_lines, gold_lines = hypothesis.splitlines(), gold.splitlines()
    hyp_words, hyp_owner = _words_by_line(hyp_lines)
    gold_words, gold_owner = _words_by_line(gold_lines)
    ops = Levenshtein.editops(gold_words, hyp_words)
    inserted = {op.dest_pos for op in ops if op.tag == "insert"}
    deleted = {op.src_pos for op in ops if op.tag == "delete"}
    # Moved text first: displaced words may have been paired as substitutions, so those count too.
    moved_hyp, moved_gold, moved = _moved(hyp_words, gold_words,
                                          inserted | {op.dest_pos for op in ops if op.tag == "replace"},
                                          deleted | {op.src_pos for op in ops if op.tag == "replace"})
    one_sided_hyp = _one_sided_lines(hyp_lines, hyp_owner, inserted - moved_hyp)
    one_sided_gold = _one_sided_lines(gold_lines, gold_owner, deleted - moved_gold)
    blocks = _blocks(hyp_lines, one_sided_hyp, "hypothesis") + _blocks(gold_lines, one_sided_gold, "gold")
    in_blocks_hyp = {n for b in blocks if b.side == "hypothesis" for n in range(b.first_line - 1, b.last_line)}
    in_blocks_gold = {n for b in blocks if b.side == "gold" for n in range(b.first_line - 1, b.last_line)}
    kept_hyp = [w for i, w in enumerate(hyp_words) if hyp_owner[i] not in in_blocks_hyp and i not in moved_hyp]
    kept_gold = [w for i, w in enumerate(gold_words) if gold_owner[i] not in in_blocks_gold and i not in moved_gold]
    scores = score(" ".join(kept_gold), " ".join(kept_hyp))
    confusions = Counter((kept_gold[op.src_pos], kept_hyp[op.dest_pos])
                         for op in Levenshtein.editops(kept_gold, kept_hyp) if op.tag == "replace")
    ranked = sorted(confusions.items(), key=lambda kv: (-kv[1], kv[0]))
    return Comparison(scores, blocks, moved, _line_pairs(hyp_lines, gold_lines, in_blocks_hyp, in_blocks_gold),
                      [(g, h, n) for (g, h), n in ranked])
