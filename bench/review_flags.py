"""How well the review flag points at the words repair got wrong.

Run: python3 bench/review_flags.py OCR_TEXT GOLD [--body]
For each margin threshold: the share of output words flagged, and the share of the remaining word
errors (output words the gold does not have there) that fall in flagged words. A word is flagged
when its margin is under the threshold, or for the other reasons restore.decode.repair gives (a reading
the channel finds unlikely; a word kept as OCR read it though no Vietnamese syllable). The
threshold in use is restore.decode.repair.REVIEW_MARGIN.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rapidfuzz.distance import Levenshtein

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from restore.decode.repair import REVIEW_MARGIN, repair_lines  # noqa: E402
from restore.evaluation.metrics import comparable  # noqa: E402
from restore.evaluation.regions import body_range, dispatch_body  # noqa: E402
from restore.text.tokens import Kind, tokenize  # noqa: E402

THRESHOLDS = (0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0)


def word_margins(ocr_lines: list[str], body: bool) -> tuple[list[str], list[float], list[bool]]:
    """Output words (whitespace-separated, comparable form), the smallest margin of their tokens, and
    whether any of their tokens is flagged for another reason (see restore.decode.repair)."""
    results = repair_lines(ocr_lines)
    lines = [r.text for r in results]
    span = body_range(lines) if body else (0, len(lines) - 1)
    if span is None:
        raise SystemExit("no dispatch body in the repaired text")
    words: list[str] = []
    margins: list[float] = []
    other_reason: list[bool] = []
    for result in results[span[0]:span[1] + 1]:
        queue = list(result.words)
        for chunk in result.text.split():
            tokens = [t for t in tokenize(chunk) if t.kind is Kind.WORD]
            mine, queue = queue[:len(tokens)], queue[len(tokens):]
            for word in comparable(chunk).split():
                words.append(word)
                margins.append(min((w.margin for w in mine), default=float("inf")))
                other_reason.append(any(w.review and w.margin >= REVIEW_MARGIN for w in mine))
    return words, margins, other_reason


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ocr", type=Path)
    parser.add_argument("gold", type=Path)
    parser.add_argument("--body", action="store_true", help="score the dispatch body only")
    args = parser.parse_args()
    gold_text = args.gold.read_text(encoding="utf-8")
    if args.body:
        gold_text = dispatch_body(gold_text) or gold_text
    gold = comparable(gold_text).split()
    words, margins, other_reason = word_margins(args.ocr.read_text(encoding="utf-8").split("\n"), args.body)
    wrong = {op.dest_pos for op in Levenshtein.editops(gold, words) if op.tag in ("replace", "insert")}
    rows = []
    for threshold in THRESHOLDS:
        flagged = {i for i, m in enumerate(margins) if m < threshold or other_reason[i]}
        rows.append({"threshold": threshold, "in_use": threshold == REVIEW_MARGIN,
                     "tokens_flagged_pct": round(100 * len(flagged) / max(len(words), 1), 2),
                     "errors_in_flagged_pct": round(100 * len(wrong & flagged) / max(len(wrong), 1), 1)})
    print(json.dumps({"output_words": len(words), "word_errors": len(wrong), "by_threshold": rows}, indent=1))


if __name__ == "__main__":
    main()
