"""Person names: where a run of capitalized words is a name, a name's syllables are likelier.

A dispatch names people: the signatory under a title ("TRẠM TRƯỞNG" / "Phan Thanh Tùng"), officials
in its text ("Ông Hoàng Minh Khôi, Chủ tịch"). The language model reads a name as running text,
where phần is far likelier than Phan, từng than Tùng and khối than Khôi, so eng's letters without
marks ("Phan Thanh Ting") became words. Three or more capitalized words in a row, a space apart,
are most often a person's name: an institution capitalizes only the first word of each part
("Phòng Đào tạo", "Sở Giáo dục và Đào tạo"). There a syllable s is read from the mixture
NAME_SHARE * P_name(s) + (1 - NAME_SHARE) * P_text(s) instead of P_text(s) alone: P_name from a
list of person names (lexicon/sources.py: vncorenlp-person-names), P_text from the syllable
inventory less the list's own uses. The lift, log10 of the mixture over P_text, is a price taken
off the reading; a syllable rarer in names than in text keeps its price (the lift is never
negative), so only names move.

bench/ablation.py shipped row: office-times eng 6.17 -> 6.06, held-out dispatches 3.63 -> 3.59 and
3.42 -> 3.38, the other columns the same, for every NAME_SHARE from 0.2 to 0.95. Not kept: runs of
two words (institutions, "Phòng Đào tạo", read Phong, a given name: office 4.69 -> 4.72 at 0.5).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from pathlib import Path

from restore.errors import LexiconError
from restore.model.candidates import Candidate
from restore.model.syllables import syllable_counts
from restore.text.tokens import Kind, Token

PERSON_NAMES_FILE = "person_names.vi.tsv"
NAME_RUN = 3  # capitalized words in a row, a space apart, that make a name
NAME_SHARE = 0.5  # of such runs, the share that are person names: the mixture's weight


def in_name_run(tokens: list[Token], index: int) -> bool:
    """Whether tokens[index] is a capitalized word among NAME_RUN or more such words, each one
    space from the next."""
    if not _capitalized(tokens[index]):
        return False
    start = end = index
    while start >= 2 and tokens[start - 1].text == " " and _capitalized(tokens[start - 2]):
        start -= 2
    while end + 2 < len(tokens) and tokens[end + 1].text == " " and _capitalized(tokens[end + 2]):
        end += 2
    return (end - start) // 2 + 1 >= NAME_RUN


def _capitalized(token: Token) -> bool:
    return token.kind is Kind.WORD and token.text[:1].isupper() and not token.text[1:2].isupper()


class PersonNames:
    """Per syllable, its lift inside a name (log10, positive): see the module's docstring."""

    def __init__(self, name_counts: Mapping[str, int], inventory_counts: Mapping[str, int]) -> None:
        # The inventory counts every source, the name list among them: its uses are taken out, so
        # that P_text is the syllable's share of running text alone.
        names = sum(name_counts.values())
        text = sum(inventory_counts.values()) - names
        self.lifts: dict[str, float] = {}
        if not names or text <= 0:
            return
        for syllable, count in name_counts.items():
            in_text = max(inventory_counts.get(syllable, 0) - count, 0)
            ratio = (count / names) / ((in_text + 1) / text)
            lift = math.log10(NAME_SHARE * ratio + 1 - NAME_SHARE)
            if lift > 0:
                self.lifts[syllable] = lift

    def priced(self, options: Iterable[Candidate]) -> list[Candidate]:
        """`options` of a word inside a name run, each name syllable made cheaper by its lift."""
        lifts = self.lifts
        return [c._replace(cost=c.cost - lifts[c.word]) if c.word in lifts else c for c in options]

    @classmethod
    def load(cls, path: Path, inventory_counts: Mapping[str, int]) -> PersonNames:
        try:
            with path.open(encoding="utf-8") as handle:
                return cls(parse_person_names(handle, str(path)), inventory_counts)
        except OSError as exc:
            raise LexiconError(f"cannot read person names: {exc.strerror}", path=exc.filename,
                               remedy="run: vnrestore lexicon build") from exc


def parse_person_names(lines: Iterable[str], name: str = "<stream>") -> dict[str, int]:
    return syllable_counts(lines, name)
