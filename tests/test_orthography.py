from __future__ import annotations

import unicodedata

import pytest

from restore.text.normalize import fold
from restore.text.orthography import (
    Syllable,
    administrative_y,
    compose,
    has_hook_or_horn,
    is_syllable,
    parse,
    restyle,
)


@pytest.mark.parametrize(
    ("word", "old", "new"),
    [("hòa", "hòa", "hoà"), ("hoà", "hòa", "hoà"), ("thủy", "thủy", "thuỷ"), ("khỏe", "khỏe", "khoẻ"),
     ("quý", "quý", "quý"), ("hoàn", "hoàn", "hoàn"), ("người", "người", "người"), ("thuyền", "thuyền", "thuyền")],
)
def test_tone_placement_styles(word: str, old: str, new: str) -> None:
    assert restyle(word, "old") == old
    assert restyle(word, "new") == new


def test_parse_splits_onset_rhyme_tone() -> None:
    assert parse("nghiêng") == Syllable("ngh", "iêng", 0)
    assert parse("giữ") == Syllable("gi", "ư", 4)
    assert parse("gìn") == Syllable("g", "in", 1)
    assert parse("quyết") == Syllable("qu", "yêt", 2)


@pytest.mark.parametrize("word", ["tac", "hỏc", "xyz", "ubnd", "aaa"])
def test_rejects_non_syllables(word: str) -> None:
    # A stop coda (c, ch, p, t) takes only the sắc or nặng tone.
    assert not is_syllable(word)


def test_compose_inverts_parse() -> None:
    for word in ["tỉnh", "ủy", "đường", "khuỷu", "xoáy", "giếng", "chuyện"]:
        syllable = parse(word)
        assert syllable is not None
        assert compose(syllable) == word


def test_administrative_y_folds_the_dictionary_spelling() -> None:
    folded = ("lí", "kĩ", "tỉ", "qui", "quí", "mĩ")
    assert [administrative_y(w) for w in folded] == ["lý", "kỹ", "tỷ", "quy", "quý", "mỹ"]
    kept = ("li", "ti", "kia", "lính", "thi", "hí")
    assert [administrative_y(w) for w in kept] == list(kept)


@pytest.mark.parametrize("text", ["Đường thủy", "ỦY BAN", "nghiệp vụ", "Ελληνικά ά", "café-naïve", "x\u0323\u0302"])
def test_fold_strips_every_mark_of_composed_and_decomposed_text(text: str) -> None:
    """fold works per character from a table; the same as decomposing the whole text and dropping
    its combining marks, whichever normal form comes in."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    expected = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    assert fold(text) == fold(unicodedata.normalize("NFD", text)) == expected


@pytest.mark.parametrize(("word", "expected"), [("sử", True), ("thứ", True), ("cơ", True), ("sở", True),
                                                 ("thủ", True), ("thì", False), ("không", False), ("tại", False)])
def test_the_marks_eng_draws_apart_as_a_question_mark(word: str, expected: bool) -> None:
    assert has_hook_or_horn(word) is expected
