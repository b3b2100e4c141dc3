"""What a run knows about its output: the raw OCR and the words it flagged for review.

`vnrestore run` writes NAME.json beside NAME.txt; its lines hold each line's OCR and repaired
text, and its tokens say which words were flagged. The report shows them beside the output when
the record describes the very text being scored (the same words), and says why when it does not.
A plain OCR file given by hand (`eval --ocr`) brings the OCR column without flags.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from restore.evaluation.metrics import comparable
from restore.text.textio import read_text
from restore.text.tokens import words_made_by


@dataclass(frozen=True)
class Annotations:
    ocr: str | None = None
    flagged: frozenset[int] = frozenset()  # indices of output words (comparable form, whole text)
    note: str | None = None  # why a record beside the output was not used


def annotations_for(output: Path, text: str, ocr_file: Path | None = None) -> Annotations:
    if ocr_file is not None:
        return Annotations(ocr=read_text(ocr_file))
    record = output.with_suffix(".json")
    try:
        if not record.is_file():  # may raise itself: a name one suffix longer can be too long
            return Annotations()
        data = json.loads(record.read_text(encoding="utf-8"))
        lines = [line for page in data["pages"] for line in page["lines"]]
        texts = [comparable(line["text"]).split() for line in lines]
        ocr = "\n".join(line["ocr"] for line in lines)
    except (OSError, ValueError, KeyError, TypeError):
        return Annotations(note=f"{record.name} beside it is not a vnrestore run record; no OCR column")
    if [w for words in texts for w in words] != comparable(text).split():
        return Annotations(note=f"{record.name} describes another text (edited since the run?); no OCR column")
    flagged: set[int] = set()
    position = 0
    for line, words in zip(lines, texts):
        flagged.update(position + k for k in _flagged_in_line(words, line.get("tokens", [])))
        position += len(words)
    return Annotations(ocr, frozenset(flagged))


def _flagged_in_line(words: list[str], tokens: list[dict[str, Any]]) -> list[int]:
    """Positions of the line's words made by flagged tokens."""
    made = words_made_by(words, [comparable(str(token.get("text", ""))) for token in tokens])
    return [k for k, t in enumerate(made) if t is not None and tokens[t].get("review")]
