"""The HTML report opened in a real headless Chromium, and regress as CI uses it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, str(ROOT / "cli.py")]
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    assert found, "Chromium is missing: bash scripts/install.sh installs Debian's chromium"
    return found


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("report")
    (folder / "out").mkdir()
    (folder / "gold").mkdir()
    (folder / "out" / "a.ocr.txt").write_text("ỦY BAN NHÂN DÂN XÃ A\n\nKẾ HOẠCH\nThực hiện công tác dân vốn\n",
                                              encoding="utf-8")
    (folder / "gold" / "a.gold.txt").write_text("KẾ HOẠCH\nThực hiện công tác dân vận\n", encoding="utf-8")
    html = folder / "report.html"
    result = subprocess.run([*CLI, "eval", str(folder / "out"), str(folder / "gold"), "--html", str(html), "--json"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["pairs"][0]["one_sided_blocks"][0]["side"] == "hypothesis"
    assert data["pairs"][0]["confusions"] == [{"gold": "vận", "output": "vốn", "count": 1}]
    return html


def test_report_renders_in_chromium(report: Path, tmp_path: Path) -> None:
    profile = tmp_path / "profile"
    dom = subprocess.run([chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--dump-dom", report.as_uri()],
                         capture_output=True, text=True, timeout=120)
    assert dom.returncode == 0, dom.stderr[-500:]
    assert "<table class=\"summary\">" in dom.stdout and "WER" in dom.stdout
    assert "<ins>ố</ins>" in dom.stdout and "<del>ậ</del>" in dom.stdout
    assert "hypothesis only, lines 1-1" in dom.stdout
    shot = tmp_path / "report.png"
    run = subprocess.run([chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--window-size=1200,900",
                          f"--screenshot={shot}", report.as_uri()], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0 and shot.exists()
    with Image.open(shot) as image:
        colours = image.convert("RGB").getcolors(maxcolors=1 << 20) or []
    highlights = {rgb for _, rgb in colours if rgb in {(200, 240, 200), (255, 208, 208)}}
    assert highlights == {(200, 240, 200), (255, 208, 208)}, "inserted and deleted text are highlighted"


def test_regress_passes_on_main_and_fails_when_weakened(tmp_path: Path) -> None:
    samples = tmp_path / "samples"
    samples.mkdir()
    for name in ("000.ocr.txt", "000.gold.txt"):
        shutil.copy(ROOT / "samples" / name, samples / name)
    update = subprocess.run([*CLI, "regress", str(samples), "--update"], capture_output=True, text=True, timeout=300)
    assert update.returncode == 0 and (samples / "baseline.json").exists()
    same = subprocess.run([*CLI, "regress", str(samples)], capture_output=True, text=True, timeout=300)
    assert same.returncode == 0, same.stdout
    weakened = subprocess.run([*CLI, "regress", str(samples), "--no-lm"], capture_output=True, text=True, timeout=300)
    assert weakened.returncode == 3 and "REGRESSED" in weakened.stdout
