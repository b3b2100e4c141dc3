"""Section headings of a dispatch are numbered I, II, III...: a numeral OCR shortened is put back.

OCR drops a stroke of a Roman numeral more often than any other error in a heading ("III." read
"II."). A heading line is a Roman numeral, a period and an upper-case title (II. NỘI DUNG). When one
repeats the numeral of the heading before it, it is the next one in the sequence. Nothing else is
changed: a first heading, or one that skips ahead, may be the document's own numbering.
"""

from __future__ import annotations

import regex

_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")
_HEADING = regex.compile(r"^(\s*)(?P<numeral>[IVX]+)\.\s*(?P<title>\S.*)$")


def _is_title(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 3 and sum(ch.isupper() for ch in letters) >= 0.8 * len(letters)


def renumber(lines: list[str]) -> list[str]:
    """The lines with each heading that repeats the numeral before it given the next numeral."""
    out = list(lines)
    previous: str | None = None
    for i, line in enumerate(lines):
        match = _HEADING.match(line)
        if match is None or not _is_title(match["title"]):
            continue
        numeral = match["numeral"]
        if numeral == previous and numeral in _ROMAN[:-1]:
            numeral = _ROMAN[_ROMAN.index(numeral) + 1]
            out[i] = line[:match.start("numeral")] + numeral + line[match.end("numeral"):]
        previous = numeral
    return out
