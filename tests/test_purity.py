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
    "validation/details.py",
    "validation/patents.py",
    "engagement/rules.py",
    "kit/table.py",
    "kit/formulas.py",
    "kit/timezones.py",
    "privacy/masking.py",
    "reference/regions.py",
    "reference/industries.py",
    "auth/tokens.py",
    "auth/passwords.py",
    "auth/throttle.py",
    "auth/access.py",
    "introduction/rules.py",
    "event/rules.py",
    "event/vocab.py",
    "auction/rules.py",
    "recommend/rules.py",
    "recommend/items.py",
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
# Whole folders that are pure: every module in them, present and future.
PURE_FOLDERS = ["matching/retrieval", "matching/fit"]
# A pure folder's one door to files: the fit rules are read from a YAML file a setting names.
LOADERS = {"matching/fit/config.py"}
PURE.append("matching/evaluation/metrics.py")
# Industry news: the extraction core reads bytes it is given, never a file or the network.
PURE += ["news/decode.py", "news/dates.py", "news/mhtml.py", "news/spider.py", "news/extract.py"]
PURE.append("news/evaluation/metrics.py")
# Events: the meeting scheduler and its generated instances compute, never read or store.
PURE += ["event/scheduling.py", "event/instances.py"]
# Photos: judging and re-encoding an upload is bytes in, bytes out.
PURE.append("photo/images.py")
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


def _folder_modules() -> list[str]:
    found = []
    for folder in PURE_FOLDERS:
        for path in sorted((SRC / folder).rglob("*.py")):
            name = path.relative_to(SRC).as_posix()
            if name not in LOADERS:
                found.append(name)
    return found


# Beyond the I/O libraries, a pure folder reads no settings, no tables and no live index.
FOLDER_FORBIDDEN = (*FORBIDDEN, "factorlink.config", "factorlink.matching.live", "threading")


@pytest.mark.parametrize("module", _folder_modules())
def test_pure_folder_module_has_no_io_imports(module: str) -> None:
    imported = _imports(SRC / module)
    bad = {n for n in imported if n.startswith(FOLDER_FORBIDDEN) or n.endswith(".models")}
    assert not bad, f"{module} imports {sorted(bad)}"


def test_pure_folders_are_there() -> None:
    assert all((SRC / folder).is_dir() for folder in PURE_FOLDERS)
    assert len(_folder_modules()) >= 10
