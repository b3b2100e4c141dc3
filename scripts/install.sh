#!/usr/bin/env bash
# Install what vnrestore needs and is missing: Debian's Tesseract (eng, vie), poppler and fonts,
# then vnrestore itself (editable, with the test tools). Safe to run again: it skips what is there.
set -euo pipefail
cd "$(dirname "$0")/.."

DEBIAN_PACKAGES=(tesseract-ocr tesseract-ocr-eng tesseract-ocr-vie tesseract-ocr-osd poppler-utils fonts-liberation2 fonts-texgyre
                 fonts-dejavu-core fonts-noto-core chromium gcc libc6-dev)  # gcc: the compiled parts
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

# The compiled parts are built by pip install; built again when a C source is newer than its build.
compiled_parts_current() {
  local source built
  for source in restore/decode/beam.c:restore/decode/_beam restore/model/letter_costs.c:restore/model/_letters \
                restore/model/fold_search.c:restore/model/_folds; do
    built="$(ls "${source#*:}".*.so 2>/dev/null | head -n 1)"
    [ -n "$built" ] && [ "$built" -nt "${source%%:*}" ] && [ "$built" -nt restore/sorted_keys.h ] || return 1
  done
}

# vnrestore must be installed from this checkout (an editable install of another clone would
# run that clone's code), with the test tools (and Dask, for the cluster test) beside it.
here="$(pwd -P)"
installed="$(cd / && python3 -c 'import os, restore; print(os.path.dirname(os.path.dirname(os.path.realpath(restore.__file__))))' 2>/dev/null || true)"
if [ "$installed" != "$here" ] || ! python3 -c "import click, rapidfuzz, regex, pytesseract, pdf2image, pytest, ruff, mypy, pypdf, distributed" 2>/dev/null \
   || ! command -v vnrestore >/dev/null || ! compiled_parts_current; then
  echo "installing vnrestore from $here (pip install -e .[dev])"
  python3 -m pip install --quiet --disable-pip-version-check -e ".[dev]"
  if command -v pyenv >/dev/null; then pyenv rehash; fi
fi
