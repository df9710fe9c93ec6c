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
    "matching/text.py",
    "matching/lexical.py",
    "matching/dense.py",
    "matching/fusion.py",
    "matching/engine.py",
    "matching/metrics.py",
    "auction/rules.py",
    "matching/profile.py",
    "matching/fit.py",
    "matching/fitcriteria.py",
    "matching/fitspace.py",
    "matching/fitwords.py",
    "composite/framework.py",
    "composite/coinr.py",
    "composite/data.py",
    "composite/panel.py",
    "composite/pipeline.py",
    "composite/spec.py",
    "composite/options.py",
    "composite/tables.py",
    "composite/run.py",
    "composite/result.py",
    "composite/errors.py",
    "composite/steps/moments.py",
    "composite/steps/denominate.py",
    "composite/steps/screen.py",
    "composite/steps/impute.py",
    "composite/steps/treat.py",
    "composite/steps/normalise.py",
    "composite/steps/weights.py",
    "composite/steps/aggregate.py",
    "composite/steps/rank.py",
    "composite/steps/growth.py",
    "composite/steps/sensitivity.py",
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
