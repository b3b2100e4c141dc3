"""Inputs that are not what they claim: each gets one clear line naming the file."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from restore.errors import InputError
from restore.ocr.scans import InputKind, input_kind, page, page_count


def pages(path: Path) -> list:
    """Every page of a file, one by one, as `vnrestore run` reads them."""
    return [page(path, number) for number in range(1, page_count(path) + 1)]


def test_kind_is_read_from_content(tmp_path: Path) -> None:
    png = tmp_path / "a.dat"
    Image.new("L", (10, 10), 255).save(png, format="PNG")
    assert input_kind(png) is InputKind.IMAGE
    text = tmp_path / "b.txt"
    text.write_text("Kế hoạch", encoding="utf-8")
    assert input_kind(text) is InputKind.TEXT


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("empty.pdf", b"", "empty file"),
        ("fake.png", b"this is not an image", "claims to be an image"),
        ("fake.pdf", b"hello", "claims to be a PDF"),
        ("truncated.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "unreadable or truncated image"),
        ("broken.pdf", b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF", "corrupt or truncated PDF"),
    ],
)
def test_bad_scans(tmp_path: Path, name: str, data: bytes, words: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InputError) as caught:
        page_count(path)
        (pages(path))
    assert words in caught.value.one_line() and name in caught.value.one_line()


def test_multipage_tiff(tmp_path: Path) -> None:
    path = tmp_path / "two.tiff"
    first, second = Image.new("L", (50, 50), 255), Image.new("L", (50, 50), 0)
    first.save(path, save_all=True, append_images=[second])
    assert page_count(path) == 2
    assert [p.getpixel((0, 0)) for p in pages(path) if isinstance(p, Image.Image)] == [255, 0]


def test_huge_image_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import restore.ocr.scans as scans

    monkeypatch.setattr(scans, "MAX_PIXELS", 1000)
    path = tmp_path / "big.png"
    Image.new("L", (100, 100), 255).save(path)
    with pytest.raises(InputError, match="too large"):
        (pages(path))


def test_truncated_image_data_behind_a_valid_header(tmp_path: Path) -> None:
    whole = tmp_path / "whole.png"
    Image.effect_noise((300, 300), 40).save(whole)  # noise compresses badly: data well past the header
    cut = tmp_path / "cut.png"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    with pytest.raises(InputError) as caught:
        (pages(cut))
    assert "cut.png: unreadable or truncated image" in caught.value.one_line()


def test_a_multi_page_tiff_cut_short_says_after_which_page(tmp_path: Path) -> None:
    whole = tmp_path / "whole.tiff"
    frames = [Image.effect_noise((200, 200), 40) for _ in range(3)]
    frames[0].save(whole, save_all=True, append_images=frames[1:])  # each page: its directory, then its data
    cut = tmp_path / "cut.tiff"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 3 + 16])  # inside page 2's directory
    with pytest.raises(InputError) as caught:
        page_count(cut)
    assert "cut.tiff: a multi-page image broken after page 1" in caught.value.one_line()
    assert caught.value.remedy


@pytest.mark.parametrize(("message", "words"), [("Tesseract process timeout", "timed out"),
                                                ("something else", "could not read the page")])
def test_tesseract_runtime_errors_are_told_apart(monkeypatch: pytest.MonkeyPatch, message: str, words: str) -> None:
    import restore.ocr.tesseract as tesseract

    def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError(message)

    monkeypatch.setattr(tesseract.pytesseract, "image_to_data", fail)
    with pytest.raises(InputError, match=words):
        tesseract.recognize(Image.new("L", (10, 10)), lang="vie", name="p.png")
