"""Split a line into tokens that keep every character, so that repair can rewrite words only.

The same tokenizer feeds the language-model build and the decoder: a word seen in a corpus and a
word seen in OCR output are cut the same way, and numbers, dates and document codes become the
same class symbols on both sides.
"""

from __future__ import annotations

from enum import Enum
from typing import NamedTuple

import regex

from restore.text.normalize import fold
from restore.text.orthography import is_syllable


class Kind(Enum):
    SPACE = "space"
    WORD = "word"  # letters, possibly garbled with look-alike digits and symbols: repairable
    NUMBER = "number"  # digits, dates (20/01/2026), list numbers
    CODE = "code"  # document codes: 55-NQ/TU, 73/KH-UBND; e-mail and web addresses
    MARKER = "marker"  # list markers: I., II., a), đ)
    PUNCT = "punct"
    JUNK = "junk"  # stamp and signature noise: letters glued to symbols, runs of strokes (I1l|)


class Token(NamedTuple):
    text: str
    kind: Kind


# Characters OCR puts inside a word in place of a letter or a diacritic (v4i, s6, x&, s§, Thu'O'ng).
_WORDISH = r"[\p{L}\p{M}0-9@&¢€¥§’']"
# A code's separator with the spaces OCR put beside it ("29- -NQ", "20/NQ- HĐND"); bounded: a long
# run of spaces is no gap. restore/text/acronyms.py closes such a gap again.
SPACED_SEPARATOR = r"[-/] {1,2}[-/]?| {1,2}[-/]"
_CODE_SEPARATOR = rf"(?:[-/][-/]?|{SPACED_SEPARATOR})"
_PATTERN = regex.compile(
    r"(?P<space>\s+)"
    # An e-mail or web address (ubnd@langson.gov.vn, dichvucong.gov.vn): kept whole, like a code.
    # It starts where a word starts and its parts are bounded (RFC 5321 lengths), so a long run such
    # as "a.a.a.a..." is tried once per token, not rescanned from every letter: linear time.
    r"|(?P<address>(?<![\w.+@-])(?:https?://)?(?:[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}"
    r"|[\w-]{1,63}(?:\.[\w-]{1,63}){0,8}\.(?:vn|com|net|org|gov|edu)\b(?:/[\w./?=&%-]*[\w/=&%-])?))"
    # A document code, perhaps split by OCR at a separator ("29- -NQ/TW", "20/NQ- HĐND"): a number and
    # parts, capitals first, each after a separator with spaces on one side (or doubled).
    rf"|(?P<split_code>[0-9]{{1,4}}{_CODE_SEPARATOR}\p{{Lu}}[\p{{L}}\p{{M}}\p{{N}}]*"
    rf"(?:{_CODE_SEPARATOR}[\p{{L}}\p{{M}}\p{{N}}]+)+)"
    r"|(?P<chunk>[\p{L}\p{M}\p{N}]+(?:[-/][\p{L}\p{M}\p{N}]+)+)"
    rf"|(?P<word>{_WORDISH}+)"
    # A dollar sign and one digit alone: eng's S and the vowel of a short word ("Số:" read "$6:").
    r"|(?P<dollar>\$[0-9](?![\p{L}\p{M}\p{N}]))"
    r"|(?P<punct>.)",
    regex.DOTALL,
)
_HAS_LETTER = regex.compile(r"\p{L}")
# A symbol standing alone that eng Tesseract prints for a whole short word (ở, có, ý): no Vietnamese
# dispatch writes a lone cent, at, ampersand or yen sign, so it is a word to repair, not punctuation
# to keep ("dân chủ & cơ sở" is "dân chủ ở cơ sở").
_WORD_GLYPHS = frozenset({"¢", "@", "&", "¥"})
# Such a symbol, a euro sign (an ê with its tone) or a section sign (a vowel under stacked marks,
# or an S): the symbols eng prints for a letter. With digits for the rest of a short word, one is a
# word too: "¢6" is có, "1€" lệ, "§6" Số.
LETTER_GLYPHS = _WORD_GLYPHS | {"€", "§"}
_GLYPH_WORD = regex.compile("(?=.*[{0}])[{0}0-9]{{2,4}}".format(regex.escape("".join(sorted(LETTER_GLYPHS)))))
_JUNK_NEIGHBOURS = frozenset("_%|\\~^=<>[]{}")
_STROKES = regex.compile(r"[Il1|]{2,}")
_WORD_SHAPED = regex.compile(r"(?=.*[aeiouy])[a-z]{2,}")  # letters and a vowel: a word, garbled or not
_ROMAN = regex.compile(r"[IVX]+")
# OCR of "II", "III": 1I, I11, Il1; HI, IH (two strokes whose serifs touch read as an H)
_GARBLED_ROMAN = regex.compile(r"[I1lH]*I[I1lH]*")
_NUMERAL = regex.compile(r"(?=.)(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")  # 1 to 99


def _classify_chunk(text: str) -> list[Token]:
    """A hyphen/slash-joined chunk is a code or date if it has a digit or an acronym, else words."""
    has_digit = any(ch.isdigit() for ch in text)
    if not _HAS_LETTER.search(text):
        return [Token(text, Kind.NUMBER)]
    parts = regex.split(r"([-/])", text)
    has_acronym = any(len(p) >= 2 and p.isupper() and not is_syllable(fold(p).lower()) for p in parts)
    abbreviation = all(len(p) == 1 for p in parts) and "/" in parts  # b/c (báo cáo), V/v (về việc)
    if has_digit or has_acronym or abbreviation:
        return [Token(text, Kind.CODE)]
    tokens: list[Token] = []
    for part in parts:
        if part in ("-", "/"):
            tokens.append(Token(part, Kind.PUNCT))
        elif part:
            tokens.extend(_classify_word(part, None))
    return tokens


def _classify_word(text: str, next_char: str | None) -> list[Token]:
    if text.isalpha() and next_char not in (".", ")"):  # letters alone, as most words are
        return [Token(text, Kind.WORD)]
    if text.isdigit():
        return [Token(text, Kind.NUMBER)]
    if text in _WORD_GLYPHS or _GLYPH_WORD.fullmatch(text):
        return [Token(text, Kind.WORD)]
    if not _HAS_LETTER.search(text):
        return [Token(ch, Kind.PUNCT) for ch in text]
    if next_char == "." and (_ROMAN.fullmatch(text) or _GARBLED_ROMAN.fullmatch(text)):
        return [Token(text, Kind.MARKER)]
    if next_char == ")" and len(text) == 1:
        return [Token(text, Kind.MARKER)]
    return [Token(text, Kind.WORD)]


def tokenize(line: str) -> list[Token]:
    """Tokens of one line; "".join(t.text for t in tokenize(line)) == line."""
    return _mark_junk(_split(line))


def _mark_junk(tokens: list[Token]) -> list[Token]:
    """Noise, not words to repair: letters touching non-text symbols (I_I%TI), glued to punctuation
    on both sides (:I;) unless shaped like a word, letters with a vowel ("cao.tuối," where a speck
    sat in the space, "(ký)"), or made only of strokes (I1l)."""
    out = list(tokens)
    last = len(tokens) - 1
    for i, token in enumerate(tokens):
        if token.kind is not Kind.WORD:
            continue
        before = tokens[i - 1] if i else None
        after = tokens[i + 1] if i < last else None
        glued = (before is not None and after is not None and before.kind is Kind.PUNCT
                 and after.kind is Kind.PUNCT and not _WORD_SHAPED.fullmatch(fold(token.text).lower()))
        if (glued or _STROKES.fullmatch(token.text)
                or (before is not None and before.text[:1] in _JUNK_NEIGHBOURS)
                or (after is not None and after.text[:1] in _JUNK_NEIGHBOURS)):
            out[i] = Token(token.text, Kind.JUNK)
    return out


def _split(line: str) -> list[Token]:
    tokens: list[Token] = []
    for match in _PATTERN.finditer(line):
        kind = match.lastgroup
        text = match.group()
        if kind == "space":
            tokens.append(Token(text, Kind.SPACE))
        elif kind == "dollar":
            tokens.append(Token(text, Kind.WORD))
        elif kind in ("address", "split_code"):
            tokens.append(Token(text, Kind.CODE))
        elif kind == "chunk":
            tokens.extend(_classify_chunk(text))
        elif kind == "word":
            end = match.end()
            if len(text) == 1 and text.isalpha() and line[end:end + 2] == ". " and not line[:match.start()].strip():
                tokens.append(Token(text, Kind.MARKER))  # "b. Nội dung", "S. Sinh viên": an item's label
            else:
                tokens.extend(_classify_word(text, line[end] if end < len(line) else None))
        elif text == "|" and line[match.end():match.end() + 1] == "." and not line[:match.start()].strip():
            tokens.append(Token(text, Kind.MARKER))  # "|. MỤC ĐÍCH": eng's bar for the numeral I
        else:
            tokens.append(Token(text, Kind.PUNCT))
    return tokens


def roman_numeral(word: str) -> str | None:
    """The Roman numeral a word of two letters or more is, with 1 and l read as I ("X111" is XIII),
    unless it is also a syllable (VI, XI): a numeral is kept as read, never repaired into the
    numeral a language model knows better ("khóa XVI" is no "khóa XI")."""
    if len(word) < 2 or word[0] not in "IVXL":
        return None
    numeral = word.replace("1", "I").replace("l", "I")
    if numeral != word and not {"V", "X"} & set(numeral):
        return None  # "Il", "I1": as likely a garbled word; a heading's are MARKER tokens
    return numeral if _NUMERAL.fullmatch(numeral) and not is_syllable(numeral.lower()) else None


def marker_text(token: str) -> str:
    """The list marker a MARKER token stands for: "I11" -> "III", "HI" -> "III", "|" -> "I", "a" -> "a"."""
    if "I" in token:
        return token.replace("1", "I").replace("l", "I").replace("H", "II")
    return token.replace("|", "I")


_EDGE_PUNCTUATION = regex.compile(r"^[\p{P}\p{S}]+|[\p{P}\p{S}]+$")


def bare(word: str) -> str:
    """A word without the punctuation at its edges: "(vận," -> "vận"."""
    return _EDGE_PUNCTUATION.sub("", word)


def words_made_by(words: list[str], tokens: list[str]) -> list[int | None]:
    """For each whitespace word of a repaired line, the index of the repaired word token that made
    it (None for numbers and punctuation, which repair reports no rivals for). A token may have
    become several words ("hòabình" -> "hòa bình"): each of them points to it."""
    made: list[int | None] = [None] * len(words)
    t = 0
    k = 0
    while k < len(words) and t < len(tokens):
        parts = tokens[t].split()
        if parts and [bare(w) for w in words[k:k + len(parts)]] == parts:
            made[k:k + len(parts)] = [t] * len(parts)
            k += len(parts)
            t += 1
        else:
            k += 1
    return made
