"""Rows of the side-by-side view: each gold line with the output words aligned to it.

Rows follow the gold's lines, not the output's: the output words paired with a gold line's words
(and the unpaired ones between them) make its output cell, so a line wrapped elsewhere in the
output is not an error. Lines of one-sided blocks keep rows of their own. The raw OCR, when
known, is aligned to the output words (diacritics ignored) and follows them into their rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz.distance import Levenshtein

from restore.evaluation.align import anchored_opcodes
from restore.evaluation.metrics import comparable, graphemes
from restore.text.normalize import fold

RowKey = tuple[str, int]  # ("gold", line index) or ("output", line index of a one-sided line)


@dataclass(frozen=True)
class Side:
    """A text as the comparison sees it: its lines, its words in comparable form, each word's line."""

    lines: list[str]
    words: list[str]
    owners: list[int]

    @classmethod
    def of(cls, text: str) -> Side:
        lines = text.splitlines()
        words, owners = [], []
        for number, line in enumerate(lines):
            for word in comparable(line).split():
                words.append(word)
                owners.append(number)
        return cls(lines, words, owners)


@dataclass
class Row:
    gold_line: int | None  # 1-based; None for a line of the output only
    output_lines: tuple[int, int] | None  # first and last 1-based output line feeding this row
    gold: str
    output: str
    ocr: str | None  # None when the OCR is not known
    one_sided: bool  # a line of a one-sided block: shown, not scored
    cer: float | None  # None for a one-sided row
    errors: int  # grapheme edits in this row
    diff: list[tuple[str, str]] = field(default_factory=list)  # (op, text): equal, delete (gold), insert (output)
    flagged: list[int] = field(default_factory=list)  # positions of output words flagged for review

    def as_dict(self) -> dict:
        return vars(self)


def build_rows(hyp: Side, ref: Side, partners: dict[int, int], hyp_blocks: set[int], gold_blocks: set[int], *,
               ocr: str | None, flagged: frozenset[int]) -> list[Row]:
    owner = _row_of_output_words(hyp, ref, partners, hyp_blocks)
    words_of: dict[RowKey, list[int]] = {}
    for j, key in enumerate(owner):
        words_of.setdefault(key, []).append(j)
    ocr_of = _ocr_by_row(ocr, hyp, owner) if ocr is not None else None
    keys = _ordered_keys(ref, words_of)
    rows = []
    for key in keys:
        js = words_of.get(key, [])
        is_gold = key[0] == "gold"
        gold = comparable(ref.lines[key[1]]) if is_gold else ""
        output = " ".join(hyp.words[j] for j in js)
        lines = (hyp.owners[js[0]] + 1, hyp.owners[js[-1]] + 1) if js else None
        one_sided = not is_gold or key[1] in gold_blocks
        diff, errors = _diff(gold, output)
        length = len(graphemes(gold))
        rows.append(Row(key[1] + 1 if is_gold else None, lines, gold, output,
                        None if ocr_of is None else " ".join(ocr_of.get(key, [])), one_sided,
                        None if one_sided else errors / length if length else float(errors > 0), errors, diff,
                        [k for k, j in enumerate(js) if j in flagged]))
    return rows


def _row_of_output_words(hyp: Side, ref: Side, partners: dict[int, int], hyp_blocks: set[int]) -> list[RowKey]:
    """Each output word's row: its partner's gold line, else the row of the word before it (or after)."""
    owner: list[RowKey | None] = []
    last: RowKey | None = None  # the row of the latest paired word
    for j, line in enumerate(hyp.owners):
        if line in hyp_blocks:
            owner.append(("output", line))
        elif j in partners:
            last = ("gold", ref.owners[partners[j]])
            owner.append(last)
        else:
            owner.append(last)
    rows: list[RowKey] = []
    following: RowKey | None = None
    for j in range(len(owner) - 1, -1, -1):  # unpaired words before the first pair go to the next row
        key = owner[j]
        if key is None:
            key = following or ("output", hyp.owners[j])
        elif key[0] == "gold":
            following = key
        rows.append(key)
    return rows[::-1]


def _ordered_keys(ref: Side, words_of: dict[RowKey, list[int]]) -> list[RowKey]:
    """Gold lines in order; each output-only row goes before the first gold row whose output comes later."""
    output_only = sorted((js[0], key) for key, js in words_of.items() if key[0] == "output")
    keys: list[RowKey] = []
    waiting = 0
    for line, text in enumerate(ref.lines):
        if not text.strip():
            continue
        first = words_of.get(("gold", line), [None])[0]
        while waiting < len(output_only) and first is not None and output_only[waiting][0] < first:
            keys.append(output_only[waiting][1])
            waiting += 1
        keys.append(("gold", line))
    keys.extend(key for _, key in output_only[waiting:])
    return keys


def _ocr_by_row(ocr: str, hyp: Side, owner: list[RowKey]) -> dict[RowKey, list[str]]:
    """OCR words by the row of the output word each became (an OCR word dropped: the one before)."""
    words = comparable(ocr).split()
    by_row: dict[RowKey, list[str]] = {}
    if not owner:
        return by_row
    for tag, i1, i2, j1, j2 in anchored_opcodes([fold(w).lower() for w in words], [fold(w).lower() for w in hyp.words]):
        for k in range(i2 - i1):
            j = min(j1 + k, j2 - 1) if tag in ("equal", "replace") else max(j1 - 1, 0)
            by_row.setdefault(owner[j], []).append(words[i1 + k])
    return by_row


def _diff(gold: str, output: str) -> tuple[list[tuple[str, str]], int]:
    """Grapheme differences of a row and their count; words are aligned first, so a megabyte row stays cheap."""
    g_tokens, h_tokens = _spaced(gold), _spaced(output)
    ops: list[tuple[str, str]] = []
    errors = 0
    for tag, i1, i2, j1, j2 in anchored_opcodes(g_tokens, h_tokens):
        if tag == "equal":
            ops.append(("equal", "".join(g_tokens[i1:i2])))
            continue
        g, h = graphemes("".join(g_tokens[i1:i2])), graphemes("".join(h_tokens[j1:j2]))
        errors += Levenshtein.distance(g, h)
        for opcode in Levenshtein.opcodes(g, h):
            g1, g2, h1, h2 = opcode.src_start, opcode.src_end, opcode.dest_start, opcode.dest_end
            if opcode.tag == "equal":
                ops.append(("equal", "".join(g[g1:g2])))
                continue
            if g2 > g1:
                ops.append(("delete", "".join(g[g1:g2])))
            if h2 > h1:
                ops.append(("insert", "".join(h[h1:h2])))
    return ops, errors


def _spaced(text: str) -> list[str]:
    """Words with the spaces between them as items of their own."""
    tokens: list[str] = []
    for word in text.split(" "):
        tokens += [" ", word] if tokens else [word]
    return tokens if text else []
