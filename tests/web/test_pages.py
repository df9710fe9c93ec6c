"""Pages reach a domain through its services and helpers, never through its API endpoints."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PAGES = Path(__file__).resolve().parents[2] / "src" / "factorlink" / "web" / "pages"


def _imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("page", sorted(p.name for p in PAGES.glob("*.py")))
def test_a_page_imports_no_endpoint_module(page: str) -> None:
    endpoints = {n for n in _imported(PAGES / page) if n.endswith(".endpoints")}
    assert not endpoints, f"web/pages/{page} imports {sorted(endpoints)}"
