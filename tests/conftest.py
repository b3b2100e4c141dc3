"""Shared fixtures: the real lexicon, loaded once per test session."""

from __future__ import annotations

import pytest

from restore.model.resources import Resources, default_resources


@pytest.fixture(scope="session")
def resources() -> Resources:
    return default_resources()
