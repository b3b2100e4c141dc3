"""Pages turned, skewed and sealed: plain `tesseract -l vie` against `vnrestore run`, which whitens
coloured ink and reads a weak page again turned upright and straightened.

Run: python3 bench/page_preparation.py
Pages: the first page of each bench/texts text (written for the benchmarks; in no lexicon source
and no gold), rendered clean at 300 dpi, then turned 90°, 180°, 270°, skewed 8° either way, or
signed in blue and sealed in red over the text (restore/ocr/synth.py `stamp`).
Figures: WER against the source text, and seconds per page, for each variant.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["OMP_THREAD_LIMIT"] = "1"

from PIL import Image  # noqa: E402

from restore.evaluation.comparison import compare  # noqa: E402
from restore.model.resources import default_resources  # noqa: E402
from restore.ocr.synth import WEAR_LEVELS, layout, render_page, stamp  # noqa: E402
from restore.run.pipeline import RunOptions, process_input  # noqa: E402

VARIANTS: dict[str, Callable[[Image.Image], Image.Image]] = {
    "upright": lambda page: page,
    **{f"turned {turn}°": (lambda page, turn=turn: page.rotate(turn, expand=True, fillcolor=255))
       for turn in (90, 180, 270)},
    **{f"skewed {skew:+d}°": (lambda page, skew=skew: page.rotate(skew, expand=True, fillcolor=255,
                                                                    resample=Image.Resampling.BICUBIC))
       for skew in (8, -8)},
    "red seal and blue signature": lambda page: stamp(page, seed=7),
}


def main() -> None:
    style = replace(WEAR_LEVELS["clean"], dpi=300)
    resources = default_resources()
    totals: dict[str, list[float]] = {name: [0, 0, 0, 0.0, 0.0] for name in VARIANTS}  # errors x2, words, seconds x2
    with tempfile.TemporaryDirectory() as tmp:
        for source in sorted((ROOT / "bench" / "texts").glob("*.txt")):
            lines = layout(source.read_text(encoding="utf-8"), style)[0]
            truth = "\n".join(lines)
            upright = render_page(lines, style)
            for name, variant in VARIANTS.items():
                page = variant(upright)
                path = Path(tmp) / "page.png"
                page.save(path, dpi=(300, 300))
                start = time.perf_counter()
                plain = subprocess.run(["tesseract", str(path), "stdout", "-l", "vie"], capture_output=True,
                                       text=True, check=True).stdout
                middle = time.perf_counter()
                ours = process_input(path, RunOptions(lang="vie"), resources).text
                end = time.perf_counter()
                for k, text in enumerate((plain, ours)):
                    totals[name][k] += compare(text, truth).scores.wer.errors
                totals[name][2] += len(truth.split())
                totals[name][3] += middle - start
                totals[name][4] += end - middle
    pages = len(list((ROOT / "bench" / "texts").glob("*.txt")))
    print("| page | plain vie WER | vnrestore run WER | plain s/page | vnrestore s/page |")
    print("|---|---:|---:|---:|---:|")
    for name, (plain_errors, our_errors, words, plain_s, our_s) in totals.items():
        print(f"| {name} | {100 * plain_errors / words:.2f} | {100 * our_errors / words:.2f} | "
              f"{plain_s / pages:.2f} | {our_s / pages:.2f} |")


if __name__ == "__main__":
    main()
