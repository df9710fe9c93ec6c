"""`factorlink sample load` and the loader behind it, on sample files written for each test."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from factorlink.achievement.models import Achievement
from factorlink.auth.models import Role
from factorlink.auth.viewer import Viewer
from factorlink.capital.models import Capital
from factorlink.carrier.models import Carrier
from factorlink.cli.main import app
from factorlink.config import Settings, get_settings
from factorlink.db.session import Database
from factorlink.demand.models import Demand
from factorlink.expert.models import Expert
from factorlink.imports.kinds import ImportKind
from factorlink.imports.report import ImportRejected
from factorlink.introduction.models import Introduction, PartyKind
from factorlink.matching.live.indexes import registry_for
from factorlink.organization.models import Organization
from factorlink.sample.loader import DATA_DIR, load_listings
from factorlink.sample.vectors import FILE_NAME as VECTORS_FILE
from factorlink.sample.vectors import read as read_vectors
from tests.conftest import _truncate_all
from tests.imports.builders import dump, write_jsonl

runner = CliRunner()
ADMIN = Viewer(user_id=1, role=Role.admin)
MODELS: list[Any] = [Organization, Achievement, Demand, Capital, Carrier, Expert]

ORGANIZATIONS = [
    {
        "机构名称": "嘉兴示例新能源科技有限公司",
        "机构类型": "企业",
        "统一社会信用代码": "91330100799655058B",
        "所在城市": "嘉兴市南湖区",
        "所属行业": "新能源汽车",
        "联系人": "陈立",
        "手机号": "13905731234",
    },
    {"机构名称": "合肥示例大学", "机构类型": "高校", "所在城市": "合肥"},
]
LISTINGS: dict[str, list[dict[str, Any]]] = {
    "achievements.jsonl": [
        {
            "编号": "S-ACH-001",
            "成果名称": "固态电解质界面修饰技术",
            "成果简介": "提升固态电池循环寿命至2000次以上。",
            "关键词": "固态电池、电解质",
            "所属行业": "新能源",
            "技术成熟度": "小试",
            "合作方式": "许可;合作开发",
            "参考价格(万元)": "面议",
            "所属机构": "合肥示例大学",
            "所在城市": "合肥",
        }
    ],
    "demands.jsonl": [
        {
            "需求名称": "电池包轻量化液冷板",
            "需求描述": "减重20%以上,散热不降。",
            "所属行业": "新能源汽车",
            "预算(万元)": "100-300",
            "需求单位": "嘉兴示例新能源科技有限公司",
            "所在城市": "嘉兴",
        }
    ],
    "capital.jsonl": [
        {
            "名称": "G60硬科技天使基金",
            "类型": "VC/PE",
            "覆盖城市": "全部",
            "单笔金额(万元)": "500-3000",
        }
    ],
    "carriers.jsonl": [
        {
            "编号": "S-CAR-001",
            "名称": "松江标准厂房3号楼",
            "类型": "厂房",
            "所在城市": "松江",
            "面积": "30亩",
            "价格": "面议",
        }
    ],
    "experts.jsonl": [{"姓名": "李明", "所属机构": "合肥示例大学", "研究领域": "固态电池,储能"}],
}
LEADS = [
    {
        "need": "需要10亩工业用地建设电池包产线",
        "purpose": "新建产线",
        "annual_tax_wan": 800,
        "company": "嘉兴示例新能源科技有限公司",
        "contact_name": "陈立",
        "contact_mobile": "13905731234",
        "lead_type": "space",
        "preferred_cities": ["松江"],
        "consent": True,
        "created_at": "2026-03-01T02:00:00Z",
    }
]
INTRODUCTIONS = [
    {
        "a": {"kind": "lead", "index": 0},
        "b": {"kind": "carrier", "code": "S-CAR-001"},
        "steps": [
            {"to": "contacted", "at": "2026-03-03T02:00:00Z"},
            {"to": "negotiating", "at": "2026-03-10T02:00:00Z"},
            {"to": "signed", "at": "2026-04-01T02:00:00Z", "amount_wan": 1200},
        ],
    }
]


def _write_sample(directory: Path) -> Path:
    directory.mkdir(exist_ok=True)
    write_jsonl(directory / "organizations.jsonl", ORGANIZATIONS)
    for name, rows in LISTINGS.items():
        write_jsonl(directory / name, rows)
    write_jsonl(directory / "leads.jsonl", LEADS)
    write_jsonl(directory / "introductions.jsonl", INTRODUCTIONS)
    return directory


def _counts(database: Database) -> list[int]:
    with database.unit_of_work() as session:
        return [len(session.scalars(select(m)).all()) for m in MODELS]


def test_loads_every_kind_marked_as_sample(database: Database, tmp_path: Path) -> None:
    data = _write_sample(tmp_path / "sample")
    with database.unit_of_work() as session:
        reports = load_listings(session, ADMIN, data)
    assert list(reports) == list(ImportKind)  # organisations first
    assert all(r.created == r.rows for r in reports.values())
    assert _counts(database) == [2, 1, 1, 1, 1, 1]
    with database.unit_of_work() as session:
        for model in MODELS:
            assert {row.source for row in session.scalars(select(model))} == {"sample"}
        demand = session.scalars(select(Demand)).one()
        assert demand.organization is not None
        assert demand.organization.credit_code == "91330100799655058B"


def test_loading_twice_changes_nothing(database: Database, tmp_path: Path) -> None:
    data = _write_sample(tmp_path / "sample")
    with database.unit_of_work() as session:
        load_listings(session, ADMIN, data)
    before = dump(database)
    with database.unit_of_work() as session:
        reports = load_listings(session, ADMIN, data)
    assert all((r.created, r.updated, r.rejected) == (0, 0, 0) for r in reports.values())
    assert sum(r.unchanged for r in reports.values()) == 7
    assert dump(database) == before


def test_a_bad_sample_file_loads_nothing_at_all(database: Database, tmp_path: Path) -> None:
    data = _write_sample(tmp_path / "sample")
    write_jsonl(data / "experts.jsonl", [{"姓名": "李明", "研究领域": "储能", "手机号": "110"}])
    before = dump(database)
    with pytest.raises(ImportRejected) as caught, database.unit_of_work() as session:
        load_listings(session, ADMIN, data)
    assert caught.value.report.file == "experts.jsonl"
    assert caught.value.report.errors[0].row == 1
    assert dump(database) == before  # the organisations loaded before it are gone too


def test_cli_prints_counts_and_twice_is_a_no_op(
    cli_env: Settings, database: Database, tmp_path: Path
) -> None:
    data = _write_sample(tmp_path / "sample")
    first = runner.invoke(app, ["sample", "load", "--from", str(data)])
    assert first.exit_code == 0, first.output
    assert "科技成果" in first.stdout and "achievement" in first.stdout
    assert "对接 introduction" in first.stdout
    assert _counts(database) == [2, 1, 1, 1, 1, 1]
    with database.unit_of_work() as session:
        deal = session.scalars(select(Introduction)).one()
        assert (deal.status, deal.amount_wan, deal.city) == ("signed", 1200, "songjiang")
    before = dump(database)
    second = runner.invoke(app, ["sample", "load", "--from", str(data)])
    assert second.exit_code == 0, second.output
    assert dump(database) == before


def test_cli_names_missing_files(cli_env: Settings, database: Database, tmp_path: Path) -> None:
    data = tmp_path / "partial"
    data.mkdir()
    write_jsonl(data / "organizations.jsonl", ORGANIZATIONS)
    result = runner.invoke(app, ["sample", "load", "--from", str(data)])
    assert result.exit_code == 0, result.output
    assert "experts.jsonl" in result.stderr
    assert _counts(database) == [2, 0, 0, 0, 0, 0]


def test_cli_bad_sample_exits_1(cli_env: Settings, database: Database, tmp_path: Path) -> None:
    data = _write_sample(tmp_path / "sample")
    write_jsonl(data / "carriers.jsonl", [{"名称": "某厂房", "类型": "仓库", "所在城市": "松江"}])
    result = runner.invoke(app, ["sample", "load", "--from", str(data)])
    assert result.exit_code == 1
    assert "仓库" in result.stdout
    assert _counts(database) == [0, 0, 0, 0, 0, 0]


def test_the_packaged_sample_loads(database: Database) -> None:
    with database.unit_of_work() as session:
        reports = load_listings(session, ADMIN)
    assert all(r.rejected == 0 and r.created > 0 for r in reports.values())


def test_packaged_sample_matches_by_meaning_at_once(
    cli_env: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `make run` with the encoder on: the shipped passage vectors go into the vector store, so
    # every index opens with a vector for every factor and nothing waits for the encoder.
    monkeypatch.setenv("FACTORLINK_MATCHING_ENCODER", "e5")
    get_settings.cache_clear()
    result = runner.invoke(app, ["sample", "load"])
    assert result.exit_code == 0, result.output
    shipped = len(read_vectors(DATA_DIR / VECTORS_FILE).keys)
    assert f"passage vectors: {shipped} 条随样例提供 shipped, {shipped} 条新增" in result.stdout
    semantic = Database(cli_env.model_copy(update={"matching_encoder": "e5"}))
    try:
        registry = registry_for(semantic)
        for kind in PartyKind:
            index = registry.get(kind)
            assert not index.pending, kind
            assert len(index.text.dense) == len(index.text.lexical.live_ids()) > 0, kind
    finally:
        if semantic.engine.dialect.name == "postgresql":
            _truncate_all(semantic)
        semantic.dispose()


def test_sample_load_without_encoder_ships_no_vectors(
    cli_env: Settings, database: Database, tmp_path: Path
) -> None:
    data = _write_sample(tmp_path / "sample")
    (data / VECTORS_FILE).write_bytes((DATA_DIR / VECTORS_FILE).read_bytes())
    result = runner.invoke(app, ["sample", "load", "--from", str(data)])
    assert result.exit_code == 0, result.output
    assert "passage vectors" not in result.output
    assert not cli_env.vector_store_path.exists()
