"""A batch's garbles, learned from its run records and saved, so that the next batch starts from them.

Adaptation (restore/model/adaptation.py) learns from what one repair sees: a page of a scan, one
text file. A batch of scans from one office repeats its garbles across files. `vnrestore adapt`
reads the records (NAME.json) of a finished run, takes every word chosen with confidence as an
(OCR token -> syllable) observation, and keeps the garbles the whole batch shows likelier than the
shipped channel thinks, by the same MAP estimate. `--garbles FILE` on run and repair makes the
channel remember them from the start. Nothing from a gold copy is read: only OCR and its repair.

The file is a TSV: profile, OCR token, syllable, cost (log10), one garble per line, `#` comments.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from restore.decode.repair import detect_profile
from restore.errors import UsageProblem
from restore.model.adaptation import Observation, learned_tokens, observation
from restore.model.channel import Channel, Garbles, MixedChannel, Profile
from restore.text.textio import write_atomic

PROFILES = ("eng", "vie")
REMEDY = "give a file written by vnrestore adapt"


def record_observations(records: Iterable[dict]) -> dict[Profile, Counter[Observation]]:
    """Confident (OCR token -> syllable) pairs of run records, by the profile of each record's OCR."""
    seen: dict[Profile, Counter[Observation]] = {"eng": Counter(), "vie": Counter()}
    for record in records:
        lines = [line for page in record.get("pages", []) for line in page.get("lines", [])]
        profile = detect_profile("\n".join(str(line.get("ocr", "")) for line in lines))
        for line in lines:
            for token in line.get("tokens", []):
                found = observation(str(token["ocr"]), str(token["text"]), float(token["margin"]),
                                    bool(token["review"]))
                if found is not None:
                    seen[profile][found] += 1
    return seen


def batch_garbles(records: Iterable[dict], channel: Channel | MixedChannel) -> Garbles:
    """The garbles a batch repeats, priced by MAP with the shipped channel as the prior."""
    rows: list[tuple[str, str, str, float]] = []
    for profile, seen in record_observations(records).items():
        for token, costs in sorted(learned_tokens(seen, channel, profile).items()):
            rows.extend((profile, token, syllable, round(cost, 4)) for syllable, cost in sorted(costs.items()))
    return tuple(rows)


def read_records(paths: Iterable[Path]) -> Iterable[dict]:
    """Run records (NAME.json) in the given files and folders; other JSON files are skipped."""
    for path in paths:
        for found in sorted(path.rglob("*.json")) if path.is_dir() else [path]:
            try:
                record = json.loads(found.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise UsageProblem(f"{found}: not a readable run record ({exc})",
                                   remedy="give the out-dir of a vnrestore run") from exc
            if isinstance(record, dict) and "pages" in record:
                yield record


def write_garbles(path: Path, garbles: Garbles, source: str) -> None:
    header = f"# vnrestore garbles learned from {source}: profile, OCR token, syllable, cost (log10)\n"
    write_atomic(path, header + "".join(f"{p}\t{t}\t{s}\t{c}\n" for p, t, s, c in garbles))


def read_garbles(path: Path) -> Garbles:
    """The rows of a garbles file; a malformed line is named with its number."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageProblem(f"{path}: cannot read the garbles file ({exc})", remedy=REMEDY) from exc
    rows: list[tuple[str, str, str, float]] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        try:
            profile, token, syllable, cost = line.split("\t")
            if profile not in PROFILES:
                raise ValueError(profile)
            rows.append((profile, token, syllable, float(cost)))
        except ValueError as exc:
            raise UsageProblem(f"{path} line {number}: expected profile (eng or vie), OCR token, syllable and cost "
                               "separated by tabs", remedy=REMEDY) from exc
    return tuple(rows)
