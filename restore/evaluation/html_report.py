"""A self-contained HTML page of one or more comparisons: what went wrong, and where.

No script and no external file: the page opens anywhere, and a browser test can check what it
shows. Differences inside a line are <del> (gold only) and <ins> (output only).
"""

from __future__ import annotations

from html import escape

from restore.evaluation.comparison import Comparison

_STYLE = """
body{font-family:"DejaVu Sans","Noto Sans",sans-serif;margin:1.5em;color:#222}
h1{font-size:1.4em} h2{font-size:1.15em;margin-top:1.6em}
table{border-collapse:collapse;margin:.5em 0} td,th{border:1px solid #ccc;padding:.2em .5em;vertical-align:top}
th{background:#f0f0f0;text-align:left}
table.lines td.text{font-family:"DejaVu Sans Mono",monospace;white-space:pre-wrap;width:45%}
td.num{text-align:right;color:#666} tr.unpaired td{background:#fff6e0}
del{background:#ffd0d0;text-decoration:none} ins{background:#c8f0c8;text-decoration:none}
.summary td{font-size:1.05em} pre.block{background:#f7f7f7;padding:.5em;white-space:pre-wrap}
"""


def _pct(rate: float) -> str:
    return f"{100 * rate:.2f}%"


def _summary(comparison: Comparison) -> str:
    names = ("CER", "WER", "CER, diacritics ignored", "WER, diacritics ignored")
    rows = "".join(f"<tr><td>{name}</td><td class='num'>{_pct(rate.rate)}</td>"
                   f"<td class='num'>{rate.errors} / {rate.length}</td></tr>"
                   for name, rate in zip(names, comparison.scores))
    return f"<table class='summary'><tr><th>metric</th><th>rate</th><th>errors / length</th></tr>{rows}</table>"


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


def _confusions(comparison: Comparison, limit: int = 40) -> str:
    if not comparison.confusions:
        return "<p>No word confusions.</p>"
    rows = "".join(f"<tr><td>{escape(g)}</td><td>{escape(h)}</td><td class='num'>{n}</td></tr>"
                   for g, h, n in comparison.confusions[:limit])
    return f"<table class='confusions'><tr><th>gold</th><th>output</th><th>count</th></tr>{rows}</table>"


def _diff_html(ops: list[tuple[str, str]], side: str) -> str:
    out = []
    for op, text in ops:
        if op == "equal":
            out.append(escape(text))
        elif op == "delete" and side == "gold":
            out.append(f"<del>{escape(text)}</del>")
        elif op == "insert" and side == "hyp":
            out.append(f"<ins>{escape(text)}</ins>")
    return "".join(out)


def _lines(comparison: Comparison) -> str:
    rows = []
    for pair in comparison.pairs:
        unpaired = pair.hyp_line is None or pair.gold_line is None
        cer = "" if pair.cer is None else _pct(pair.cer)
        rows.append(
            f"<tr class='{'unpaired' if unpaired else 'paired'}'>"
            f"<td class='num'>{pair.gold_line or ''}</td><td class='text'>{_diff_html(pair.diff, 'gold')}</td>"
            f"<td class='num'>{pair.hyp_line or ''}</td><td class='text'>{_diff_html(pair.diff, 'hyp')}</td>"
            f"<td class='num'>{cer}</td></tr>")
    return ("<table class='lines'><tr><th>#</th><th>gold</th><th>#</th><th>output</th><th>line CER</th></tr>"
            + "".join(rows) + "</table>")


def render(sections: list[tuple[str, Comparison]], title: str = "vnrestore evaluation") -> str:
    body = [f"<h1>{escape(title)}</h1>"]
    for name, comparison in sections:
        body.append(f"<section><h2>{escape(name)}</h2>{_summary(comparison)}"
                    f"<h3>One-sided and moved text</h3>{_blocks(comparison)}"
                    f"<h3>Most frequent confusions</h3>{_confusions(comparison)}"
                    f"<h3>Lines</h3>{_lines(comparison)}</section>")
    return (f"<!DOCTYPE html><html lang='vi'><head><meta charset='utf-8'><title>{escape(title)}</title>"
            f"<style>{_STYLE}</style></head><body>{''.join(body)}</body></html>\n")
