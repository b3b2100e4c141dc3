"""What became of each input of a batch, and the batch's totals: the data behind the summary line,
errors.jsonl and the per-run manifest."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from restore.errors import VnRestoreError, one_line, printable

# done: processed now; skipped: finished by an earlier run; claimed: another run is on it;
# failed: see `error`.
STATUSES = ("done", "skipped", "claimed", "failed")
DIED_REMEDY = "run it alone with --jobs 1; if it dies again, the machine needs more memory for it"


@dataclass(frozen=True)
class Outcome:
    source: str  # the input as the user can read it (odd bytes of a name shown as \xNN)
    status: str
    pages: int = 0
    flagged: int = 0  # words flagged for review
    empty_pages: tuple[int, ...] = ()  # pages with no text, or with mostly flagged words: said, not hidden
    seconds: float = 0.0
    outputs: tuple[str, ...] = ()
    error: str | None = None  # one line: the file and what is wrong, with the remedy in brackets
    error_kind: str | None = None
    remedy: str | None = None  # what the user can do about it, alone (errors.jsonl carries it apart)
    detail: str | None = None  # a traceback, for a bug of ours only
    kept: tuple[tuple[str, int], ...] = ()  # pages per reading kept other than a fresh OCR (born-digital, text layer)

    @classmethod
    def failed(cls, source: str, kind: str, message: str, remedy: str, detail: str | None = None) -> Outcome:
        """A failure that is not a VnRestoreError, in the same one line as one."""
        return cls(source, "failed", error=one_line(source, message, remedy), error_kind=kind, remedy=remedy,
                   detail=detail)

    @classmethod
    def of_error(cls, source: str, exc: VnRestoreError) -> Outcome:
        return cls(source, "failed", error=exc.one_line(), error_kind=type(exc).__name__, remedy=exc.remedy)

    def manifest_row(self) -> dict[str, Any]:
        return {key: value for key, value in asdict(self).items() if value is not None and value != ()}

    def warning(self) -> str | None:
        """One line naming the pages that gave no text or mostly doubtful words, if any."""
        if not self.empty_pages:
            return None
        pages = ", ".join(str(n) for n in self.empty_pages)
        return (f"warning: {self.source}: page{'s' if len(self.empty_pages) > 1 else ''} {pages}: no text, or mostly "
                f"words flagged for review (see the notes in its JSON; check the scan)")


@dataclass
class Summary:
    out_dir: Path
    outcomes: list[Outcome] = field(default_factory=list)
    unsupported: list[str] = field(default_factory=list)
    seconds: float = 0.0
    interrupted: bool = False
    report_problem: str | None = None  # errors.jsonl or the manifest could not be written

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def pages(self) -> int:
        return sum(o.pages for o in self.outcomes if o.status == "done")

    @property
    def flagged(self) -> int:
        return sum(o.flagged for o in self.outcomes if o.status == "done")

    @property
    def empty_pages(self) -> int:
        return sum(len(o.empty_pages) for o in self.outcomes if o.status == "done")

    @property
    def kept(self) -> str:
        """"2 born-digital, 1 text layer": the pages whose own text was kept rather than a fresh OCR."""
        counts: dict[str, int] = {}
        for outcome in self.outcomes:
            if outcome.status == "done":
                for reading, n in outcome.kept:
                    counts[reading] = counts.get(reading, 0) + n
        return ", ".join(f"{n} {reading}" for reading, n in sorted(counts.items()))

    def line(self) -> str:
        rate = self.pages / self.seconds if self.seconds else 0.0
        claimed = f", {self.count('claimed')} left to another run" if self.count("claimed") else ""
        unsupported = f", {len(self.unsupported)} unsupported files not read" if self.unsupported else ""
        return (f"{len(self.outcomes)} inputs: {self.count('done')} done, {self.count('skipped')} already done"
                f"{claimed}, {self.count('failed')} failed{unsupported}; {self.pages} pages in {self.seconds:.1f} s "
                f"({rate:.2f} pages/s); {self.flagged} words flagged for review"
                + (f"; {self.empty_pages} pages with no text or mostly doubtful words (notes in NAME.json)"
                   if self.empty_pages else "")
                + (f"; pages read from the PDF's own text: {self.kept}" if self.kept else "")
                + f"; outputs in {printable(self.out_dir)}")
