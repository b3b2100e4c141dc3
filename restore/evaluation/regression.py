"""`vnrestore regress`: run the pipeline on every sample pair and compare with a recorded baseline.

Sample pairs in a folder: NAME.ocr.txt (OCR text, repaired) or NAME.scan.{pdf,png,tif,tiff,jpg}
(a scan, OCR'd and repaired), each with NAME.gold.txt. baseline.json records each pair's CER and
WER and the tolerance per kind of pair; a metric worse than its baseline by more than the
tolerance is a regression. Text pairs are deterministic; scans get more room, because another
Tesseract build may read a page slightly differently. The gate fails as loudly when it cannot
judge: no baseline at all, or a sample of the baseline gone from the folder. Results go to a
table, JSON or JUnit XML (one testcase per sample and metric) for CI systems.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from restore.decode.repair import repair_text
from restore.errors import InputError, UsageProblem
from restore.evaluation.evaluate import Evaluation, evaluate
from restore.model.resources import Resources
from restore.run.pipeline import FORM_FEED, RunOptions, process_input
from restore.text.textio import read_text, write_atomic

BASELINE = "baseline.json"
SCAN_SUFFIXES = (".pdf", ".png", ".tif", ".tiff", ".jpg", ".jpeg")
DEFAULT_TOLERANCE = {"text": {"cer": 0.002, "wer": 0.005}, "scan": {"cer": 0.005, "wer": 0.01}}
METRICS = ("cer", "wer")


@dataclass(frozen=True)
class SamplePair:
    name: str
    source: Path
    gold: Path
    kind: str  # "text" or "scan"


@dataclass(frozen=True)
class Check:
    name: str
    metric: str
    baseline: float | None  # None: a sample the baseline does not know yet
    now: float | None  # None: a sample of the baseline that is gone
    tolerance: float

    @property
    def status(self) -> str:
        if self.now is None:
            return "MISSING"
        if self.baseline is None:
            return "new"
        return "REGRESSED" if self.now > self.baseline + self.tolerance else "ok"

    @property
    def failed(self) -> bool:
        return self.status in ("REGRESSED", "MISSING")

    def as_dict(self) -> dict:
        return {"sample": self.name, "metric": self.metric, "baseline": self.baseline, "now": self.now,
                "tolerance": self.tolerance, "status": self.status}


def find_pairs(folder: Path) -> list[SamplePair]:
    pairs = []
    for gold in sorted(folder.glob("*.gold.txt")):
        name = gold.name[: -len(".gold.txt")]
        text = folder / f"{name}.ocr.txt"
        scans = [p for p in (folder / f"{name}.scan{suffix}" for suffix in SCAN_SUFFIXES) if p.exists()]
        if text.exists():
            pairs.append(SamplePair(name, text, gold, "text"))
        for scan in scans:
            pairs.append(SamplePair(name if not text.exists() else f"{name}.scan", scan, gold, "scan"))
    if not pairs:
        raise InputError("no sample pairs", path=str(folder),
                         remedy="put NAME.gold.txt beside NAME.ocr.txt or NAME.scan.pdf (.png, .tiff)")
    return pairs


def run_pair(pair: SamplePair, resources: Resources, options: RunOptions) -> Evaluation:
    if pair.kind == "text":
        output = repair_text(read_text(pair.source), style=options.style, resources=resources)
    else:
        output = process_input(pair.source, options, resources).text.replace(FORM_FEED, "\n")
    return evaluate(output, read_text(pair.gold), names=(pair.name, str(pair.gold)))


def load_baseline(folder: Path, *, required: bool = True) -> dict:
    path = folder / BASELINE
    if not path.exists():
        if required:
            raise UsageProblem("no baseline", path=str(path), remedy=f"run vnrestore regress {folder} --update")
        return {"tolerance": DEFAULT_TOLERANCE, "pairs": {}}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise InputError(f"not valid JSON: {exc}", path=str(path),
                         remedy=f"mend it, or run vnrestore regress {folder} --update") from exc


def check(pairs: list[SamplePair], results: list[Evaluation], baseline: dict) -> list[Check]:
    """One check per sample and metric, and one per metric of each baseline sample that is gone."""
    checks = []
    tolerances = baseline.get("tolerance", DEFAULT_TOLERANCE)
    for pair, result in zip(pairs, results):
        recorded = baseline["pairs"].get(pair.name, {})
        figures = result.scores.as_dict()
        for metric in METRICS:
            checks.append(Check(pair.name, metric, recorded.get(metric), float(figures[metric]),
                                tolerances[pair.kind][metric]))
    present = {pair.name for pair in pairs}
    for name, recorded in sorted(baseline["pairs"].items()):
        if name not in present:
            kind = recorded.get("kind", "text")
            checks += [Check(name, metric, recorded.get(metric), None, tolerances[kind][metric]) for metric in METRICS]
    return checks


def junit_xml(checks: list[Check]) -> str:
    """JUnit XML: a testcase per sample and metric, failed when regressed or gone."""
    suite = ET.Element("testsuite", name="vnrestore regress", tests=str(len(checks)),
                       failures=str(sum(c.failed for c in checks)), errors="0")
    for c in checks:
        case = ET.SubElement(suite, "testcase", classname=f"regress.{c.name}", name=c.metric)
        if c.failed:
            message = (f"{c.name} is in the baseline but gone from the samples" if c.now is None else
                       f"{c.metric} {100 * c.now:.2f}% > baseline {100 * (c.baseline or 0):.2f}% "
                       f"+ tolerance {100 * c.tolerance:.2f}")
            ET.SubElement(case, "failure", message=message, type=c.status)
        else:
            ET.SubElement(case, "system-out").text = json.dumps(c.as_dict())
    return ET.tostring(suite, encoding="unicode", xml_declaration=True) + "\n"


def write_baseline(folder: Path, pairs: list[SamplePair], results: list[Evaluation], baseline: dict) -> None:
    recorded = {pair.name: {"kind": pair.kind, **{m: round(float(r.scores.as_dict()[m]), 6) for m in METRICS}}
                for pair, r in zip(pairs, results)}
    data = {"tolerance": baseline.get("tolerance", DEFAULT_TOLERANCE), "pairs": recorded,
            "made_by": "vnrestore regress --update"}
    write_atomic(folder / BASELINE, json.dumps(data, indent=2) + "\n")
