"""Pages turned, skewed, sealed, photographed or speckled come out as the upright page does; a white
page is reported, not read."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from restore.evaluation.comparison import compare
from restore.model.resources import Resources
from restore.ocr.prepare import sheet_corners
from restore.ocr.synth import on_a_desk, photograph, stamp
from restore.run.pipeline import RunOptions, process_image

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, str(ROOT / "cli.py")]
TEXT = ("KẾ HOẠCH\nThực hiện Nghị quyết số 55-NQ/TU ngày 20/01/2026 của Ban Thường vụ Tỉnh ủy về lãnh đạo\n"
        "đổi mới, nâng cao hiệu quả công tác dân vận trong tình hình mới, tăng cường mối quan hệ\n"
        "mật thiết giữa Đảng với Nhân dân, Ủy ban nhân dân xã ban hành Kế hoạch thực hiện như sau:\n"
        "1. Mục đích, yêu cầu: quán triệt sâu sắc các quan điểm, mục tiêu của Nghị quyết đến cán bộ,\n"
        "đảng viên và Nhân dân trên địa bàn xã.\n")


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("turned")
    (folder / "text.txt").write_text(TEXT, encoding="utf-8")
    made = subprocess.run([*CLI, "synth", str(folder / "text.txt"), str(folder / "upright.png")],
                          capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stderr
    made = subprocess.run([*CLI, "synth", str(folder / "text.txt"), str(folder / "speckled.png"), "--dpi", "200",
                           "--blur", "0.9", "--noise", "0.02", "--jpeg-quality", "50"],
                          capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stderr
    with Image.open(folder / "upright.png") as upright:
        upright.rotate(90, expand=True, fillcolor=255).save(folder / "turned90.png", dpi=(300, 300))
        upright.rotate(180, fillcolor=255).save(folder / "turned180.png", dpi=(300, 300))
        upright.rotate(8, expand=True, fillcolor=255, resample=Image.Resampling.BICUBIC).save(
            folder / "skewed8.png", dpi=(300, 300))
        Image.new("L", upright.size, 255).save(folder / "white.png", dpi=(300, 300))
        sealed = stamp(upright, seed=3)
        sealed.save(folder / "sealed.png", dpi=(300, 300))
        sealed.save(folder / "sealed-scan.pdf", resolution=300)
        photo = photograph(upright, seed=1)
        photo.save(folder / "photo.png", dpi=photo.info["dpi"])
        angled = photograph(on_a_desk(upright, seed=2), seed=1)
        angled.save(folder / "photo-angled.png", dpi=angled.info["dpi"])
    run = subprocess.run([*CLI, "run", str(folder), "--out-dir", str(folder / "o"), "--quiet"],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    return folder / "o"


@pytest.mark.parametrize(("name", "done"), [("turned90", "turned 90°"), ("turned180", "turned 180°"),
                                            ("skewed8", "straightened"), ("sealed", "coloured ink"),
                                            ("sealed-scan", "coloured ink"), ("photo", "uneven light"),
                                            ("photo-angled", "sheet photographed on a desk flattened"),
                                            ("speckled", "speckle smoothed")])
def test_a_turned_or_skewed_page_reads_as_the_upright_one(pages: Path, name: str, done: str) -> None:
    upright = (pages / "upright.txt").read_text(encoding="utf-8")
    text = (pages / f"{name}.txt").read_text(encoding="utf-8")
    assert compare(text, upright).scores.wer.rate <= 0.02, text
    note = json.loads((pages / f"{name}.json").read_text(encoding="utf-8"))["pages"][0]["note"]
    assert done in note


def test_an_upright_page_is_read_once_and_a_white_page_is_reported(pages: Path) -> None:
    upright = json.loads((pages / "upright.json").read_text(encoding="utf-8"))["pages"][0]
    assert upright["note"] is None
    white = json.loads((pages / "white.json").read_text(encoding="utf-8"))["pages"][0]
    assert white["note"] == "blank page" and (pages / "white.txt").read_text(encoding="utf-8").strip() == ""
    again = subprocess.run([*CLI, "run", str(pages.parent / "white.png"), "--out-dir", str(pages.parent / "w")],
                           capture_output=True, text=True, timeout=300)
    assert again.returncode == 0
    assert "warning:" in again.stderr and "page 1: no text" in again.stderr
    assert "1 pages with no text or mostly doubtful words" in again.stderr


def test_a_sheet_is_found_on_a_desk_and_not_in_a_page_with_a_dark_band(pages: Path) -> None:
    with Image.open(pages.parent / "upright.png") as upright:
        page = upright.convert("L")
    assert sheet_corners(page) is None  # the paper fills a scan
    banded = page.copy()
    banded.paste(0, (0, page.height // 8, page.width, page.height // 8 + page.height // 20))
    assert sheet_corners(banded) is None  # paper above the band: not a desk around a sheet
    patched = page.copy()
    patched.paste(128, (0, 4 * page.height // 5, page.width, page.height))
    assert sheet_corners(patched) is None  # a grey patch a broken decoder left at the foot: no desk all round
    figure = page.copy()
    figure.paste(0, (page.width // 3, 2 * page.height // 5, 2 * page.width // 3, 3 * page.height // 5))
    assert sheet_corners(on_a_desk(figure, seed=1)) is not None  # a dark figure at the very centre
    bordered = page.rotate(5, expand=True, fillcolor=0)  # a scan with the lid's black around it
    corners = sheet_corners(bordered)
    assert corners is not None
    top_left, top_right = corners[0], corners[1]
    assert top_right[1] < top_left[1]  # turned 5° counter-clockwise: the right corner is higher


def test_the_words_of_a_flattened_sheet_are_placed_on_the_photo(pages: Path, resources: Resources) -> None:
    path = pages.parent / "photo-angled.png"
    with Image.open(path) as photo:
        grey = photo.convert("L")
    page = process_image(path, path, 1, RunOptions(), resources)
    assert page.size is not None and page.size[:2] == grey.size  # the photo's pixels, not the flattened sheet's
    boxes = [box for line in page.ocr_words for _, box, _ in line]
    assert len(boxes) > 50
    for left, top, width, height in boxes:
        low, high = grey.crop((left, top, left + width, top + height)).getextrema()
        assert high > 150 and low < 0.6 * high, (left, top, width, height)  # print on paper, not the desk
