"""Pure modules stay pure: no database, web framework or HTTP imports."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "factorlink"
PURE = [
    "validation/parsers.py",
    "validation/credit_code.py",
    "validation/vocab.py",
    "validation/errors.py",
    "kit/table.py",
    "privacy/masking.py",
    "reference/regions.py",
    "reference/industries.py",
    "auth/tokens.py",
    "auth/passwords.py",
    "auth/throttle.py",
    "introduction/rules.py",
    "matching/keyword.py",
]
FORBIDDEN = ("sqlalchemy", "fastapi", "starlette", "httpx", "alembic", "uvicorn", "factorlink.db")


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("module", PURE)
def test_pure_module_has_no_io_imports(module: str) -> None:
    imported = _imports(SRC / module)
    assert not {n for n in imported if n.startswith(FORBIDDEN)}
