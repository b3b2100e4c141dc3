"""Ablation: what each part of repair buys, on a real document and on synthetic scans.

Run: python3 bench/ablation.py [--skip-synthetic]
Rows: lexicon only (hand-set channel, no language model); + language model; + learned channel
(the learned channel with the language model); the auto channel; the shipped default (auto, and
each text's repeated garbles learned from its confident words). Columns: the body of
samples/000 against its gold copy (Tesseract eng output of a real scan), and the bench/texts pages
rendered worn at 200 dpi and clean at 300 dpi, OCR'd with eng and with vie (raw OCR cached under
.sources/bench-ocr/).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

from restore.decode.repair import repair_lines, repair_text  # noqa: E402
from restore.evaluation.evaluate import evaluate  # noqa: E402
from restore.evaluation.metrics import Scores, score  # noqa: E402
from restore.model.channel import Profile  # noqa: E402
from restore.model.resources import Resources, Settings  # noqa: E402
from restore.ocr import tesseract  # noqa: E402
from restore.ocr.synth import WEAR_LEVELS, render  # noqa: E402

ROWS = {
    "lexicon only": Settings(channel="hand", use_lm=False, adapt=False),
    "+ language model": Settings(channel="hand", adapt=False),
    "+ learned channel": Settings(channel="learned", adapt=False),
    "auto channel (learned, capped by strong hand-set confusions)": Settings(adapt=False),
    "shipped default (auto + adaptation to the text's repeated garbles)": Settings(),
}
PAGES = {"worn-200dpi": (200, "worn"), "clean-300dpi": (300, "clean")}
CACHE = ROOT / ".sources" / "bench-ocr"


def synthetic_ocr() -> list[tuple[str, dict[str, str]]]:
    """(source text, {lang: raw OCR}) for each bench text and page style."""
    CACHE.mkdir(parents=True, exist_ok=True)
    out = []
    for text_path in sorted((ROOT / "bench" / "texts").glob("*.txt")):
        gold = text_path.read_text(encoding="utf-8")
        for name, (dpi, level) in PAGES.items():
            ocr = {}
            for lang in ("eng", "vie"):
                cached = CACHE / f"{text_path.stem}-{name}.{lang}.txt"
                if not cached.exists():
                    images = render(gold, replace(WEAR_LEVELS[level], dpi=dpi, seed=dpi))
                    lines = [line.text for image in images for line in tesseract.recognize(image, lang=lang, name=name)]
                    cached.write_text("\n".join(lines), encoding="utf-8")
                ocr[lang] = cached.read_text(encoding="utf-8")
            out.append((gold, ocr))
    return out


def figures(s: Scores) -> dict[str, float]:
    return {"cer": round(100 * s.cer.rate, 2), "wer": round(100 * s.wer.rate, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-synthetic", action="store_true")
    args = parser.parse_args()
    ocr_000 = (ROOT / "samples" / "000.ocr.txt").read_text(encoding="utf-8")
    gold_000 = (ROOT / "samples" / "000.gold.txt").read_text(encoding="utf-8")
    pages = [] if args.skip_synthetic else synthetic_ocr()
    table = {"raw OCR": {"000 body": figures(evaluate(ocr_000, gold_000, body=True).scores)}}
    if pages:
        for lang in ("eng", "vie"):
            total = None
            for gold, ocr in pages:
                s = score(gold, ocr[lang])
                total = s if total is None else total + s
            assert total is not None
            table["raw OCR"][f"synthetic {lang}"] = figures(total)
    for row, settings in ROWS.items():
        resources = Resources.load(settings)
        table[row] = {"000 body": figures(evaluate(repair_text(ocr_000, resources=resources), gold_000,
                                                   body=True).scores)}
        profiles: tuple[Profile, ...] = ("eng", "vie") if pages else ()
        for lang in profiles:
            total = None
            for gold, ocr in pages:
                out = "\n".join(r.text for r in repair_lines(ocr[lang].split("\n"), resources=resources, profile=lang))
                s = score(gold, out)
                total = s if total is None else total + s
            assert total is not None
            table[row][f"synthetic {lang}"] = figures(total)
    print(json.dumps(table, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
