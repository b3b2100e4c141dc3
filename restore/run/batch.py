"""A batch of inputs: find them, skip finished ones, run the rest in worker processes, report.

Resume works from the outputs themselves: NAME.json is written last and records the input's
SHA-256 and the options, so a file whose JSON matches is finished and a killed batch re-run does
only the rest. Every output is written to a temporary file and renamed, so nothing partial is left.
A failure becomes a line in DIR/errors.jsonl and the batch goes on.
"""

from __future__ import annotations

import json
import os
import sys
import time
import traceback
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from restore.errors import VnRestoreError
from restore.model.resources import Resources, Settings, default_resources
from restore.ocr import scans, tesseract
from restore.run.pipeline import RunOptions, file_sha256, process_input
from restore.text.textio import write_atomic

SUPPORTED_SUFFIXES = scans.IMAGE_SUFFIXES | scans.TEXT_SUFFIXES | {".pdf"}
ERRORS_FILE = "errors.jsonl"


@dataclass(frozen=True)
class Job:
    source: Path
    out_base: Path  # DIR/relative/name without suffix: .txt, .json, .ocr.txt are added

    def output(self, suffix: str) -> Path:
        return self.out_base.with_name(self.out_base.name + suffix)


@dataclass(frozen=True)
class Outcome:
    source: str
    status: str  # "done", "skipped" (already finished) or "failed"
    pages: int = 0
    seconds: float = 0.0
    error: str | None = None
    error_kind: str | None = None
    detail: str | None = None


@dataclass
class Summary:
    outcomes: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def pages(self) -> int:
        return sum(o.pages for o in self.outcomes if o.status == "done")

    def line(self) -> str:
        rate = self.pages / self.seconds if self.seconds else 0.0
        return (f"{len(self.outcomes)} inputs: {self.count('done')} done, {self.count('skipped')} already done, "
                f"{self.count('failed')} failed; {self.pages} pages in {self.seconds:.1f} s ({rate:.2f} pages/s)")


def discover(inputs: Iterable[Path], out_dir: Path) -> list[Job]:
    """Files given and supported files under folders given (recursively), each with its output base."""
    jobs: list[Job] = []
    out_resolved = out_dir.resolve()
    for given in inputs:
        if given.is_dir():
            for path in sorted(given.rglob("*")):
                if (path.is_file() and path.suffix.lower() in SUPPORTED_SUFFIXES
                        and not any(part.startswith(".") for part in path.relative_to(given).parts)
                        and out_resolved not in path.resolve().parents):
                    jobs.append(Job(path, out_dir / path.relative_to(given).with_suffix("")))
        else:
            jobs.append(Job(given, out_dir / given.with_suffix("").name))
    seen: dict[Path, int] = {}
    unique = []
    for job in jobs:  # a.pdf and a.png in one folder: keep both, the second as a.png.*
        if job.out_base in seen:
            job = Job(job.source, job.out_base.with_name(job.source.name))
        seen[job.out_base] = 1
        unique.append(job)
    return unique


def is_finished(job: Job, options: RunOptions, sha: str) -> bool:
    try:
        record = json.loads(job.output(".json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (record.get("sha256") == sha and record.get("options") == options.fingerprint(record.get("kind", ""))
            and job.output(".txt").exists())


def run_job(job: Job, options: RunOptions, keep_ocr: bool) -> Outcome:
    """Process one input; never raises for a bad input, it returns a failed Outcome instead."""
    try:
        if not job.source.is_file():
            raise VnRestoreError("no such file", path=str(job.source))
        if is_finished(job, options, file_sha256(job.source)):
            return Outcome(str(job.source), "skipped")
        result = process_input(job.source, options, resources_for(options))
        write_atomic(job.output(".txt"), result.text)
        if keep_ocr:
            write_atomic(job.output(".ocr.txt"), result.ocr_text)
        write_atomic(job.output(".json"), json.dumps(result.as_json(options), ensure_ascii=False, indent=1) + "\n")
        return Outcome(str(job.source), "done", len(result.pages), result.seconds)
    except VnRestoreError as exc:
        return Outcome(str(job.source), "failed", error=exc.one_line(), error_kind=type(exc).__name__)
    except Exception as exc:  # a bug of ours: keep the batch going, keep the trace for the report
        return Outcome(str(job.source), "failed", error=f"{job.source}: internal error: {type(exc).__name__}: {exc}",
                       error_kind="InternalError", detail=traceback.format_exc())


def resources_for(options: RunOptions) -> Resources:
    """The process's resources for these options: loaded once, shared by every job."""
    if not options.channel:
        return default_resources()
    return _resources_with_channel(options.channel)


@lru_cache(maxsize=2)
def _resources_with_channel(channel: str) -> Resources:
    return Resources.load(Settings(channel=channel))


def _worker_init(options: RunOptions) -> None:
    tesseract.single_thread_environment()
    resources_for(options)


def run_batch(jobs: list[Job], out_dir: Path, options: RunOptions, *, workers: int, keep_ocr: bool,
              progress: Callable[[Outcome, int, int], None] | None = None) -> Summary:
    summary = Summary()
    start = time.perf_counter()
    out_dir.mkdir(parents=True, exist_ok=True)
    for stale in out_dir.rglob(".*.tmp"):  # left by a batch that was killed mid-write
        stale.unlink()
    resources_for(options)  # loaded once before forking: workers share it
    if workers <= 1:
        for job in jobs:
            outcome = run_job(job, options, keep_ocr)
            summary.outcomes.append(outcome)
            if progress:
                progress(outcome, len(summary.outcomes), len(jobs))
    else:
        with ProcessPoolExecutor(max_workers=workers, initializer=_worker_init, initargs=(options,)) as pool:
            futures = [pool.submit(run_job, job, options, keep_ocr) for job in jobs]
            for future in as_completed(futures):
                outcome = future.result()
                summary.outcomes.append(outcome)
                if progress:
                    progress(outcome, len(summary.outcomes), len(jobs))
    summary.seconds = time.perf_counter() - start
    summary.outcomes.sort(key=lambda o: o.source)
    failures = [o for o in summary.outcomes if o.status == "failed"]
    errors_path = out_dir / ERRORS_FILE
    if failures:
        write_atomic(errors_path, "".join(
            json.dumps({"input": o.source, "error": o.error, "kind": o.error_kind, "detail": o.detail},
                       ensure_ascii=False) + "\n" for o in failures))
    elif errors_path.exists():
        errors_path.unlink()
    return summary


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


class Progress:
    """A bar with pages/s and ETA on a terminal, a log line per input elsewhere, nothing when quiet."""

    def __init__(self, total_pages: int, *, quiet: bool, stream=sys.stderr) -> None:
        self.total_pages = max(total_pages, 1)
        self.quiet = quiet
        self.stream = stream
        self.tty = stream.isatty()
        self.start = time.perf_counter()
        self.pages = 0

    def __call__(self, outcome: Outcome, done: int, total: int) -> None:
        if self.quiet:
            return
        self.pages += outcome.pages
        elapsed = time.perf_counter() - self.start
        rate = self.pages / elapsed if elapsed > 0 else 0.0
        remaining = max(self.total_pages - self.pages, 0)
        eta = f"{int(remaining / rate // 60)}:{int(remaining / rate % 60):02d}" if rate > 0 else "?"
        status = outcome.status if outcome.status != "failed" else f"FAILED ({outcome.error})"
        if self.tty:
            filled = int(30 * done / max(total, 1))
            self.stream.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {done}/{total} inputs, {self.pages} pages, "
                              f"{rate:.2f} pages/s, ETA {eta} ")
            if outcome.status == "failed":
                self.stream.write(f"\n{outcome.error}\n")
            if done == total:
                self.stream.write("\n")
        else:
            self.stream.write(f"vnrestore: {done}/{total} {outcome.source}: {status}; {rate:.2f} pages/s, ETA {eta}\n")
        self.stream.flush()


def count_pages(jobs: list[Job]) -> int:
    """Pages expected in all, for the ETA; an unreadable input counts as one (it will fail later)."""
    total = 0
    for job in jobs:
        try:
            kind = scans.input_kind(job.source)
            total += 1 if kind is scans.InputKind.TEXT else scans.page_count(job.source)
        except (VnRestoreError, OSError):
            total += 1
    return total


def needs_ocr(jobs: list[Job]) -> bool:
    return any(job.source.suffix.lower() in scans.IMAGE_SUFFIXES | {".pdf"} for job in jobs)
