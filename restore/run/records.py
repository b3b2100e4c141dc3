"""Resume and concurrency: when an input is finished, how its outputs are written, who works on it.

NAME.json is written last and records what decided the outputs: the input's SHA-256, the options,
the versions of vnrestore and of its lexicon data, and which outputs were written. An input whose
record matches, with every output asked for present, is finished; after an upgrade or with other
outputs asked for, it is done again. A job's outputs are written as a set: if one write fails
(a full disk), the ones already written are removed, so no NAME.txt stands without its NAME.json.

Two runs on one out-dir each take a claim (an exclusive lock on a file under DIR/.vnrestore/)
before working on an input; the other run skips it. The lock goes with the process, so a killed
run leaves no stale claim. errors.jsonl, which every run of the out-dir rewrites, is merged under a
lock too, so one run's failures are not lost to another's rewrite.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from restore.errors import OutputError
from restore.paths import lexicon_dir
from restore.run.discovery import STATE_DIR, Job
from restore.text.textio import NO_LOCKS, output_error, write_atomic, write_bytes_atomic


@lru_cache(maxsize=1)
def versions() -> str:
    """vnrestore's version and a digest of its lexicon data: a change of either redoes the outputs."""
    try:
        tool = metadata.version("vnrestore")
    except metadata.PackageNotFoundError:
        tool = "unknown"
    digest = hashlib.sha256()
    directory = lexicon_dir()
    for path in sorted(directory.glob("*")):
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return f"vnrestore={tool};lexicon={digest.hexdigest()[:12]}"


def is_finished(job: Job, fingerprint: str, sha: str, outputs: tuple[str, ...]) -> bool:
    try:
        record = json.loads(job.output("json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (isinstance(record, dict) and record.get("sha256") == sha
            and record.get("options") == fingerprint and record.get("versions") == versions()
            and set(outputs) <= set(record.get("outputs", ()))
            and all(job.output(kind).is_file() for kind in outputs))


def write_outputs(job: Job, texts: dict[str, str | bytes], record: dict[str, Any]) -> None:
    """Every output of a job (text, or bytes for a PDF), then its JSON record last; on a failure none stays."""
    written: list[Path] = []
    try:
        for kind, content in texts.items():
            if isinstance(content, bytes):
                write_bytes_atomic(job.output(kind), content)
            else:
                write_atomic(job.output(kind), content)
            written.append(job.output(kind))
        record = {**record, "versions": versions(), "outputs": sorted([*texts, "json"])}
        write_atomic(job.output("json"), json.dumps(record, ensure_ascii=False, indent=1) + "\n")
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise


@contextmanager
def claim(job: Job, out_dir: Path) -> Iterator[bool]:
    """Hold an exclusive claim on the job while inside; yields False when another run holds it."""
    name = hashlib.sha1(os.fsencode(job.out_base)).hexdigest()
    with exclusive(out_dir / STATE_DIR / "claims" / f"{name}.lock", wait=False) as mine:
        yield mine


@contextmanager
def exclusive(path: Path, *, wait: bool) -> Iterator[bool]:
    """Hold an exclusive lock on the file at `path` (made when missing) while inside; yields False
    when another process holds it and `wait` is False. The lock goes with the process."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as exc:
        raise output_error(path.parent, exc) from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        except OSError as exc:
            if exc.errno not in NO_LOCKS:
                raise output_error(path.parent, exc) from exc
            # a file system without locks: runs sharing an out-dir on it are not kept apart
        yield True
    finally:
        os.close(fd)


def check_writable(out_dir: Path) -> None:
    """One line up front when the out-dir cannot be made or written, not a failure per input."""
    probe = out_dir / STATE_DIR / f"write-check-{os.getpid()}"  # runs starting together each probe their own
    try:
        if out_dir.exists() and not out_dir.is_dir():
            raise OutputError("is a file, not a folder", path=out_dir, remedy="choose another --out-dir")
        write_atomic(probe, "")
        probe.unlink(missing_ok=True)
    except OutputError as exc:
        raise OutputError(f"the output folder cannot be written ({exc.message})", path=out_dir,
                          remedy=exc.remedy or "choose a folder you may write to") from exc
