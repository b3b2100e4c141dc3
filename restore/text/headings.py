"""Sequences a dispatch numbers: headings I, II, III... and lettered items a), b), c)...

OCR drops a stroke of a Roman numeral more often than any other error in a heading ("III." read
"II."). A heading line is a Roman numeral, a period and an upper-case title (II. NỘI DUNG). When one
repeats the numeral of the heading before it, it is the next one in the sequence. A speck can
hide the space after the period ("I.MỤC ĐÍCH"): the heading gets it back.

OCR reads the letter of an item as a digit or another letter ("4)" or "8)" for "a)", "¢)" for
"c)", which repair then reads as a word). An item line between lettered items whose letters leave
one gap for it (a) ... 8) ... c)), or a digit just before b), is the letter of that gap. eng has no
đ and prints d: a "d)" right after "d)" is "đ)". A list numbered 1), 2), 3) is left alone, and so
is a letter repeated that no lost mark explains ("b) ... b)").

The other way round, OCR reads a digit as the letter it looks like ("S." for "5.", "B)" for "8)").
An item that opens with such a letter, right after the item numbered one less, is that number; a
first item read as a 1's look-alike ("l", "I", "i", "|") before the item numbered 2 with the same
mark is 1 (a table's first row, "l Thu ngân sách", then "2 Số hộ").
eng also reads an item's period as a comma or an s ("3, Nâng cao", "2s Chủ động"), or loses it
("7 Sở Khoa học"): right after the item numbered one less, before a capital, it is the period; one
lost altogether also needs the item numbered one more after it, as a footnote's number ("1 Trọng
tâm là:") has none.

Nothing else is changed: a first heading, or one that skips ahead, may be the document's own
numbering.
"""

from __future__ import annotations

import regex

_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")
_HEADING = regex.compile(r"^(\s*)(?P<numeral>[IVX]+)\.(?P<gap>\s*)(?P<title>\S.*)$")


def _is_title(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 3 and sum(ch.isupper() for ch in letters) >= 0.8 * len(letters)


_LETTERS = "abcdđeghiklmnopqrstuvxy"  # the Vietnamese alphabet's item letters (no f, j, w, z)
_ITEM = regex.compile(r"^(\s*)(?P<label>[0-9]|\p{Ll})\)\s")
_NUMBERED = regex.compile(r"^(\s*)(?P<label>[0-9]{1,2}|[SBGZlIi|])(?P<mark>[.),s]?)\s(?P<first>\S)?")
_DIGIT_LOOKS = {"S": "5", "B": "8", "G": "6", "Z": "2"}  # letters Tesseract's eng reads for a digit
_ONE_LOOKS = frozenset("lIi|")  # what OCR reads for a 1


def renumber(lines: list[str]) -> list[str]:
    """The lines with each heading that repeats the numeral before it given the next numeral (and a
    space after its period), each item read as a digit inside a lettered list given its letter, and
    each numbered item read as a digit's look-alike letter given its number."""
    return _redigited(_relettered(_renumbered_headings(lines)))


def _written(line: str, match: regex.Match[str], group: str, text: str) -> str:
    """`line` with what `match` found as `group` written as `text`."""
    return line[:match.start(group)] + text + line[match.end(group):]


def _redigited(lines: list[str]) -> list[str]:
    items = [(i, match) for i, line in enumerate(lines) if (match := _NUMBERED.match(line))]
    out = list(lines)
    before: tuple[int, str] | None = None  # the number and mark of the item just read, as corrected
    for k, (i, match) in enumerate(items):
        label, mark = match["label"], match["mark"]
        after = items[k + 1][1] if k + 1 < len(items) else None
        if label in _ONE_LOOKS:  # a Roman I heading's title is in capitals
            if (after is not None and after["label"] == "2" and after["mark"] == mark
                    and not _is_title(lines[i][match.end("mark"):])):
                out[i] = _written(lines[i], match, "label", "1")
                before = (1, mark)
            continue
        if mark in ("", ",", "s"):  # eng's period, or none: see the module's docstring
            if not _lost_period(label, mark, match["first"] or "", before, after):
                continue
            out[i] = _written(lines[i], match, "mark", ".")
            mark = "."
        digit = _DIGIT_LOOKS.get(label)
        if digit is not None and before == (int(digit) - 1, mark):
            out[i] = _written(lines[i], match, "label", digit)
            label = digit
        before = (int(label), mark) if label.isdigit() else None
    return out


def _lost_period(label: str, mark: str, first: str, before: tuple[int, str] | None,
                 after: regex.Match[str] | None) -> bool:
    """Whether an item numbered `label` with `mark` for its period (a comma, an s, or nothing),
    before a word opening with `first`, is the item after `before`: the item numbered one less comes
    before it, a capital after it, and, where no mark is read at all, the next item after it."""
    if not (label.isdigit() and before == (int(label) - 1, ".") and first.isupper()):
        return False
    return bool(mark) or (after is not None and after["label"] == str(int(label) + 1) and after["mark"] == ".")


def _relettered(lines: list[str]) -> list[str]:
    items = [(i, match) for i, line in enumerate(lines) if (match := _ITEM.match(line))]
    labels = [match["label"] for _, match in items]  # as corrected so far
    out = list(lines)
    for k, (i, match) in enumerate(items):
        before = labels[k - 1] if k else None
        after = labels[k + 1] if k + 1 < len(items) else None
        letter = _gap_letter(labels[k], before, after)
        if letter is not None:
            labels[k] = letter
            out[i] = _written(lines[i], match, "label", letter)
    return out


def _gap_letter(label: str, before: str | None, after: str | None) -> str | None:
    """The letter an item labelled `label` stands for between the items labelled `before` and
    `after`, or None where the label may be the document's own."""
    if before is not None and before in _LETTERS[:-1]:
        expected = _LETTERS[_LETTERS.index(before) + 1]
        if label == expected:
            return None
        if label == before == "d":
            return "đ"  # the successor differs from its look-alike by the stroke eng cannot print
        if before in _LETTERS[:-2] and after == _LETTERS[_LETTERS.index(before) + 2]:
            return expected
    elif label.isdigit() and after == "b":
        return "a"
    return None


def _renumbered_headings(lines: list[str]) -> list[str]:
    out = list(lines)
    previous: str | None = None
    for i, line in enumerate(lines):
        match = _HEADING.match(line)
        if match is None or not _is_title(match["title"]):
            continue
        numeral = match["numeral"]
        if numeral == previous and numeral in _ROMAN[:-1]:
            numeral = _ROMAN[_ROMAN.index(numeral) + 1]
        out[i] = line[:match.start("numeral")] + numeral + "." + (match["gap"] or " ") + match["title"]
        previous = numeral
    return out
