"""Legacy encodings: bytes built by hand from the standard tables, decoded back and detected."""

from __future__ import annotations

import unicodedata

import pytest

from restore.errors import InputError
from restore.text.legacy_encodings import confident_decoding, decode_tcvn3, decode_vni
from restore.text.orthography import TONE_MARKS, split_tone
from restore.text.textio import decode_text

TEXT = "ủy ban nhân dân xã ban hành kế hoạch tổ chức thực hiện, cụ thể như sau: đảng ủy, giữ gìn"


def encode_cp1258(text: str) -> bytes:
    """Windows-1258 writes a toneless letter (ê, ơ, đ...) followed by a combining tone byte."""
    out = b""
    for ch in unicodedata.normalize("NFC", text):
        toneless, tone = split_tone(ch)
        out += toneless.encode("cp1258") + (TONE_MARKS[tone].encode("cp1258") if tone else b"")
    return out


def test_windows_1258_is_detected_and_converted() -> None:
    decoded = decode_text(encode_cp1258(TEXT), "x.txt")
    assert decoded == (TEXT, "Windows-1258")


def test_tcvn3_bytes_decode() -> None:
    # By hand from TCVN 5712 VN3: ủ=0xF1, y; â=0xA9; ầ=0xC7... "ủy ban nhân dân" below.
    data = b"\xf1y ban nh\xa9n d\xa9n x\xb7 ban h\xb5nh k\xd5 ho\xb9ch t\xe6 ch\xf8c th\xf9c hi\xd6n, c\xf4 th\xd3"
    assert decode_tcvn3(data) == "ủy ban nhân dân xã ban hành kế hoạch tổ chức thực hiện, cụ thể"
    assert confident_decoding(data)[0] is not None
    assert decode_text(data, "x.txt").encoding == "TCVN3 (ABC)"


def test_vni_bytes_decode() -> None:
    data = "Xin chaøo caùc baïn. Uûy ban nhaân daân xaõ ban haønh Keá hoaïch toå chöùc thöïc hieän".encode("latin-1")
    assert decode_vni(data) == "Xin chào các bạn. Ủy ban nhân dân xã ban hành Kế hoạch tổ chức thực hiện"
    assert decode_text(data, "x.txt").encoding == "VNI"


def test_unsure_bytes_are_refused_with_a_guess() -> None:
    with pytest.raises(InputError) as caught:
        decode_text(bytes(range(0x80, 0x100)) * 2, "odd.txt")
    line = caught.value.one_line()
    assert line.startswith("odd.txt: not UTF-8 text") and "best guess" in line


def test_utf8_with_bom() -> None:
    assert decode_text("\ufeffKế hoạch".encode(), "b.txt") == ("Kế hoạch", "UTF-8")
