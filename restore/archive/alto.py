"""ALTO v4 of repaired pages: the format libraries keep word positions in.

Every String has its box (HPOS, VPOS, WIDTH, HEIGHT, in pixels of the page image, as
MeasurementUnit says), its repaired CONTENT and WC; a word repair flagged for review points to
the REVIEW tag (TAGREFS), and the rivals repair weighed are its ALTERNATIVEs. One TextBlock per
paragraph; SP between words.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime, timezone

from restore.archive.hocr import paragraphs
from restore.archive.page import Box, Page, union

NAMESPACE = "http://www.loc.gov/standards/alto/ns-v4#"
SCHEMA = "http://www.loc.gov/standards/alto/v4/alto-4-3.xsd"  # the version tests/data validates against
XSI = "http://www.w3.org/2001/XMLSchema-instance"
REVIEW_TAG = "REVIEW"


def _place(element: ET.Element, box: Box) -> None:
    left, top, width, height = box
    element.set("HPOS", str(left))
    element.set("VPOS", str(top))
    element.set("WIDTH", str(width))
    element.set("HEIGHT", str(height))


def alto(pages: list[Page], *, file_name: str, software_version: str, step: str) -> str:
    ET.register_namespace("", NAMESPACE)
    ET.register_namespace("xsi", XSI)
    q = f"{{{NAMESPACE}}}"
    root = ET.Element(f"{q}alto", {f"{{{XSI}}}schemaLocation": f"{NAMESPACE} {SCHEMA}"})
    description = ET.SubElement(root, f"{q}Description")
    ET.SubElement(description, f"{q}MeasurementUnit").text = "pixel"
    source = ET.SubElement(description, f"{q}sourceImageInformation")
    ET.SubElement(source, f"{q}fileName").text = file_name
    processing = ET.SubElement(description, f"{q}Processing", ID="OCR_AND_REPAIR")
    ET.SubElement(processing, f"{q}processingDateTime").text = datetime.now(timezone.utc).isoformat(timespec="seconds")
    ET.SubElement(processing, f"{q}processingStepDescription").text = step
    software = ET.SubElement(processing, f"{q}processingSoftware")
    ET.SubElement(software, f"{q}softwareName").text = "vnrestore"
    ET.SubElement(software, f"{q}softwareVersion").text = software_version
    tags = ET.SubElement(root, f"{q}Tags")
    ET.SubElement(tags, f"{q}OtherTag", ID=REVIEW_TAG, LABEL="flagged for review",
                  DESCRIPTION="vnrestore was not sure of this word: its best rival came close, or it is not a syllable")
    layout = ET.SubElement(root, f"{q}Layout")
    for page in pages:
        n = page.number
        page_element = ET.SubElement(layout, f"{q}Page", ID=f"p{n}", PHYSICAL_IMG_NR=str(n),
                                     WIDTH=str(page.width), HEIGHT=str(page.height))
        space = ET.SubElement(page_element, f"{q}PrintSpace")
        _place(space, (0, 0, page.width, page.height))
        for p, group in enumerate(paragraphs(page.lines), 1):
            block = ET.SubElement(space, f"{q}TextBlock", ID=f"p{n}_b{p}")
            _place(block, union([line.box for line in group]))
            for k, line in enumerate(group, 1):
                text_line = ET.SubElement(block, f"{q}TextLine", ID=f"p{n}_b{p}_l{k}")
                _place(text_line, line.box)
                for w, word in enumerate(line.words, 1):
                    if w > 1:
                        ET.SubElement(text_line, f"{q}SP")
                    string = ET.SubElement(text_line, f"{q}String", ID=f"p{n}_b{p}_l{k}_w{w}", CONTENT=word.text)
                    _place(string, word.box)
                    string.set("WC", f"{word.confidence:.2f}")
                    if word.review:
                        string.set("TAGREFS", REVIEW_TAG)
                    for alternative in word.alternatives:
                        ET.SubElement(string, f"{q}ALTERNATIVE").text = alternative
    ET.indent(root, space=" ")
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
