"""Pages per second of one long PDF on a Dask cluster of 1 and 2 workers here, beside the local
pool, and what a 10,000-page batch costs at those rates.

Run: python3 bench/cluster_speed.py [--copies N]
The input is one PDF of N copies of bench/texts rendered at 300 dpi (8 pages a copy): one file, so
the cluster's gain comes from splitting it by page. Each run goes through `vnrestore run`, start-up
included, into a fresh out-dir; the cluster is a dask.distributed LocalCluster of worker processes
with one thread each (as `dask worker --nthreads 1` starts them). Outputs of every run are compared.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from distributed import LocalCluster  # noqa: E402

from restore.ocr.synth import ScanStyle, render, save_scan  # noqa: E402

CLI = [sys.executable, str(ROOT / "cli.py")]
BATCH_PAGES = 10_000


def make_pdf(path: Path, copies: int) -> int:
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "bench" / "texts").glob("*.txt")))
    pages = render("\n".join([text] * copies), ScanStyle(dpi=300, size_pt=13))
    save_scan(pages, path, 300)
    return len(pages)


def timed_run(pdf: Path, out: Path, *extra: str) -> float:
    start = time.perf_counter()
    subprocess.run([*CLI, "run", str(pdf), "--out-dir", str(out), "--lang", "vie", "--quiet", *extra], check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        pdf = folder / "long.pdf"
        pages = make_pdf(pdf, args.copies)
        rows = []
        for jobs in (1, 2):
            rows.append((f"local pool, --jobs {jobs}", timed_run(pdf, folder / f"local{jobs}", "--jobs", str(jobs))))
        for workers in (1, 2):
            with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                              dashboard_address=":0", local_directory=folder / "dask") as cluster:
                rows.append((f"Dask, {workers} worker{'s' if workers > 1 else ''}",
                             timed_run(pdf, folder / f"dask{workers}", "--scheduler", cluster.scheduler_address)))
        texts = {(folder / out / "long.txt").read_bytes() for out in ("local1", "local2", "dask1", "dask2")}
        print(f"one PDF of {pages} pages at 300 dpi, vie; outputs identical across runs: {len(texts) == 1}\n")
        print(f"| run | seconds | pages/s | {BATCH_PAGES:,} pages take |")
        print("|---|---:|---:|---:|")
        for name, seconds in rows:
            rate = pages / seconds
            print(f"| {name} | {seconds:.1f} | {rate:.2f} | {BATCH_PAGES / rate / 3600:.1f} h |")
        one = dict(rows)["Dask, 1 worker"] / pages
        print(f"\nA worker spends {one:.2f} s a page: {BATCH_PAGES:,} pages are {BATCH_PAGES * one / 3600:.1f} "
              f"worker-hours; at N workers about {BATCH_PAGES * one / 3600:.1f}/N hours plus the client's "
              "reading and writing.")


if __name__ == "__main__":
    main()
