"""A batch on a real Dask cluster (two worker processes on 127.0.0.1) gives a local run's outputs."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from restore.ocr.synth import ScanStyle, render, save_scan

distributed = pytest.importorskip("distributed", reason="the [distributed] extra is not installed")
pytestmark = pytest.mark.ocr
CLI = [sys.executable, str(Path(__file__).resolve().parent.parent / "cli.py")]
PAGE_ONE = "Ủy ban nhân dân xã ban hành Kế hoạch thực hiện công tác dân vận năm 2026."
PAGE_TWO = "I. MỤC ĐÍCH, YÊU CẦU\n1. Các cơ quan, đơn vị nghiêm túc tổ chức triển khai thực hiện."


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                       dashboard_address=":0", local_directory=tmp_path_factory.mktemp("dask"))
    try:
        yield cluster.scheduler_address
    finally:
        cluster.close()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("inputs")
    style = ScanStyle(dpi=200, size_pt=14)
    for name in ("two-pages.pdf", "two-frames.tiff"):  # pages spread over both workers
        save_scan(render(PAGE_ONE, style) + render(PAGE_TWO, style), folder / name, 200)
    (folder / "garbled.txt").write_text("Thyec hién Nghi quyet s0 55-NQ/TU ciia Ban Thu'O'ng vu Tinh ty\n",
                                        encoding="utf-8")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj <<")
    return folder


def _run(*args: str | Path) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, "run", *map(str, args)], capture_output=True, text=True, timeout=300)


def test_cluster_outputs_equal_a_local_run(scheduler: str, inputs: Path, tmp_path: Path) -> None:
    cluster = _run(inputs, "--out-dir", tmp_path / "cluster", "--keep-ocr", "--lang", "vie", "--scheduler", scheduler)
    local = _run(inputs, "--out-dir", tmp_path / "local", "--keep-ocr", "--lang", "vie", "--jobs", "1")
    assert cluster.returncode == local.returncode == 1, cluster.stderr  # broken.pdf fails, the others are done
    assert "Traceback" not in cluster.stderr
    for name in ("two-pages", "two-frames", "garbled"):
        for suffix in (".txt", ".ocr.txt"):
            output = name + suffix
            assert (tmp_path / "cluster" / output).read_bytes() == (tmp_path / "local" / output).read_bytes()
        records = [json.loads((tmp_path / run / f"{name}.json").read_text()) for run in ("cluster", "local")]
        for record in records:
            record.pop("seconds")
        assert records[0] == records[1]
    pdf = json.loads((tmp_path / "cluster" / "two-pages.json").read_text())
    assert [page["number"] for page in pdf["pages"]] == [1, 2]
    assert "Kế hoạch" in (tmp_path / "cluster" / "two-pages.txt").read_text()
    errors = [json.loads(line) for line in (tmp_path / "cluster" / "errors.jsonl").read_text().splitlines()]
    assert [e["input"] for e in errors] == [str(inputs / "broken.pdf")]

    again = _run(inputs, "--out-dir", tmp_path / "cluster", "--keep-ocr", "--lang", "vie", "--scheduler", scheduler)
    assert "0 done, 3 already done, 1 failed" in again.stderr  # resume works the same


@pytest.mark.parametrize("address, says", [("tcp://127.0.0.1:9", "cannot reach the Dask scheduler"),
                                           ("not-an-address", "not a Dask scheduler address")])
def test_a_bad_scheduler_is_one_line(inputs: Path, tmp_path: Path, address: str, says: str) -> None:
    result = _run(inputs / "garbled.txt", "--out-dir", tmp_path, "--scheduler", address)
    assert result.returncode == 2
    assert says in result.stderr and "Traceback" not in result.stderr
