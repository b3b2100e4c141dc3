"""A batch of 50 inputs, 10 of them broken; then the same batch killed midway and re-run.

Run: python3 bench/batch_resilience.py [--jobs N]
Good inputs: 20 OCR text files, 10 PNG scans and 10 PDF scans rendered from bench/texts. Broken:
empty files, images and PDFs that are not what they claim, a truncated PNG and PDF, a
password-protected PDF, a binary .txt and text in no clear encoding. Checks: 40 outputs, 10 lines
in errors.jsonl, exit code 1, no partial file; after a kill, the re-run redoes nothing finished.
"""

from __future__ import annotations

import argparse
import json
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from restore.ocr.synth import ScanStyle, render, save_scan  # noqa: E402

CLI = [sys.executable, str(ROOT / "cli.py")]


def make_inputs(folder: Path) -> None:
    texts = sorted((ROOT / "bench" / "texts").glob("*.txt"))
    ocr_samples = sorted((ROOT / "samples").glob("*.ocr.txt"))
    for i in range(20):
        (folder / f"text{i:02d}.txt").write_text(ocr_samples[i % len(ocr_samples)].read_text(encoding="utf-8"),
                                                 encoding="utf-8")
    for i in range(10):
        text = texts[i % len(texts)].read_text(encoding="utf-8").splitlines()[: 12 + i]
        style = ScanStyle(dpi=150, seed=i)
        save_scan(render("\n".join(text), style)[:1], folder / f"scan{i:02d}.png", 150)
        save_scan(render("\n".join(text), style)[:1], folder / f"scan{i:02d}.pdf", 150)
    good_pdf = (folder / "scan00.pdf").read_bytes()
    good_png = (folder / "scan00.png").read_bytes()
    broken = {
        "broken-empty.pdf": b"",
        "broken-empty.txt": b"",
        "broken-fake.png": b"<html>not an image</html>",
        "broken-fake.pdf": b"GIF89a not a pdf",
        "broken-truncated.png": good_png[: len(good_png) // 3],
        "broken-truncated.pdf": good_pdf[: len(good_pdf) // 3],
        "broken-binary.txt": bytes(range(256)) * 4,
        "broken-unknown-encoding.txt": bytes(range(0x80, 0x100)) * 8,
        "broken-fake.jpg": b"\xff\xd8\xff" + b"\x00" * 100,
    }
    for name, data in broken.items():
        (folder / name).write_bytes(data)
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.append(PdfReader(folder / "scan01.pdf"))
    writer.encrypt("secret")
    with (folder / "broken-password.pdf").open("wb") as handle:
        writer.write(handle)


def outputs(out: Path) -> set[str]:
    return {p.name[:-5] for p in out.glob("*.json")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        inputs, out, out2 = Path(tmp) / "in", Path(tmp) / "out", Path(tmp) / "out2"
        inputs.mkdir()
        make_inputs(inputs)
        run = [*CLI, "run", str(inputs), "--jobs", str(args.jobs), "--quiet", "--lang", "vie"]
        start = time.perf_counter()
        first = subprocess.run([*run, "--out-dir", str(out)], capture_output=True, text=True)
        seconds = time.perf_counter() - start
        errors = (out / "errors.jsonl").read_text(encoding="utf-8").splitlines()
        partial = [p.name for p in out.rglob("*") if p.name.endswith(".tmp")]
        report = {
            "inputs": len(list(inputs.iterdir())), "outputs": len(outputs(out)), "errors_jsonl_lines": len(errors),
            "exit_code": first.returncode, "partial_files": partial, "seconds": round(seconds, 1),
            "traceback_seen": "Traceback" in first.stderr,
            "error_lines": [json.loads(line)["error"] for line in errors],
        }
        proc = subprocess.Popen([*run, "--out-dir", str(out2), "--jobs", "1"], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        while len(outputs(out2)) < 12 and proc.poll() is None:
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        finished = outputs(out2)
        loud = [arg for arg in run if arg != "--quiet"]
        rerun = subprocess.run([*loud, "--out-dir", str(out2), "--jobs", "1"], capture_output=True, text=True)
        summary = [line for line in rerun.stderr.splitlines() if " inputs: " in line]
        report["killed_after_outputs"] = len(finished)
        report["rerun_exit_code"] = rerun.returncode
        report["rerun_outputs"] = len(outputs(out2))
        report["rerun_summary"] = summary[-1] if summary else ""
        report["partial_files_after_kill_and_rerun"] = [p.name for p in out2.rglob("*") if p.name.endswith(".tmp")]
        print(json.dumps(report, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
