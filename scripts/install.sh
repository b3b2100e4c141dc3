#!/usr/bin/env bash
# Install what vnrestore needs and is missing: Debian's Tesseract (eng, vie), poppler and fonts,
# then vnrestore itself (editable, with the test tools). Safe to run again: it skips what is there.
set -euo pipefail
cd "$(dirname "$0")/.."

DEBIAN_PACKAGES=(tesseract-ocr tesseract-ocr-eng tesseract-ocr-vie poppler-utils fonts-liberation2
                 fonts-dejavu-core fonts-noto-core)
missing=()
for pkg in "${DEBIAN_PACKAGES[@]}"; do
  dpkg-query -W -f '${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! python3 -c "import restore, click, rapidfuzz, regex, pytesseract, pdf2image, pytest, ruff" 2>/dev/null \
   || ! command -v vnrestore >/dev/null; then
  echo "installing vnrestore (pip install -e .[dev])"
  python3 -m pip install --quiet --disable-pip-version-check -e ".[dev]"
  command -v pyenv >/dev/null && pyenv rehash || true
fi
