"""`vnrestore eval`: score hypotheses against gold copies, one pair or two folders of them.

Regions: "auto" (default) aligns the texts and counts one-sided blocks apart (comparison.py);
"body" scores the dispatch body only (regions.py); "lines" scores line-aligned files, skipping
gold lines that read <<SKIP>>. In folders, files pair by name up to the first dot:
000.ocr.txt (output) with 000.gold.txt (gold).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from restore.errors import InputError, printable
from restore.evaluation.comparison import Comparison, compare
from restore.evaluation.metrics import Scores, score
from restore.evaluation.regions import dispatch_body
from restore.text.textio import read_text

SKIP_LINE = "<<SKIP>>"


@dataclass
class Evaluation:
    name: str
    scores: Scores
    region: str  # "auto", "body" or "lines"
    lines_scored: int = 0
    comparison: Comparison | None = None

    def as_dict(self) -> dict:
        data = {"name": self.name, "region": self.region, **self.scores.as_dict()}
        if self.comparison is not None:
            data.update({k: v for k, v in self.comparison.as_dict().items() if k != "scores"})
        if self.region == "lines":
            data["lines_scored"] = self.lines_scored
        return data


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
        return Evaluation(names[0], score(parts[1], parts[0]), "body")
    comparison = compare(hypothesis, gold)
    return Evaluation(names[0], comparison.scores, "auto", comparison=comparison)


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
    return Evaluation(names[0], total, "lines", counted)


def pair_key(path: Path) -> str:
    return printable(path.name).split(".", 1)[0]


def pair_folders(hyp_dir: Path, gold_dir: Path) -> tuple[list[tuple[str, Path, Path]], list[str]]:
    """(name, hypothesis, gold) for names on both sides; and the names found on one side only."""
    golds = {pair_key(p): p for p in sorted(gold_dir.glob("*.gold.txt"))}
    hyps: dict[str, Path] = {}
    for path in sorted(hyp_dir.glob("*.txt")):
        key = pair_key(path)
        # Beside an output, `run --keep-ocr` leaves the raw OCR under a longer name (NAME.ocr.txt).
        if key in golds and not path.name.endswith(".gold.txt") and (
                key not in hyps or len(path.name) < len(hyps[key].name)):
            hyps[key] = path
    missing = sorted(set(golds) - set(hyps))
    return [(name, hyps[name], golds[name]) for name in sorted(hyps)], missing


def evaluate_paths(hypothesis: Path, gold: Path, *, body: bool = False, lines: bool = False) -> tuple[
    list[Evaluation], list[str]
]:
    """Evaluations of a file pair or of two folders, and the gold names that had no output."""
    if hypothesis.is_dir() != gold.is_dir():
        raise InputError("give two files or two folders", path=str(hypothesis))
    if hypothesis.is_dir():
        pairs, missing = pair_folders(hypothesis, gold)
        if not pairs:
            raise InputError("no output pairs with a NAME.gold.txt in the gold folder", path=str(hypothesis))
    else:
        pairs, missing = [(printable(hypothesis.name), hypothesis, gold)], []
    results = [evaluate(read_text(h), read_text(g), body=body, lines=lines, names=(name, printable(g)))
               for name, h, g in pairs]
    return results, missing


def total(results: list[Evaluation]) -> Scores:
    scores = results[0].scores
    for result in results[1:]:
        scores = scores + result.scores
    return scores
