#!/usr/bin/env bash
# The main job on the bundled samples: OCR and repair the sample scan and repair the OCR texts into
# out/ (NAME.txt, NAME.json), then score the two that have a gold copy.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
vnrestore run samples/*.ocr.txt samples/*.scan.pdf --out-dir out --keep-ocr
echo "outputs in out/: $(cd out && ls *.txt | tr '\n' ' ')"
vnrestore eval out/000.txt samples/000.gold.txt
vnrestore eval out/101.scan.txt samples/101.gold.txt
