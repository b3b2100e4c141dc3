"""Specks of dirt that OCR reads as marks: which marks are not punctuation, and what they stand for.

A photocopy's specks and a stamp's edge come out of Tesseract as dots, hyphens, colons and quotes.
Two signs tell them from real punctuation: Tesseract's own doubt about a word made of marks only,
and a place where Vietnamese never puts the mark (a period before a lowercase word).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from restore.text.tokens import Kind, Token

# A word of marks only (no letter, no digit) read with less confidence than this (0-100): dropping
# those cut word errors on worn 150 dpi pages by a fifth (bench/ocr_quality.py), and changed
# nothing on clean ones.
DOUBTED_MARKS_CONFIDENCE = 70.0
# Marks OCR makes of a speck in the space between two words (a web address is a CODE token).
_GLUED = frozenset(".-‘`")
# Marks print sets between spaces (see standing_alone); of them, those it attaches to the word before.
_WRITTEN_ALONE = frozenset("()[]\"“”+/%&*,.:;!?…=<>")
_ATTACHED = frozenset(".:;,!?")
_DASHES = frozenset("-–—")  # a hyphen-minus, an en dash, an em dash
_PAIRED = frozenset({"?!", "!?"})  # the one pair of attached marks print sets after a word
_NEVER_PRINTED = frozenset("_|~¬^„`\\¡¿¦")  # marks Vietnamese print has no use for
# An opening quote glued before a word is a speck when nothing closes it soon enough: a single one
# (dispatches do not quote with it) when nothing closes it on its line ("‘phục vụ" in samples/004,
# "‘từng" on worn pages); a double one before a line's first word (a speck at the left margin)
# when nothing closes it on its line or the next QUOTE_LINES ("“vật tư" on worn pages). Quotations
# wrap: in samples/000-004, 14 of 31 close on the next line, none later; mid-line, OCR sometimes
# loses the closing one (samples/000: “Dân vận khéo” read "“Dan van kheq"). eng reads a closing
# double quote as "™" ("khéo™").
QUOTE_LINES = 2
_SINGLE_OPENING = "‘"
_CLOSING = {_SINGLE_OPENING: "’", "“": "”\"™", '"': "”\"™"}


def is_doubted_marks(text: str, confidence: float) -> bool:
    """An OCR word of marks only that Tesseract itself doubts: a speck, left out before repair."""
    return confidence < DOUBTED_MARKS_CONFIDENCE and not has_letter_or_digit(text)


def has_letter_or_digit(text: str) -> bool:
    """Whether a word holds a letter or digit; a modifier letter (ˆ, ˜, ˊ: a tone mark read alone)
    is a mark here."""
    return any(ch.isalnum() and unicodedata.category(ch) != "Lm" for ch in text)


def standing_alone(tokens: list[Token], ahead: Sequence[str] = ()) -> set[int]:
    """Indices of the tokens of a line that are specks standing alone, with one space each; `ahead`
    holds the next QUOTE_LINES lines of its paragraph, where a quotation may close.

    Between spaces, print sets only some marks: a dash between two words or opening a list item,
    brackets, quotes, an ellipsis, a plus or a slash. It attaches a period, comma, colon, semicolon,
    exclamation or question mark to the word before, and never sets a bar, tilde, underscore or
    guillemet apart. Any other run of marks between spaces (or at a line's edge) is a speck OCR read
    ("bảo đảm trang .", "dân | xã", "_-", a dash after a sentence's end); so are marks print has no
    use for glued to a word's edge ("_kế", "Uy|"). A list item's dash after such specks at a line's
    start, before a capital, is the item's dash ("~ - Lưu", "_- Lưu": only the specks go).
    """
    runs: list[tuple[int, int]] = []  # (start, end) of each run of non-space tokens
    start = 0
    while start < len(tokens):
        end = start
        while end < len(tokens) and tokens[end].kind is not Kind.SPACE:
            end += 1
        if end > start:
            runs.append((start, end))
        start = end + 1
    dropped: set[int] = set()
    only_specks_before = True  # every run before this one on the line is a speck
    for k, (start, end) in enumerate(runs):
        if k:
            only_specks_before = only_specks_before and all(i in dropped for i in range(*runs[k - 1]))
        if not all(t.kind is Kind.PUNCT for t in tokens[start:end]):
            dropped.update(_glued_at_edges(tokens, start, end, ahead))
            continue
        run = "".join(t.text for t in tokens[start:end])
        dash = "".join(ch for ch in run if ch not in _NEVER_PRINTED)
        if dash in _DASHES:
            before = _is_word_run(tokens, runs[k - 1]) if k else True  # a list item's dash opens its line
            after = k + 1 < len(runs) and _is_word_run(tokens, runs[k + 1])
            # so it does after specks, before an item's capital ("~ - Lưu", "_- Lưu"); before a
            # lowercase word such a dash is as likely a speck where a sentence runs on ("-_ biết.")
            capital = after and tokens[runs[k + 1][0]].text[:1].isupper()
            if (before and after and dash == run) or (only_specks_before and capital):
                dropped.update(i for i in range(start, end) if tokens[i].text in _NEVER_PRINTED)
                continue
        elif not (set(run) - _WRITTEN_ALONE) and not set(run) <= _ATTACHED or run in ("...", "…"):
            continue
        dropped.update(range(start, end))
        space = end if end < len(tokens) else start - 1  # the space after it, or before it at a line's end
        if 0 <= space < len(tokens) and tokens[space].kind is Kind.SPACE:
            dropped.add(space)
    return dropped


def _glued_at_edges(tokens: list[Token], start: int, end: int, ahead: Sequence[str]) -> list[int]:
    """Marks print never sets at a word's edge, glued to the first or last token of a run ("_kế",
    "Uy|", "„chịu"); a hyphen glued before a lowercase word ("-từng"); a mark print attaches after a
    word, glued before one (".SỞ", ":tiếp"); an opening quote that nothing closes soon enough
    ("‘phục", "“vật"); and the second of two such marks after a word ("sau:.", "cố,.")."""
    out = []
    k = start
    while k < end and tokens[k].kind is Kind.PUNCT and (tokens[k].text in _NEVER_PRINTED or (
            tokens[k].text == "-" and k + 1 < end and tokens[k + 1].text[:1].islower()) or (
            tokens[k].text in _ATTACHED and k + 1 < end and tokens[k + 1].text[:1].isalpha()) or (
            tokens[k].text in _CLOSING and k + 1 < end and tokens[k + 1].text[:1].isalpha()
            and not _closes(tokens, k, ahead))):
        out.append(k)
        k += 1
    k = end - 1
    while k > start and tokens[k].kind is Kind.PUNCT and tokens[k].text in _NEVER_PRINTED:
        out.append(k)
        k -= 1
    pair = "".join(t.text for t in tokens[k - 1:k + 1]) if k - 2 >= start else ""
    if len(pair) == 2 and set(pair) <= _ATTACHED and pair not in _PAIRED and tokens[k - 2].kind is not Kind.PUNCT:
        out.append(k)  # "sau:.", "gốc..": print ends a word with one such mark (or an ellipsis)
    return out


def _closes(tokens: list[Token], k: int, ahead: Sequence[str]) -> bool:
    """Whether the quote token k opens may be a real one: a single one that closes on its line; a
    double one that does not open the line or closes on it or in `ahead`."""
    opening = tokens[k].text
    single = opening == _SINGLE_OPENING
    if not single and any(t.kind is not Kind.SPACE for t in tokens[:k]):
        return True
    later = [*(t.text for t in tokens[k + 1:]), *(() if single else ahead)]
    return any(mark in text for text in later for mark in _CLOSING[opening])


def _is_word_run(tokens: list[Token], run: tuple[int, int]) -> bool:
    return any(t.kind is not Kind.PUNCT for t in tokens[run[0]:run[1]])


def replacement(lines: list[list[Token]], li: int, ti: int) -> str | None:
    """What the mark at token ti of line li stands for if it is a speck ("" or " "), a mark that
    lost its space (": ") or eng's "™" for a closing double quote glued to a word ("khéo™"), else None.

    Between a word and a lowercase word with no space ("được.hướng", "bộ-phận", "Bay‘manh"), a dot,
    hyphen or quote sat where a space was: it becomes one; so does a dot between a lowercase word
    and a number ("tháng.9": Điều 5.2 has a capital, 1.000 no word). A period glued to a word and
    followed, after a space or a line break, by a lowercase word ends no sentence: "" ("số. hai",
    "độ." then a line going on in lowercase), which repair reads as nothing or as a comma that lost
    its tail, whichever the model finds likelier (restore/decode/block.py). The word before must
    have two letters or more, so "v.v." keeps its dots. A colon glued to a word and to a number, a
    code or a capital after it lost the space Vietnamese writes after a colon ("Số:61/KH-UBND").
    """
    tokens = lines[li]
    before = tokens[ti - 1] if ti else None
    if before is None or before.kind is not Kind.WORD or len(before.text) < 2:
        return None
    if tokens[ti].text == "™":
        return "”"
    after = tokens[ti + 1] if ti + 1 < len(tokens) else None
    if tokens[ti].text == ":" and after is not None and (after.kind in (Kind.NUMBER, Kind.CODE)
                                                         or after.text[:1].isupper()):
        return ": "
    if after is not None and after.kind is Kind.WORD:
        glued = tokens[ti].text in _GLUED and len(after.text) >= 2 and after.text[0].islower()
        return " " if glued else None
    if after is not None and after.kind is Kind.NUMBER and before.text.islower():
        return " " if tokens[ti].text == "." else None
    if tokens[ti].text != "." or (after is not None and after.kind is not Kind.SPACE):
        return None
    following = _first_non_space(tokens, ti + 1)
    if following is None and li + 1 < len(lines):
        following = _first_non_space(lines[li + 1], 0)
    return "" if following is not None and following.kind is Kind.WORD and following.text[0].islower() else None


def opens_with_dash(tokens: list[Token]) -> bool:
    """Whether a line opens with a dash, a space and a lowercase word: a list item's dash, a
    compound's dash the line broke at ("chính trị\n- xã hội"), or, where the sentence runs on from
    the line before, a speck at the left margin ("theo quy\n- định"): repair's model tells which."""
    return (len(tokens) > 2 and tokens[0].kind is Kind.PUNCT and tokens[0].text in _DASHES
            and tokens[1].kind is Kind.SPACE and tokens[2].kind is Kind.WORD and tokens[2].text[:1].islower())


def _first_non_space(tokens: list[Token], start: int) -> Token | None:
    """The first token from `start` on that is not a space, without copying the rest of a long line."""
    for i in range(start, len(tokens)):
        if tokens[i].kind is not Kind.SPACE:
            return tokens[i]
    return None
