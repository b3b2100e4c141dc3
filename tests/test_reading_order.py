"""A dispatch's two-column header and signature block are read column by column; body text keeps
Tesseract's order."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from restore.evaluation.comparison import compare
from restore.ocr.reading_order import in_reading_order
from restore.ocr.synth import reading_text
from restore.ocr.tesseract import OcrLine, OcrWord

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, str(ROOT / "cli.py")]
HEIGHT, SPACE, LETTER = 40, 15, 20


def _line(*cells: tuple[int, str], top: int, paragraph: tuple[int, int] = (1, 1)) -> OcrLine:
    """One Tesseract line of cells, each (left x, text), its words spaced as print spaces them."""
    words = []
    for left, text in cells:
        for word in text.split():
            words.append(OcrWord(word, 95.0, (left, top, LETTER * len(word), HEIGHT)))
            left += LETTER * len(word) + SPACE
    return OcrLine(tuple(words), paragraph)


HEADER = [_line((300, "ỦY BAN NHÂN DÂN"), (1100, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), top=100),
          _line((320, "XÃ TÂN PHÚ"), (1150, "Độc lập - Tự do - Hạnh phúc"), top=160),
          _line((300, "Số: 15/KH-UBND"), (1200, "Tân Phú, ngày 12 tháng 3 năm 2026"), top=220)]
BODY = [_line((800, "KẾ HOẠCH"), top=360, paragraph=(2, 1)),
        _line((250, "Căn cứ Luật Phòng, chống thiên tai năm 2013, được sửa đổi, bổ sung năm 2020;"), top=440,
              paragraph=(3, 1)),
        _line((250, "Ủy ban nhân dân xã xây dựng Kế hoạch."), top=500, paragraph=(3, 1))]
SIGNATURE = [_line((250, "Nơi nhận:"), (1300, "TM. ỦY BAN NHÂN DÂN"), top=600, paragraph=(4, 1)),
             _line((250, "- Lưu: VT."), (1400, "CHỦ TỊCH"), top=660, paragraph=(4, 1)),
             _line((1350, "Nguyễn Văn Hùng"), top=900, paragraph=(5, 1))]


def _texts(lines: list[OcrLine]) -> list[str]:
    return [line.text for line in lines]


def test_header_and_signature_block_are_read_column_by_column() -> None:
    ordered = _texts(in_reading_order(HEADER + BODY + SIGNATURE))
    assert ordered == ["ỦY BAN NHÂN DÂN", "XÃ TÂN PHÚ", "Số: 15/KH-UBND", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                       "Độc lập - Tự do - Hạnh phúc", "Tân Phú, ngày 12 tháng 3 năm 2026", *_texts(BODY),
                       "Nơi nhận:", "- Lưu: VT.", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Văn Hùng"]


def test_each_column_is_a_paragraph_of_its_own() -> None:
    ordered = in_reading_order(HEADER + BODY)
    assert len({line.paragraph for line in ordered[:3]}) == 1
    assert ordered[2].paragraph != ordered[3].paragraph


def test_a_page_without_columns_keeps_tesseracts_order() -> None:
    lines = [BODY[1], BODY[0], BODY[2]]  # whatever order Tesseract chose
    assert in_reading_order(lines) == lines


def test_one_wide_gap_in_body_text_reorders_nothing() -> None:
    gapped = _line((250, "Điều 1."), (1500, "Ban hành kèm theo"), top=440, paragraph=(3, 1))
    lines = [BODY[0], gapped, BODY[2]]
    assert in_reading_order(lines) == lines


def test_a_short_line_after_a_blank_line_is_not_taken_into_the_left_column() -> None:
    title = _line((250, "KẾ HOẠCH"), top=400, paragraph=(2, 1))  # left-aligned, below a blank line
    ordered = _texts(in_reading_order([*HEADER, title, BODY[1]]))
    assert ordered.index("KẾ HOẠCH") > ordered.index("Tân Phú, ngày 12 tháng 3 năm 2026")


def test_a_table_at_the_foot_of_a_page_is_read_row_by_row() -> None:
    """A report's table rows are cut into cells too, but three or more of them: no two-column run."""
    table = [_line((250, "STT"), (400, "Chỉ tiêu"), (1300, "Kế hoạch"), (1700, "Thực hiện"), top=600),
             _line((250, "1"), (400, "Thu ngân sách"), (1300, "14.500"), (1700, "12.650"), top=660),
             _line((250, "2"), (400, "Số hộ được hỗ trợ"), (1300, "35"), (1700, "41"), top=720)]
    lines = [BODY[1], *table]
    assert in_reading_order(lines) == lines


def _drawn_and_read(tmp_path: Path, source: str) -> tuple[Path, str]:
    """`source` drawn by `vnrestore synth`, and the text `vnrestore run` reads from the page."""
    (tmp_path / "text.txt").write_text(source, encoding="utf-8")
    page = tmp_path / "page.png"
    made = subprocess.run([*CLI, "synth", str(tmp_path / "text.txt"), str(page)], capture_output=True, text=True,
                          timeout=120)
    assert made.returncode == 0, made.stderr
    run = subprocess.run([*CLI, "run", str(page), "--out-dir", str(tmp_path / "o"), "--quiet"],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    return page, (tmp_path / "o" / "page.txt").read_text(encoding="utf-8")


def test_a_rendered_dispatch_comes_out_column_by_column(tmp_path: Path) -> None:
    """Tesseract itself reads each header row as one line; vnrestore's text is the columns'."""
    source = ("ỦY BAN NHÂN DÂN\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nXÃ TÂN PHÚ\tĐộc lập - Tự do - Hạnh phúc\n"
              "Số: 15/KH-UBND\tTân Phú, ngày 12 tháng 3 năm 2026\n\nKẾ HOẠCH\n"
              "Phòng, chống thiên tai và tìm kiếm cứu nạn năm 2026 trên địa bàn xã\n"
              "Nơi nhận:\tTM. ỦY BAN NHÂN DÂN\n- Lưu: VT.\tCHỦ TỊCH\n\t\n\tNguyễn Văn Hùng\n")
    page, ours = _drawn_and_read(tmp_path, source)
    plain = subprocess.run(["tesseract", str(page), "stdout", "-l", "vie"],
                           capture_output=True, text=True, timeout=120).stdout
    assert "ỦY BAN NHÂN DÂN CỘNG HÒA" in " ".join(plain.split())  # the interleaving this fixes
    truth = reading_text(source.splitlines())
    assert compare(ours, truth).scores.wer.rate <= 0.03, ours


def test_a_rendered_report_s_table_is_read_row_by_row(tmp_path: Path) -> None:
    """A ruled table at the foot of a page is no signature block: its rows come out across."""
    source = ("Kết quả thực hiện các chỉ tiêu chủ yếu trong năm như sau:\n\n"
              "STT\tChỉ tiêu\tKế hoạch\tThực hiện\n1\tThu ngân sách trên địa bàn\t14.500\t12.650\n"
              "2\tSố hộ được hỗ trợ nhà ở\t35\t41\n3\tDiện tích lúa gieo trồng\t1.250\t1.310\n")
    _, ours = _drawn_and_read(tmp_path, source)
    truth = reading_text(source.splitlines())
    assert "2 Số hộ được hỗ trợ nhà ở 35 41" in truth
    assert compare(ours, truth).scores.wer.rate <= 0.05, ours
