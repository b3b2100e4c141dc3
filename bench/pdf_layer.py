"""Searchable PDFs: what pdftotext reads back, against NAME.txt and against the truth.

Run: python3 bench/pdf_layer.py
Documents: samples/101.scan.pdf (a real 200-dpi scan, scored against samples/101.gold.txt) and
the bench/texts rendered worn at 200 dpi into one PDF (scored against their source text).
For each: `vnrestore run --pdf` (its pdftotext text, default and -raw, against NAME.txt and the
truth); plain `tesseract -l vie` on pages rasterized at the scans' own 200 dpi; plain
`ocrmypdf -l vie`; `ocrmypdf --plugin restore.ocrmypdf_plugin -l vie`, each text layer read by
pdftotext. Last, the document given an English OCR layer (`ocrmypdf -l eng`) and then run through
`vnrestore run`: its WER against the truth, and which reading it kept. Needs the extra `pdf`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["OMP_THREAD_LIMIT"] = "1"

from restore.evaluation.comparison import compare  # noqa: E402
from restore.ocr.synth import WEAR_LEVELS, render, save_scan  # noqa: E402

CLI = [sys.executable, str(ROOT / "cli.py")]


def layer(pdf: Path, *, raw: bool = False) -> str:
    return subprocess.run(["pdftotext", *(["-raw"] if raw else []), str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


def wer(output: str, truth: str) -> str:
    scores = compare(output, truth).scores
    return f"{100 * scores.wer.rate:.2f}"


def documents(folder: Path) -> list[tuple[str, Path, str]]:
    texts = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "bench" / "texts").glob("*.txt")))
    worn = folder / "worn200.pdf"
    save_scan(render(texts, replace(WEAR_LEVELS["worn"], dpi=200)), worn, 200)
    return [("101.scan.pdf (real, 200 dpi)", ROOT / "samples" / "101.scan.pdf",
             (ROOT / "samples" / "101.gold.txt").read_text(encoding="utf-8")),
            ("bench/texts, worn, 200 dpi", worn, texts)]


def main() -> None:
    print("| document | run --pdf: pdftotext vs NAME.txt (-raw) | run --pdf vs truth | tesseract -l vie | "
          "ocrmypdf -l vie | ocrmypdf + plugin | run on an eng-layer PDF (reading kept) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name, source, truth in documents(folder):
            out = folder / "run"
            subprocess.run([*CLI, "run", str(source), "--out-dir", str(out), "--pdf", "--quiet", "--force"],
                           check=True)
            made = out / source.name
            text = made.with_suffix(".txt").read_text(encoding="utf-8")
            pdf = made.with_suffix(".pdf")
            subprocess.run(["pdftoppm", "-r", "200", "-png", str(source), str(folder / "p")], check=True)
            tesseract = "\n".join(subprocess.run(["tesseract", str(p), "stdout", "-l", "vie"], capture_output=True,
                                                 text=True, check=True).stdout
                                  for p in sorted(folder.glob("p-*.png")))
            for p in folder.glob("p-*.png"):
                p.unlink()
            plain, plugin = folder / "plain.pdf", folder / "plugin.pdf"
            subprocess.run([sys.executable, "-m", "ocrmypdf", "-q", "-l", "vie", "--output-type", "pdf",
                            str(source), str(plain)], check=True)
            subprocess.run([sys.executable, "-m", "ocrmypdf", "-q", "--plugin", "restore.ocrmypdf_plugin", "-l", "vie",
                            "--output-type", "pdf", str(source), str(plugin)], check=True, cwd=ROOT)
            english, again = folder / "eng.pdf", folder / "again"
            subprocess.run([sys.executable, "-m", "ocrmypdf", "-q", "-l", "eng", "--output-type", "pdf",
                            str(source), str(english)], check=True)
            subprocess.run([*CLI, "run", str(english), "--out-dir", str(again), "--quiet", "--force"], check=True)
            record = json.loads((again / "eng.json").read_text(encoding="utf-8"))
            kept = "/".join(sorted({page["reading"] for page in record["pages"]}))
            print(f"| {name} | {wer(layer(pdf), text)} ({wer(layer(pdf, raw=True), text)}) | "
                  f"{wer(layer(pdf), truth)} | {wer(tesseract, truth)} | {wer(layer(plain), truth)} | "
                  f"{wer(layer(plugin), truth)} | {wer((again / 'eng.txt').read_text(encoding='utf-8'), truth)} "
                  f"({kept}) |", flush=True)


if __name__ == "__main__":
    main()
