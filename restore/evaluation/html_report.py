"""A self-contained HTML page of one or more comparisons: what went wrong, and where.

No script and no external file: the page opens anywhere, and a browser test can check what it
shows. Views are CSS :target panels (#doc-1-errors shows the rows with errors), so each has an
address of its own. Text is set in fonts that stack Vietnamese marks on their letters (DejaVu
Sans Mono puts the acute of "Ế" beside it); differences inside a row are <del> (gold only) and
<ins> (output only), words the repair flagged for review are <mark>.
"""

from __future__ import annotations

from html import escape

from restore.evaluation.comparison import Comparison
from restore.evaluation.evaluate import Evaluation, total
from restore.evaluation.metrics import Scores
from restore.evaluation.rows import Row

TEXT_FONTS = '"Liberation Mono","Noto Sans Mono","Liberation Sans","Noto Sans",sans-serif'
TABLE_ROWS = 30  # confusions shown per table; the rest are counted
METRICS = ("CER", "WER", "CER, diacritics ignored", "WER, diacritics ignored")

_STYLE = """
body{font-family:"Liberation Sans","Noto Sans","DejaVu Sans",sans-serif;margin:1.5em;color:#222}
h1{font-size:1.4em} h2{font-size:1.15em;margin-top:1.6em}
table{border-collapse:collapse;margin:.5em 0} td,th{border:1px solid #ccc;padding:.2em .5em;vertical-align:top}
th{background:#f0f0f0;text-align:left}
td.text,td.glyph,pre.block{font-family:TEXT_FONTS;white-space:pre-wrap}
table.rows td.text{width:30%}
td.num{text-align:right;color:#666} tr.one-sided td{background:#fff6e0} td.ocr{color:#555}
del{background:#ffd0d0;text-decoration:none} ins{background:#c8f0c8;text-decoration:none}
mark.review{background:none;border-bottom:2px dotted #d07000}
pre.block{background:#f7f7f7;padding:.5em} p.paths{color:#555}
nav.views a{margin-right:1em}
.view{display:none} .view.default{display:block} .view:target{display:block}
section:has(.view:target) .view.default:not(:target){display:none}
""".replace("TEXT_FONTS", TEXT_FONTS)


def _pct(rate: float) -> str:
    return f"{100 * rate:.2f}%"


def _summary(scores: Scores) -> str:
    rows = "".join(f"<tr><td>{name}</td><td class='num'>{_pct(rate.rate)}</td>"
                   f"<td class='num'>{rate.errors} / {rate.length}</td></tr>" for name, rate in zip(METRICS, scores))
    return f"<table class='summary'><tr><th>metric</th><th>rate</th><th>errors / length</th></tr>{rows}</table>"


def _overall(results: list[Evaluation]) -> str:
    """One row per document, linking to its section, and the total."""
    head = "<tr><th>document</th>" + "".join(f"<th>{m}</th>" for m in METRICS) + \
        "<th>gold words</th><th>one-sided words</th><th>flagged</th></tr>"
    rows = []
    for k, result in enumerate(results, 1):
        c = result.comparison
        one_sided = sum(b.words for b in c.blocks) if c else 0
        flagged = sum(len(r.flagged) for r in c.rows) if c else 0
        rows.append(f"<tr><td><a href='#doc-{k}'>{escape(result.name)}</a></td>"
                    + "".join(f"<td class='num'>{_pct(rate.rate)}</td>" for rate in result.scores)
                    + f"<td class='num'>{result.scores.wer.length}</td><td class='num'>{one_sided}</td>"
                    f"<td class='num'>{flagged}</td></tr>")
    overall = total(results)
    rows.append("<tr><th>total</th>" + "".join(f"<th class='num'>{_pct(r.rate)}</th>" for r in overall)
                + f"<th class='num'>{overall.wer.length}</th><th></th><th></th></tr>")
    return f"<table class='overall'>{head}{''.join(rows)}</table>"


def _blocks(comparison: Comparison) -> str:
    if not comparison.blocks and not comparison.moved:
        return "<p>No one-sided or moved text.</p>"
    parts = [f"<p>{len(comparison.blocks)} one-sided block(s), counted apart from CER and WER:</p>"]
    for block in comparison.blocks:
        parts.append(f"<p class='block-head'>{escape(block.side)} only, lines {block.first_line}-{block.last_line}, "
                     f"{block.words} words</p><pre class='block'>{escape(block.text)}</pre>")
    if comparison.moved:
        items = "".join(f"<li>{escape(text)}</li>" for text in comparison.moved)
        parts.append(f"<p>Text on both sides at different places (not counted as errors):</p><ul>{items}</ul>")
    return "".join(parts)


def _visible(text: str) -> str:
    """A confusion's side with its spaces shown (␣) and nothing shown as ∅."""
    return escape(text.replace(" ", "\u2423")) or "∅"


def _confusion_tables(comparison: Comparison) -> str:
    chars, words = comparison.confusions.chars, comparison.confusions.words
    if not chars:
        return "<p>No confusions.</p>"
    char_rows = "".join(f"<tr><td class='glyph'>{_visible(g)}</td><td class='glyph'>{_visible(o)}</td>"
                        f"<td>{kind}</td><td class='num'>{n}</td></tr>" for g, o, kind, n in chars[:TABLE_ROWS])
    word_rows = "".join(f"<tr><td class='text'>{escape(g) or '∅'}</td><td class='text'>{escape(o) or '∅'}</td>"
                        f"<td class='num'>{n}</td></tr>" for g, o, n in words[:TABLE_ROWS])
    return (f"<h3>Character confusions</h3><p>{len(chars)} kinds, {sum(c[3] for c in chars)} edits; "
            f"a mark is a diacritic wrong on the right letter; ∅ is nothing.</p>"
            f"<table class='char-confusions'><tr><th>gold</th><th>output</th><th>kind</th><th>count</th></tr>"
            f"{char_rows}</table>{_more(len(chars))}"
            f"<h3>Word confusions</h3><p>{len(words)} kinds, punctuation split off.</p>"
            f"<table class='word-confusions'><tr><th>gold</th><th>output</th><th>count</th></tr>"
            f"{word_rows}</table>{_more(len(words))}")


def _more(count: int) -> str:
    return f"<p>… and {count - TABLE_ROWS} more (all in --json).</p>" if count > TABLE_ROWS else ""


def _gold_cell(row: Row) -> str:
    return "".join(f"<del>{escape(text)}</del>" if op == "delete" else escape(text)
                   for op, text in row.diff if op != "insert")


def _output_cell(row: Row) -> str:
    """The output side of the diff, inserted graphemes in <ins>, each flagged word in one <mark>."""
    flagged = set(row.flagged)
    parts: list[str] = []
    for word, pieces in enumerate(_words(row.diff)):
        inner = "".join(f"<ins>{escape(text)}</ins>" if inserted else escape(text) for text, inserted in pieces)
        parts.append(f"<mark class='review' title='flagged for review'>{inner}</mark>" if word in flagged else inner)
    return " ".join(parts)


def _words(diff: list[tuple[str, str]]) -> list[list[tuple[str, bool]]]:
    """The output's words, each as pieces of (text, inserted)."""
    words: list[list[tuple[str, bool]]] = [[]]
    for op, text in diff:
        if op == "delete":
            continue
        for k, piece in enumerate(text.split(" ")):
            if k:
                words.append([])
            if piece:
                words[-1].append((piece, op == "insert"))
    return words


def _lines(numbers: tuple[int, int] | None) -> str:
    if numbers is None:
        return ""
    return str(numbers[0]) if numbers[0] == numbers[1] else f"{numbers[0]}–{numbers[1]}"


def _rows_table(rows: list[Row], with_ocr: bool) -> str:
    head = ("<tr><th>#</th><th>gold</th><th>#</th><th>output</th>" + ("<th>OCR</th>" if with_ocr else "")
            + "<th>row CER</th></tr>")
    body = []
    for row in rows:
        kind = "one-sided" if row.one_sided else "err" if row.errors else "ok"
        ocr = f"<td class='text ocr'>{escape(row.ocr or '')}</td>" if with_ocr else ""
        body.append(f"<tr class='{kind}'><td class='num'>{row.gold_line or ''}</td>"
                    f"<td class='text gold'>{_gold_cell(row)}</td><td class='num'>{_lines(row.output_lines)}</td>"
                    f"<td class='text output'>{_output_cell(row)}</td>{ocr}"
                    f"<td class='num'>{'' if row.cer is None else _pct(row.cer)}</td></tr>")
    return f"<table class='rows'>{head}{''.join(body)}</table>"


def _views(anchor: str, comparison: Comparison) -> str:
    rows = comparison.rows
    with_ocr = any(row.ocr is not None for row in rows)
    wrong = [row for row in rows if row.errors and not row.one_sided]
    worst = sorted(wrong, key=lambda row: (-(row.cer or 0.0), -row.errors))
    nav = (f"<nav class='views'>Rows: <a href='#{anchor}-all'>all ({len(rows)})</a>"
           f"<a href='#{anchor}-errors'>with errors ({len(wrong)})</a>"
           f"<a href='#{anchor}-worst'>with errors, worst first</a></nav>")
    return (f"{nav}<p>A row is a gold line and the output words aligned to it: a line wrapped elsewhere "
            f"is not an error. Output lines feeding it are in the second # column.</p>"
            f"<div class='view default' id='{anchor}-all'>{_rows_table(rows, with_ocr)}</div>"
            f"<div class='view' id='{anchor}-errors'>{_rows_table(wrong, with_ocr)}</div>"
            f"<div class='view' id='{anchor}-worst'>{_rows_table(worst, with_ocr)}</div>")


def _section(k: int, result: Evaluation) -> str:
    comparison = result.comparison
    assert comparison is not None
    anchor = f"doc-{k}"
    note = f"<p class='note'>{escape(result.note)}</p>" if result.note else ""
    return (f"<section id='{anchor}'><h2>{escape(result.name)}</h2>"
            f"<p class='paths'>output (hypothesis): {escape(result.output_path)}<br>"
            f"gold (reference): {escape(result.gold_path)}</p>{note}{_summary(result.scores)}"
            f"<h3>One-sided and moved text</h3>{_blocks(comparison)}{_confusion_tables(comparison)}"
            f"<h3>Rows</h3>{_views(anchor, comparison)}</section>")


def render(results: list[Evaluation], title: str = "vnrestore evaluation") -> str:
    body = [f"<h1>{escape(title)}</h1>"]
    if len(results) > 1:
        body.append(f"<h2>All documents</h2>{_overall(results)}")
    body += [_section(k, result) for k, result in enumerate(results, 1)]
    return (f"<!DOCTYPE html><html lang='vi'><head><meta charset='utf-8'><title>{escape(title)}</title>"
            f"<style>{_STYLE}</style></head><body>{''.join(body)}</body></html>\n")
