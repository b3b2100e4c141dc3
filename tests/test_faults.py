"""A batch under faults: killed processes, Ctrl-C, a full disk, a read-only or shared out-dir.

Each test runs the real command on real files; inputs are OCR text (about 0.3 s each to repair), and
a test that stops a batch gives it enough of them that the stop lands while work is under way.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from restore.run.discovery import STATE_DIR
from restore.run.records import exclusive
from restore.text.textio import TEMP_PREFIX, TEMP_SUFFIX, sweep_abandoned_temp_files, write_atomic

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "000.ocr.txt"
CLI = [sys.executable, "-c", "import cli; cli.main()"]


def _inputs(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        shutil.copyfile(SAMPLE, folder / f"doc{i:02d}.ocr.txt")
    return folder


def _run(*args: str | Path, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *map(str, args)], capture_output=True, text=True, timeout=600, **kwargs)


def _start(*args: str | Path) -> subprocess.Popen[str]:
    return subprocess.Popen([*CLI, *map(str, args)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, preexec_fn=_as_a_terminal_job)


def _as_a_terminal_job() -> None:
    """Ctrl-C reaches the run as it reaches a command typed at a terminal. A shell that runs the tests
    in the background without job control starts them with SIGINT ignored, every child inherits
    that, and Python then leaves it ignored: the run would never see the Ctrl-C this file sends."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _wait_for(condition, seconds: float = 120) -> None:  # type: ignore[no-untyped-def]
    deadline = time.time() + seconds
    while not condition():
        assert time.time() < deadline, "timed out"
        time.sleep(0.05)


def _children(pid: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    return [int(p) for p in found]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _temp_files(out: Path) -> list[Path]:
    return [p for p in out.rglob("*") if p.name.endswith(".tmp")]


def _finished(out: Path) -> set[str]:
    return {p.name for p in out.glob("*.json")}


def _batch_under_way(tmp_path: Path, count: int, finished: int) -> tuple[Path, Path, subprocess.Popen[str], list[int]]:
    """A two-worker batch of `count` inputs, once `finished` are done: inputs, out-dir, process, workers."""
    inputs, out = _inputs(tmp_path / "in", count), tmp_path / "out"
    proc = _start("run", inputs, "--out-dir", out, "--jobs", "2", "--quiet")
    _wait_for(lambda: len(_finished(out)) >= finished)
    workers = _children(proc.pid)
    assert workers and proc.poll() is None, "the batch ended before it could be interrupted"
    return inputs, out, proc, workers


def test_kill_9_of_the_main_process_takes_the_workers_with_it_and_resumes(tmp_path: Path) -> None:
    inputs, out, proc, workers = _batch_under_way(tmp_path, 40, 2)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    _wait_for(lambda: not any(_alive(w) for w in workers), seconds=5)
    finished = len(_finished(out))
    rerun = _run("run", inputs, "--out-dir", out, "--jobs", "2")
    assert rerun.returncode == 0, rerun.stderr
    assert f"{40 - finished} done, {finished} already done, 0 failed" in rerun.stderr
    assert not _temp_files(out)


def test_a_killed_worker_costs_nothing(tmp_path: Path) -> None:
    inputs, out, proc, workers = _batch_under_way(tmp_path, 20, 1)
    os.kill(workers[0], signal.SIGKILL)
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    assert len(_finished(out)) == 20
    assert not _temp_files(out)


@pytest.mark.parametrize(("sent", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_ctrl_c_and_sigterm_stop_at_once(tmp_path: Path, sent: signal.Signals, code: int) -> None:
    count = 300  # minutes of work: the run must still be going when the signal lands, on a loaded machine too
    inputs, out = _inputs(tmp_path / "in", count), tmp_path / "out"
    proc = _start("run", inputs, "--out-dir", out, "--jobs", "2")
    _wait_for(lambda: len(_finished(out)) >= 1)
    workers = _children(proc.pid)
    assert proc.poll() is None, "the batch ended before it could be stopped"
    stopped_at = time.time()
    os.killpg(proc.pid, sent) if sent == signal.SIGINT else proc.send_signal(sent)  # Ctrl-C reaches the group
    _, err = proc.communicate(timeout=30)
    assert time.time() - stopped_at < 5
    assert proc.returncode == code, err
    assert "run the same command again to resume" in err and "Traceback" not in err
    assert not any(_alive(w) for w in workers)
    assert not _temp_files(out)
    assert len(_finished(out)) < count


def test_two_runs_on_one_out_dir_do_each_input_once(tmp_path: Path) -> None:
    inputs, out = _inputs(tmp_path / "in", 10), tmp_path / "out"
    first = _start("run", inputs, "--out-dir", out, "--jobs", "1")
    second = _start("run", inputs, "--out-dir", out, "--jobs", "1")
    errs = [p.communicate(timeout=300)[1] for p in (first, second)]
    assert first.returncode == second.returncode == 0, errs
    done = [int(e.split(" inputs: ")[1].split(" done")[0]) for e in errs]
    assert sum(done) == 10, errs
    assert len(_finished(out)) == 10


def test_a_sweep_leaves_a_live_writers_temporary_file_alone(tmp_path: Path) -> None:
    live, left = (tmp_path / f"{TEMP_PREFIX}{name}{TEMP_SUFFIX}" for name in ("live", "left"))
    live.write_bytes(b"half")
    left.write_bytes(b"half")
    with live.open("rb") as writer:
        fcntl.flock(writer, fcntl.LOCK_EX)  # what a writer holds until its rename
        sweep_abandoned_temp_files({tmp_path})
        assert live.exists() and not left.exists()
    sweep_abandoned_temp_files({tmp_path})
    assert not live.exists()


def test_errors_jsonl_waits_for_another_runs_merge(tmp_path: Path) -> None:
    inputs, out = _inputs(tmp_path / "in", 1), tmp_path / "out"
    (inputs / "empty.txt").write_bytes(b"")
    with exclusive(out / STATE_DIR / "errors.lock", wait=True):  # another run merging its failures
        proc = _start("run", inputs, "--out-dir", out, "--jobs", "1")
        _wait_for(lambda: (out / "doc00.json").exists())
        time.sleep(1.0)
        assert proc.poll() is None and not (out / "errors.jsonl").exists()
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 1, err
    assert "empty.txt" in (out / "errors.jsonl").read_text(encoding="utf-8")


def test_a_file_system_without_locks_still_gets_outputs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_locks(fd: int, operation: int) -> None:
        raise OSError(errno.ENOLCK, "No locks available")

    monkeypatch.setattr(fcntl, "flock", no_locks)
    write_atomic(tmp_path / "a.txt", "Kế hoạch\n")
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "Kế hoạch\n"
    with exclusive(tmp_path / "a.lock", wait=False) as mine:
        assert mine
    left = tmp_path / f"{TEMP_PREFIX}left{TEMP_SUFFIX}"
    left.write_bytes(b"half")
    sweep_abandoned_temp_files({tmp_path})
    assert left.exists()  # without locks a live writer cannot be told from a dead one: kept


def _in_namespace(script: str) -> subprocess.CompletedProcess[str]:
    """Run a shell script in a private mount namespace where it may mount a small tmpfs."""
    if shutil.which("unshare") is None:
        pytest.skip("unshare (util-linux) is not installed")
    probe = subprocess.run(["unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"],
                           capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.skip(f"no mount namespace here: {probe.stderr.strip()}")
    cli = " ".join(CLI[:2]) + " 'import cli; cli.main()'"
    return subprocess.run(["unshare", "-rm", "sh", "-c", script.replace("VNRESTORE", cli)],
                          capture_output=True, text=True, timeout=300)


def test_a_disk_that_fills_leaves_no_output_without_its_record(tmp_path: Path) -> None:
    inputs = _inputs(tmp_path / "in", 6)
    report = tmp_path / "report"
    result = _in_namespace(f"""
        mount -t tmpfs -o size=900k tmpfs /mnt
        VNRESTORE run {inputs} --out-dir /mnt/out --jobs 1; echo "exit $?"
        cd /mnt/out && ls -a > {report}.ls
        for f in *.txt; do test -e "${{f%.txt}}.json" || echo "$f" >> {report}.orphans; done
    """)
    err = result.stderr
    assert "exit 2" in result.stdout, err
    assert "No space left on device" in err and "Traceback" not in err
    assert "free some space" in err
    listing = (tmp_path / "report.ls").read_text()
    assert ".tmp" not in listing
    assert not (tmp_path / "report.orphans").exists()


def test_a_read_only_out_dir_is_one_line(tmp_path: Path) -> None:
    inputs = _inputs(tmp_path / "in", 2)
    result = _in_namespace(f"""
        mount -t tmpfs -o size=64k,ro tmpfs /mnt
        VNRESTORE run {inputs} --out-dir /mnt/out; echo "exit $?"
    """)
    assert "exit 2" in result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "/mnt/out" in lines[0] and "Read-only file system" in lines[0], result.stderr


def test_outputs_follow_the_umask_and_quiet_still_names_failures(tmp_path: Path) -> None:
    inputs, out = _inputs(tmp_path / "in", 1), tmp_path / "out"
    (inputs / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n broken")
    result = _run("run", inputs, "--out-dir", out, "--quiet", preexec_fn=lambda: os.umask(0o022))
    assert result.returncode == 1
    assert result.stderr.count("broken.png") >= 1 and "doc00" not in result.stderr
    for path in out.glob("doc00.*"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o644, path


def test_inputs_are_never_overwritten_and_names_stay_apart(tmp_path: Path) -> None:
    folders = [tmp_path / name for name in ("d1", "d2", "d3")]
    for i, folder in enumerate(folders):
        folder.mkdir()
        (folder / "x.txt").write_text(f"Ke hoach so {i}\n", encoding="utf-8")
    out = tmp_path / "d1"  # an out-dir that holds an input
    result = _run("run", *(f / "x.txt" for f in folders), folders[0] / "x.txt", "--out-dir", out, "--jobs", "1")
    assert result.returncode == 0, result.stderr
    assert (folders[0] / "x.txt").read_text(encoding="utf-8") == "Ke hoach so 0\n"
    assert "3 inputs: 3 done" in result.stderr  # the same file given twice is one input
    texts = sorted(p.read_text(encoding="utf-8") for p in out.rglob("x*.txt") if p != folders[0] / "x.txt")
    assert texts == ["Kế hoạch số 0\n", "Kế hoạch số 1\n", "Kế hoạch số 2\n"]
    again = _run("run", *(f / "x.txt" for f in folders), "--out-dir", out, "--jobs", "1")
    assert "0 done, 3 already done" in again.stderr


def test_a_folder_that_is_its_own_out_dir_does_not_repair_its_outputs_again(tmp_path: Path) -> None:
    folder = _inputs(tmp_path / "in", 1)
    (folder / "doc00.ocr.txt").rename(folder / "doc00.txt")  # the repaired text must be named apart
    for _ in range(2):
        result = _run("run", folder, "--out-dir", folder, "--keep-ocr", "--jobs", "1")
        assert result.returncode == 0, result.stderr
    assert "1 inputs: 0 done, 1 already done, 0 failed; " in result.stderr and "unsupported" not in result.stderr
    assert sorted(p.name for p in folder.iterdir() if not p.name.startswith(("run-", "."))) == [
        "doc00.repaired.json", "doc00.repaired.ocr.txt", "doc00.repaired.txt", "doc00.txt"]


def test_resume_is_keyed_on_the_outputs_asked_for_and_force(tmp_path: Path) -> None:
    inputs, out = _inputs(tmp_path / "in", 1), tmp_path / "out"
    assert _run("run", inputs, "--out-dir", out).returncode == 0
    assert sorted(p.name for p in out.glob("doc00*")) == ["doc00.json", "doc00.txt"]
    record = json.loads((out / "doc00.json").read_text(encoding="utf-8"))
    assert record["versions"].startswith("vnrestore=") and "lexicon=" in record["versions"]
    with_ocr = _run("run", inputs, "--out-dir", out, "--keep-ocr")
    assert "1 done, 0 already done" in with_ocr.stderr
    assert (out / "doc00.ocr.txt").read_bytes() == SAMPLE.read_bytes()  # the raw OCR beside the repaired text
    assert "0 done, 1 already done" in _run("run", inputs, "--out-dir", out).stderr
    assert "1 done, 0 already done" in _run("run", inputs, "--out-dir", out, "--force").stderr


def test_a_stale_record_of_another_version_is_redone(tmp_path: Path) -> None:
    inputs, out = _inputs(tmp_path / "in", 1), tmp_path / "out"
    _run("run", inputs, "--out-dir", out)
    record = json.loads((out / "doc00.json").read_text(encoding="utf-8"))
    record["versions"] = "vnrestore=0.0.1;lexicon=000000000000"
    (out / "doc00.json").write_text(json.dumps(record), encoding="utf-8")
    (out / ".user-notes.tmp").write_text("mine", encoding="utf-8")
    assert "1 done, 0 already done" in _run("run", inputs, "--out-dir", out).stderr
    assert (out / ".user-notes.tmp").exists()  # only vnrestore's own temp files are swept
