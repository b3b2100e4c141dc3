"""`vnrestore eval`: score outputs against gold copies, one pair or two folders of them.

The output comes first, then the gold (dinglehopper takes them the other way round); a pair
given swapped, the gold copy first by its name, is refused rather than scored the wrong way.
Regions: "auto" (default) aligns the texts and counts one-sided blocks apart (comparison.py);
"body" scores the dispatch body only (regions.py); "lines" scores line-aligned files, skipping
gold lines that read <<SKIP>>. In folders, files pair by name up to the first dot:
000.ocr.txt (output) with 000.gold.txt (gold).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from restore.errors import InputError, UsageProblem, printable
from restore.evaluation.annotations import Annotations, annotations_for
from restore.evaluation.comparison import Comparison, compare
from restore.evaluation.metrics import Scores, score
from restore.evaluation.regions import dispatch_body
from restore.text.textio import read_text

SKIP_LINE = "<<SKIP>>"
GOLD_SUFFIXES = (".gold.txt", ".gt.txt")


@dataclass
class Evaluation:
    name: str
    scores: Scores
    region: str  # "auto", "body" or "lines"
    lines_scored: int = 0
    comparison: Comparison | None = None
    output_path: str = ""
    gold_path: str = ""
    note: str | None = None  # why the OCR column is missing though a run record is there

    def as_dict(self) -> dict:
        data = {"name": self.name, "output": self.output_path, "gold": self.gold_path, "region": self.region,
                **self.scores.as_dict()}
        if self.comparison is not None:
            data.update({k: v for k, v in self.comparison.as_dict().items() if k != "scores"})
        if self.region == "lines":
            data["lines_scored"] = self.lines_scored
        return data


def evaluate(output: str, gold: str, *, body: bool = False, lines: bool = False,
             names: tuple[str, str] = ("OUTPUT", "GOLD"), annotations: Annotations = Annotations()) -> Evaluation:
    if lines:
        return _by_lines(output, gold, names)
    if body:
        parts = []
        for text, name in zip((output, gold), names):
            region = dispatch_body(text)
            if region is None:
                raise InputError("no dispatch body found (a title line such as KẾ HOẠCH, then './.')",
                                 path=name, remedy="score it whole: leave out --body")
            parts.append(region)
        return Evaluation(names[0], score(parts[1], parts[0]), "body")
    comparison = compare(output, gold, ocr=annotations.ocr, flagged=annotations.flagged)
    return Evaluation(names[0], comparison.scores, "auto", comparison=comparison, note=annotations.note)


def _by_lines(output: str, gold: str, names: tuple[str, str]) -> Evaluation:
    hyp_lines, gold_lines = output.splitlines(), gold.splitlines()
    if len(hyp_lines) != len(gold_lines):
        raise InputError(f"--lines needs as many lines as the gold copy ({len(hyp_lines)} vs {len(gold_lines)})",
                         path=names[0], remedy="leave out --lines: lines are then aligned, not paired by number")
    total: Scores | None = None
    counted = 0
    for hyp, ref in zip(hyp_lines, gold_lines):
        if ref.strip() == SKIP_LINE:
            continue
        line_scores = score(ref, hyp)
        total = line_scores if total is None else total + line_scores
        counted += 1
    if total is None:
        raise InputError("every gold line is <<SKIP>>", path=names[1], remedy="leave some lines to score")
    return Evaluation(names[0], total, "lines", counted)


def pair_key(path: Path) -> str:
    return printable(path.name).split(".", 1)[0]


def pair_folders(hyp_dir: Path, gold_dir: Path) -> tuple[list[tuple[str, Path, Path]], list[str]]:
    """(name, output, gold) for names on both sides; and the names found on one side only."""
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


def evaluate_paths(output: Path, gold: Path, *, body: bool = False, lines: bool = False,
                   ocr: Path | None = None) -> tuple[list[Evaluation], list[str]]:
    """Evaluations of a file pair or of two folders, and the gold names that had no output."""
    if output.is_dir() != gold.is_dir():
        raise InputError("one is a folder, the other a file", path=str(output), remedy="give two files or two folders")
    check_order(output, gold)
    if output.is_dir():
        if ocr is not None:
            raise UsageProblem("--ocr is for one pair of files; in folders the OCR comes from each NAME.json")
        pairs, missing = pair_folders(output, gold)
        if not pairs:
            raise InputError("no output pairs with a NAME.gold.txt in the gold folder", path=str(output),
                             remedy="name each gold copy NAME.gold.txt for the output NAME.txt")
    else:
        pairs, missing = [(printable(output.name), output, gold)], []
    results = []
    for name, out_path, gold_path in pairs:
        text = read_text(out_path)
        result = evaluate(text, read_text(gold_path), body=body, lines=lines, names=(name, printable(gold_path)),
                          annotations=annotations_for(out_path, text, ocr))
        result.output_path, result.gold_path = printable(out_path), printable(gold_path)
        results.append(result)
    return results, missing


def check_order(output: Path, gold: Path) -> None:
    """Refuse a pair given gold first: the gold copy's name in the output's place, and not in its own."""
    if _looks_gold(output) and not _looks_gold(gold):
        raise UsageProblem(f"{printable(output)} looks like the gold copy and {printable(gold)} does not",
                           remedy="swap them: vnrestore eval takes the output first, then the gold; "
                                  "dinglehopper takes the gold first")


def _looks_gold(path: Path) -> bool:
    if path.is_dir():
        names = [p.name for p in path.glob("*.txt")]
        return bool(names) and all(name.endswith(GOLD_SUFFIXES) for name in names)
    return path.name.endswith(GOLD_SUFFIXES)


def total(results: list[Evaluation]) -> Scores:
    scores = results[0].scores
    for result in results[1:]:
        scores = scores + result.scores
    return scores
