"""A thousand bad inputs (tests/bad_inputs.py), as one batch and one by one through run, repair and
eval: no traceback, no hang, no partial file, one line naming each file that fails."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from bad_inputs import GOOD_TEXT, generate

import cli
from restore.errors import printable

COUNT = 1000
PER_CALL_SECONDS = 120  # the ~1 MB one-line text is the slowest input


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fuzz") / "in"
    generate(folder, COUNT, seed=2026)
    return folder


def _leftovers(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.name.endswith(".tmp")]


@pytest.mark.ocr
def test_bad_corpus_as_one_batch(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-c", "import cli; cli.main()", "run", str(corpus), "--out-dir", str(out),
                           "--jobs", "2"], capture_output=True, text=True, timeout=900, errors="replace")
    assert done.returncode == 1, done.stderr[-2000:]
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
    rows = [json.loads(line) for line in next(out.glob("run-*.jsonl")).read_text(encoding="utf-8").splitlines()]
    by_status: dict[str, int] = {}
    for row in rows:
        by_status[row["status"]] = by_status.get(row["status"], 0) + 1
    failures = [json.loads(line) for line in (out / "errors.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(failures) == by_status["failed"] > 500
    assert by_status["unsupported"] == 1  # notes.docx
    assert by_status["done"] > 100
    for failure in failures:
        assert failure["error"].startswith(failure["input"] + ": ") and "\n" not in failure["error"]
        assert failure["kind"] != "InternalError"
        assert failure["remedy"] and failure["error"].endswith(f" ({failure['remedy']})"), failure
    assert not _leftovers(out)
    texts = [p for p in out.rglob("*.txt") if not p.name.endswith(".ocr.txt")]
    assert len(texts) == by_status["done"]
    for text in texts:  # no output without its record
        assert text.with_suffix(".json").exists(), text


def _run_cli(args: list[str], stdin: bytes = b"") -> int:
    """The CLI in this process: any exception other than SystemExit is a traceback a user would see."""
    def hang(signum: int, frame: object) -> None:
        raise TimeoutError(f"vnrestore {' '.join(args)} took over {PER_CALL_SECONDS} s")

    previous = signal.signal(signal.SIGALRM, hang)
    signal.alarm(PER_CALL_SECONDS)
    saved_argv = sys.argv
    sys.argv = ["vnrestore", *args]
    try:
        cli.main()
    except SystemExit as exit_:
        return int(exit_.code or 0)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
        sys.argv = saved_argv
    return 0


def _inputs(corpus: Path) -> Iterator[Path]:
    yield from sorted(corpus.iterdir())


@pytest.mark.ocr
def test_bad_inputs_one_by_one(corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gold = tmp_path / "gold.txt"
    gold.write_text(GOOD_TEXT, encoding="utf-8")
    out = tmp_path / "out"
    seen = 0
    for path in _inputs(corpus):
        name = printable(path)
        for args in (["run", str(path), "--out-dir", str(out), "--jobs", "1", "--quiet"],
                     ["repair", str(path), "--out-dir", str(out / "repaired")],
                     ["eval", str(path), str(gold)]):
            code = _run_cli(args)
            err = capsys.readouterr().err
            assert code in (0, 1, 2), (args, code, err)
            if code:
                assert err.strip(), f"{args}: exit {code} without a word"
                first = err.strip().splitlines()[0]
                assert name in err or "Error:" in first, (args, err)
        seen += 1
    assert seen >= COUNT - 1
    assert not _leftovers(out)
