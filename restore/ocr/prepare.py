"""A page prepared for Tesseract: coloured ink taken out, uneven light evened, and a page turned
upright and straightened before it is read again.

Seals and signatures: a dispatch is signed in blue and sealed in red, often over the text of the
signature block. Printed text is black; coloured ink is saturated. Tesseract reads the page in
grey, where a red seal is a dark blotch that breaks the words under it and reads as stray
letters. Pixels whose colour is saturated and not dark are set to white, so the black print
under and beside the seal is all that is left (`without_colour_ink`).

Uneven light: a page photographed with a phone, or scanned with its spine or a hand casting a
shadow, is darker in a corner or along a band. Tesseract binarizes with one threshold for the page,
so the dark part turns black and its words are lost. The paper's brightness is estimated at every
point (the brightest pixels near it, smoothed) and the page divided by it, which makes the paper
white everywhere and keeps the print dark (`with_even_light`). A page whose paper is already even
(any flatbed scan) is left as it is.

Speckle: scanner dust, toner and JPEG noise leave dark specks that Tesseract's binarization keeps
and its layout analysis reads as marks and stray letters. A page that has them (`speckled`) and
that Tesseract is unsure of is read again blurred a little (`smoothed`), which keeps the strokes
and loses the specks; the caller keeps the reading with the larger share of sure words.

A sheet photographed on a desk: a phone held at an angle sees the page as a quadrilateral, its far
edge narrower than its near one, with the desk around it. Tesseract reads such lines as slanting
by different amounts, and the desk's edge as a column of marks. The sheet is found as the region
around the brightest point of the picture's middle that is bright against its surroundings, its
four corners taken, and the quadrilateral mapped back to a rectangle (`flattened`). A picture the
paper fills (any scan) has no such region and is left as it is.

Turning and straightening: only a page whose first reading is weak, or that looks skewed at a
glance, gets them (restore/run/pipeline.py): Tesseract reads a page turned 90° or 180° as
confident-looking garbage, and one skewed 8° as nothing at all.
Orientation comes from Tesseract's OSD (osd.traineddata); skew from the projection profile of
the ink: rows of text are sharpest when the page is level. Both are guesses, so the caller keeps
whichever reading has more confidently read words.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pytesseract
from PIL import Image, ImageChops, ImageFilter, ImageMath

from restore.ocr.tesseract import Box

# A pixel this saturated (HSV, 0-255), and this bright, is coloured ink (a seal, a signature), not print.
INK_SATURATION, INK_VALUE = 90, 80
MIN_INK_PIXELS = 500  # fewer coloured pixels than this: a grey page, or specks; left as it is
MAX_SKEW = 10.0  # degrees searched either way
MIN_SKEW = 0.5  # a smaller skew is left to Tesseract
PROFILE_SIDE = 1000  # pixels of the longer side the profile is measured on
QUICK_SIDE, QUICK_SKEW = 400, 2.0  # the glance every page gets (1° steps): a skew this large is read again
# Paper brightness is estimated on the page shrunk about to LIGHT_SIDE pixels (its longer side):
# the brightest pixel within a text line or two, smoothed. Paper whose brightness spans more than
# UNEVEN_LIGHT grey levels (between its 2nd and 98th percentile) is evened.
LIGHT_SIDE, UNEVEN_LIGHT = 300, 40
# Pixels of Gaussian blur a speckled page is read again with: specks are a pixel or two whatever
# the resolution. Measured by bench/ocr_quality.py's pages through `vnrestore run` (see README).
SMOOTHING_RADIUS = 0.8
# Isolated dark pixels per page pixel from which a page counts as speckled: the bench's clean pages
# have under 0.00001, its photocopied 0.0012, worn 0.0018 and harsh 0.002, the real 101.scan.pdf 0.0004.
SPECKLE_SHARE = 0.0002
# A sheet on a desk is looked for on the picture shrunk to SHEET_SIDE pixels (its longer side): paper
# is what is no darker than SHEET_EDGE of the mean brightness around it (a window of SHEET_WINDOW of
# that side), print erased first. The region of the middle is a sheet when it covers between
# MIN_SHEET and MAX_SHEET of the picture, fills at least SHEET_FILL of the quadrilateral of its corners,
# and both what lies outside it and the picture's edge are mostly darker than SHEET_EDGE of its paper
# (a desk all round, not more paper, nor a grey patch a broken decoder left at one side).
SHEET_SIDE, SHEET_WINDOW, SHEET_EDGE = 240, 0.12, 0.8
MIN_SHEET, MAX_SHEET, SHEET_FILL = 0.3, 0.97, 0.95


def without_colour_ink(image: Image.Image) -> Image.Image | None:
    """The page in grey with its coloured ink (seals, signatures) whitened; None when it has none."""
    if image.mode not in ("RGB", "RGBA", "P", "CMYK"):
        return None
    rgb = image.convert("RGB")
    _, saturation, value = rgb.convert("HSV").split()
    ink = ImageChops.multiply(saturation.point(lambda v: 255 if v >= INK_SATURATION else 0),
                              value.point(lambda v: 255 if v >= INK_VALUE else 0))
    if sum(ink.histogram()[255:]) < MIN_INK_PIXELS:
        return None
    return Image.composite(Image.new("L", rgb.size, 255), rgb.convert("L"), ink)


def with_even_light(image: Image.Image) -> Image.Image | None:
    """The page in grey with its paper made evenly white; None when the light is even already."""
    grey = image.convert("L")
    small = grey.reduce(max(1, round(max(grey.size) / LIGHT_SIDE)))
    paper = small.filter(ImageFilter.MaxFilter(5)).filter(ImageFilter.GaussianBlur(3))
    if _percentile(paper, 98) - _percentile(paper, 2) <= UNEVEN_LIGHT:
        return None
    paper = paper.resize(grey.size, Image.Resampling.BILINEAR)
    return ImageMath.lambda_eval(lambda x: x["convert"](x["min"](x["grey"] * 255 / x["max"](x["paper"], 1), 255), "L"),
                                 grey=grey, paper=paper)


@dataclass(frozen=True)
class Flattened:
    """A sheet cut out of a photo and made rectangular, and the way back to the photo's pixels, so
    that the words read on it are placed on the picture the archive keeps."""

    image: Image.Image
    coefficients: tuple[float, ...]  # Pillow's PERSPECTIVE: a point of `image` -> the photo's

    def box_in_photo(self, box: Box) -> Box:
        """The photo's upright box around a box of the flattened sheet (left, top, width, height)."""
        a, b, c, d, e, f, g, h = self.coefficients
        left, top, width, height = box
        xs, ys = [], []
        for x, y in ((left, top), (left + width, top), (left, top + height), (left + width, top + height)):
            scale = g * x + h * y + 1
            xs.append((a * x + b * y + c) / scale)
            ys.append((d * x + e * y + f) / scale)
        return (round(min(xs)), round(min(ys)), max(round(max(xs) - min(xs)), 1), max(round(max(ys) - min(ys)), 1))


def flattened(image: Image.Image) -> Flattened | None:
    """The sheet a phone photographed on a desk, cut out of the picture and made rectangular again;
    None when the picture holds no such sheet (the paper fills it, as in a scan)."""
    quad = sheet_corners(image)
    if quad is None:
        return None
    (tl, tr, br, bl) = quad
    width = round(max(math.dist(tl, tr), math.dist(bl, br)))
    height = round(max(math.dist(tl, bl), math.dist(tr, br)))
    coefficients = perspective_coefficients([(0, 0), (width, 0), (width, height), (0, height)], quad)
    white = 255 if image.mode in ("L", "1") else (255,) * len(image.getbands())
    flat = image.transform((width, height), Image.Transform.PERSPECTIVE, coefficients,
                           Image.Resampling.BICUBIC, fillcolor=white)
    flat.info["dpi"] = image.info.get("dpi", (300, 300))
    return Flattened(flat, coefficients)


def sheet_corners(image: Image.Image) -> tuple[tuple[float, float], ...] | None:
    """The corners (top left, top right, bottom right, bottom left, in the picture's pixels) of the
    sheet lying in the middle of the picture, brighter than what surrounds it; None when there is none.
    The sheet is grown from the brightest point of the picture's middle third."""
    grey = image.convert("L")
    scale = min(1.0, SHEET_SIDE / max(grey.size))
    small = grey.resize((max(round(grey.width * scale), 1), max(round(grey.height * scale), 1)),
                        Image.Resampling.BOX).filter(ImageFilter.MaxFilter(5))  # print erased
    light = np.asarray(small, dtype=np.float32)
    around = np.asarray(small.filter(ImageFilter.BoxBlur(max(1, round(SHEET_WINDOW * max(small.size))))),
                        dtype=np.float32)
    paper = light >= SHEET_EDGE * around
    rows, cols = paper.shape
    middle = light[rows // 3:rows - rows // 3, cols // 3:cols - cols // 3]  # a figure may sit at the very centre
    row, col = np.unravel_index(int(np.argmax(middle)), middle.shape)
    sheet = _region_at(paper, (rows // 3 + int(row), cols // 3 + int(col)))
    if not MIN_SHEET <= sheet.mean() <= MAX_SHEET:
        return None  # the paper fills the picture
    darker = SHEET_EDGE * np.median(light[sheet])
    ring = np.concatenate((light[0], light[-1], light[1:-1, 0], light[1:-1, -1]))
    if np.median(light[~sheet]) > darker or np.median(ring) > darker:
        return None  # paper outside the region too (a band across a page), or no desk around it (a grey patch)
    ys, xs = np.nonzero(sheet)
    corners = [(xs[k], ys[k]) for k in (np.argmin(xs + ys), np.argmax(xs - ys), np.argmax(xs + ys), np.argmin(xs - ys))]
    if _area(corners) <= 0 or sheet.sum() < SHEET_FILL * _area(corners):
        return None  # not a quadrilateral: a blob of light, not a sheet
    return tuple(((x + 0.5) / scale, (y + 0.5) / scale) for x, y in corners)


def _region_at(mask: np.ndarray, seed: tuple[int, int]) -> np.ndarray:
    """The pixels of `mask` connected to `seed` (4-connected), by growing the seed inside the mask."""
    region = np.zeros_like(mask)
    if not mask[seed]:
        return region
    region[seed] = True
    while True:
        grown = region.copy()
        grown[1:] |= region[:-1]
        grown[:-1] |= region[1:]
        grown[:, 1:] |= region[:, :-1]
        grown[:, :-1] |= region[:, 1:]
        grown &= mask
        if np.array_equal(grown, region):
            return region
        region = grown


def _area(points: list[tuple[int, int]]) -> float:
    """The area of a polygon, positive when its points go clockwise on the page (y down)."""
    return 0.5 * sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1]))


def speckled(image: Image.Image) -> bool:
    """Whether SPECKLE_SHARE or more of the page are dark pixels with no dark neighbour: specks,
    which no print makes (a clean page has next to none, a worn or photocopied one 0.1% or more)."""
    dark = np.asarray(image.convert("L")) < 128
    padded = np.pad(dark, 1)
    rows, cols = dark.shape
    neighbours = sum(padded[1 + dy:1 + dy + rows, 1 + dx:1 + dx + cols].astype(np.uint8)
                     for dy in (-1, 0, 1) for dx in (-1, 0, 1) if dy or dx)
    return bool(np.count_nonzero(dark & (neighbours == 0)) >= SPECKLE_SHARE * dark.size)


def smoothed(image: Image.Image) -> Image.Image:
    """The page in grey, blurred by SMOOTHING_RADIUS: speckle and JPEG noise fall under Tesseract's
    threshold while strokes stay; a clean page reads worse so, a speckled one far better."""
    return image.convert("L").filter(ImageFilter.GaussianBlur(SMOOTHING_RADIUS))


def _percentile(grey: Image.Image, share: int) -> int:
    """The grey level below which `share` percent of the pixels lie."""
    counts = grey.histogram()
    wanted, seen = sum(counts) * share / 100, 0
    for level, count in enumerate(counts):
        seen += count
        if seen >= wanted:
            return level
    return 255


def upright(image: Image.Image) -> tuple[Image.Image, str | None]:
    """The page turned and straightened, and what was done to it (None: nothing)."""
    if image.convert("L").point(lambda v: 255 if v < 128 else 0).getbbox() is None:
        return image, None  # a white page: nothing to turn
    done = []
    turn = orientation(image)
    if turn:
        image = image.rotate(-turn, expand=True, fillcolor=255)
        done.append(f"turned {turn}°")
    angle = skew(image)
    if abs(angle) >= MIN_SKEW:
        image = image.rotate(angle, expand=True, fillcolor=255, resample=Image.Resampling.BICUBIC)
        done.append(f"straightened {angle:+.1f}°")
    return image, ", ".join(done) or None


def orientation(image: Image.Image) -> int:
    """Degrees (0, 90, 180, 270) the page is turned counter-clockwise, by Tesseract OSD; 0 when unsure."""
    try:
        osd = pytesseract.image_to_osd(image, config="--psm 0 -c min_characters_to_try=20")
    except (pytesseract.TesseractError, RuntimeError):
        return 0  # too little text to tell
    found = re.search(r"Rotate: (\d+)", osd)
    return int(found.group(1)) % 360 if found else 0


def looks_skewed(image: Image.Image) -> bool:
    """A glance (a few hundredths of a second) at whether the page is skewed enough to hurt
    Tesseract, which at 8° may read a few lines confidently and drop the rest."""
    return abs(skew(image, side=QUICK_SIDE, fine=False)) >= QUICK_SKEW


def skew(image: Image.Image, *, side: int = PROFILE_SIDE, fine: bool = True) -> float:
    """The counter-clockwise turn (degrees) that makes the rows of text level."""
    gray = image.convert("L")
    scale = side / max(gray.size)
    if scale < 1:
        gray = gray.resize((max(round(gray.width * scale), 1), max(round(gray.height * scale), 1)))
    ink = gray.point(lambda v: 255 if v < 128 else 0)
    if ink.getbbox() is None:
        return 0.0  # a white page
    coarse = {a: _sharpness(ink, a) for a in _angles(-MAX_SKEW, MAX_SKEW, 0.5 if fine else 1.0)}
    best = max(coarse, key=lambda a: (coarse[a], -abs(a)))  # ties: the smallest turn
    if not fine:
        return best
    refined = {a: _sharpness(ink, a) for a in _angles(best - 0.5, best + 0.5, 0.1)}
    return max(refined, key=lambda a: (refined[a], -abs(a)))


def _angles(low: float, high: float, step: float) -> list[float]:
    count = round((high - low) / step)
    return [round(low + k * step, 2) for k in range(count + 1)]


def _sharpness(ink: Image.Image, angle: float) -> float:
    """How abruptly ink changes from row to row once turned by `angle`: highest when lines are level."""
    turned = ink.rotate(angle, resample=Image.Resampling.BILINEAR, fillcolor=0)
    rows = turned.resize((1, turned.height), Image.Resampling.BOX).tobytes()  # one mean per row, 0-255
    return float(sum((a - b) ** 2 for a, b in zip(rows, rows[1:])))


def perspective_coefficients(target: Sequence[tuple[float, float]],
                             source: Sequence[tuple[float, float]]) -> tuple[float, ...]:
    """The eight coefficients of Pillow's PERSPECTIVE transform that take each `target` point (of the
    image made) to its `source` point (of the image read): four pairs, no three in a line."""
    rows: list[list[float]] = []
    values: list[float] = []
    for (x, y), (u, v) in zip(target, source):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        values.extend((u, v))
    solved = np.linalg.solve(np.array(rows, dtype=np.float64), np.array(values, dtype=np.float64))
    return tuple(float(c) for c in solved)
