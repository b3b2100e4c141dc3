"""The package layout is the architecture: each stage imports only the stages below it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

RESTORE = Path(__file__).resolve().parent.parent / "restore"

# What each stage may import besides itself and the top modules (errors, paths).
ALLOWED = {
    "text": set(),
    "model": {"text"},
    "decode": {"text", "model"},
    "ocr": {"text"},
    "archive": {"text"},
    "run": {"text", "model", "decode", "ocr", "archive"},
    "evaluation": {"text", "model", "decode", "ocr", "archive", "run"},
}
TOP_MODULES = {"errors", "paths", "native"}
ADAPTERS = {"ocrmypdf_plugin"}  # entry points for other programs, like cli.py: they may import any stage
MAX_MODULE_LINES = 500


def _restore_imports(path: Path) -> set[str]:
    """The first component below `restore` of every restore module the file imports."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] if node.module != "restore" else [f"restore.{a.name}" for a in node.names]
        found.update(name.split(".")[1] for name in names if name.startswith("restore."))
    return found


@pytest.mark.parametrize("stage", sorted(ALLOWED))
def test_stage_imports_only_lower_stages(stage: str) -> None:
    for module in sorted((RESTORE / stage).glob("*.py")):
        wrong = _restore_imports(module) - ALLOWED[stage] - TOP_MODULES - {stage}
        assert not wrong, f"{module.relative_to(RESTORE)} imports {sorted(wrong)}"


def test_top_modules_import_no_stage() -> None:
    for name in TOP_MODULES:
        assert not _restore_imports(RESTORE / f"{name}.py") - TOP_MODULES


def test_layout_stays_grouped() -> None:
    loose = {p.stem for p in RESTORE.glob("*.py")} - {"__init__"}
    assert loose <= TOP_MODULES | ADAPTERS, f"modules outside a stage: {sorted(loose)}"
    for package in ALLOWED:
        init = RESTORE / package / "__init__.py"
        assert init.exists() and ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))), package
    for module in RESTORE.rglob("*.py"):
        lines = len(module.read_text(encoding="utf-8").splitlines())
        assert lines <= MAX_MODULE_LINES, f"{module.relative_to(RESTORE)} has {lines} lines"
