"""The command line as a user meets it: run as a real process, exit codes and one-line errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

CLI = [sys.executable, str(Path(__file__).resolve().parent.parent / "cli.py")]


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], input=stdin, capture_output=True, text=True, timeout=120)


def test_repair_stdin_to_stdout() -> None:
    result = run("repair", "-", stdin="Uy ban nhan dan xa\n")
    assert result.returncode == 0
    assert result.stdout == "Ủy ban nhân dân xã\n"


def test_repair_out_dir_writes_one_file_per_input(tmp_path: Path) -> None:
    src = tmp_path / "a.ocr.txt"
    src.write_text("Ke hoach\n", encoding="utf-8")
    result = run("repair", str(src), "--out-dir", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "a.txt").read_text(encoding="utf-8") == "Kế hoạch\n"  # NAME.ocr.txt -> NAME.txt
    assert not list((tmp_path / "out").glob("*.tmp"))


def test_bad_inputs_get_one_line_and_nonzero_exit(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    legacy = tmp_path / "legacy.txt"
    legacy.write_bytes(b"Vi\xea\xf2t Nam")  # "Việt Nam" in Windows-1258: ê + combining dot below
    binary = tmp_path / "bin.txt"
    binary.write_bytes(b"\x00\x01\x02abc")
    for path, words in [(empty, "empty file"), (legacy, "not UTF-8"), (binary, "binary")]:
        result = run("repair", str(path))
        assert result.returncode != 0
        assert "Traceback" not in result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and str(path) in lines[0] and words in lines[0]


def test_a_scan_given_to_repair_and_a_file_against_a_folder_say_what_to_do(tmp_path: Path) -> None:
    scan = Path(__file__).resolve().parent.parent / "samples" / "101.scan.pdf"
    result = run("repair", str(scan))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip() == f"vnrestore: {scan}: is a scan (pdf), not OCR text (OCR and repair it with " \
                                    f"vnrestore run {scan} --out-dir DIR)"
    result = run("eval", str(scan), str(tmp_path))
    assert result.returncode != 0
    assert "one is a folder, the other a file (give two files or two folders)" in result.stderr


def test_batch_goes_on_after_a_bad_file(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("Ke hoach\n", encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    result = run("repair", str(bad), str(good), "--out-dir", str(tmp_path / "out"))
    assert result.returncode == 1
    assert (tmp_path / "out" / "good.txt").exists()
    assert "bad.txt: empty file" in result.stderr


def test_eval_reports_and_json(tmp_path: Path) -> None:
    hyp = tmp_path / "h.txt"
    hyp.write_text("cua Nhân dân\n", encoding="utf-8")
    gold = tmp_path / "g.txt"
    gold.write_text("của Nhân dân\n", encoding="utf-8")
    result = run("eval", str(hyp), str(gold), "--json")
    assert result.returncode == 0
    assert '"wer": 0.333333' in result.stdout
    assert run("eval", str(hyp), str(gold), "--body", "--lines").returncode == 2
    missing = run("eval", str(hyp), str(tmp_path / "nope.txt"))
    assert missing.returncode == 2 and "Traceback" not in missing.stderr


def test_readme_example_is_what_the_tool_prints() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    block = readme.split("$ echo \"", 1)[1]
    given, rest = block.split("\" | vnrestore repair\n", 1)
    expected = rest.split("\n", 1)[0]
    assert run("repair", "-", stdin=given + "\n").stdout == expected + "\n"


@pytest.mark.parametrize(("shell", "message"), [
    ("vnrestore repair good.txt > /dev/full", "cannot write the output: No space left on device"),
    ("vnrestore repair <&-", "standard input is closed"),
    ("vnrestore repair good.txt >&-", "standard output is closed"),
    ("vnrestore eval good.txt good.txt --html afile/r.html", "afile/r.html: cannot write"),
    ("vnrestore synth good.txt afile/o.png", "afile/o.png: cannot write"),
    ("vnrestore eval pipe.txt good.txt", "pipe.txt: is a FIFO"),
    ("vnrestore eval x.gold.txt good.txt", "x.gold.txt looks like the gold copy"),
    ("vnrestore run pipe.txt --out-dir o", "pipe.txt: is a FIFO"),
])
def test_streams_and_paths_a_user_gets_wrong_are_one_line(tmp_path: Path, shell: str, message: str) -> None:
    (tmp_path / "good.txt").write_text("Ke hoach\n", encoding="utf-8")
    (tmp_path / "afile").write_text("", encoding="utf-8")
    (tmp_path / "x.gold.txt").write_text("Kế hoạch\n", encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.txt")
    command = shell.replace("vnrestore", f"{sys.executable} -c 'import cli; cli.main()'")
    result = subprocess.run(["bash", "-c", command], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode in (1, 2), result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr
    assert len([line for line in result.stderr.splitlines() if "vnrestore:" in line and message in line]) == 1
