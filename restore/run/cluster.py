"""A batch on a Dask cluster (dask.distributed), split by page, with a local batch's guarantees.

The main process (the Dask client) keeps everything that touches the out-dir: it claims each
input, skips what an earlier run finished, reads the input's bytes and writes its outputs as a set
once all its pages are back, so resume, claims and atomic outputs are those of a local batch
(restore/run/jobs.py). Workers need no shared file system: an input's bytes are scattered to the
cluster once, and each task reads one page of them and returns it OCR'd and repaired. A task is a
pure function of its arguments, so when Dask runs it again (its worker died) the page comes out
the same. Only a bounded number of pages is out at a time, so a 10,000-file batch does not load
every file into the cluster's memory.
"""

from __future__ import annotations

import hashlib
import re
import socket
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from restore.errors import EnvironmentProblem, VnRestoreError
from restore.ocr import scans, tesseract
from restore.run.discovery import Job, needs_ocr
from restore.run.jobs import failure, finish_job, prepare_worker, resources_for, unfinished_sha
from restore.run.outcomes import DIED_REMEDY, Outcome
from restore.run.pipeline import PageResult, RunOptions, assemble, process_pages
from restore.run.records import claim, versions
from restore.text.textio import read_error

PAGES_PER_THREAD = 4  # pages out per worker thread: enough to keep workers busy, few in memory
CONNECT_SECONDS = 20
_EXTRA = "pip install 'vnrestore[distributed]'"
_START = "start one with `dask scheduler` and workers with `dask worker ADDRESS`, or give --jobs N instead"
ADDRESS = re.compile(r"(?:(?:tcp|tls)://)?(?P<host>\[[0-9a-fA-F:]+\]|[^\s/:\[\]]+):(?P<port>\d{1,5})")


@dataclass
class _Input:
    """An input whose pages are out on the cluster."""

    job: Job
    sha: str
    kind: scans.InputKind
    count: int
    data: Any  # the Future of its scattered bytes
    claim: ExitStack
    start: float = field(default_factory=time.perf_counter)
    pages: list[PageResult] = field(default_factory=list)
    encoding: str | None = None
    failed: bool = False


def run_on_cluster(jobs: list[Job], out_dir: Path, options: RunOptions, *, address: str, force: bool,
                   record: Callable[[Outcome], None]) -> None:
    """Run the jobs' pages on the cluster at `address`; `record` gets each input's Outcome."""
    try:
        from distributed import Client, as_completed
    except ImportError as exc:
        raise EnvironmentProblem("Dask's distributed package is not installed", remedy=_EXTRA) from exc
    _probe(address)
    try:
        client = Client(address, timeout=CONNECT_SECONDS, set_as_default=False)
    except (OSError, ValueError, TypeError) as exc:
        raise EnvironmentProblem(f"the Dask scheduler at {address} does not answer: {exc}", remedy=_START) from exc
    running: dict[Any, tuple[_Input, int]] = {}
    try:
        threads = _check_workers(client, options, address, ocr=needs_ocr(jobs))
        units = _units(jobs, client, options, out_dir, force, record)
        finished = as_completed(loop=client.loop)

        def submit_more() -> None:
            while len(running) < threads * PAGES_PER_THREAD:
                unit = next(units, None)
                if unit is None:
                    return
                state, number = unit
                future = client.submit(read_page, state.data, state.job.name, state.job.source.suffix, number,
                                       options, pure=False, retries=1)
                running[future] = unit
                finished.add(future)

        submit_more()
        for future in finished:
            state, number = running.pop(future)
            _collect(state, number, future, options, record)
            submit_more()
    finally:
        client.cancel(list(running))
        client.close()


def _probe(address: str) -> None:
    """A plain TCP connection first: a wrong or dead address is one line at once, where Dask's
    client would retry for its whole timeout and then complain again on exit."""
    match = ADDRESS.fullmatch(address)
    if not match:
        raise EnvironmentProblem(f"{address!r} is not a Dask scheduler address", remedy="give tcp://HOST:PORT")
    host = match["host"].strip("[]")
    try:
        socket.create_connection((host, int(match["port"])), timeout=CONNECT_SECONDS).close()
    except OSError as exc:
        raise EnvironmentProblem(f"cannot reach the Dask scheduler at {address}: {exc.strerror or exc}",
                                 remedy=_START) from exc


def _units(jobs: list[Job], client: Any, options: RunOptions, out_dir: Path, force: bool,
           record: Callable[[Outcome], None]) -> Iterator[tuple[_Input, int]]:
    """Each page still to do, input by input: claimed, checked for resume and scattered only when
    its turn comes, so a large batch holds few inputs at a time."""
    for job in jobs:
        stack = ExitStack()
        try:
            if not stack.enter_context(claim(job, out_dir)):
                stack.close()
                record(Outcome(job.name, "claimed"))
                continue
            kind = scans.input_kind(job.source)  # refuses a FIFO or device before it is read
            content = _read_bytes(job)  # read once: hashed for resume, then sent to the cluster
            sha = unfinished_sha(job, options, force, sha=hashlib.sha256(content).hexdigest())
            if sha is None:
                stack.close()
                record(Outcome(job.name, "skipped"))
                continue
            count = 1 if kind is scans.InputKind.TEXT else scans.page_count(job.source)
            data = client.scatter(content, hash=False)
        except Exception as exc:  # noqa: BLE001 - one input's failure, as in a local batch
            stack.close()
            record(failure(job.name, exc))
            continue
        state = _Input(job, sha, kind, count, data, stack)
        for number in range(1, count + 1):
            if state.failed:
                break
            yield state, number


def _read_bytes(job: Job) -> bytes:
    try:
        return job.source.read_bytes()
    except OSError as exc:
        raise read_error(job.source, exc) from exc


def _collect(state: _Input, number: int, future: Any, options: RunOptions, record: Callable[[Outcome], None]) -> None:
    """Take one page back; when the input's last page is in, write its outputs."""
    if state.failed:
        return
    if future.status == "error":  # read_page returns an input's failures: this is the cluster's
        outcome = _cluster_failure(state.job.name, number, future.exception())
    else:
        result = future.result()
        if isinstance(result, Outcome):
            outcome = result
        else:
            page, state.encoding = result
            state.pages.append(page)
            if len(state.pages) < state.count:
                return
            try:
                outcome = finish_job(state.job, assemble(state.job.source, state.sha, state.kind, state.pages,
                                                         time.perf_counter() - state.start, state.encoding), options)
            except Exception as exc:  # noqa: BLE001 - one input's failure (an OutputError passes on)
                outcome = failure(state.job.name, exc)
    state.failed = outcome.status == "failed"
    state.claim.close()
    state.data.release()
    record(outcome)


def _cluster_failure(name: str, number: int, exc: BaseException) -> Outcome:
    if type(exc).__name__ == "KilledWorker":
        return Outcome.failed(name, "WorkerDied", f"page {number}: the Dask workers running it died "
                              "(out of memory, or killed) as many times as the scheduler allows", DIED_REMEDY)
    first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    return Outcome.failed(name, "ClusterError", f"page {number} failed on the cluster: {first}",
                          "check that the scheduler, the workers and this machine run the same vnrestore")


def read_page(data: bytes, name: str, suffix: str, number: int,
              options: RunOptions) -> tuple[PageResult, str | None] | Outcome:
    """The task a worker runs: page `number` of an input given as bytes, OCR'd and repaired, or
    the input's failed Outcome naming the user's file (not the worker's copy of it)."""
    prepare_worker(options)
    with tempfile.TemporaryDirectory(prefix="vnrestore-") as folder:
        copy = Path(folder) / f"input{suffix}"
        copy.write_bytes(data)
        try:
            pages, encoding = process_pages(copy, scans.input_kind(copy), [number], options, resources_for(options))
            return pages[0], encoding
        except Exception as exc:  # noqa: BLE001 - becomes the input's failure line
            if isinstance(exc, VnRestoreError) and exc.path is not None:
                exc.path = name
            return failure(name, exc)


def _check_workers(client: Any, options: RunOptions, address: str, *, ocr: bool) -> int:
    """Worker threads in all, after checking that every worker runs this vnrestore with this
    lexicon (and, for scans, has Tesseract's language and poppler): a mismatch would give other
    outputs than a local run."""
    threads = sum(w.get("nthreads", 1) for w in client.scheduler_info().get("workers", {}).values())
    if not threads:
        raise EnvironmentProblem(f"the Dask scheduler at {address} has no workers",
                                 remedy=f"start some with `dask worker {address}`")
    here = versions()
    for worker, (theirs, problem) in sorted(client.run(_worker_state, options.lang if ocr else None).items()):
        if problem:
            raise EnvironmentProblem(f"Dask worker {worker}: {problem}")
        if theirs != here:
            raise EnvironmentProblem(f"Dask worker {worker} runs {theirs}, this machine {here}",
                                     remedy="install the same vnrestore on every worker")
    return threads


def _worker_state(lang: str | None) -> tuple[str, str | None]:
    """On a worker: its versions, and what it lacks to read scans in `lang` (None when nothing)."""
    try:
        if lang:
            tesseract.require_languages(lang)
            scans.require_poppler()
    except VnRestoreError as exc:
        return versions(), exc.one_line()
    return versions(), None
