"""hOCR of repaired pages: XHTML that OCRmyPDF's strict parser and hOCR tools read.

ocr_page > ocr_carea > ocr_par > ocr_line > ocrx_word, one area per paragraph, boxes in page
pixels, each word with x_wconf (0-100), so a PDF made from it keeps word confidences. A line
carries a baseline and font size estimated from its height (image_to_data gives none): without
them OCRmyPDF sets the text so large and squeezed that extractors without layout analysis
(pdftotext -raw, pypdf) lose the spaces between words.
"""

from __future__ import annotations

from html import escape

from restore.archive.page import Box, Line, Page, union

HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
        '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n'
        '<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="vi" lang="vi">\n<head>\n'
        '<title>{title}</title>\n<meta http-equiv="Content-Type" content="text/html;charset=utf-8"/>\n'
        '<meta name="ocr-system" content="{system}"/>\n'
        '<meta name="ocr-capabilities" content="ocr_page ocr_carea ocr_par ocr_line ocrx_word ocrp_wconf"/>\n'
        '</head>\n<body>\n')


def _bbox(box: Box) -> str:
    left, top, width, height = box
    return f"bbox {left} {top} {left + width} {top + height}"


def _font(height: int) -> str:
    """Baseline and sizes of a line of this height: Vietnamese marks take a fifth above, descenders a fifth below."""
    return (f"baseline 0 {-round(0.22 * height)}; x_size {round(0.8 * height)}; "
            f"x_descenders {round(0.2 * height)}; x_ascenders {round(0.2 * height)}")


def paragraphs(lines: tuple[Line, ...]) -> list[list[Line]]:
    """Lines grouped by paragraph, empty lines left out."""
    groups: list[list[Line]] = []
    for line in lines:
        if not line.words:
            continue
        if line.paragraph_start or not groups:
            groups.append([])
        groups[-1].append(line)
    return groups


def hocr(pages: list[Page], *, title: str, system: str) -> str:
    out = [HEAD.format(title=escape(title), system=escape(system))]
    for page in pages:
        n = page.number
        out.append(f'<div class="ocr_page" id="page_{n}" title="image &quot;{escape(title)}&quot;; '
                   f'bbox 0 0 {page.width} {page.height}; ppageno {n - 1}; scan_res {page.dpi} {page.dpi}">\n')
        for p, group in enumerate(paragraphs(page.lines), 1):
            area = _bbox(union([line.box for line in group]))
            out.append(f'<div class="ocr_carea" id="block_{n}_{p}" title="{area}">'
                       f'<p class="ocr_par" id="par_{n}_{p}" lang="vie" title="{area}">\n')
            for k, line in enumerate(group, 1):
                words = " ".join(f'<span class="ocrx_word" id="word_{n}_{p}_{k}_{w}" title="{_bbox(word.box)}; '
                                 f'x_wconf {round(100 * word.confidence)}">{escape(word.text)}</span>'
                                 for w, word in enumerate(line.words, 1))
                out.append(f'<span class="ocr_line" id="line_{n}_{p}_{k}" title="{_bbox(line.box)}; '
                           f'{_font(line.box[3])}">{words}</span>\n')
            out.append("</p></div>\n")
        out.append("</div>\n")
    out.append("</body>\n</html>\n")
    return "".join(out)
