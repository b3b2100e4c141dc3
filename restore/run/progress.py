"""What a batch tells its user while it runs: a bar on a terminal, a line per input in a log.

With --quiet nothing is shown while it runs, except the inputs that failed: a user who asked for
silence still has to learn what went wrong.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

from restore.run.outcomes import Outcome


class Progress:
    """A bar with pages/s and ETA on a terminal, a log line per input elsewhere; failures always."""

    def __init__(self, total_pages: int, *, quiet: bool, stream: TextIO = sys.stderr) -> None:
        self.total_pages = max(total_pages, 1)
        self.quiet = quiet
        self.stream = stream
        self.tty = stream.isatty()
        self.start = time.perf_counter()
        self.pages = 0

    def __call__(self, outcome: Outcome, done: int, total: int) -> None:
        self.pages += outcome.pages
        warning = outcome.warning()
        if self.quiet:
            if outcome.status == "failed":
                self._write(f"vnrestore: {outcome.error}\n")
            return
        if warning is not None:
            self._write(f"{chr(13) if self.tty else ''}vnrestore: {warning}\n")
        elapsed = time.perf_counter() - self.start
        rate = self.pages / elapsed if elapsed > 0 else 0.0
        remaining = max(self.total_pages - self.pages, 0)
        eta = f"{int(remaining / rate // 60)}:{int(remaining / rate % 60):02d}" if rate > 0 else "?"
        status = outcome.status if outcome.status != "failed" else f"FAILED ({outcome.error})"
        if self.tty:
            filled = int(30 * done / max(total, 1))
            line = (f"\r[{'#' * filled}{'.' * (30 - filled)}] {done}/{total} inputs, {self.pages} pages, "
                    f"{rate:.2f} pages/s, ETA {eta} ")
            if outcome.status == "failed":
                line += f"\n{outcome.error}\n"
            self._write(line + ("\n" if done == total else ""))
        else:
            self._write(f"vnrestore: {done}/{total} {outcome.source}: {status}; {rate:.2f} pages/s, ETA {eta}\n")

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):  # a closed or full stderr must not stop the batch
            pass
