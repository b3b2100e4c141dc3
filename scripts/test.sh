#!/usr/bin/env bash
# The test command: install what is missing, lint, type-check, run the tests, then the quality gate
# (vnrestore regress: every sample pair against samples/baseline.json).
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
if [ $status -ne 0 ]; then exit $status; fi
vnrestore regress samples
