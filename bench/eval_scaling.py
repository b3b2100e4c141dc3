"""How `vnrestore eval` scales: texts of 1,000 to 100,000 lines in different line orders, and a
megabyte on one line.

Run: python3 bench/eval_scaling.py [--sizes 1000,5000,20000,100000] [--html]
The gold text is made of lines of 8 to 16 syllables drawn by frequency from the lexicon (no gold
copy is used). The output has the same lines in another order (shuffled), with 3% of the words
misread (a diacritic dropped or a letter changed). Each pair goes through the real CLI
(`vnrestore eval OUTPUT GOLD --json`, with --html if asked); the table gives wall-clock seconds,
the word errors found against the words misread (each should count once, the new order never),
the words found in moved runs, and the gold words left in one-sided blocks (a moved line misread
in every other word is not found as moved; its misreadings then go uncounted). The single-line
pair is the same text in its own order with every line break removed.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from restore.text.normalize import fold  # noqa: E402

SYLLABLES = ROOT / "lexicon" / "data" / "syllables.vi.tsv"
MISREAD = 0.03


def gold_lines(count: int, rng: random.Random) -> list[str]:
    words, weights = [], []
    for line in SYLLABLES.read_text(encoding="utf-8").splitlines():
        word, frequency = line.split("\t")[:2]
        words.append(word)
        weights.append(int(frequency))
    lines = []
    for _ in range(count):
        line = rng.choices(words, weights, k=rng.randint(8, 16))
        line[0] = line[0].capitalize()
        lines.append(" ".join(line) + rng.choice([".", ",", ";", ""]))
    return lines


def misread(line: str, rng: random.Random) -> tuple[str, int]:
    out, changed = [], 0
    for word in line.split():
        if rng.random() < MISREAD:
            changed += 1
            stripped = fold(word)
            word = stripped if stripped != word else word[:-1] + ("x" if word[-1] != "x" else "y")
        out.append(word)
    return " ".join(out), changed


def run_eval(output: Path, gold: Path, html: Path | None) -> tuple[float, dict]:
    command = [sys.executable, str(ROOT / "cli.py"), "eval", str(output), str(gold), "--json"]
    if html is not None:
        command += ["--html", str(html)]
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    return time.perf_counter() - start, json.loads(result.stdout)["pairs"][0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,5000,20000,100000")
    parser.add_argument("--html", action="store_true", help="Also write the HTML report (timed with eval).")
    args = parser.parse_args()
    rng = random.Random(2026)
    print("| pair | lines | gold words | MB | seconds | word errors found | words misread | words in moved runs "
          "| gold words in one-sided blocks |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for size in (int(s) for s in args.sizes.split(",")):
            lines = gold_lines(size, rng)
            output, changed = [], 0
            for line in lines:
                text, n = misread(line, rng)
                output.append(text)
                changed += n
            order = list(range(size))
            rng.shuffle(order)
            cases = [("shuffled lines", [output[i] for i in order], lines)]
            if size >= 20000:  # 1.2 MB and more
                cases.append(("one line", [" ".join(output)], [" ".join(lines)]))
            for name, out_lines, ref_lines in cases:
                gold_path, out_path = folder / f"{size}.gold.txt", folder / f"{size}.txt"
                gold_path.write_text("\n".join(ref_lines) + "\n", encoding="utf-8")
                out_path.write_text("\n".join(out_lines) + "\n", encoding="utf-8")
                seconds, pair = run_eval(out_path, gold_path, folder / "report.html" if args.html else None)
                moved = sum(len(run.split()) for run in pair["moved"])
                print(f"| {name} | {len(ref_lines):,} | {sum(len(line.split()) for line in ref_lines):,} | "
                      f"{gold_path.stat().st_size / 1e6:.1f} | {seconds:.1f} | {pair['wer_errors']:,} | {changed:,} | "
                      f"{moved:,} | {pair['one_sided_words']['gold']:,} |", flush=True)


if __name__ == "__main__":
    main()
