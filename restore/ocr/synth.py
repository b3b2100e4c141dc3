"""Render text as a degraded scan: the synthetic pages that tests, benchmarks and channel training OCR.

Text is laid out on A4 pages at a chosen dpi in a font with Vietnamese glyphs (a line holding a tab
as two columns: COLUMN; one holding more, a ruled table's row), then degraded the way office
scanners degrade: a slight rotation, blur, speckle noise and JPEG artefacts. Noise comes from a
seeded generator, so the same options give the same pixels.
"""

from __future__ import annotations

import io
import itertools
import math
import random
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

from restore.errors import EnvironmentProblem, InputError
from restore.ocr.prepare import perspective_coefficients
from restore.text.textio import write_bytes_atomic

FONTS = {
    "liberation-serif": ("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf", "fonts-liberation2"),
    "liberation-serif-bold": ("/usr/share/fonts/truetype/liberation2/LiberationSerif-Bold.ttf", "fonts-liberation2"),
    "dejavu-serif": ("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf", "fonts-dejavu-core"),
    "dejavu-serif-bold": ("/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf", "fonts-dejavu-core"),
    "noto-serif": ("/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf", "fonts-noto-core"),
    "noto-serif-bold": ("/usr/share/fonts/truetype/noto/NotoSerif-Bold.ttf", "fonts-noto-core"),
    # A Times design, as dispatches are typed in Times New Roman: Liberation Serif has its metrics,
    # not its marks, and eng reads a Times ă or ặ as i or d ("nim" năm, "hodc" hoặc) as on real scans.
    "termes": ("/usr/share/texmf/fonts/opentype/public/tex-gyre/texgyretermes-regular.otf", "fonts-texgyre"),
}
A4_INCHES = (8.27, 11.69)
MARGIN_INCHES = 0.9
# A source line holding a tab is a row of two columns, as a dispatch's header (issuing body | national
# motto; number | place and date) and signature block are: each cell centred in its column, given as
# (start, width) shares of the text width.
COLUMN = "\t"
COLUMNS = ((0.0, 0.4), (0.4, 0.6))
# A source line holding two tabs or more is a row of a table, as reports carry (STT | Chỉ tiêu | Kế
# hoạch | Thực hiện): the rows in a run share ruled columns, each as wide as its longest cell and
# the widest stretched to the text width; a reader takes each row across.
CELL_PADDING = 0.1  # inches each side of a cell's text


@dataclass(frozen=True)
class ScanStyle:
    """How a synthetic scan looks. Defaults are a clean 300 dpi office scan."""

    font: str = "liberation-serif"
    size_pt: float = 13.0
    dpi: int = 300
    blur: float = 0.0  # Gaussian radius in pixels at the page's dpi
    noise: float = 0.0  # share of pixels flipped to speckle, 0-0.2
    rotation: float = 0.0  # degrees, counter-clockwise
    # Photocopy: after the blur, pixels darker than this grey level (0-255) turn black and the rest
    # white, as a copier's toner does; a low level thins and breaks strokes, a high one fattens them.
    threshold: int | None = None
    jpeg_quality: int | None = None  # re-encode as JPEG at this quality (artefacts)
    seed: int = 0


# The two fixed wear levels the benchmarks render at (font, dpi and seed are set per page).
WEAR_LEVELS = {
    "clean": ScanStyle(blur=0.5, noise=0.005, rotation=0.3, jpeg_quality=75),
    "worn": ScanStyle(blur=0.9, noise=0.015, rotation=0.7, jpeg_quality=50),
    "photocopy": ScanStyle(blur=1.0, threshold=150, noise=0.01, rotation=0.8, jpeg_quality=60),
    # A copy of a copy, toner low: strokes thinned and broken, specks everywhere.
    "harsh": ScanStyle(blur=1.2, threshold=110, noise=0.02, rotation=1.0, jpeg_quality=50),
}


def load_font(style: ScanStyle) -> ImageFont.FreeTypeFont:
    if style.font not in FONTS:
        raise InputError(f"unknown font {style.font!r}; choose one of {', '.join(FONTS)}")
    path, package = FONTS[style.font]
    try:
        return ImageFont.truetype(path, round(style.size_pt * style.dpi / 72))
    except OSError as exc:
        raise EnvironmentProblem(f"font file {path} is missing", remedy=f"apt-get install {package}") from exc


def _wrap(line: str, font: ImageFont.FreeTypeFont, width: float) -> list[str]:
    words, out, current = line.split(" "), [], ""
    for word in words:
        trial = f"{current} {word}" if current else word
        if current and font.getlength(trial) > width:
            out.append(current)
            current = word
        else:
            current = trial
    out.append(current)
    return out


def layout(text: str, style: ScanStyle) -> list[list[str]]:
    """The lines of each page: source lines wrapped to the text width, paginated."""
    font = load_font(style)
    width = (A4_INCHES[0] - 2 * MARGIN_INCHES) * style.dpi
    line_height = font.size * 1.45
    per_page = max(1, int((A4_INCHES[1] - 2 * MARGIN_INCHES) * style.dpi // line_height))
    lines = [wrapped for source in text.splitlines()
             for wrapped in ([source.strip(" ")] if COLUMN in source else _wrap(source.strip(), font, width))]
    return [lines[i:i + per_page] for i in range(0, len(lines), per_page)] or [[]]


def render_page(lines: list[str], style: ScanStyle, page_number: int = 0) -> Image.Image:
    font = load_font(style)
    size = (round(A4_INCHES[0] * style.dpi), round(A4_INCHES[1] * style.dpi))
    page = Image.new("L", size, 255)
    draw = ImageDraw.Draw(page)
    margin = MARGIN_INCHES * style.dpi
    width = size[0] - 2 * margin
    line_height = font.size * 1.45
    table_edges = _table_edges(lines, font, margin, width, style.dpi)
    for i, line in enumerate(lines):
        top = margin + i * line_height
        if COLUMN not in line:
            draw.text((margin, top), line, font=font, fill=0)
        elif i in table_edges:
            edges = table_edges[i]
            for cell, left, right in zip(line.split(COLUMN), edges, edges[1:]):
                draw.rectangle((left, top - 0.2 * font.size, right, top + line_height - 0.2 * font.size),
                               outline=0, width=max(1, style.dpi // 100))
                draw.text((left + CELL_PADDING * style.dpi, top), cell, font=font, fill=0)
        else:
            for cell, (start, share) in zip(line.split(COLUMN), COLUMNS):  # each cell centred in its column
                x = margin + width * (start + share / 2) - font.getlength(cell) / 2
                draw.text((x, top), cell, font=font, fill=0)
    return degrade(page, style, page_number)


def _is_table_row(line: str) -> bool:
    return line.count(COLUMN) >= 2


def _table_edges(lines: list[str], font: ImageFont.FreeTypeFont, margin: float, width: float,
                 dpi: int) -> dict[int, list[float]]:
    """Per table row, by line index, the x of its columns' edges, shared by its run of rows: each
    column as wide as its longest cell, the widest given the rest of the text width."""
    edges_at: dict[int, list[float]] = {}
    for is_table, run in itertools.groupby(enumerate(lines), key=lambda item: _is_table_row(item[1])):
        if not is_table:
            continue
        indexed = list(run)
        rows = [line.split(COLUMN) for _, line in indexed]
        count = max(len(row) for row in rows)
        widths = [max(font.getlength(row[k]) if k < len(row) else 0.0 for row in rows) + 2 * CELL_PADDING * dpi
                  for k in range(count)]
        widest = widths.index(max(widths))
        widths[widest] += max(0.0, width - sum(widths))
        edges = list(itertools.accumulate(widths, initial=margin))
        edges_at.update((i, edges) for i, _ in indexed)
    return edges_at


def reading_text(lines: list[str]) -> str:
    """The text of laid-out lines as a reader takes it: a run of two-column rows column by column."""
    out: list[str] = []
    run: list[list[str]] = []
    for line in [*lines, ""]:
        if COLUMN in line and not _is_table_row(line):
            run.append(line.split(COLUMN, 1))
            continue
        line = " ".join(line.split(COLUMN))
        out += [cells[0] for cells in run if cells[0].strip()] + [cells[1] for cells in run if cells[1].strip()]
        run = []
        out.append(line)
    return "\n".join(out[:-1])


def degrade(page: Image.Image, style: ScanStyle, page_number: int = 0) -> Image.Image:
    rng = random.Random(style.seed * 1000 + page_number)
    if style.rotation:
        page = page.rotate(style.rotation, resample=Image.Resampling.BICUBIC, fillcolor=255)
    if style.blur:
        page = page.filter(ImageFilter.GaussianBlur(style.blur))
    if style.threshold is not None:
        level = style.threshold
        page = page.point(lambda v: 0 if v < level else 255)
    if style.noise:
        threshold = round(255 * min(style.noise, 0.2))
        random_bytes = Image.frombytes("L", page.size, rng.randbytes(page.size[0] * page.size[1]))
        dark = random_bytes.point(lambda v: 255 if v < threshold // 2 else 0)
        light = random_bytes.point(lambda v: 255 if threshold // 2 <= v < threshold else 0)
        page = ImageChops.subtract(page, dark.point(lambda v: v * 0.6))
        page = ImageChops.add(page, light.point(lambda v: v * 0.6))
    if style.jpeg_quality:
        buffer = io.BytesIO()
        page.save(buffer, format="JPEG", quality=style.jpeg_quality)
        buffer.seek(0)
        page = Image.open(buffer).convert("L")
    return page


def render(text: str, style: ScanStyle) -> list[Image.Image]:
    return [render_page(lines, style, n) for n, lines in enumerate(layout(text, style))]


def save_scan(pages: list[Image.Image], out: Path, dpi: int) -> None:
    """PNG (one page), TIFF or PDF (any number), chosen by the output's suffix; written atomically."""
    suffix = out.suffix.lower()
    formats = {".png": "PNG", ".tif": "TIFF", ".tiff": "TIFF", ".pdf": "PDF"}
    if suffix not in formats:
        raise InputError(f"cannot write {suffix or 'no suffix'}: use .png, .tiff or .pdf", path=str(out))
    if suffix == ".png" and len(pages) > 1:
        raise InputError(f"the text fills {len(pages)} pages; PNG holds one: use .tiff or .pdf", path=str(out))
    extra = {"save_all": True, "append_images": pages[1:]} if len(pages) > 1 else {}
    if formats[suffix] == "TIFF":
        extra["compression"] = "tiff_lzw"
    buffer = io.BytesIO()
    pages[0].save(buffer, format=formats[suffix], dpi=(dpi, dpi), resolution=dpi, **extra)
    write_bytes_atomic(out, buffer.getvalue())


def stamp(page: Image.Image, seed: int = 0) -> Image.Image:
    """The page in colour with a red seal over its lower text and a blue signature across it, as on a
    signed dispatch: the ink multiplies with the print, so black stays black under it."""
    rng = random.Random(seed)
    width, height = page.size
    unit = width / 100
    seal = Image.new("RGB", page.size, (255, 255, 255))
    draw = ImageDraw.Draw(seal)
    cx, cy, radius = width * rng.uniform(0.55, 0.7), height * rng.uniform(0.25, 0.45), 17 * unit
    red = (210, 35, 40)
    for r, w in ((radius, 1.1 * unit), (radius * 0.78, 0.5 * unit)):
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=red, width=round(w))
    draw.regular_polygon((cx, cy, radius * 0.3), 5, fill=red)
    font = ImageFont.truetype(FONTS["liberation-serif-bold"][0], round(2.6 * unit))
    for k, word in enumerate("ỦY BAN NHÂN DÂN XÃ".split()):
        draw.text((cx - radius * 0.6 + k * radius * 0.25, cy - radius * 0.62 + abs(k - 2) * unit), word,
                  font=font, fill=red)
    blue = (30, 60, 190)
    x, y = cx - radius * 1.2, cy + radius * 0.2
    points = [(x + k * 1.8 * unit, y + rng.uniform(-3, 3) * unit) for k in range(14)]
    draw.line(points, fill=blue, width=round(0.5 * unit), joint="curve")
    return ImageChops.multiply(page.convert("RGB"), seal)


def scribble(page: Image.Image, seed: int = 0) -> Image.Image:
    """The page with pen marks in its margins, as a reader leaves them: wavy underlines and ticks
    beside the text, and a slanted note in a slanted hand (a serif font turned and hand-shaken)."""
    rng = random.Random(seed)
    page = page.copy()
    draw = ImageDraw.Draw(page)
    width, height = page.size
    margin = MARGIN_INCHES * width / A4_INCHES[0]
    unit = width / 100
    for side in (rng.uniform(0.05, 0.35) * margin, width - margin + rng.uniform(0.1, 0.4) * margin):
        for _ in range(3):
            x, y = side, height * rng.uniform(0.2, 0.8)
            points = []
            for _ in range(12):
                x += rng.uniform(0.2, 0.5) * unit
                points.append((x, y + rng.uniform(-0.8, 0.8) * unit))
            draw.line(points, fill=rng.randint(20, 70), width=round(0.35 * unit), joint="curve")
    font = ImageFont.truetype(FONTS["dejavu-serif"][0], round(2.2 * unit))
    note = Image.new("L", (round(30 * unit), round(4 * unit)), 255)
    ImageDraw.Draw(note).text((0, 0), "đã xem, chuyển VP", font=font, fill=30)
    note = note.rotate(rng.uniform(60, 80), expand=True, fillcolor=255, resample=Image.Resampling.BICUBIC)
    page.paste(note, (round(rng.uniform(0.05, 0.2) * margin), round(height * 0.3)), note.point(lambda v: 255 - v))
    return page


def on_a_desk(page: Image.Image, seed: int = 0, tilt: float = 0.08) -> Image.Image:
    """The page lying on a darker desk, seen by a phone held at an angle: its far edge narrower
    than its near one by `tilt` of the width on each side, turned a few degrees, its corners a
    little off (a sheet is never quite flat). Feed it to `photograph` for the rest of a photo."""
    rng = random.Random(seed)
    width, height = page.size
    margin = 0.08 * width
    canvas = (round(width + 2 * margin), round(height + 2 * margin))
    turn = math.radians(rng.uniform(-3, 3))
    centre = (canvas[0] / 2, canvas[1] / 2)
    quad = []
    for x, y in ((tilt * width, 0.0), (width - tilt * width, 0.0), (float(width), float(height)), (0.0, float(height))):
        x += rng.uniform(-0.01, 0.01) * width - width / 2
        y += rng.uniform(-0.01, 0.01) * height - height / 2
        quad.append((centre[0] + x * math.cos(turn) - y * math.sin(turn),
                     centre[1] + x * math.sin(turn) + y * math.cos(turn)))
    corners = [(0, 0), (width, 0), (width, height), (0, height)]
    coefficients = perspective_coefficients(quad, corners)
    seen = page.convert("L").transform(canvas, Image.Transform.PERSPECTIVE, coefficients,
                                       Image.Resampling.BICUBIC, fillcolor=0)
    sheet = Image.new("L", page.size, 255).transform(canvas, Image.Transform.PERSPECTIVE, coefficients,
                                                     Image.Resampling.BILINEAR, fillcolor=0)
    desk = Image.effect_noise(canvas, 12).point(lambda v: round(v * 0.25 + 55)).filter(ImageFilter.GaussianBlur(2))
    placed = Image.composite(seen, desk, sheet)
    placed.info["dpi"] = page.info.get("dpi", (300, 300))
    return placed


def photograph(page: Image.Image, seed: int = 0) -> Image.Image:
    """The page as a phone photographs it on a desk: grey paper, light falling off towards one
    corner, the soft shadow of the hand or phone across it, a little out of focus, at under half
    the scan's resolution, JPEG-compressed. Set as its dpi in `info`."""
    rng = random.Random(seed)
    width, height = page.size
    down = Image.linear_gradient("L")  # 0 at the top, 255 at the bottom
    fall = ImageChops.multiply(down, down.transpose(Image.Transpose.ROTATE_90)).resize(page.size)
    for flip in rng.sample((Image.Transpose.FLIP_LEFT_RIGHT, Image.Transpose.FLIP_TOP_BOTTOM), rng.randint(0, 2)):
        fall = fall.transpose(flip)  # the dark corner
    light = fall.point(lambda v: round(255 * (0.95 - 0.45 * v / 255)))
    band = Image.new("L", page.size, 255)
    x = width * rng.uniform(0.2, 0.8)
    ImageDraw.Draw(band).rectangle((x - 0.04 * width, 0, x + 0.04 * width, height), fill=165)
    shadow = band.filter(ImageFilter.GaussianBlur(0.05 * width))
    lit = ImageChops.multiply(ImageChops.multiply(page.convert("L").point(lambda v: round(v * 0.85)), light), shadow)
    small = lit.filter(ImageFilter.GaussianBlur(1.2)).resize((width * 45 // 100, height * 45 // 100),
                                                              Image.Resampling.BILINEAR)
    buffer = io.BytesIO()
    small.save(buffer, format="JPEG", quality=70)
    buffer.seek(0)
    photo = Image.open(buffer).convert("L")
    dpi = round(page.info.get("dpi", (300, 300))[0] * 0.45)
    photo.info["dpi"] = (dpi, dpi)
    return photo
