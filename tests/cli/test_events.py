"""`factorlink event create|list|schedule|grid|stats`, run for real against the test database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from typer.testing import CliRunner

from factorlink.auth.viewer import Viewer
from factorlink.cli.main import app
from factorlink.config import Settings
from factorlink.db.session import Database
from factorlink.event.models import EventMeeting
from factorlink.event.schemas import RequestIn
from factorlink.event.service import EventService
from tests.event.builders import member, registration
from tests.factories import MakeActor, MakeOrganization

runner = CliRunner(env={"COLUMNS": "200"})
BEIJING = timezone(timedelta(hours=8))


def _at(delta: timedelta) -> str:
    return (datetime.now(UTC) + delta).astimezone(BEIJING).strftime("%Y-%m-%dT%H:%M")


def test_create_schedule_and_read_the_grid(
    cli_env: Settings, database: Database, make_actor: MakeActor, make_org: MakeOrganization
) -> None:
    created = runner.invoke(
        app,
        [
            "event", "create", "--title", "松江园区对接日", "--kind", "park_day",
            "--block", f"{_at(timedelta(days=2))}/{_at(timedelta(days=2, hours=1))}",
            "--opens", _at(-timedelta(days=1)), "--closes", _at(timedelta(days=1)),
            "--tables", "2", "--venue", "松江区会议中心", "--city", "松江", "--mode", "opt_out",
        ],
    )  # fmt: skip
    assert created.exit_code == 0, created.output
    assert "对接会 event #1 松江园区对接日" in created.stdout
    listed = runner.invoke(app, ["event", "list"])
    assert listed.exit_code == 0 and "园区对接日" in listed.stdout and "total 1" in listed.stdout

    viewers: list[Viewer] = []
    for name in ("松江示例装备有限公司", "示例产业园"):
        org = make_org(name)
        viewers.append(member(make_actor("member", organization_id=org.id).user_id, org.id))
    with database.unit_of_work() as session:
        ids = [EventService(session, v).register(1, registration())[0].id for v in viewers]
        service = EventService(session, viewers[0])
        service.send(service.me(1), RequestIn(recipient_id=ids[1]))  # opt-out: accepted

    scheduled = runner.invoke(app, ["event", "schedule", "1", "--time-limit", "2"])
    assert scheduled.exit_code == 0, scheduled.output
    assert "已排期 scheduled: 1 场会面" in scheduled.stdout
    with database.unit_of_work() as session:
        assert session.query(EventMeeting).count() == 1
    grid = runner.invoke(app, ["event", "grid", "1"])
    assert "松江示例装备有限公司 × 示例产业园" in grid.stdout
    stats = runner.invoke(app, ["event", "stats", "1"])
    assert "会面 meetings 1" in stats.stdout


def test_bad_input_exits_1_with_both_languages(cli_env: Settings) -> None:
    bad = runner.invoke(
        app,
        ["event", "create", "--title", "x", "--block", "tomorrow", "--opens", "2027-01-01T09:00",
         "--closes", "2027-01-02T09:00", "--venue", "v"],
    )  # fmt: skip
    assert bad.exit_code == 1 and "START/END" in bad.output
    missing = runner.invoke(app, ["event", "schedule", "99"])
    assert missing.exit_code == 1 and "not found" in missing.output


def test_import_participants_from_a_file(
    cli_env: Settings, database: Database, tmp_path: Path
) -> None:
    created = runner.invoke(
        app,
        ["event", "create", "--title", "路演日", "--kind", "roadshow",
         "--block", f"{_at(timedelta(days=2))}/{_at(timedelta(days=2, hours=1))}",
         "--opens", _at(-timedelta(days=1)), "--closes", _at(timedelta(days=1)), "--venue", "v"],
    )  # fmt: skip
    assert created.exit_code == 0, created.output
    path = tmp_path / "名单.csv"
    path.write_text("单位名称,姓名,身份,同意\n某公司,张三,企业,是\n", encoding="gbk")
    done = runner.invoke(app, ["event", "import", "1", str(path)])
    assert done.exit_code == 0, done.output
    assert "已导入 imported 1 名参会人" in done.stdout
    path.write_text("单位名称,姓名,身份,同意\n某公司,张三,学生,是\n", encoding="utf-8")
    bad = runner.invoke(app, ["event", "import", "1", str(path)])
    assert bad.exit_code == 1 and "第2行“身份”" in bad.output
