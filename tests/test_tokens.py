from __future__ import annotations

import pytest

from restore.text.tokens import Kind, marker_text, roman_numeral, tokenize


@pytest.mark.parametrize(
    "line",
    ["Thyec hién Nghi quyet s0 55-NQ/TU ngay 20/01/2026", "  I11. TO CHUC\t", "a) x& “Dan van kheo”;", "",
     "s6 29- -NQ/TW, 20/ NQ-HDND"],
)
def test_tokens_keep_every_character(line: str) -> None:
    assert "".join(t.text for t in tokenize(line)) == line


def test_kinds() -> None:
    kinds = {t.text: t.kind for t in tokenize("II. Ke hoach s6 73/KH-UBND ngay 20/01/2026, v4i a) 1am")}
    assert kinds["II"] is Kind.MARKER
    assert kinds["73/KH-UBND"] is Kind.CODE
    assert kinds["20/01/2026"] is Kind.NUMBER
    assert kinds["s6"] is Kind.WORD
    assert kinds["v4i"] is Kind.WORD
    assert kinds["1am"] is Kind.WORD
    assert kinds["a"] is Kind.MARKER
    split = [t for t in tokenize("s6 29- -NQ/TW, 12 -KH/UBND, 20/INQ- HPND 2026 - 2030") if t.kind is Kind.CODE]
    assert [t.text for t in split] == ["29- -NQ/TW", "12 -KH/UBND", "20/INQ- HPND"]


def test_a_lone_cent_or_at_sign_is_a_garbled_word() -> None:
    kinds = [t.kind for t in tokenize("cu thé, ¢ phan cong; 5¢ @ mot")]
    assert kinds[4:7] == [Kind.SPACE, Kind.WORD, Kind.SPACE]
    assert kinds[-3] is Kind.WORD


def test_a_cent_sign_with_digits_is_a_garbled_word() -> None:
    tokens = tokenize("don vi ¢6 lién quan ty 1€")
    assert (tokens[4].text, tokens[4].kind) == ("¢6", Kind.WORD)
    assert (tokens[-1].text, tokens[-1].kind) == ("1€", Kind.WORD)
    assert [(t.text, t.kind) for t in tokenize("s§ §6:")][::2] == [("s§", Kind.WORD), ("§6", Kind.WORD)]
    # A dollar sign and one digit is eng's "Số"; a dollar amount stays an amount.
    assert [(t.text, t.kind) for t in tokenize("$6: 12 $60")][::2] == [
        ("$6", Kind.WORD), (" ", Kind.SPACE), (" ", Kind.SPACE), ("60", Kind.NUMBER)]


def test_a_bar_opening_a_line_before_a_period_is_the_numeral_one() -> None:
    tokens = tokenize("|. MUC PiCH")
    assert tokens[0].kind is Kind.MARKER and marker_text(tokens[0].text) == "I"
    assert Kind.MARKER not in [t.kind for t in tokenize("dan | . xa")]


def test_a_numeral_whose_two_strokes_touch_is_read_as_an_h() -> None:
    tokens = tokenize("HI. PHUONG HUONG")
    assert tokens[0].kind is Kind.MARKER and marker_text(tokens[0].text) == "III"
    assert marker_text(tokenize("H. Nam")[0].text) == "H"


def test_a_single_letter_opening_a_line_before_a_period_is_an_item_label_not_a_word() -> None:
    assert [t.kind for t in tokenize("S. Sinh viên")[:2]] == [Kind.MARKER, Kind.PUNCT]
    assert tokenize("xem S. Sinh")[2].kind is Kind.WORD
    assert tokenize("A.B")[0].kind is Kind.WORD


def test_a_word_between_two_marks_is_junk_only_if_no_word_has_its_shape() -> None:
    """A speck where the space was glues "tuối" to a dot before and a comma after; ":I;" is noise."""
    kinds = {t.text: t.kind for t in tokenize("nguoi cao.tuối, (ký) :I; -Il,")}
    assert kinds["tuối"] is Kind.WORD and kinds["ký"] is Kind.WORD
    assert kinds["I"] is Kind.JUNK and kinds["Il"] is Kind.JUNK


def test_roman_numerals_that_are_no_syllable_are_read_as_numerals() -> None:
    assert [roman_numeral(w) for w in ("XVI", "X111", "XIV", "VI", "XI", "Il", "XVX", "Xa")] == [
        "XVI", "XIII", "XIV", None, None, None, None, None]


def test_mail_and_web_addresses_are_kept_whole() -> None:
    line = "Email: ubndxa@langson.gov.vn, xem dichvucong.gov.vn/portal. Het"
    tokens = [t for t in tokenize(line) if t.kind is not Kind.SPACE]
    assert [(t.text, t.kind) for t in tokens][2:6] == [("ubndxa@langson.gov.vn", Kind.CODE), (",", Kind.PUNCT),
                                                      ("xem", Kind.WORD), ("dichvucong.gov.vn/portal", Kind.CODE)]
