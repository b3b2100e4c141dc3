"""The HTML report opened in a real headless Chromium, and regress as CI uses it.

Each view of the report is loaded at its own address, measured by a probe script in a copy of
the page (which rows show, in which order) and photographed; the screenshots stay in the test's
temp folder. Marks are checked on pixels: each stacked Vietnamese letter is drawn in the
report's text font and its ink must lie within the letter's own box.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, str(ROOT / "cli.py")]
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars"]
STACKED = ("Ế Ố Ầ Ẩ Ẫ Ậ Ấ Ắ Ằ Ẳ Ẵ Ặ Ể Ễ Ệ Ồ Ổ Ỗ Ộ Ờ Ớ Ở Ỡ Ợ Ừ Ứ Ử Ữ Ự "
           "ế ố ầ ẩ ẫ ậ ấ ắ ằ ẳ ẵ ặ ể ễ ệ ồ ổ ỗ ộ ờ ớ ở ỡ ợ ừ ứ ử ữ ự KẾ số").split()
OCR_INPUT = ("UY BAN NHAN DAN XA A\n\nKE HOACH\nThyec hién cong tac dan van nam 2026 cia xa.\n"
             "Cac thon bao cao két qua vé Uy ban truéc ngay 30.\n")
GOLD_A = ("KẾ HOẠCH\nThực hiện công tác dân vận\nnăm 2026 của xã.\n"
          "Các thôn báo cáo kết quả về Ủy ban trước ngày 30 tháng 6.\n")


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    assert found, "Chromium is missing: bash scripts/install.sh installs Debian's chromium"
    return found


def browse(page: Path, fragment: str, profile: Path, *, script: str | None = None) -> str:
    """The DOM of `page` at `fragment` after load, with `script` run in a copy of it (the probe)."""
    if script is not None:
        copy = page.with_name(f"probe-{page.name}")
        copy.write_text(page.read_text(encoding="utf-8").replace("</body>", f"<script>{script}</script></body>"),
                        encoding="utf-8")
        page = copy
    run = subprocess.run([chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--virtual-time-budget=3000",
                          "--dump-dom", page.as_uri() + fragment], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-500:]
    return run.stdout


def probe_result(dom: str) -> dict:
    found = re.search(r"<pre id=\"probe\">(.*?)</pre>", dom, re.S)
    assert found, dom[-500:]
    return json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))


def screenshot(page: Path, fragment: str, profile: Path, out: Path, height: int) -> Image.Image:
    """The whole page in one window, so a view's anchor does not scroll it away."""
    run = subprocess.run([chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--window-size=1300,{height}",
                          f"--screenshot={out}", page.as_uri() + fragment], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0 and out.exists(), run.stderr[-500:]
    return Image.open(out).convert("RGB")


ROWS_PROBE = """window.addEventListener('load', () => {
  const shown = [...document.querySelectorAll('table.rows tr[class]')].filter(r => r.offsetParent !== null);
  const out = document.createElement('pre'); out.id = 'probe';
  out.textContent = JSON.stringify({
    height: document.documentElement.scrollHeight,
    rows: shown.map(r => ({kind: r.className, cer: r.lastElementChild.textContent,
                           view: r.closest('.view').id, cells: r.children.length})),
    ocr_headers: [...document.querySelectorAll('table.rows th')].filter(
        th => th.offsetParent !== null && th.textContent === 'OCR').length,
    marks: [...document.querySelectorAll('mark.review')].filter(m => m.offsetParent !== null).length,
    links: [...document.querySelectorAll('table.overall a')].map(a => a.getAttribute('href'))});
  document.body.appendChild(out);
});"""


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two documents: a/ from a real `vnrestore run` (with its JSON), b/ a plain text pair."""
    folder = tmp_path_factory.mktemp("report")
    for name in ("in", "out", "gold"):
        (folder / name).mkdir()
    (folder / "in" / "a.txt").write_text(OCR_INPUT, encoding="utf-8")
    run = subprocess.run([*CLI, "run", str(folder / "in" / "a.txt"), "--out-dir", str(folder / "out"), "--quiet"],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    (folder / "gold" / "a.gold.txt").write_text(GOLD_A, encoding="utf-8")
    (folder / "out" / "b.txt").write_text("KẾ HOẠCH\nThực hiện công tác dân vốn\n", encoding="utf-8")
    (folder / "gold" / "b.gold.txt").write_text("KẾ HOẠCH\nThực hiện công tác dân vận\n", encoding="utf-8")
    html = folder / "report.html"
    result = subprocess.run([*CLI, "eval", str(folder / "out"), str(folder / "gold"), "--html", str(html), "--json"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    pairs = {pair["name"]: pair for pair in json.loads(result.stdout)["pairs"]}
    assert pairs["a"]["one_sided_blocks"][0]["side"] == "output"
    assert pairs["b"]["word_confusions"] == [{"gold": "vận", "output": "vốn", "count": 1}]
    assert {"gold": "ậ", "output": "ố", "kind": "letter", "count": 1} in pairs["b"]["char_confusions"]
    assert all(row["ocr"] for row in pairs["a"]["rows"] if not row["one_sided"])
    return html


@pytest.mark.parametrize("fragment", ["", "#doc-1-all", "#doc-1-errors", "#doc-1-worst", "#doc-2-errors"])
def test_each_view_shows_its_rows_and_is_photographed(report: Path, tmp_path: Path, fragment: str) -> None:
    profile = tmp_path / "profile"
    seen = probe_result(browse(report, fragment, profile, script=ROWS_PROBE))
    assert seen["links"] == ["#doc-1", "#doc-2"], "the overall table links to each document"
    view = fragment.lstrip("#") or "none"
    by_doc = {doc: [r for r in seen["rows"] if r["view"].startswith(doc + "-")] for doc in ("doc-1", "doc-2")}
    for doc, rows in by_doc.items():
        shown = {r["view"] for r in rows}
        expected = view if view.startswith(doc) else f"{doc}-all"
        assert shown == {expected}, f"{doc} shows {shown}, expected only {expected}"
        if expected.endswith(("-errors", "-worst")):
            assert rows and all(r["kind"] == "err" for r in rows)
        else:
            assert {r["kind"] for r in rows} >= {"ok"}
    worst = [float(r["cer"].rstrip("%")) for r in by_doc["doc-1"] if r["view"] == "doc-1-worst"]
    assert worst == sorted(worst, reverse=True)
    assert seen["ocr_headers"] == 1, "the OCR column shows for the document whose run JSON is known, only"
    shot = screenshot(report, fragment, profile, tmp_path / f"view{fragment.replace('#', '-') or '-top'}.png",
                      min(seen["height"] + 50, 8000))
    colours = {rgb for _, rgb in shot.getcolors(maxcolors=1 << 20) or []}
    assert (200, 240, 200) in colours and (255, 208, 208) in colours, "inserted and deleted text are highlighted"


def test_review_flags_are_marked_in_the_output_column(report: Path, tmp_path: Path) -> None:
    record = json.loads((report.parent / "out" / "a.json").read_text(encoding="utf-8"))
    flagged = sum(t["review"] for page in record["pages"] for line in page["lines"] for t in line["tokens"])
    seen = probe_result(browse(report, "#doc-1-all", tmp_path / "profile", script=ROWS_PROBE))
    assert flagged and seen["marks"] == flagged


def ink_outside_box(css: str, glyphs: list[str], tmp_path: Path) -> list[str]:
    """Glyphs drawn in the report's text font whose ink leaves their own box (a detached mark)."""
    cells = "".join(f"<tr><td class='text'><span class='g' style='font-size:40px'>{g}</span></td></tr>"
                    for g in glyphs)
    page = tmp_path / "glyphs.html"
    page.write_text(f"<!DOCTYPE html><html><head><meta charset='utf-8'><style>{css}"
                    f" td{{border:none;padding:10px}}</style></head><body style='margin:0'>"
                    f"<table class='rows'>{cells}</table></body></html>", encoding="utf-8")
    boxes = probe_result(browse(page, "", tmp_path / "profile", script="""window.addEventListener('load', () => {
      const out = document.createElement('pre'); out.id = 'probe';
      out.textContent = JSON.stringify([...document.querySelectorAll('.g')].map(s => {
        const r = s.getBoundingClientRect(); return [r.left, r.top, r.width, r.height, s.textContent.length]; }));
      document.body.appendChild(out); });"""))
    height = int(max(b[1] + b[3] for b in boxes)) + 40
    shot = screenshot(page, "", tmp_path / "profile", tmp_path / "glyphs.png", height).convert("L")
    bad = []
    for glyph, (left, top, width, box_height, length) in zip(glyphs, boxes):
        slack = 0.15 * width / length
        band = range(max(int(top) - 10, 0), min(int(top + box_height) + 5, shot.height))
        columns = [x for x in range(shot.width) if any(shot.getpixel((x, y)) < 128 for y in band)]
        if not columns or min(columns) < left - slack or max(columns) > left + width + slack:
            bad.append(glyph)
    return bad


def test_stacked_marks_sit_on_their_letters(report: Path, tmp_path: Path) -> None:
    css = re.search(r"<style>(.*?)</style>", report.read_text(encoding="utf-8"), re.S).group(1)
    assert ink_outside_box(css, STACKED, tmp_path) == []
    # The check sees the fault the report had: DejaVu Sans Mono draws the acute of Ế beside it.
    faulty = css + "td.text{font-family:'DejaVu Sans Mono'}"
    assert "KẾ" in ink_outside_box(faulty, ["KẾ", "Ế"], tmp_path)


def test_regress_gates_on_baseline_samples_and_reports_for_ci(tmp_path: Path) -> None:
    samples = tmp_path / "samples"
    samples.mkdir()
    for name in ("000.ocr.txt", "000.gold.txt"):
        shutil.copy(ROOT / "samples" / name, samples / name)
    shutil.copy(samples / "000.ocr.txt", samples / "001.ocr.txt")
    shutil.copy(samples / "000.gold.txt", samples / "001.gold.txt")
    missing = subprocess.run([*CLI, "regress", str(samples)], capture_output=True, text=True, timeout=300)
    assert missing.returncode == 2 and "no baseline" in missing.stderr and "--update" in missing.stderr
    update = subprocess.run([*CLI, "regress", str(samples), "--update"], capture_output=True, text=True, timeout=300)
    assert update.returncode == 0 and (samples / "baseline.json").exists()
    junit = tmp_path / "regress.xml"
    same = subprocess.run([*CLI, "regress", str(samples), "--json", "--junit", str(junit)],
                          capture_output=True, text=True, timeout=300)
    assert same.returncode == 0, same.stderr
    assert json.loads(same.stdout)["passed"] is True
    suite = ET.parse(junit).getroot()
    assert suite.tag == "testsuite" and len(suite.findall("testcase")) == 4 and suite.get("failures") == "0"
    (samples / "001.ocr.txt").unlink()
    gone = subprocess.run([*CLI, "regress", str(samples), "--junit", str(junit)],
                          capture_output=True, text=True, timeout=300)
    assert gone.returncode == 3 and "MISSING" in gone.stdout and "001" in gone.stderr
    assert len(ET.parse(junit).getroot().findall("testcase/failure")) == 2
    weakened = subprocess.run([*CLI, "regress", str(samples), "--no-lm"], capture_output=True, text=True, timeout=300)
    assert weakened.returncode == 3 and "REGRESSED" in weakened.stdout
