"""The batch against a corpus of bad inputs: the figures of the data-safety bars.

Generates N bad and odd inputs (tests/bad_inputs.py, seeded), runs them as one batch and reports
the exit code, whether a traceback was seen, how many failures errors.jsonl lists (and how many
lack a remedy), the manifest's statuses and any temporary file left; then times `vnrestore repair`
on a 1 MB one-line text and checks that a FIFO among the inputs does not hang the run.

    python3 bench/bad_corpus.py [--count 1200] [--jobs 2]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from bad_inputs import generate  # noqa: E402

CLI = [sys.executable, "-c", "import cli; cli.main()"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1200)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    report: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp:
        inputs, out = Path(tmp) / "in", Path(tmp) / "out"
        generate(inputs, args.count, seed=args.seed)
        start = time.perf_counter()
        batch = subprocess.run([*CLI, "run", str(inputs), "--out-dir", str(out), "--jobs", str(args.jobs)],
                               capture_output=True, text=True, errors="replace", cwd=ROOT)
        report["inputs"] = sum(1 for _ in inputs.iterdir())
        report["batch_seconds"] = round(time.perf_counter() - start, 1)
        report["exit_code"] = batch.returncode
        report["traceback_seen"] = "Traceback" in batch.stderr
        manifest = next(out.glob("run-*.jsonl")).read_text(encoding="utf-8").splitlines()
        report["manifest_statuses"] = dict(Counter(json.loads(line)["status"] for line in manifest))
        errors = (out / "errors.jsonl").read_text(encoding="utf-8").splitlines()
        report["errors_jsonl_lines"] = len(errors)
        report["internal_errors"] = sum(json.loads(line)["kind"] == "InternalError" for line in errors)
        report["failures_without_remedy"] = sum(not json.loads(line).get("remedy") for line in errors)
        report["temp_files_left"] = sum(1 for p in out.rglob("*") if p.name.endswith(".tmp"))
        report["summary"] = [line for line in batch.stderr.splitlines() if " inputs: " in line][-1]

        long_line = Path(tmp) / "long.txt"
        long_line.write_bytes(("Thyec hién Nghi quyet s0 55-NQ/TU ciia Ban Thu’O’ng vu Tinh ty " * 16_500).encode())
        start = time.perf_counter()
        repaired = subprocess.run([*CLI, "repair", str(long_line)], capture_output=True, cwd=ROOT)
        report["one_line_bytes"] = long_line.stat().st_size
        report["one_line_repair_seconds"] = round(time.perf_counter() - start, 1)
        report["one_line_exit_code"] = repaired.returncode

        fifo = Path(tmp) / "pipe.txt"
        os.mkfifo(fifo)
        start = time.perf_counter()
        try:
            piped = subprocess.run([*CLI, "run", str(fifo), str(long_line), "--out-dir", str(Path(tmp) / "o2")],
                                   capture_output=True, text=True, timeout=300, cwd=ROOT)
            report["fifo_run_exit_code"] = piped.returncode
        except subprocess.TimeoutExpired:
            report["fifo_run_exit_code"] = "hung (killed after 300 s)"
        report["fifo_run_seconds"] = round(time.perf_counter() - start, 1)
    print(json.dumps(report, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
