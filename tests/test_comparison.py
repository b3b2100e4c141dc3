"""Comparison with gold: layout differences are handled, one-sided and moved text counted apart."""

from __future__ import annotations

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
    assert [(b.side, b.first_line, b.last_line) for b in c.blocks] == [("hypothesis", 1, 2)]


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
    assert ("vận", "vốn", 1) in c.confusions and ("của", "cua", 1) in c.confusions
    changed = [p for p in c.pairs if p.cer]
    assert changed and all(p.diff for p in changed)


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
