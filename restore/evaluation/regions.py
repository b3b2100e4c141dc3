"""The body of a dispatch: from its title line (KẾ HOẠCH, QUYẾT ĐỊNH...) to the closing "./.".

A gold copy often lacks the two-column header (committee name, motto, number and date) and lays
out the signature block differently; scoring the body compares what both sides have.
"""

from __future__ import annotations

from restore.text.normalize import fold

DOCUMENT_TITLES = frozenset(
    fold(title) for title in (
        "KẾ HOẠCH", "QUYẾT ĐỊNH", "CÔNG VĂN", "CHỈ THỊ", "THÔNG BÁO", "BÁO CÁO", "TỜ TRÌNH",
        "NGHỊ QUYẾT", "HƯỚNG DẪN", "CHƯƠNG TRÌNH", "QUY CHẾ", "QUY ĐỊNH", "BIÊN BẢN", "GIẤY MỜI",
        "KẾT LUẬN", "THÔNG TƯ", "NGHỊ ĐỊNH",
    )
)
CLOSING = "./."


def body_range(lines: list[str]) -> tuple[int, int] | None:
    """Indices of the title line and of the first line holding "./." after it; None if absent."""
    start = next((i for i, line in enumerate(lines) if fold(line).strip().upper() in DOCUMENT_TITLES), None)
    if start is None:
        return None
    end = next((i for i in range(start, len(lines)) if CLOSING in lines[i]), None)
    return None if end is None else (start, end)


def dispatch_body(text: str) -> str | None:
    """Lines from the first title line to the first line holding "./." (inclusive); None if absent."""
    lines = text.splitlines()
    found = body_range(lines)
    if found is None:
        return None
    start, end = found
    kept = lines[start:end + 1]
    kept[-1] = kept[-1][: kept[-1].index(CLOSING) + len(CLOSING)]
    return "\n".join(kept)
