"""`vnrestore eval`: score a hypothesis against a gold copy, whole, body-only or line by line."""

from __future__ import annotations

from dataclasses import dataclass

from restore.errors import InputError
from restore.metrics import Scores, score
from restore.regions import dispatch_body

SKIP_LINE = "<<SKIP>>"


@dataclass
class Evaluation:
    scores: Scores
    region: str  # "all", "body" or "lines"
    lines_scored: int = 0


def evaluate(hypothesis: str, gold: str, *, body: bool = False, lines: bool = False,
             names: tuple[str, str] = ("HYP", "GOLD")) -> Evaluation:
    if lines:
        return _by_lines(hypothesis, gold, names)
    if body:
        parts = []
        for text, name in zip((hypothesis, gold), names):
            region = dispatch_body(text)
            if region is None:
                raise InputError("no dispatch body found (a title line such as KẾ HOẠCH, then './.')",
                                 path=name)
            parts.append(region)
        return Evaluation(score(parts[1], parts[0]), "body")
    return Evaluation(score(gold, hypothesis), "all")


def _by_lines(hypothesis: str, gold: str, names: tuple[str, str]) -> Evaluation:
    hyp_lines, gold_lines = hypothesis.splitlines(), gold.splitlines()
    if len(hyp_lines) != len(gold_lines):
        raise InputError(f"--lines needs as many lines as the gold copy ({len(hyp_lines)} vs {len(gold_lines)})",
                         path=names[0])
    total: Scores | None = None
    counted = 0
    for hyp, ref in zip(hyp_lines, gold_lines):
        if ref.strip() == SKIP_LINE:
            continue
        line_scores = score(ref, hyp)
        total = line_scores if total is None else total + line_scores
        counted += 1
    if total is None:
        raise InputError("every gold line is <<SKIP>>", path=names[1])
    return Evaluation(total, "lines", counted)
