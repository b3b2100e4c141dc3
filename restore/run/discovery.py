"""Which files a batch is made of, and the output names of each: apart, readable, never an input.

Folders are walked for the supported kinds; anything else found there is listed as unsupported,
not silently dropped. What the user named explicitly is always tried (its content decides what it
is), and a name that cannot be used (missing, a FIFO, a device) is a failure of that input only.
The same file given twice is one input. Output names mirror the input folders; where two inputs
would share outputs (x.txt in three folders, a.pdf beside a.png) they are named apart by their
paths, and an output that would land on an input is renamed: an input is never overwritten. What
an earlier run wrote into a walked folder (an out-dir given as input) is not taken for input.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from restore.errors import InputError, printable
from restore.ocr import scans
from restore.text.textio import require_regular_file

SUPPORTED_SUFFIXES = scans.IMAGE_SUFFIXES | scans.TEXT_SUFFIXES | {".pdf"}
# What each output holds, by the suffix added to the output base.
OUTPUT_SUFFIXES = {"txt": ".txt", "json": ".json", "ocr": ".ocr.txt", "hocr": ".hocr", "alto": ".alto.xml",
                   "pdf": ".pdf"}
# What a run keeps at the top of its out-dir besides the outputs: its state (claims, locks), the
# failures so far, and one manifest per run.
STATE_DIR = ".vnrestore"
ERRORS_FILE = "errors.jsonl"
_RUN_MANIFEST = re.compile(r"run-\d{8}T\d{6}Z-\d+\.jsonl")
NAME_MAX = 255  # bytes in one file name on the file systems archives use
_LONGEST_SUFFIX = max(len(s) for s in OUTPUT_SUFFIXES.values())


def run_manifest_name(stamp: str) -> str:
    """This run's manifest: run-YYYYMMDDTHHMMSSZ-PID.jsonl, so that runs at one second stay apart."""
    return f"run-{stamp}-{os.getpid()}.jsonl"


@dataclass(frozen=True)
class Job:
    source: Path
    out_base: Path  # DIR/relative/name without suffix: the output suffixes are added to it

    def output(self, kind: str) -> Path:
        return self.out_base.with_name(self.out_base.name + OUTPUT_SUFFIXES[kind])

    @property
    def name(self) -> str:
        return printable(self.source)


def needs_ocr(jobs: Iterable[Job]) -> bool:
    """Whether any job is a scan (a batch of .txt needs neither Tesseract nor poppler)."""
    return any(job.source.suffix.lower() in scans.IMAGE_SUFFIXES | {".pdf"} for job in jobs)


@dataclass
class Discovery:
    jobs: list[Job] = field(default_factory=list)
    refused: list[InputError] = field(default_factory=list)  # named inputs that cannot be read
    unsupported: list[Path] = field(default_factory=list)  # other files found in the folders
    empty_folders: list[Path] = field(default_factory=list)
    renamed: list[tuple[Job, str]] = field(default_factory=list)  # outputs named apart, and why


def discover(inputs: Iterable[Path], out_dir: Path, outputs: Iterable[str] = tuple(OUTPUT_SUFFIXES)) -> Discovery:
    """The jobs of a batch over files and folders (recursively), with their output names; an input is
    never overwritten by any of `outputs` (NAME.json is always written)."""
    found = Discovery()
    out_resolved = out_dir.resolve()
    candidates: list[tuple[Path, Path]] = []  # (source, output base relative to out_dir)
    for given in inputs:
        if given.is_dir():
            before = len(candidates)
            _walk(given, out_resolved, candidates, found)
            if len(candidates) == before:
                found.empty_folders.append(given)
            continue
        _add(given, Path(_stem(given)), candidates, found)
    seen: set[tuple[int, int]] = set()
    unique = []
    for source, relative in candidates:
        identity = _identity(source)
        if identity not in seen:
            seen.add(identity)
            unique.append((source, relative))
    found.jobs = _name_apart(unique, out_dir, found, {*outputs, "json"})
    return found


def _walk(folder: Path, out_resolved: Path, candidates: list[tuple[Path, Path]], found: Discovery) -> None:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and Path(root, d).resolve() != out_resolved)
        own = _written_by_a_run(Path(root), files, is_out_dir=Path(root, STATE_DIR).is_dir())
        for name in sorted(files):
            path = Path(root, name)
            if name.startswith(".") or name in own:
                continue
            if path.suffix.lower() not in SUPPORTED_SUFFIXES:
                found.unsupported.append(path)
                continue
            _add(path, path.relative_to(folder).with_name(_stem(path)), candidates, found)


def _written_by_a_run(folder: Path, files: list[str], *, is_out_dir: bool) -> set[str]:
    """The files of a folder that an earlier run wrote there (an out-dir given as input, or the
    input folder used as out-dir): its records (NAME.json), the outputs each record lists, and in
    an out-dir's top folder its reports. They are not inputs: read again, a second run would repair
    its own outputs and a third theirs."""
    own = {name for name in files if is_out_dir and (name == ERRORS_FILE or _RUN_MANIFEST.fullmatch(name))}
    for name in files:
        if not name.endswith(OUTPUT_SUFFIXES["json"]):
            continue
        record = _run_record(folder / name)
        if record is None:
            continue
        own.add(name)
        base = name[:-len(OUTPUT_SUFFIXES["json"])]
        listed = {base + OUTPUT_SUFFIXES[kind] for kind in record["outputs"] if kind in OUTPUT_SUFFIXES}
        own.update(listed.intersection(files))  # an input of such a name would have had its outputs named apart
    return own


def _run_record(path: Path) -> dict[str, Any] | None:
    """The record of a vnrestore run (restore/run/records.py), or None for any other JSON."""
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if isinstance(record, dict) and str(record.get("versions", "")).startswith("vnrestore=") \
            and isinstance(record.get("outputs"), list) and "sha256" in record:
        return record
    return None


def _add(path: Path, relative: Path, candidates: list[tuple[Path, Path]], found: Discovery) -> None:
    """A candidate input if it is a regular file; otherwise a refused one (a FIFO would hang the run)."""
    try:
        require_regular_file(path)
    except InputError as exc:
        found.refused.append(exc)
        return
    candidates.append((path, relative))


def _stem(path: Path) -> str:
    """The output name of an input: its name without suffix, and for OCR text (NAME.ocr.txt) without
    '.ocr' too, so that NAME.txt is the repaired text and NAME.ocr.txt the raw OCR beside it."""
    stem = path.stem
    if path.suffix.lower() in scans.TEXT_SUFFIXES and stem.lower().endswith(".ocr") and len(stem) > 4:
        stem = stem[:-4]
    return stem


def _identity(path: Path) -> tuple[int, int]:
    info = path.stat()
    return info.st_dev, info.st_ino


def _name_apart(candidates: list[tuple[Path, Path]], out_dir: Path, found: Discovery, kinds: set[str]) -> list[Job]:
    """Jobs whose outputs collide with no other job's and with no input."""
    bases = {source: out_dir / relative for source, relative in candidates}
    for _ in range(3):  # each round resolves one kind of clash; three leave none in practice
        groups: dict[Path, list[Path]] = defaultdict(list)
        for source, base in bases.items():
            groups[base].append(source)
        clashes = [sources for sources in groups.values() if len(sources) > 1]
        if not clashes:
            break
        for sources in clashes:
            parents = {s.parent for s in sources}
            common = Path(os.path.commonpath([s.absolute() for s in sources]))
            for source in sources:
                if len(parents) == 1:  # a.pdf and a.png side by side: keep the suffix
                    bases[source] = bases[source].with_name(source.name)
                else:  # x.txt in several folders: mirror the folders below their common one
                    relative = source.absolute().relative_to(common)
                    bases[source] = out_dir / relative.parent / bases[source].name
    jobs = []
    inputs = {_identity(source) for source, _ in candidates}
    input_paths = {source.resolve() for source, _ in candidates}
    taken = set(bases.values())
    for source, _ in candidates:
        base = _short_enough(bases[source])
        job = Job(source, base)
        if base != bases[source]:
            found.renamed.append((job, "its name is too long for the file system: shortened"))
        if _lands_on_input(job, inputs, input_paths, kinds):
            repaired = base.with_name(base.name + ".repaired")
            while repaired in taken:
                repaired = repaired.with_name(repaired.name + "_")
            taken.add(repaired)
            job = Job(source, repaired)
            found.renamed.append((job, "an output of the usual name would overwrite an input"))
        jobs.append(job)
    return jobs


def _lands_on_input(job: Job, inputs: set[tuple[int, int]], input_paths: set[Path], kinds: set[str]) -> bool:
    for kind in sorted(kinds):
        path = job.output(kind)
        if path.resolve() in input_paths:
            return True
        try:
            info = path.stat()
        except OSError:
            continue
        if stat.S_ISREG(info.st_mode) and (info.st_dev, info.st_ino) in inputs:
            return True
    return False


def _short_enough(base: Path) -> Path:
    """The base itself, or a shortened one (kept readable, made unique by a hash) when an output
    name would pass the file system's limit."""
    name = base.name
    encoded = os.fsencode(name)
    if len(encoded) + _LONGEST_SUFFIX + len(".repaired_") <= NAME_MAX:
        return base
    digest = hashlib.sha1(encoded).hexdigest()[:10]
    keep = NAME_MAX - _LONGEST_SUFFIX - len(".repaired_") - len(digest) - 1
    head = os.fsdecode(encoded[:keep])
    return base.with_name(f"{head}~{digest}")
