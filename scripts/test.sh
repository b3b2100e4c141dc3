#!/usr/bin/env bash
# The test command: install what is missing, lint, type-check, run the tests.
# pytest's "no tests ran" (exit 5) is a failure here, never a silent pass.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
python3 -m ruff check .
python3 -m mypy restore lexicon cli.py
set +e
python3 -m pytest -q "$@"
status=$?
set -e
if [ $status -eq 5 ]; then echo "pytest collected no tests: failing"; exit 1; fi
exit $status
