"""A seeded generator of bad and odd inputs, the kind an archive's folders hold.

Each kind of fault of ../shared/FAULTS.md is made from small valid files cut, flipped or mislabelled
at random places, so the same seed gives the same bytes. Images are small (Tesseract reads each
in a fraction of a second) so a thousand inputs run in a CI job.
"""

from __future__ import annotations

import io
import os
import random
import struct
import zlib
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageDraw

GOOD_TEXT = "Thyec hién Nghi quyet s0 55-NQ/TU ngay 20/01/2026 ciia Ban Thu’O’ng vu Tinh ty\n"


def _page(seed: int, size: tuple[int, int] = (240, 60), mode: str = "L") -> Image.Image:
    image = Image.new(mode, size, 255 if mode in ("L", "1") else (255, 255, 255))
    ImageDraw.Draw(image).text((8, 20), f"So {seed} ngay 20/01/2026", fill=0 if mode in ("L", "1") else (0, 0, 0))
    return image


def _encoded(image: Image.Image, fmt: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def _multipage_tiff(seed: int, pages: int = 3) -> bytes:
    frames = [_page(seed + i) for i in range(pages)]
    return _encoded(frames[0], "TIFF", save_all=True, append_images=frames[1:], compression="tiff_lzw")


def _pdf(seed: int, pages: int = 2) -> bytes:
    frames = [_page(seed + i, (300, 120)).convert("RGB") for i in range(pages)]
    return _encoded(frames[0], "PDF", save_all=True, append_images=frames[1:], resolution=72)


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def _png_bomb(width: int, height: int) -> bytes:
    """A PNG whose header declares a huge page over a few bytes of data."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", zlib.compress(b"\0" * 64))
            + _png_chunk(b"IEND", b""))


def _cut(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(1, max(len(data) - 1, 2))]


def _flip(data: bytes, rng: random.Random, flips: int = 8) -> bytes:
    raw = bytearray(data)
    for _ in range(flips):
        raw[rng.randrange(len(raw))] ^= 1 << rng.randrange(8)
    return bytes(raw)


def _tiff_with_odd_page(seed: int, rng: random.Random) -> bytes:
    """A multi-page TIFF whose later page is cut, empty-sized or declared huge."""
    data = bytearray(_multipage_tiff(seed))
    choice = rng.randrange(3)
    if choice == 0:
        return bytes(data[: len(data) * 2 // 3 + rng.randrange(len(data) // 3)])
    # Find page 2's width/height tags (256, 257) in its IFD and rewrite their values.
    first_ifd = struct.unpack_from("<I", data, 4)[0]
    count = struct.unpack_from("<H", data, first_ifd)[0]
    second_ifd = struct.unpack_from("<I", data, first_ifd + 2 + 12 * count)[0]
    count2 = struct.unpack_from("<H", data, second_ifd)[0]
    value = 0 if choice == 1 else 30000
    for i in range(count2):
        entry = second_ifd + 2 + 12 * i
        tag, kind = struct.unpack_from("<HH", data, entry)
        if tag in (256, 257):
            if kind == 3:
                struct.pack_into("<H", data, entry + 8, value)
            else:
                struct.pack_into("<I", data, entry + 8, value)
    return bytes(data)


def _float_tiff(seed: int) -> bytes:
    return _encoded(_page(seed).convert("F"), "TIFF")


def _int32_tiff(seed: int) -> bytes:
    return _encoded(_page(seed).convert("I"), "TIFF")


def _renamed(seed: int, rng: random.Random) -> tuple[bytes, str]:
    fmt = rng.choice(["GIF", "WEBP", "BMP"])
    return _encoded(_page(seed).convert("RGB"), fmt), rng.choice([".png", ".jpg", ".tif", ".pdf"])


def _encrypted_pdf(seed: int) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_pdf(seed, 1))))
    writer.encrypt(user_password="secret", owner_password="owner")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


ZERO_PAGE_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
                 b"trailer<</Root 1 0 R>>\n%%EOF\n")
CP1258_TEXT = "Thực hiện Nghị quyết của Ban Thường vụ Tỉnh ủy về công tác\n".encode("cp1258", "replace")


def _text_kind(rng: random.Random) -> tuple[bytes, str]:
    choice = rng.randrange(9)
    if choice == 0:
        return ("\ufeff" + GOOD_TEXT).encode("utf-16-le"), ".txt"
    if choice == 1:
        return GOOD_TEXT.encode("utf-16-be"), ".txt"  # no BOM: looks binary
    if choice == 2:
        return CP1258_TEXT * rng.randrange(1, 20), ".txt"
    if choice == 3:
        return GOOD_TEXT.encode()[:20] + b"\x00" * rng.randrange(1, 50) + GOOD_TEXT.encode(), ".txt"
    if choice == 4:
        return b"", rng.choice([".txt", ".pdf", ".png", ".tif"])
    if choice == 5:
        return os.urandom(0) + bytes(rng.randrange(256) for _ in range(rng.randrange(1, 4096))), ".txt"
    if choice == 6:
        return b"%PDF-1.4 this is a note about PDFs\n" + GOOD_TEXT.encode(), ".txt"
    if choice == 7:
        return (GOOD_TEXT * rng.randrange(1, 5)).encode("utf-8")[: rng.randrange(5, 200)], ".txt"  # cut mid-char
    return "\n".join("a." * rng.randrange(100, 3000) for _ in range(2)).encode(), ".txt"


def _binary_kind(seed: int, rng: random.Random) -> tuple[bytes, str]:
    choice = rng.randrange(12)
    if choice == 0:
        return _cut(_pdf(seed), rng), ".pdf"
    if choice == 1:
        return _flip(_pdf(seed), rng), ".pdf"
    if choice == 2:
        return ZERO_PAGE_PDF, ".pdf"
    if choice == 3:
        return _png_bomb(rng.choice([40000, 100000]), rng.choice([40000, 100000])), ".png"
    if choice == 4:
        return _cut(_encoded(_page(seed), "PNG"), rng), ".png"
    if choice == 5:
        return _flip(_encoded(_page(seed), "PNG"), rng), ".png"
    if choice == 6:
        return _cut(_encoded(_page(seed), "JPEG"), rng), ".jpg"
    if choice == 7:
        return _cut(_multipage_tiff(seed), rng), ".tif"
    if choice == 8:
        return _tiff_with_odd_page(seed, rng), ".tif"
    if choice == 9:
        return rng.choice([_float_tiff, _int32_tiff])(seed), ".tif"
    if choice == 10:
        return _renamed(seed, rng)
    return _flip(_encoded(_page(seed), "TIFF"), rng, flips=4), ".tiff"


def _odd_name(index: int, suffix: str, rng: random.Random) -> str | bytes:
    choice = rng.randrange(8)
    if choice == 0:
        return b"h\xe0nh ch\xednh " + str(index).encode() + suffix.encode()  # Latin-1 bytes, not UTF-8
    if choice == 1:
        return f"{'Kế hoạch số ' * 12}{index}{suffix}"[:120] + suffix  # long, multibyte
    if choice == 2:
        return f"-{index}{suffix}"
    if choice == 3:
        return f"a b\t{index}{suffix}"
    return f"bad{index:04d}{suffix}"


def generate(folder: Path, count: int = 1000, *, seed: int = 2026) -> list[Path]:
    """Write `count` bad inputs (and a few special files) under `folder`; returns the paths."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    made: list[Path] = []
    special: list[Callable[[Path], None]] = [
        lambda p: os.mkfifo(p / "pipe.txt"),
        lambda p: os.symlink(p / "gone.pdf", p / "dangling.pdf"),
        lambda p: (p / "folder.pdf").mkdir(),
        lambda p: (p / "long-line.txt").write_bytes(("Thyec hién Nghi quyet " * 47_000).encode()),  # ~1 MB
        lambda p: (p / "encrypted.pdf").write_bytes(_encrypted_pdf(seed)),
        lambda p: (p / "notes.docx").write_bytes(b"PK\x03\x04" + os.urandom(64)),
        lambda p: (p / ("x" * 251 + ".txt")).write_text(GOOD_TEXT, encoding="utf-8"),
    ]
    for make in special:
        make(folder)
    for index in range(count - len(special)):
        if rng.random() < 0.35:
            data, suffix = _text_kind(rng)
        else:
            data, suffix = _binary_kind(index, rng)
        name = _odd_name(index, suffix, rng)
        path = Path(os.fsdecode(os.path.join(os.fsencode(folder), os.fsencode(name))))
        if path.exists():
            path = folder / f"dup{index:04d}{suffix}"
        path.write_bytes(data)
        made.append(path)
    return sorted(folder.iterdir())
