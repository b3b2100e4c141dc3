"""The learned channel's file format: lexicon/data/channel.{eng,vie}.tsv.

One row per cost: kind, OCR part, syllable part, cost (-log10 probability), tab-separated; `#`
lines are comments. `vnrestore lexicon train-channel` writes them (lexicon/channel_training.py);
`load_learned` reads both profiles into one Channel.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from restore.errors import LexiconError
from restore.model.channel import PROFILES, Channel, MarkCosts, PartGarbles, Profile
from restore.model.letter_edits import LetterCosts

SECTIONS = ("substitution", "multi", "missing", "extra", "default", "accent", "evidence", "tone", "modifier", "token",
            "onset", "rhyme")


def write_channel(path: Path, letters: LetterCosts, marks: MarkCosts, tokens: dict[str, dict[str, float]],
                  parts: PartGarbles, header: Iterable[str]) -> None:
    rows = [f"# {line}" for line in header]
    rows += [f"substitution\t{a}\t{b}\t{c:.4f}" for (a, b), c in sorted(letters.substitutions.items())]
    rows += [f"multi\t{a}\t{b}\t{c:.4f}" for a, out in sorted(letters.multi.items()) for b, c in sorted(out.items())]
    rows += [f"missing\t\t{b}\t{c:.4f}" for b, c in sorted(letters.missing.items())]
    rows += [f"extra\t{a}\t\t{c:.4f}" for a, c in sorted(letters.extra.items())]
    rows += [f"default\t{name}\t\t{getattr(letters, 'default_' + name):.4f}"
             for name in ("substitution", "missing", "extra")]
    rows += [f"accent\t{int(a)}\t{int(b)}\t{c:.4f}" for (a, b), c in sorted(marks.accent.items())]
    rows += [f"evidence\t{name}\t\t{c:.4f}" for name, c in sorted(marks.evidence.items())]
    rows += [f"tone\t{a}\t{b}\t{c:.4f}" for (a, b), c in sorted(marks.tone_swap.items())]
    rows += [f"tone\t*\t*\t{marks.default_tone_swap:.4f}",
             f"modifier\tmatch\t\t{marks.modifier_match:.4f}", f"modifier\tmismatch\t\t{marks.modifier_mismatch:.4f}"]
    rows += [f"token\t{o}\t{s}\t{c:.4f}" for o, out in sorted(tokens.items()) for s, c in sorted(out.items())]
    rows += [f"{kind}\t{o}\t{s}\t{c:.4f}" for kind, table in (("onset", parts.onsets), ("rhyme", parts.rhymes))
             for s, out in sorted(table.items()) for o, c in sorted(out.items())]
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text("\n".join(rows) + "\n", encoding="utf-8")
    tmp.replace(path)


def parse_channel(lines: Iterable[str], name: str = "<stream>") -> tuple[LetterCosts, MarkCosts,
                                                                           dict[str, dict[str, float]], PartGarbles]:
    subs: dict[tuple[str, str], float] = {}
    multi: dict[str, dict[str, float]] = {}
    missing: dict[str, float] = {}
    extra: dict[str, float] = {}
    defaults: dict[str, float] = {}
    accent: dict[tuple[bool, bool], float] = {}
    evidence: dict[str, float] = {}
    tones: dict[tuple[int, int], float] = {}
    modifier: dict[str, float] = {}
    tokens: dict[str, dict[str, float]] = {}
    garbles = PartGarbles()
    for number, line in enumerate(lines, 1):
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        parts = line.split("\t")
        try:
            kind, a, b, value = parts[0], parts[1], parts[2], float(parts[3])
        except (IndexError, ValueError) as exc:
            raise LexiconError(f"{name}:{number}: expected 'kind<TAB>a<TAB>b<TAB>cost', got {line!r}") from exc
        if kind == "substitution":
            subs[(a, b)] = value
        elif kind == "multi":
            multi.setdefault(a, {})[b] = value
        elif kind == "missing":
            missing[b] = value
        elif kind == "extra":
            extra[a] = value
        elif kind == "default":
            defaults[a] = value
        elif kind == "accent":
            accent[(a == "1", b == "1")] = value
        elif kind == "evidence":
            evidence[a] = value
        elif kind == "tone":
            if a == "*":
                defaults["tone"] = value
            else:
                tones[(int(a), int(b))] = value
        elif kind == "modifier":
            modifier[a] = value
        elif kind == "token":
            tokens.setdefault(a, {})[b] = value
        elif kind == "onset":
            garbles.onsets.setdefault(b, {})[a] = value
        elif kind == "rhyme":
            garbles.rhymes.setdefault(b, {})[a] = value
        else:
            raise LexiconError(f"{name}:{number}: unknown kind {kind!r} (one of {', '.join(SECTIONS)})")
    try:
        letters = LetterCosts(subs, multi, missing, extra, defaults["substitution"], defaults["missing"],
                              defaults["extra"])
        marks = MarkCosts(accent, tones, defaults.get("tone", 1.0), modifier.get("match", 0.0),
                          modifier.get("mismatch", 1.0), evidence)
    except KeyError as exc:
        raise LexiconError(f"{name}: no 'default {exc.args[0]}' line") from exc
    return letters, marks, tokens, garbles


def load_learned(directory: Path) -> Channel:
    letters: dict[Profile, LetterCosts] = {}
    marks: dict[Profile, MarkCosts] = {}
    tokens: dict[Profile, dict[str, dict[str, float]]] = {}
    parts: dict[Profile, PartGarbles] = {}
    for profile in PROFILES:
        path = directory / f"channel.{profile}.tsv"
        try:
            with path.open(encoding="utf-8") as handle:
                letters[profile], marks[profile], tokens[profile], parts[profile] = parse_channel(handle, str(path))
        except OSError as exc:
            raise LexiconError(f"cannot read learned channel: {exc.strerror}", path=str(path),
                               remedy="run: vnrestore lexicon train-channel") from exc
    return Channel("learned", letters, marks, tokens, parts)
