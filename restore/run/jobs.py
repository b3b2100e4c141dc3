"""One input of a batch, from claim to outputs: shared by the local pool and the Dask backend.

Whatever runs the pages, the same steps decide an input's fate: claim it (another run may hold
it), skip it when an earlier run finished it, and write its outputs as a set. Every exception an
input raises becomes its failed Outcome, never the end of the batch; only an OutputError (nothing
can be written: a full disk, a read-only folder) passes through.
"""

from __future__ import annotations

import traceback
import warnings
from pathlib import Path

from PIL import Image

from restore.errors import OutputError, VnRestoreError, printable
from restore.model.resources import Resources, loaded
from restore.ocr import scans
from restore.run.archive_outputs import archive_pages, archive_texts
from restore.run.discovery import Job
from restore.run.outcomes import Outcome
from restore.run.pdf_output import searchable_pdf
from restore.run.pipeline import LAYOUT_OUTPUTS, InputResult, RunOptions, file_sha256, process_input
from restore.run.records import claim, is_finished, versions, write_outputs


def run_job(job: Job, options: RunOptions, out_dir: Path, force: bool = False) -> Outcome:
    """Process one input in this process; never raises for a bad input."""
    try:
        with claim(job, out_dir) as mine:
            if not mine:
                return Outcome(job.name, "claimed")
            sha = unfinished_sha(job, options, force)
            if sha is None:
                return Outcome(job.name, "skipped")
            return finish_job(job, process_input(job.source, options, resources_for(options), sha=sha), options)
    except Exception as exc:  # noqa: BLE001 - a bad input, or a bug of ours: the batch goes on
        return failure(job.name, exc)


def unfinished_sha(job: Job, options: RunOptions, force: bool, *, sha: str | None = None) -> str | None:
    """The input's SHA-256 (`sha` when the caller has hashed its bytes already) when it is to be
    done, None when an earlier run finished it (see restore/run/records.py). Raises an InputError
    when the input cannot be read."""
    kind = scans.input_kind(job.source).value
    sha = sha or file_sha256(job.source)
    return sha if force or not is_finished(job, options.fingerprint(kind), sha, options.outputs_for(kind)) else None


def finish_job(job: Job, result: InputResult, options: RunOptions) -> Outcome:
    """Write an input's outputs (JSON last, as a set) and say what became of it."""
    texts: dict[str, str | bytes] = {"txt": result.text}
    outputs = options.outputs_for(result.kind)
    if "ocr" in outputs:
        texts["ocr"] = result.ocr_text
    if set(outputs) & set(LAYOUT_OUTPUTS):
        pages = archive_pages(result)
        texts.update(archive_texts(pages, outputs, job.source.name, versions()))
        if "pdf" in outputs:
            texts["pdf"] = searchable_pdf(job.source, pages, lang=options.lang, pdfa=options.pdfa)
    write_outputs(job, texts, result.as_json(options))
    return Outcome(job.name, "done", len(result.pages), result.flagged, result.empty_pages, result.seconds,
                   tuple(printable(job.output(output)) for output in [*texts, "json"]), kept=result.kept_readings)


def failure(name: str, exc: Exception) -> Outcome:
    """An input's failed Outcome; an OutputError is re-raised, it ends the batch."""
    if isinstance(exc, OutputError):
        raise exc
    if isinstance(exc, VnRestoreError):
        return Outcome.of_error(name, exc)
    return Outcome.failed(name, "InternalError", f"internal error: {type(exc).__name__}: {exc}",
                          "a bug of vnrestore: please report it with its detail from errors.jsonl",
                          detail="".join(traceback.format_exception(exc)))


def resources_for(options: RunOptions) -> Resources:
    """The process's resources for these options: loaded once, shared by every job."""
    return loaded(options.settings())


def quiet_library_warnings() -> None:
    """Pillow's warnings on odd files (with its internal paths) are not for the user: the file's
    own failure line says what is wrong."""
    warnings.filterwarnings("ignore", category=Image.DecompressionBombWarning)
    warnings.filterwarnings("ignore", category=UserWarning, module="PIL")


def prepare_worker(options: RunOptions) -> None:
    """What a worker process does once: quiet Pillow, load the resources."""
    quiet_library_warnings()
    resources_for(options)
