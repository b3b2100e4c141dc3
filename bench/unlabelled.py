"""Repair on real dispatches that have no gold copy: what can be told without one.

Run: python3 bench/unlabelled.py [FILE...]   (default: samples/*.ocr.txt)
Per file: the OCR words, the share of them that are Vietnamese syllables before and after repair
(restore.text.orthography, so "ctia" is not and "của" is), the share repair changed, and the share it
flagged for review. 000 has a gold copy (its WER is in bench/ablation.py), so its row shows what
these shares look like for a known error rate; 002-004 are real dispatches never used to tune.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from restore.decode.repair import repair_lines  # noqa: E402
from restore.text.normalize import nfc  # noqa: E402
from restore.text.orthography import is_syllable  # noqa: E402
from restore.text.tokens import Kind, tokenize  # noqa: E402


def syllable_share(words: list[str]) -> float:
    return 100 * sum(is_syllable(w.lower()) for w in words) / max(len(words), 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    args = parser.parse_args()
    files = args.files or sorted((ROOT / "samples").glob("*.ocr.txt"))
    rows = {}
    for path in files:
        results = repair_lines(nfc(path.read_text(encoding="utf-8")).split("\n"))
        words = [w for r in results for w in r.words]
        before = [t.text for r in results for t in tokenize(r.ocr) if t.kind is Kind.WORD]
        rows[path.name] = {
            "ocr_words": len(before),
            "syllables_before_pct": round(syllable_share(before), 1),
            "syllables_after_pct": round(syllable_share([w.text for w in words]), 1),
            "changed_pct": round(100 * sum(w.text != w.ocr for w in words) / max(len(words), 1), 1),
            "flagged_pct": round(100 * sum(w.review for w in words) / max(len(words), 1), 1),
        }
    print(json.dumps(rows, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
