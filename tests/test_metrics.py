from __future__ import annotations

import unicodedata

from restore.evaluation.evaluate import evaluate
from restore.evaluation.metrics import char_errors, score, word_errors
from restore.evaluation.regions import dispatch_body


def test_identical_texts_score_zero() -> None:
    s = score("Ủy ban nhân dân", "Ủy ban nhân dân")
    assert s.cer.errors == 0 and s.wer.errors == 0


def test_tone_placement_and_nfd_are_not_errors() -> None:
    assert char_errors("hòa bình, thủy lợi", "hoà bình, thuỷ lợi").errors == 0
    assert char_errors("Tiếng Việt", unicodedata.normalize("NFD", "Tiếng Việt")).errors == 0


def test_cer_counts_graphemes_and_wer_words() -> None:
    # Worked by hand: "của" vs "cua" is one grapheme (ủ -> u) and one word.
    assert char_errors("của Nhân", "cua Nhân") == (1, 8)
    assert word_errors("của Nhân dân", "cua Nhân dân") == (1, 3)


def test_blind_forms_ignore_diacritics() -> None:
    s = score("Đảng ủy", "Dang uy")
    assert s.wer.errors == 2 and s.wer_blind.errors == 0


def test_whitespace_and_line_wrapping_are_not_errors() -> None:
    assert word_errors("một hai\nba", "một  hai ba \n").errors == 0


def test_body_runs_from_title_to_closing() -> None:
    text = "UBND XA A\nSố: 1/KH\n KẾ HOẠCH \nnội dung\nhết./. ký tên\nNơi nhận"
    assert dispatch_body(text) == " KẾ HOẠCH \nnội dung\nhết./."


def test_line_mode_skips_marked_lines() -> None:
    result = evaluate("một\nrác\nba", "một\n<<SKIP>>\nba", lines=True)
    assert result.lines_scored == 2 and result.scores.wer.errors == 0
