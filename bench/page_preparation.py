"""Pages turned, skewed, sealed and laid out as dispatches: plain `tesseract -l vie` against
`vnrestore run`, which whitens coloured ink, reads a weak page again turned upright and
straightened, and reads a two-column header and signature block column by column.

Run: python3 bench/page_preparation.py
Pages: the first page of each bench/texts text (written for the benchmarks; in no lexicon source
and no gold), rendered clean at 300 dpi, then turned 90°, 180°, 270°, skewed 8° either way, or
signed in blue and sealed in red over the text (restore/ocr/synth.py `stamp`), or marked by a pen
in its margins (`scribble`), or photographed by a phone (`photograph`), held at an angle over
the sheet on a desk (`on_a_desk`); and, as a dispatch,
its first lines between a two-column header and signature block (DISPATCH_ROWS, written for this
bench), scored against the text read column by column (synth.reading_text); and, as a report, its
first lines above a ruled table of figures (TABLE_ROWS, written for this bench), read row by row.
Figures: WER against the source text, and seconds per page, for each variant.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["OMP_THREAD_LIMIT"] = "1"

from PIL import Image  # noqa: E402

from restore.evaluation.comparison import compare  # noqa: E402
from restore.model.resources import default_resources  # noqa: E402
from restore.ocr.synth import WEAR_LEVELS, layout, on_a_desk, photograph, reading_text, render_page, scribble, stamp  # noqa: E402
from restore.run.pipeline import RunOptions, process_input  # noqa: E402

VARIANTS: dict[str, Callable[[Image.Image], Image.Image]] = {
    "upright": lambda page: page,
    **{f"turned {turn}°": (lambda page, turn=turn: page.rotate(turn, expand=True, fillcolor=255))
       for turn in (90, 180, 270)},
    **{f"skewed {skew:+d}°": (lambda page, skew=skew: page.rotate(skew, expand=True, fillcolor=255,
                                                                    resample=Image.Resampling.BICUBIC))
       for skew in (8, -8)},
    "red seal and blue signature": lambda page: stamp(page, seed=7),
    "pen marks and a note in the margins": lambda page: scribble(page, seed=5),
    "phone photo (uneven light, a shadow, 135 dpi)": lambda page: photograph(page, seed=2),
    "phone photo at an angle, on a desk": lambda page: photograph(on_a_desk(page, seed=3), seed=2),
}
DISPATCH = "two-column header and signature block"
# Header rows above the text and signature rows below it, per bench text: tab-separated cells.
DISPATCH_ROWS = {
    "bc_chuyen_doi_so.txt": (
        "ỦY BAN NHÂN DÂN\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nXÃ HÒA BÌNH\tĐộc lập - Tự do - Hạnh phúc\n"
        "Số: 142/BC-UBND\tHòa Bình, ngày 30 tháng 6 năm 2026\n\n",
        "Nơi nhận:\tTM. ỦY BAN NHÂN DÂN\n- Thường trực Đảng ủy;\tKT. CHỦ TỊCH\n- Lưu: VT, VP.\tPHÓ CHỦ TỊCH\n"
        "\t\n\tLê Thị Thanh Hương"),
    "kh_phong_chong_thien_tai.txt": (
        "UBND HUYỆN THANH SƠN\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nỦY BAN NHÂN DÂN XÃ TÂN PHÚ\t"
        "Độc lập - Tự do - Hạnh phúc\nSố: 15/KH-UBND\tTân Phú, ngày 12 tháng 3 năm 2026\n\n",
        "Nơi nhận:\tTM. ỦY BAN NHÂN DÂN\n- Ban Chỉ huy PCTT huyện;\tCHỦ TỊCH\n- Các thôn, xóm;\t\n- Lưu: VT.\t\n"
        "\tNguyễn Văn Hùng"),
    "tb_lich_tiep_cong_dan.txt": (
        "ỦY BAN NHÂN DÂN\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nXÃ YÊN LẠC\tĐộc lập - Tự do - Hạnh phúc\n"
        "Số: 08/TB-UBND\tYên Lạc, ngày 05 tháng 01 năm 2026\n\n",
        "Nơi nhận:\tTM. ỦY BAN NHÂN DÂN\n- Thanh tra huyện;\tCHỦ TỊCH\n- Lưu: VT.\t\n\t\n\tTrần Quốc Khánh"),
}
DISPATCH_BODY_LINES = 18
TABLE = "a table of figures at the foot of the page"
# A report's table below its first lines, per bench text: rows of tab-separated cells.
TABLE_ROWS = {
    "bc_chuyen_doi_so.txt": (
        "STT\tChỉ tiêu\tĐơn vị\tKế hoạch\tThực hiện\n1\tHồ sơ nộp trực tuyến\t%\t80\t86,5\n"
        "2\tCán bộ được cấp chữ ký số\tngười\t45\t52\n3\tThôn có loa truyền thanh thông minh\tthôn\t12\t12\n"
        "4\tHộ dùng thanh toán không tiền mặt\thộ\t1.200\t1.347"),
    "kh_phong_chong_thien_tai.txt": (
        "STT\tNội dung\tĐơn vị\tSố lượng\tGhi chú\n1\tÁo phao cứu sinh\tchiếc\t150\tbổ sung\n"
        "2\tXuồng máy\tchiếc\t3\tsửa chữa\n3\tBao tải cát\tbao\t2.000\tmua mới\n"
        "4\tĐèn pin, loa cầm tay\tbộ\t40\tcấp thôn"),
    "tb_lich_tiep_cong_dan.txt": (
        "STT\tNgày tiếp\tNgười chủ trì\tĐịa điểm\n1\tThứ Năm tuần thứ hai\tChủ tịch\tPhòng tiếp dân\n"
        "2\tThứ Năm tuần thứ tư\tPhó Chủ tịch\tPhòng tiếp dân\n"
        "3\tThứ Sáu hằng tuần\tCông chức tư pháp\tBộ phận một cửa"),
}
TABLE_BODY_LINES = 24


def main() -> None:
    style = replace(WEAR_LEVELS["clean"], dpi=300)
    resources = default_resources()
    totals: dict[str, list[float]] = {name: [0, 0, 0, 0.0, 0.0] for name in [*VARIANTS, DISPATCH, TABLE]}
    with tempfile.TemporaryDirectory() as tmp:
        for source in sorted((ROOT / "bench" / "texts").glob("*.txt")):
            text = source.read_text(encoding="utf-8")
            lines = layout(text, style)[0]
            head, foot = DISPATCH_ROWS[source.name]
            dispatch = layout(head + "\n".join(lines[:DISPATCH_BODY_LINES]) + "\n" + foot, style)[0]
            variants = {name: (variant(render_page(lines, style)), "\n".join(lines))
                        for name, variant in VARIANTS.items()}
            variants[DISPATCH] = (render_page(dispatch, style), reading_text(dispatch))
            report = layout("\n".join(lines[:TABLE_BODY_LINES]) + "\n\n" + TABLE_ROWS[source.name], style)[0]
            variants[TABLE] = (render_page(report, style), reading_text(report))
            for name, (page, truth) in variants.items():
                path = Path(tmp) / "page.png"
                page.save(path, dpi=page.info.get("dpi", (300, 300)))
                start = time.perf_counter()
                plain = subprocess.run(["tesseract", str(path), "stdout", "-l", "vie"], capture_output=True,
                                       text=True, check=True).stdout
                middle = time.perf_counter()
                ours = process_input(path, RunOptions(lang="vie"), resources).text
                end = time.perf_counter()
                for k, reading in enumerate((plain, ours)):
                    totals[name][k] += compare(reading, truth).scores.wer.errors
                totals[name][2] += len(truth.split())
                totals[name][3] += middle - start
                totals[name][4] += end - middle
    pages = len(list((ROOT / "bench" / "texts").glob("*.txt")))
    print("| page | plain vie WER | vnrestore run WER | plain s/page | vnrestore s/page |")
    print("|---|---:|---:|---:|---:|")
    for name, (plain_errors, our_errors, words, plain_s, our_s) in totals.items():
        print(f"| {name} | {100 * plain_errors / words:.2f} | {100 * our_errors / words:.2f} | "
              f"{plain_s / pages:.2f} | {our_s / pages:.2f} |")


if __name__ == "__main__":
    main()
