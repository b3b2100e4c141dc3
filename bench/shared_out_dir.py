"""Several runs at once on one out-dir: each input done once, no traceback, no failure lost.

Run: python3 bench/shared_out_dir.py [--runs 4] [--rounds 6] [--slow-fsync-ms 30]
Each round starts RUNS `vnrestore run --jobs 1` together on one folder of 8 OCR texts and 2 broken
files, all writing to one out-dir. Checks per run: exit code 0, or 1 where it met a broken file; no
traceback. Per round: 8 outputs, both failures in errors.jsonl, no temporary file left.
--slow-fsync-ms makes each write hold its temporary file that much longer (os.fsync is wrapped in
the runs' processes), so that the runs' writes, sweeps and reports overlap as on a slow share.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SLOW_CLI = ("import os, sys, time; fsync = os.fsync; pause = float(sys.argv.pop(1)) / 1000; "
            "os.fsync = lambda fd: (time.sleep(pause), fsync(fd)); import cli; cli.main()")


def one_round(folder: Path, runs: int, slow_ms: float) -> dict[str, object]:
    inputs, out = folder / "in", folder / "out"
    inputs.mkdir()
    for i in range(8):
        shutil.copyfile(ROOT / "samples" / "000.ocr.txt", inputs / f"doc{i}.ocr.txt")
    (inputs / "empty.txt").write_bytes(b"")
    (inputs / "binary.txt").write_bytes(b"\x00\x01\x02")
    procs = [subprocess.Popen([sys.executable, "-c", SLOW_CLI, str(slow_ms), "run", str(inputs), "--out-dir", str(out),
                               "--jobs", "1", "--quiet"], stderr=subprocess.PIPE, text=True, cwd=ROOT)
             for _ in range(runs)]
    errs = [p.communicate(timeout=600)[1] for p in procs]
    errors = out / "errors.jsonl"
    failures = errors.read_text(encoding="utf-8").splitlines() if errors.exists() else []
    return {
        "exit_codes": sorted(p.returncode for p in procs),
        "tracebacks": sum("Traceback" in e for e in errs),
        "outputs": len(list(out.glob("doc*.txt"))),
        "failures_listed": sorted(json.loads(line)["input"].rsplit("/", 1)[-1] for line in failures),
        "temp_files_left": sum(1 for p in out.rglob("*") if p.name.endswith(".tmp")),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--slow-fsync-ms", type=float, default=30.0)
    args = parser.parse_args()
    rounds = []
    for _ in range(args.rounds):
        with tempfile.TemporaryDirectory() as tmp:
            rounds.append(one_round(Path(tmp), args.runs, args.slow_fsync_ms))
    good = [r for r in rounds if r["tracebacks"] == 0 and r["outputs"] == 8 and r["temp_files_left"] == 0
            and r["failures_listed"] == ["binary.txt", "empty.txt"] and set(r["exit_codes"]) <= {0, 1}]
    print(json.dumps({"runs_per_round": args.runs, "rounds": args.rounds, "slow_fsync_ms": args.slow_fsync_ms,
                      "rounds_whole": len(good), "per_round": rounds}, indent=1))


if __name__ == "__main__":
    main()
