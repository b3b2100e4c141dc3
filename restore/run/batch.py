"""A batch of inputs: skip finished ones, run the rest in local worker processes or on a Dask
cluster, report.

One bad input is one failed Outcome, never the end of the batch (restore/run/jobs.py). Only what
no input can get past stops the batch at once: an output that cannot be written (a full disk, a
read-only folder) and the user's Ctrl-C or SIGTERM. Either way the
failures so far go to DIR/errors.jsonl and this run's manifest to DIR/run-STAMP.jsonl, and a re-run
resumes (restore/run/records.py says when an input is finished).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Sequence
from contextlib import closing
from datetime import datetime, timezone
from functools import partial
from pathlib import Path

from restore.errors import OutputError, VnRestoreError, printable
from restore.ocr import scans
from restore.run.discovery import ERRORS_FILE, STATE_DIR, Job, run_manifest_name
from restore.run.jobs import prepare_worker, resources_for, run_job
from restore.run.outcomes import DIED_REMEDY, Outcome, Summary
from restore.run.pipeline import RunOptions
from restore.run.records import check_writable, exclusive, versions
from restore.run.workers import run_in_processes
from restore.text.textio import read_text, sweep_abandoned_temp_files, write_atomic

ProgressHook = Callable[[Outcome, int, int], None]


def _lost(job: Job) -> Outcome:
    return Outcome.failed(job.name, "WorkerDied", "the worker process died twice on this input "
                          "(out of memory, or killed)", DIED_REMEDY)


def run_batch(jobs: list[Job], out_dir: Path, options: RunOptions, *, workers: int, force: bool = False,
              progress: ProgressHook | None = None, refused: Sequence[VnRestoreError] = (),
              unsupported: Sequence[Path] = (), scheduler: str | None = None) -> Summary:
    """Run every job, in `workers` local processes or on the Dask cluster at `scheduler`;
    `refused` are named inputs that could not even be opened (they count as failed), `unsupported`
    files found in folders that are listed in the manifest."""
    summary = Summary(out_dir, unsupported=[printable(p) for p in unsupported])
    start = time.perf_counter()
    check_writable(out_dir)
    sweep_abandoned_temp_files({job.out_base.parent for job in jobs} | {out_dir})
    total = len(jobs) + len(refused)
    for error in refused:
        _record(summary, Outcome.of_error(error.path or "", error), total, progress)
    resources_for(options)  # loaded and hashed once before forking: workers share them
    versions()
    try:
        if scheduler:
            from restore.run import cluster  # dask is an optional extra, imported only when asked for

            cluster.run_on_cluster(jobs, out_dir, options, address=scheduler, force=force,
                                   record=lambda outcome: _record(summary, outcome, total, progress))
        elif workers <= 1 or len(jobs) <= 1:
            for job in jobs:
                _record(summary, run_job(job, options, out_dir, force), total, progress)
        else:
            outcomes = run_in_processes(jobs, partial(run_job, options=options, out_dir=out_dir, force=force),
                                        workers=workers,
                                        initializer=prepare_worker, initargs=(options,), lost=_lost)
            with closing(outcomes):
                for outcome in outcomes:
                    _record(summary, outcome, total, progress)
    except KeyboardInterrupt:
        summary.interrupted = True
        raise
    finally:
        sweep_abandoned_temp_files({job.out_base.parent for job in jobs})
        summary.seconds = time.perf_counter() - start
        summary.outcomes.sort(key=lambda o: o.source)
        _write_reports(summary, out_dir)
    return summary


def _record(summary: Summary, outcome: Outcome, total: int, progress: ProgressHook | None) -> None:
    summary.outcomes.append(outcome)
    if progress:
        progress(outcome, len(summary.outcomes), total)


def _write_reports(summary: Summary, out_dir: Path) -> None:
    """errors.jsonl (the failures of every input of this out-dir as of now: this run's inputs
    replace their earlier lines, others' lines stay) and this run's manifest."""
    try:
        with exclusive(out_dir / STATE_DIR / "errors.lock", wait=True):
            _merge_errors(out_dir / ERRORS_FILE, summary.outcomes)
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        rows = [o.manifest_row() for o in summary.outcomes]
        rows += [{"source": name, "status": "unsupported"} for name in summary.unsupported]
        write_atomic(out_dir / run_manifest_name(stamp),
                     "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows))
    except OutputError as exc:
        summary.report_problem = exc.one_line()


def _merge_errors(path: Path, outcomes: list[Outcome]) -> None:
    ran = {o.source for o in outcomes if o.status != "claimed"}
    kept: list[str] = []
    try:
        for line in read_text(path).splitlines():
            try:
                if json.loads(line).get("input") not in ran:
                    kept.append(line + "\n")
            except (ValueError, AttributeError):
                continue
    except VnRestoreError:
        pass  # no earlier errors.jsonl, or one not worth keeping
    kept += [json.dumps({"input": o.source, "error": o.error, "kind": o.error_kind, "remedy": o.remedy,
                         "detail": o.detail}, ensure_ascii=False) + "\n" for o in outcomes if o.status == "failed"]
    if kept:
        write_atomic(path, "".join(kept))
    else:
        path.unlink(missing_ok=True)


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


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

