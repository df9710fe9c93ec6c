"""Reads a pipeline file and what it names (framework, data tables) from disk.

Paths in a pipeline file are looked up next to the file, then in each folder above it (so
`../shared/data/coinr-asem/…` works from the repository's examples), then in the working
directory. `@package/NAME` names a file shipped in factorlink/composite/data/.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from factorlink.composite.coinr import framework_from_imeta
from factorlink.composite.data import DataSpec, read_observations
from factorlink.composite.errors import Problems
from factorlink.composite.framework import Framework, parse_framework
from factorlink.composite.panel import Observations, Panel, build_panel
from factorlink.composite.pipeline import PipelineSpec, parse_pipeline
from factorlink.composite.units import Units, units_for
from factorlink.errors import InvalidInput
from factorlink.imports.readers import read_table

PACKAGE_DATA = Path(__file__).with_name("data")
PACKAGE_PREFIX = "@package/"
MAX_FILE_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class LoadedPipeline:
    """A pipeline file with its framework, data panel and methods, ready to run."""

    path: Path
    name: str
    framework: Framework
    panel: Panel
    spec: PipelineSpec
    platform: bool
    sample: bool = False


def _refuse(source: str, field: str, reason: str, reason_en: str) -> InvalidInput:
    problems = Problems(source, "流水线文件有误", "the pipeline file is invalid")
    problems.add(field, reason, reason_en)
    try:
        problems.raise_if_any()
    except InvalidInput as exc:
        return exc
    raise AssertionError  # raise_if_any always raises here


def resolve(base: Path, name: str, source: str, field: str) -> Path:
    """Finds a file named in a pipeline; InvalidInput naming where it looked if absent."""
    if name.startswith(PACKAGE_PREFIX):
        candidates = [PACKAGE_DATA / name.removeprefix(PACKAGE_PREFIX)]
    elif Path(name).is_absolute():
        candidates = [Path(name)]
    else:
        candidates = [folder / name for folder in (base, *base.parents)] + [Path.cwd() / name]
    for candidate in candidates:
        if candidate.is_file():
            return candidate.resolve()
    raise _refuse(
        source,
        field,
        f"找不到文件“{name}”(已在流水线文件所在目录及其上级目录中查找)",
        f"file {name!r} not found next to the pipeline file or in any folder above it",
    )


def read_bytes(path: Path) -> bytes:
    """A file's bytes, refusing very large files."""
    if path.stat().st_size > MAX_FILE_BYTES:
        raise _refuse(path.name, "file", "文件过大(上限50MB)", "file too large (50 MB at most)")
    return path.read_bytes()


def read_yaml(path: Path) -> Any:
    """Parses a YAML file; InvalidInput with the line of a syntax error."""
    try:
        return yaml.safe_load(read_bytes(path).decode("utf-8-sig"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"第{mark.line + 1}行" if mark else ""
        line_en = f"line {mark.line + 1}: " if mark else ""
        raise _refuse(
            path.name, "yaml", f"{line}YAML格式错误", f"{line_en}malformed YAML"
        ) from None


def load_framework(path: Path) -> Framework:
    """A framework from YAML, or from a COINr iMeta table (.csv/.xlsx)."""
    if path.suffix.lower() in (".csv", ".xlsx"):
        return framework_from_imeta(read_table(path.name, read_bytes(path)))
    return parse_framework(read_yaml(path), path.name)


def _data_specs(data: Any, source: str) -> list[tuple[str, DataSpec]]:
    if data is None:
        return []
    items = data if isinstance(data, Sequence) and not isinstance(data, str) else [data]
    out = []
    for i, item in enumerate(items):
        if isinstance(item, str):
            item = {"path": item}
        if not isinstance(item, Mapping) or not item.get("path"):
            raise _refuse(source, f"data[{i}]", "应为文件路径或含 path 的映射", "needs a path")
        groups, ignore = item.get("groups") or [], item.get("ignore") or []
        out.append(
            (
                str(item["path"]),
                DataSpec(
                    unit_column=item.get("unit_column"),
                    year_column=item.get("year_column"),
                    name_column=item.get("name_column"),
                    groups=tuple(str(g) for g in groups),
                    ignore=tuple(str(g) for g in ignore),
                ),
            )
        )
    return out


def _years(value: Any, source: str) -> tuple[int, int]:
    if value is None:
        return 1900, 2100
    ok = isinstance(value, Sequence) and len(value) == 2 and all(isinstance(v, int) for v in value)
    if not ok or value[0] > value[1]:
        raise _refuse(source, "years", "应为[起始年, 结束年]", "must be [first year, last year]")
    return int(value[0]), int(value[1])


def needs_database(path: Path) -> bool:
    """Whether a pipeline file asks for platform indicators (read from the database)."""
    config = read_yaml(path) if path.is_file() else None
    return isinstance(config, Mapping) and bool(config.get("platform", False))


def load_pipeline(
    path: Path, extra: Callable[[Framework, Observations], None] | None = None
) -> LoadedPipeline:
    """Reads a pipeline file and everything it names; `extra` may add observations (platform)."""
    source = path.name
    if not path.is_file():
        raise _refuse(source, "pipeline", "找不到流水线文件", "pipeline file not found")
    config = read_yaml(path)
    if not isinstance(config, Mapping):
        raise _refuse(source, "", "顶层应为映射", "the top level must be a mapping")
    spec = parse_pipeline(config, source)
    if not config.get("framework"):
        raise _refuse(source, "framework", "缺少 framework", "framework is missing")
    base = path.resolve().parent
    framework = load_framework(resolve(base, str(config["framework"]), source, "framework"))
    first, last = _years(config.get("years"), source)
    units: Units = units_for(config.get("units"))
    obs = Observations()
    for name, data_spec in _data_specs(config.get("data"), source):
        file = resolve(base, name, source, "data")
        table = read_table(file.name, read_bytes(file))
        spec_years = DataSpec(**{**data_spec.__dict__, "first_year": first, "last_year": last})
        read_observations(table, framework, spec_years, units.resolve, obs)
    platform = bool(config.get("platform", False))
    if extra is not None and platform:
        extra(framework, obs)
    for code in obs.units():
        obs.names.setdefault(code, units.name(code) or code)
    if not obs.values:
        raise _refuse(source, "data", "没有任何指标数据", "no indicator data at all")
    return LoadedPipeline(
        path=path,
        name=str(config.get("name") or path.stem),
        framework=framework,
        panel=build_panel(obs, framework),
        spec=spec,
        platform=platform,
        sample=bool(config.get("sample", False)),
    )
