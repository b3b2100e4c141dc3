"""The one place that knows where vnrestore's data lives, with an override for tests and builds."""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE_ROOT = Path(__file__).resolve().parent.parent


def repo_root() -> Path:
    return _PACKAGE_ROOT


def lexicon_dir() -> Path:
    """Directory of built lexicon data; VNRESTORE_LEXICON_DIR overrides it."""
    override = os.environ.get("VNRESTORE_LEXICON_DIR")
    return Path(override) if override else _PACKAGE_ROOT / "lexicon" / "data"


def phrases_dir() -> Path:
    """Hand-written lists (phrases, acronyms) that the developers maintain."""
    return _PACKAGE_ROOT / "lexicon" / "phrases"
