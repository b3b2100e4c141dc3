"""Scan-path quality and speed: plain `tesseract -l vie` against `vnrestore run` with repair.

Run: python3 bench/ocr_quality.py [--quick] [--json out.json]
Pages: the texts in bench/texts/ (written for this benchmark; in no lexicon source and no gold),
rendered at 300, 200 and 150 dpi in three fonts at two fixed degradation levels (clean: light
blur and speckle; worn: more blur, speckle, rotation and JPEG loss), OCR'd by the real Tesseract
with one thread.
Figures: CER and WER against the source text for plain vie, vnrestore --lang vie, vnrestore
--lang eng; word errors removed by repair; wall time per page of vnrestore vie against plain vie.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["OMP_THREAD_LIMIT"] = "1"  # same thread count for plain tesseract and vnrestore

from restore.evaluation.metrics import Scores, score  # noqa: E402
from restore.model.resources import default_resources  # noqa: E402
from restore.ocr.synth import WEAR_LEVELS, render, save_scan  # noqa: E402
from restore.run.pipeline import RunOptions, process_input  # noqa: E402

DPIS = (300, 200, 150)
FONTS = ("liberation-serif", "dejavu-serif", "noto-serif")


def plain_tesseract(pages: list[Path], lang: str) -> tuple[str, float]:
    start = time.perf_counter()
    texts = [subprocess.run(["tesseract", str(p), "stdout", "-l", lang], capture_output=True, text=True,
                            check=True).stdout for p in pages]
    return "\f".join(texts), time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one font instead of three")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--level", choices=[*WEAR_LEVELS, "all"], default="all", help="degradation level")
    args = parser.parse_args()
    resources = default_resources()
    texts = sorted((ROOT / "bench" / "texts").glob("*.txt"))
    fonts = FONTS[:1] if args.quick else FONTS
    report: dict[str, dict[str, object]] = {}
    levels = list(WEAR_LEVELS) if args.level == "all" else [args.level]
    with tempfile.TemporaryDirectory() as tmp:
        for level, dpi in ((level, dpi) for level in levels for dpi in DPIS):
            totals: dict[str, Scores] = {}
            seconds = {"plain_vie": 0.0, "vnrestore_vie": 0.0}
            pages_done = 0
            for text_path in texts:
                gold = text_path.read_text(encoding="utf-8")
                for font in fonts:
                    style = replace(WEAR_LEVELS[level], font=font, dpi=dpi, seed=dpi)
                    images = render(gold, style)
                    paths = []
                    for n, image in enumerate(images):
                        path = Path(tmp) / f"{text_path.stem}-{font}-{dpi}-{n}.png"
                        save_scan([image], path, dpi)
                        paths.append(path)
                    pages_done += len(paths)
                    plain, plain_seconds = plain_tesseract(paths, "vie")
                    seconds["plain_vie"] += plain_seconds
                    runs = {"plain_vie": plain}
                    for lang in ("vie", "eng"):
                        start = time.perf_counter()
                        repaired = "\f".join(process_input(p, RunOptions(lang=lang, dpi=dpi), resources).text
                                             for p in paths)
                        if lang == "vie":
                            seconds["vnrestore_vie"] += time.perf_counter() - start
                        runs[f"vnrestore_{lang}"] = repaired
                    for name, hypothesis in runs.items():
                        s = score(gold, hypothesis.replace("\f", "\n"))
                        totals[name] = totals[name] + s if name in totals else s
            row: dict[str, object] = {"pages": pages_done}
            for name, s in totals.items():
                row[name] = {"cer": round(100 * s.cer.rate, 2), "wer": round(100 * s.wer.rate, 2),
                             "word_errors": s.wer.errors}
            plain_errors = totals["plain_vie"].wer.errors
            row["vie_word_errors_removed_pct"] = round(
                100 * (plain_errors - totals["vnrestore_vie"].wer.errors) / max(plain_errors, 1), 1)
            row["eng_wer_minus_plain_vie_wer"] = round(
                100 * (totals["vnrestore_eng"].wer.rate - totals["plain_vie"].wer.rate), 2)
            row["seconds_per_page"] = {k: round(v / pages_done, 3) for k, v in seconds.items()}
            row["time_ratio_vnrestore_vie_to_plain"] = round(seconds["vnrestore_vie"] / seconds["plain_vie"], 3)
            report[f"{level}-{dpi}dpi"] = row
            print(json.dumps({f"{level}-{dpi}dpi": row}, ensure_ascii=False), flush=True)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
