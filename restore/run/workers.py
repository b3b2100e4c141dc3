"""Local worker processes for a batch.

Only as many inputs as there are workers are handed out at a time, so when a worker dies (the
OOM killer, kill -9) only the inputs in its hands are lost; they are tried again in a new pool, and
an input that kills a worker twice fails alone. When the run is stopped (Ctrl-C, SIGTERM, any
exception in the main process) the workers are killed at once instead of finishing the queue.
Workers ignore SIGINT (the main process decides), die of SIGTERM at once (the main process's
handler, inherited through fork, would turn it into an exception that the pool's worker loop catches
and reports, and a worker blocked on a queue lock its dead peer held would then never end, so
replacing a broken pool would hang), and exit by themselves when the main process is gone, so a
kill -9 of the main process leaves no worker running.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Generator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")
MAX_ATTEMPTS = 2  # an input in the hands of a worker that died twice is not tried again


def run_in_processes(items: Sequence[Item], work: Callable[[Item], Result], *, workers: int,
                     initializer: Callable[..., None], initargs: tuple,
                     lost: Callable[[Item], Result]) -> Generator[Result, None, None]:
    """Results of `work` over `items` as they finish; `lost(item)` stands for an item whose worker
    died MAX_ATTEMPTS times. Close the iterator (or let an exception pass through it) to stop."""
    pending = deque(range(len(items)))
    attempts = [0] * len(items)
    pool = _new_pool(workers, initializer, initargs)
    running: dict[Future, int] = {}
    try:
        while pending or running:
            while pending and len(running) < workers:
                index = pending.popleft()
                running[pool.submit(work, items[index])] = index
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            broken = any(isinstance(f.exception(), BrokenProcessPool) for f in done)
            if broken:  # every future of a broken pool fails: collect them all, then start a new pool
                done = set(running)
                wait(done)
            for future in done:
                index = running.pop(future)
                if isinstance(future.exception(), BrokenProcessPool):
                    attempts[index] += 1
                    if attempts[index] < MAX_ATTEMPTS:
                        pending.appendleft(index)
                        continue
                    yield lost(items[index])
                    continue
                yield future.result()
            if broken:
                _kill(pool)  # the survivors may be stuck on the queue's locks: never wait on them
                pool = _new_pool(workers, initializer, initargs)
        pool.shutdown(wait=True)
    finally:
        if running or pending:
            _kill(pool)


def _new_pool(workers: int, initializer: Callable[..., None], initargs: tuple) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=workers, initializer=_init_worker,
                               initargs=(os.getpid(), initializer, initargs))


def _init_worker(parent: int, initializer: Callable[..., None], initargs: tuple) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()
    initializer(*initargs)


def _exit_with_parent(parent: int) -> None:
    """A worker whose main process is gone has no one to report to: it ends itself."""
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _kill(pool: ProcessPoolExecutor) -> None:
    """Stop now: queued work is dropped and the workers are killed, not waited for."""
    pool.shutdown(wait=False, cancel_futures=True)
    children = multiprocessing.active_children()
    for child in children:
        child.kill()
    for child in children:
        child.join(timeout=5)
