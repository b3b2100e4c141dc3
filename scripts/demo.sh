#!/usr/bin/env bash
# The main job on the bundled samples: repair every OCR text in samples/ into out/,
# then score the one that has a gold copy.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
vnrestore repair samples/*.ocr.txt --out-dir out
echo "repaired: $(ls out/*.txt | tr '\n' ' ')"
vnrestore eval out/000.ocr.txt samples/000.gold.txt --body
