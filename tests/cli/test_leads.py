"""`factorlink lead add|list|erase|withdraw-consent`, run for real against the test database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from factorlink.cli.main import app
from factorlink.config import Settings
from factorlink.db.session import Database
from factorlink.lead.models import Lead, LeadType
from tests.introduction.builders import add_lead, add_listing

runner = CliRunner(env={"COLUMNS": "200"})  # wide enough that rich does not wrap

ADD = [
    "lead",
    "add",
    "--need",
    "寻找石墨烯散热膜技术",
    "--purpose",
    "手机散热",
    "--tax",
    "500",
    "--company",
    "松江示例电子有限公司",
    "--contact",
    "张伟",
    "--mobile",
    "13912345678",
    "--type",
    "technology",
    "--city",
    "松江",
]


def _leads(database: Database) -> list[Lead]:
    with database.unit_of_work() as session:
        return list(session.scalars(select(Lead).order_by(Lead.id)))


def test_lead_add_prints_the_id_and_matches(cli_env: Settings, database: Database) -> None:
    add_listing(database, "achievement", code="ACH-CLI-1")
    result = runner.invoke(app, [*ADD, "--prefer", "杭州", "--consent"])
    assert result.exit_code == 0, result.output
    (lead,) = _leads(database)
    assert f"lead #{lead.id}" in result.stdout
    assert "ACH-CLI-1" in result.stdout and "石墨烯" in result.stdout
    assert (lead.lead_type, lead.city, lead.preferred_cities) == (
        LeadType.technology,
        "songjiang",
        ["hangzhou"],
    )
    assert (lead.annual_tax_wan, lead.source, lead.consent) == (500.0, "cli", True)
    assert lead.consent_at is not None


@pytest.mark.parametrize(
    "prefer",
    [
        ["宣城、芜湖、湖州"],
        ["宣城,芜湖;湖州"],
        ["宣城，芜湖；湖州"],
        ["宣城 芜湖  湖州"],
        ["宣城", "芜湖、湖州"],
    ],
)
def test_lead_add_splits_preferred_cities_as_typed(
    cli_env: Settings, database: Database, prefer: list[str]
) -> None:
    # `--help` offers "repeat, or separate with 、": every separator of a text cell splits.
    options = [item for city in prefer for item in ("--prefer", city)]
    result = runner.invoke(app, [*ADD, *options, "--consent"])
    assert result.exit_code == 0, result.output
    (lead,) = _leads(database)
    assert lead.preferred_cities == ["xuancheng", "wuhu", "huzhou"]


def test_lead_add_without_consent_stores_nothing(cli_env: Settings, database: Database) -> None:
    result = runner.invoke(app, ADD)
    assert result.exit_code == 1
    assert "须勾选同意" in result.stderr and "consent" in result.stderr
    assert _leads(database) == []


def test_lead_add_names_each_bad_field(cli_env: Settings, database: Database) -> None:
    bad = [*ADD, "--consent", "--tax", "-3", "--prefer", "北京"]
    bad[bad.index("13912345678")] = "1391234"
    result = runner.invoke(app, bad)
    assert result.exit_code == 1
    for field in ("手机号", "税收", "意向城市", "北京"):
        assert field in result.stderr
    assert "1391234" not in result.output
    assert _leads(database) == []


def test_lead_list_and_erase(cli_env: Settings, database: Database) -> None:
    assert runner.invoke(app, [*ADD, "--consent"]).exit_code == 0
    (lead,) = _leads(database)
    listed = runner.invoke(app, ["lead", "list", "--type", "technology"])
    assert listed.exit_code == 0, listed.output
    assert "张伟" in listed.stdout and "total 1" in listed.stdout
    erased = runner.invoke(app, ["lead", "erase", str(lead.id)])
    assert erased.exit_code == 0, erased.output
    (row,) = _leads(database)
    assert (row.contact_name, row.contact_mobile, row.company) == (None, None, None)
    withdrawn = runner.invoke(app, ["lead", "withdraw-consent", str(lead.id)])
    assert withdrawn.exit_code == 0
    assert _leads(database)[0].consent_withdrawn_at is not None
    assert runner.invoke(app, ["lead", "erase", "999"]).exit_code == 1


def test_lead_list_shows_the_city_with_its_district(cli_env: Settings, database: Database) -> None:
    located = [*ADD, "--consent", "--prefer", "湖州", "--prefer", "宣城"]
    located[located.index("松江")] = "湖州市长兴县"
    assert runner.invoke(app, located).exit_code == 0
    (lead,) = _leads(database)
    assert (lead.city, lead.district) == ("huzhou", "长兴县")
    listed = runner.invoke(app, ["lead", "list"])
    assert listed.exit_code == 0, listed.output
    assert "湖州长兴县、宣城" in listed.stdout


def test_lead_expire_erases_what_is_older_than_the_retention(
    cli_env: Settings, database: Database
) -> None:
    old = add_lead(database, created_at=datetime.now(UTC) - timedelta(days=731))
    add_lead(database, need="寻找厂房")
    result = runner.invoke(app, ["lead", "expire"])
    assert result.exit_code == 0, result.output
    assert "已删除 1 条超过 730 天" in result.stdout
    by_id = {lead.id: lead for lead in _leads(database)}
    assert by_id[old].contact_mobile is None
    assert sum(lead.contact_mobile is None for lead in by_id.values()) == 1
