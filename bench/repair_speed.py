"""Repair throughput, start-up time and peak memory on the bundled OCR samples.

Run: python3 bench/repair_speed.py [--rounds N]
Start-up is measured in a fresh interpreter (import + lexicon load). Throughput is lines per
CPU second of one process (one core) after start-up, best of --rounds (wall-clock beside it),
over every samples/*.ocr.txt: as `vnrestore repair` runs (text out), and with the per-word
report (rivals, margins, review flags) that `vnrestore run` writes to JSON. The per-token
candidate cache, with the folds and letter costs behind it, and the syllable parser's memo are
cleared before each round, so every round pays for candidate generation as a new batch would.

This machine's timings vary by 10 to 30% from minute to minute and day to day, more than most
changes to the code. `--instructions` also counts the CPU instructions of one repair of the same
samples (valgrind's callgrind, in a fresh interpreter, less those of start-up alone): the same for
the same code and input whatever else the machine does, so two commits compare exactly. About two
minutes; valgrind comes from Debian (apt-get install valgrind).
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from restore.model.resources import Resources  # noqa: E402
from restore.text.orthography import parse  # noqa: E402

STARTUP_PROBE = "import time; t=time.perf_counter(); from restore.model.resources import default_resources; " \
                "default_resources(); print(time.perf_counter()-t)"


INSTRUCTIONS_PROBE = "import sys; from pathlib import Path; from restore.model.resources import default_resources; " \
    "from restore.decode.repair import repair_text; res = default_resources(); " \
    "texts = [p.read_text(encoding='utf-8') for p in sorted(Path('samples').glob('*.ocr.txt'))]; " \
    "[repair_text(t, resources=res) for t in texts if sys.argv[1:] == ['repair']]"


def instructions(*args: str) -> int:
    """CPU instructions of a fresh interpreter running INSTRUCTIONS_PROBE with `args`, by callgrind."""
    out = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, "-c",
                          INSTRUCTIONS_PROBE, *args], cwd=ROOT, capture_output=True, text=True, check=True)
    found = re.search(r"Collected : (\d+)", out.stderr)
    if found is None:
        raise SystemExit(f"valgrind gave no instruction count: {out.stderr.strip()[-200:]}")
    return int(found.group(1))


def startup_seconds() -> float:
    out = subprocess.run([sys.executable, "-c", STARTUP_PROBE], cwd=ROOT, capture_output=True, text=True, check=True)
    return float(out.stdout.strip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--instructions", action="store_true",
                        help="also count the instructions of one repair (valgrind; about two minutes)")
    args = parser.parse_args()
    if args.instructions and shutil.which("valgrind") is None:
        raise SystemExit("--instructions needs valgrind: apt-get install valgrind")

    from restore.decode.repair import repair_lines, repair_text
    from restore.model.resources import default_resources

    startup = min(startup_seconds() for _ in range(3))
    resources = default_resources()
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "samples").glob("*.ocr.txt"))]
    lines = sum(t.count("\n") + 1 for t in texts)

    def text_only(text: str) -> None:
        repair_text(text, resources=resources)

    def with_words(text: str) -> None:
        repair_lines(text.split("\n"), resources=resources)

    cpu, wall = best_times(text_only, texts, resources, args.rounds)
    cpu_words, _ = best_times(with_words, texts, resources, args.rounds)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures = {
        "files": len(texts), "lines": lines, "cpu_seconds": round(cpu, 3),
        "lines_per_second": round(lines / cpu, 1), "wall_lines_per_second": round(lines / wall, 1),
        "lines_per_second_with_word_reports": round(lines / cpu_words, 1),
        "startup_seconds": round(startup, 3),
        "peak_memory_mb": round(peak_mb, 1),
    }
    if args.instructions:
        figures["repair_instructions_millions"] = round((instructions("repair") - instructions()) / 1e6)
    print(json.dumps(figures, indent=2))


def best_times(repair: Callable[[str], None], texts: list[str], resources: Resources,
               rounds: int) -> tuple[float, float]:
    """Best CPU and wall seconds over `rounds` passes, each with a cold candidate cache."""
    cpu_times, wall_times = [], []
    for _ in range(rounds):
        resources.generator.clear_cache()
        parse.cache_clear()
        cpu, wall = time.process_time(), time.perf_counter()
        for text in texts:
            repair(text)
        cpu_times.append(time.process_time() - cpu)
        wall_times.append(time.perf_counter() - wall)
    return min(cpu_times), min(wall_times)


if __name__ == "__main__":
    main()
