"""Capitals inside a sentence that are OCR's guess: "tuần thứ hai Và tuần", "trùng Vào ngày".

For c, o, s, v, w, x and z the capital is the small letter drawn larger, so OCR's case for them is a
guess from the glyph's size, and Tesseract guesses wrong on worn print. The corpus tells which words
a sentence practically never capitalizes after a lowercase word or a comma on the same line ("và",
"vào", "của": under 3% of their uses); only such a word, capitalized alone between lowercase
neighbours, is written in lowercase, and so is such a word in capitals whose every letter is one of
them ("tại trụ SỞ và"). Names ("Nguyễn Văn Sáu", "Sơn Dương") come capitalized in runs
and keep their capitals; so does a word whose pair with the word after it is capitalized in at
least that share of its uses ("Căn cứ Chỉ thị số", though "chỉ" alone is lowercase). A capital
is also no evidence where repair read its letter as another ("đại Biện" -> diện), and an I read
as l (eng draws a tall l as I) is none even before a capitalized word ("quan Ién Cổng" -> lên).
A line's first word is inside a sentence where the paragraph runs on from the line before
(restore/decode/repair.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from restore.errors import LexiconError
from restore.text.normalize import fold

SHAPE_CASE = frozenset("cosvwxz")  # capitals that are their small letter drawn larger
MIN_USES = 50  # inside-sentence uses in the corpus before its share is believed
MAX_CAPITAL_SHARE = 0.03  # capitalized in fewer of those uses than this: a word sentences keep lowercase


@dataclass(frozen=True)
class Casing:
    lowercase: frozenset[str]  # words a sentence keeps lowercase (see above)
    # Pairs that keep their capital, the second word without marks as OCR may give it: "chỉ thi".
    capitalized_pairs: frozenset[str] = frozenset()

    @classmethod
    def load(cls, path: Path) -> Casing:
        """case.vi.tsv: word or pair of words, uses inside a sentence, capitalized uses (lexicon/build.py)."""
        try:
            rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines() if line]
        except OSError as exc:
            raise LexiconError(f"cannot read the case table: {exc.strerror}", path=str(path),
                               remedy="run: vnrestore lexicon build") from exc
        rare = {key for key, uses, capitals in rows if int(capitals) < MAX_CAPITAL_SHARE * int(uses)}
        return cls(frozenset(key for key, uses, _ in rows if " " not in key and int(uses) >= MIN_USES and key in rare),
                   frozenset(_pair(*key.split(" ")) for key, _, _ in rows if " " in key and key not in rare))

    def written(self, word: str, before: str | None, after: str | None, glyph: str = "") -> str:
        """`word` as a sentence writes it, given the words (or a comma) before and after it. `glyph`
        is the letter OCR read where the word begins: when repair took it for another letter ("đại
        Biện" -> diện), OCR's capital was drawn for a letter that is not there, so it is no more
        evidence than a shape capital's."""
        inside = before is not None and (before == "," or _first_letter(before).islower())
        if not inside or not word[:1].isupper():
            return word
        in_run = after is not None and after[:1].isupper()  # names come capitalized in runs
        if word.isupper() and len(word) > 1:  # "SỞ": every letter drawn as its small letter larger
            guessed = all(fold(ch).lower() in SHAPE_CASE for ch in word) and not in_run
            return word.lower() if guessed and word.lower() in self.lowercase else word
        # Đ is the exception: eng has no Đ and reads the capital as B, P or D, all capital shapes.
        misread = bool(glyph) and fold(glyph).lower() != fold(word[0]).lower() and word[0] != "Đ"
        # An I read for l is no capital at all, so it makes no run: "quan Ién Cổng" is lên.
        tall_l = glyph == "I" and word[0] == "L"
        guessed = misread or fold(word[0]).lower() in SHAPE_CASE
        if word.isupper() or not (tall_l or (guessed and not in_run)):
            return word
        if word.lower() not in self.lowercase or (after is not None and _pair(word, after) in self.capitalized_pairs):
            return word
        return word[0].lower() + word[1:]


def _first_letter(token: str) -> str:
    """The first letter of an OCR token, past the digits eng draws for letters ("1én" for lên)."""
    return next((ch for ch in token if ch.isalpha()), "")


def _pair(word: str, after: str) -> str:
    return f"{word.lower()} {fold(after).lower()}"
