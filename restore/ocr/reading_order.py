"""Reading order: a dispatch's two-column header and signature block, column by column.

A dispatch opens with rows of two cells (the issuing body beside the national motto, the number
beside the place and date) and closes with more (the recipients beside the signer). Tesseract reads
such a row as one line, left cell then right, so its text interleaves the columns: "ỦY BAN NHÂN DÂN
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM". A reader, and a gold copy, takes the left column from top to
bottom, then the right; the language model, too, should see "XÃ TÂN PHÚ" after "ỦY BAN NHÂN DÂN".

The runs are found by geometry alone. A gap between words several spaces wide splits
a row into cells; a run starts at the top (or the foot) of the page, holds a split row among its
first rows, and lasts while every cell lies wholly on one side of that row's gap. The first line
that crosses the gap (the title, the body) ends it, so body text is never reordered; so does a
row of TABLE_CELLS cells or more, a table's (STT | Chỉ tiêu | Kế hoạch | Thực hiện), whose rows are
read across as Tesseract reads them: a report's table at the foot of a page, above or without a
signature block, had its last column read apart after the rest, every row's figure away from it.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import partial

from restore.ocr.tesseract import OcrLine, OcrWord, median_space, space_between
from restore.text.specks import has_letter_or_digit

GAP_SPACES = 3.0  # a gap wider than this many median spaces between words separates two cells
SEARCH_ROWS = 6  # a run's first split row lies among this many rows from its end of the page
TABLE_CELLS = 3  # a row cut into this many cells is a table's: it belongs to no two-column run
# Paragraph keys of the reordered columns: negative, so never a Tesseract (block, paragraph).
HEAD_LEFT, HEAD_RIGHT, FOOT_LEFT, FOOT_RIGHT = (-4, 0), (-3, 0), (-2, 0), (-1, 0)


@dataclass(frozen=True)
class _Cell:
    words: tuple[OcrWord, ...]

    @property
    def _solid(self) -> tuple[OcrWord, ...]:
        """The words that hold a letter or digit: a stray mark beside a cell does not widen it."""
        return tuple(w for w in self.words if has_letter_or_digit(w.text)) or self.words

    @property
    def left(self) -> int:
        return min(w.box[0] for w in self._solid)

    @property
    def right(self) -> int:
        return max(w.box[0] + w.box[2] for w in self._solid)

    @property
    def top(self) -> int:
        return min(w.box[1] for w in self.words)

    @property
    def bottom(self) -> int:
        return max(w.box[1] + w.box[3] for w in self.words)


Row = list[_Cell]  # cells side by side, left to right


def in_reading_order(lines: list[OcrLine]) -> list[OcrLine]:
    """The page's lines with a two-column run at its top and at its foot read column by column;
    everything else as Tesseract ordered it."""
    space = median_space(lines)
    if len(lines) < 2 or space is None:
        return lines
    gap = GAP_SPACES * space
    cells = [_cells(line, gap) for line in lines]
    rows = _rows([cell for line_cells in cells for cell in line_cells])
    head, head_middle = _two_column_run(rows)
    foot, foot_middle = _two_column_run(rows[len(head):][::-1])
    if not head and not foot:
        return lines
    taken = {cell for row in head + foot for cell in row}
    body = [OcrLine(kept, line.paragraph) for line, line_cells in zip(lines, cells)
            if (kept := tuple(w for cell in line_cells if cell not in taken for w in cell.words))]
    return [*_columns(head, head_middle, HEAD_LEFT, HEAD_RIGHT), *body,
            *_columns(foot[::-1], foot_middle, FOOT_LEFT, FOOT_RIGHT)]


def _cells(line: OcrLine, gap: float) -> list[_Cell]:
    """A line cut wherever the space between two words is wider than `gap`."""
    cells, current = [], [line.words[0]]
    for before, word in zip(line.words, line.words[1:]):
        if space_between(before, word) > gap:
            cells.append(_Cell(tuple(current)))
            current = []
        current.append(word)
    return [*cells, _Cell(tuple(current))]


def _rows(cells: list[_Cell]) -> list[Row]:
    """Cells grouped into rows, top to bottom: a cell joins a row it shares half its height with."""
    rows: list[Row] = []
    for cell in sorted(cells, key=lambda c: (c.top + c.bottom, c.left)):
        if rows:
            top, bottom = min(c.top for c in rows[-1]), max(c.bottom for c in rows[-1])
            shared = min(bottom, cell.bottom) - max(top, cell.top)
            if shared >= 0.5 * min(cell.bottom - cell.top, bottom - top):
                rows[-1].append(cell)
                continue
        rows.append([cell])
    return [sorted(row, key=lambda c: c.left) for row in rows]


def _two_column_run(rows: list[Row]) -> tuple[list[Row], float]:
    """The rows from the start of `rows` that sit in two columns (none if they do not) and the
    column line between them. The line is the one, among the middles of the gaps of the first
    rows (and of where two gaps overlap), that the most rows from the start keep clear of; the
    run ends at the first cell across it and, past its last split row, at a row set apart by a
    blank line (a title or first paragraph that happens to be short)."""
    gaps = [(a.right, b.left) for row in rows[:SEARCH_ROWS] for a, b in zip(row, row[1:])]
    lines = {(max(g[0], h[0]) + min(g[1], h[1])) / 2 for g in gaps for h in gaps if max(g[0], h[0]) < min(g[1], h[1])}
    best: tuple[list[Row], float] = ([], 0.0)
    for middle in sorted(lines):
        run = list(itertools.takewhile(partial(_clear_of, x=middle), rows))
        splits = [i for i, row in enumerate(run) if row[0].right < middle < row[-1].left]
        if not splits:
            continue
        end = splits[-1] + 1
        while end < len(run) and _distance(run[end - 1], run[end]) < _height(run[end - 1]):
            end += 1
        if end > max(1, len(best[0])):
            best = (run[:end], middle)
    return best


def _clear_of(row: Row, x: float) -> bool:
    """Whether no cell of the row runs across the column line at x, and the row is no table's."""
    return len(row) < TABLE_CELLS and not any(c.left < x < c.right for c in row)


def _height(row: Row) -> int:
    return max(c.bottom for c in row) - min(c.top for c in row)


def _distance(a: Row, b: Row) -> int:
    """Blank space between two rows, whichever is above."""
    return max(min(c.top for c in b) - max(c.bottom for c in a), min(c.top for c in a) - max(c.bottom for c in b))


def _columns(run: list[Row], middle: float, left_key: tuple[int, int],
             right_key: tuple[int, int]) -> list[OcrLine]:
    """A run's left column, top to bottom, then its right; a row's cells on one side make one line,
    each column one paragraph."""
    lines = []
    for key, side in ((left_key, lambda cell: cell.right <= middle), (right_key, lambda cell: cell.left >= middle)):
        for row in run:
            if words := tuple(w for cell in row if side(cell) for w in cell.words):
                lines.append(OcrLine(words, key))
    return lines
