"""Comparison with gold: layout differences are handled, one-sided and moved text counted apart."""

from __future__ import annotations

import random
from pathlib import Path

from restore.evaluation.comparison import compare
from restore.evaluation.evaluate import evaluate

GOLD = "KẾ HOẠCH\nThực hiện công tác dân vận\nnăm 2026 của xã.\nNơi nhận:\n- Lưu: VT.\nTM. ỦY BAN NHÂN DÂN\n"


def test_identical_text_has_no_errors_or_blocks() -> None:
    c = compare(GOLD, GOLD)
    assert c.scores.wer.errors == 0 and not c.blocks and not c.moved


def test_extra_header_is_one_sided_and_not_scored() -> None:
    hyp = "ỦY BAN NHÂN DÂN XÃ SƠN DƯƠNG\nSố: 73/KH-UBND ngày 09 tháng 3 năm 2026\n\n" + GOLD
    c = compare(hyp, GOLD)
    assert c.scores.wer.errors == 0
    assert [(b.side, b.first_line, b.last_line) for b in c.blocks] == [("output", 1, 2)]


def test_lines_wrapped_differently_are_not_errors() -> None:
    hyp = "KẾ HOẠCH\nThực hiện công tác\ndân vận năm 2026 của xã.\nNơi nhận:\n- Lưu: VT.\nTM. ỦY BAN NHÂN DÂN\n"
    c = compare(hyp, GOLD)
    assert c.scores.wer.errors == 0 and not c.blocks


def test_moved_block_is_listed_not_counted() -> None:
    hyp = "KẾ HOẠCH\nThực hiện công tác dân vận\nnăm 2026 của xã.\nNơi nhận: TM. ỦY BAN NHÂN DÂN\n- Lưu: VT.\n"
    c = compare(hyp, GOLD)
    # Either run can be the one that moved; what matters is that neither is counted as errors.
    assert c.moved in (["TM. ỦY BAN NHÂN DÂN"], ["- Lưu: VT."])
    assert c.scores.wer.errors == 0


def test_errors_are_counted_and_confusions_ranked() -> None:
    hyp = GOLD.replace("dân vận", "dân vốn").replace("của xã", "cua xã")
    c = compare(hyp, GOLD)
    assert c.scores.wer.errors == 2
    assert ("vận", "vốn", 1) in c.confusions.words and ("của", "cua", 1) in c.confusions.words
    assert ("ậ", "ố", "letter", 1) in c.confusions.chars and ("ủ", "u", "mark", 1) in c.confusions.chars
    changed = [r for r in c.rows if r.cer]
    assert [r.gold_line for r in changed] == [2, 3] and all(r.diff for r in changed)


def test_default_eval_region_is_auto() -> None:
    assert evaluate(GOLD, GOLD).region == "auto"


def test_folder_pairs_prefer_the_output_over_the_raw_ocr_kept_beside_it(tmp_path: Path) -> None:
    from restore.evaluation.evaluate import pair_folders

    for name in ("000.ocr.txt", "000.ocr.ocr.txt", "101.scan.txt", "101.scan.ocr.txt", "102.txt"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    for name in ("000.gold.txt", "101.gold.txt", "103.gold.txt"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    pairs, missing = pair_folders(tmp_path, tmp_path)
    assert [(name, hyp.name) for name, hyp, _ in pairs] == [("000", "000.ocr.txt"), ("101", "101.scan.txt")]
    assert missing == ["103"]


def test_rows_follow_gold_lines_so_rewrapping_is_not_an_error() -> None:
    hyp = "KẾ HOẠCH\nThực hiện công tác\ndân vận năm 2026 của xã.\nNơi nhận:\n- Lưu: VT.\nTM. ỦY BAN NHÂN DÂN\n"
    c = compare(hyp, GOLD)
    assert all(r.errors == 0 and r.cer == 0.0 for r in c.rows)
    row = next(r for r in c.rows if r.gold_line == 2)
    assert (row.output, row.output_lines) == ("Thực hiện công tác dân vận", (2, 3))


def test_lines_in_another_order_are_moved_text_not_errors() -> None:
    gold_lines = [f"Điều {i}. Ủy ban nhân dân xã giao phòng số {i % 7} thực hiện nhiệm vụ {i}" for i in range(1500)]
    hyp_lines = gold_lines[:]
    random.Random(5).shuffle(hyp_lines)
    hyp_lines[10] = hyp_lines[10].replace("nhiệm", "nhiêm")
    c = compare("\n".join(hyp_lines), "\n".join(gold_lines))
    assert c.scores.wer.errors <= 1 and len(c.moved) > 1000
    wrong = [r for r in c.rows if r.errors]
    assert len(wrong) == 1 and "nhiêm" in wrong[0].output


def test_ocr_and_review_flags_follow_the_output_words_into_their_rows() -> None:
    hyp = "KẾ HOẠCH\nThực hiện công tác dân vốn\nnăm 2026 của xã.\n"
    ocr = "KE HOACH\nThyec hién cong tac dan von\nnam 2026 ciia xa.\n"
    c = compare(hyp, GOLD.split("Nơi")[0], ocr=ocr, flagged=frozenset({7}))  # 8th word: vốn
    row = next(r for r in c.rows if r.gold_line == 2)
    assert row.ocr == "Thyec hién cong tac dan von" and row.flagged == [5]
