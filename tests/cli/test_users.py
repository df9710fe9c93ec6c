"""`factorlink user add|list|password|token`, run for real against the test database."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from factorlink.auth.models import Role, User
from factorlink.auth.passwords import verify_password
from factorlink.cli.main import app
from factorlink.config import Settings
from factorlink.db.session import Database
from tests.factories import MakeOrganization

PASSWORD = "嘉兴-南湖-2024-secure"
runner = CliRunner()


def _users(database: Database) -> dict[str, User]:
    with database.unit_of_work() as s:
        return {u.username: u for u in s.scalars(select(User))}


def test_add_operator_prompts_twice_and_resolves_cities(
    cli_env: Settings, database: Database
) -> None:
    result = runner.invoke(
        app,
        ["user", "add", "zhang.ops", "--role", "operator", "--city", "松江", "--city", "杭州市"],
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )

    assert result.exit_code == 0, result.output
    assert "zhang.ops" in result.stdout
    assert PASSWORD not in result.output  # the prompt hides what is typed
    user = _users(database)["zhang.ops"]
    assert user.role == Role.operator
    assert user.city_scope == ["songjiang", "hangzhou"]
    assert verify_password(user.password_hash, PASSWORD)


def test_mismatched_repeat_is_asked_again(cli_env: Settings, database: Database) -> None:
    result = runner.invoke(
        app,
        ["user", "add", "li.admin", "--role", "admin"],
        input=f"{PASSWORD}\nsomething-else-12\n{PASSWORD}\n{PASSWORD}\n",
    )
    assert result.exit_code == 0, result.output
    assert verify_password(_users(database)["li.admin"].password_hash, PASSWORD)


def test_password_from_stdin_for_scripts(
    cli_env: Settings, database: Database, make_org: MakeOrganization
) -> None:
    org = make_org("芜湖示例机器人有限公司", city="wuhu")
    member = ["user", "add", "wang.wh", "--role", "member", "--org", "芜湖示例机器人有限公司"]
    prompted = runner.invoke(app, member, input=f"{PASSWORD}\n")
    assert prompted.exit_code == 1  # without --password-stdin it asks twice; one line is not enough
    piped = runner.invoke(app, [*member, "--password-stdin"], input=f"{PASSWORD}\n")
    assert piped.exit_code == 0, piped.output
    by_id = runner.invoke(
        app,
        ["user", "add", "zhao.wh", "--role", "member", "--org", str(org.id), "--password-stdin"],
        input=PASSWORD,
    )
    assert by_id.exit_code == 0, by_id.output
    users = _users(database)
    assert users["wang.wh"].organization_id == users["zhao.wh"].organization_id == org.id
    assert verify_password(users["zhao.wh"].password_hash, PASSWORD)


def test_the_password_is_never_an_argument(cli_env: Settings, database: Database) -> None:
    result = runner.invoke(
        app, ["user", "add", "sun", "--role", "admin", "--password", PASSWORD], input=""
    )
    assert result.exit_code == 2
    assert "No such option" in result.output
    assert _users(database) == {}


@pytest.mark.parametrize(
    ("args", "stdin", "message", "message_en"),
    [
        (["--role", "admin"], "short\n", "密码至少需要10个字符", "at least 10 characters"),
        (["--role", "member"], f"{PASSWORD}\n", "成员必须属于一个机构", "must belong"),
        (
            ["--role", "member", "--org", "没有这家公司"],
            f"{PASSWORD}\n",
            "没有这家公司",
            "does not",
        ),
        (
            ["--role", "member", "--org", str(2**40)],
            f"{PASSWORD}\n",
            f"机构“{2**40}”不存在",
            "does not exist",
        ),
        (["--role", "member", "--org", "²"], f"{PASSWORD}\n", "机构“²”不存在", "does not exist"),
        (
            ["--role", "operator", "--city", "北京"],
            f"{PASSWORD}\n",
            "未知城市“北京”",
            "unknown city",
        ),
        (["--role", "admin", "--city", "松江"], f"{PASSWORD}\n", "只有运营人员", "only operators"),
    ],
)
def test_bad_input_is_reported_in_both_languages_and_nothing_is_written(
    cli_env: Settings,
    database: Database,
    args: list[str],
    stdin: str,
    message: str,
    message_en: str,
) -> None:
    result = runner.invoke(app, ["user", "add", "gu.test", *args, "--password-stdin"], input=stdin)
    assert result.exit_code == 1
    assert message in result.stderr and message_en in result.stderr
    assert "Traceback" not in result.output
    assert _users(database) == {}


def test_duplicate_username_is_refused(cli_env: Settings) -> None:
    args = ["user", "add", "chen", "--role", "admin", "--password-stdin"]
    assert runner.invoke(app, args, input=f"{PASSWORD}\n").exit_code == 0
    again = runner.invoke(app, [*args[:2], "CHEN", *args[3:]], input=f"{PASSWORD}\n")
    assert again.exit_code == 1 and "已被使用" in again.stderr


def _table_rows(output: str) -> dict[str, list[str]]:
    """Reads a rich table back, joining cells folded over several lines; keyed by username."""
    rows: list[list[str]] = []
    for line in output.splitlines():
        if not line.startswith("│"):
            continue
        cells = [c.strip() for c in line.strip("│").split("│")]
        if cells[0]:
            rows.append(cells)
        else:
            rows[-1] = [a + b for a, b in zip(rows[-1], cells, strict=True)]
    return {row[1]: row for row in rows}


def test_list_shows_role_organisation_and_cities(
    cli_env: Settings, make_org: MakeOrganization
) -> None:
    make_org("宣城示例光伏有限公司", city="xuancheng")
    for args in (
        ["hu.ops", "--role", "operator", "--city", "宣城", "--city", "湖州"],
        ["he.member", "--role", "member", "--org", "宣城示例光伏有限公司"],
        ["all.ops", "--role", "operator"],
    ):
        result = runner.invoke(app, ["user", "add", *args, "--password-stdin"], input=PASSWORD)
        assert result.exit_code == 0, result.output

    listed = runner.invoke(app, ["user", "list"])

    assert listed.exit_code == 0, listed.output
    rows = _table_rows(listed.stdout)
    assert rows["hu.ops"][2:5] == ["operator", "", "宣城、湖州"]
    assert rows["he.member"][2:4] == ["member", "宣城示例光伏有限公司"]
    assert rows["all.ops"][4] == "全部 all"
    only_members = runner.invoke(app, ["user", "list", "--role", "member"])
    assert "he.member" in only_members.stdout and "hu.ops" not in only_members.stdout


def test_token_is_printed_once_and_works(
    cli_env: Settings, client: TestClient, database: Database
) -> None:
    runner.invoke(
        app, ["user", "add", "api.bot", "--role", "operator", "--password-stdin"], input=PASSWORD
    )

    result = runner.invoke(app, ["user", "token", "api.bot", "--name", "crm-sync"])

    assert result.exit_code == 0, result.output
    token = result.stdout.strip()
    assert token.startswith("flk_") and "\n" not in token
    assert "只显示这一次" in result.stderr
    me = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200 and me.json()["username"] == "api.bot"
    listed = client.get("/api/v1/auth/tokens", headers={"Authorization": f"Bearer {token}"})
    assert [t["name"] for t in listed.json()] == ["crm-sync"]
    again = runner.invoke(app, ["user", "token", "api.bot", "--name", "crm-sync"])
    assert again.exit_code == 1 and "crm-sync" in again.stderr


def test_token_for_an_unknown_user(cli_env: Settings) -> None:
    result = runner.invoke(app, ["user", "token", "nobody", "--name", "x"])
    assert result.exit_code == 1
    assert "用户“nobody”不存在" in result.stderr


def test_token_shows_its_expiry_and_takes_days(cli_env: Settings, client: TestClient) -> None:
    runner.invoke(
        app, ["user", "add", "api.bot", "--role", "operator", "--password-stdin"], input=PASSWORD
    )
    default = runner.invoke(app, ["user", "token", "api.bot", "--name", "crm-sync"])
    week = runner.invoke(app, ["user", "token", "api.bot", "--name", "weekly", "--days", "7"])
    assert default.exit_code == 0 and week.exit_code == 0, default.output + week.output
    assert "expires at" in default.stderr
    listed = client.get(
        "/api/v1/auth/tokens", headers={"Authorization": f"Bearer {week.stdout.strip()}"}
    )
    expiry = {t["name"]: t["expires_at"][:16].replace("T", " ") for t in listed.json()}
    assert f"expires at {expiry['crm-sync']} UTC" in default.stderr
    assert f"expires at {expiry['weekly']} UTC" in week.stderr


def test_password_reset_refuses_weak_ones_and_revokes_tokens(
    cli_env: Settings, client: TestClient, database: Database
) -> None:
    runner.invoke(
        app, ["user", "add", "api.bot", "--role", "operator", "--password-stdin"], input=PASSWORD
    )
    token = runner.invoke(app, ["user", "token", "api.bot", "--name", "crm"]).stdout.strip()
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/auth/me", headers=bearer).status_code == 200

    weak = runner.invoke(
        app, ["user", "password", "api.bot", "--password-stdin"], input="api.bot-2026\n"
    )
    assert weak.exit_code == 1 and "用户名" in weak.stderr
    unknown = runner.invoke(app, ["user", "password", "nobody", "--password-stdin"], input=PASSWORD)
    assert unknown.exit_code == 1 and "nobody" in unknown.stderr
    reset = runner.invoke(
        app, ["user", "password", "api.bot", "--password-stdin"], input="湖州-太湖-river-2026\n"
    )

    assert reset.exit_code == 0, reset.output
    assert client.get("/api/v1/auth/me", headers=bearer).status_code == 401
    assert verify_password(_users(database)["api.bot"].password_hash, "湖州-太湖-river-2026")


def test_names_typed_on_the_command_line_are_stored_as_they_look(
    cli_env: Settings, client: TestClient, database: Database
) -> None:
    added = runner.invoke(
        app,
        [
            *("user", "add", "gu.ops", "--role", "operator", "--password-stdin"),
            *("--display-name", "\u202e顾\u200b运营"),
        ],
        input=PASSWORD,
    )
    assert added.exit_code == 0, added.output
    assert _users(database)["gu.ops"].display_name == "顾运营"
    token = runner.invoke(app, ["user", "token", "gu.ops", "--name", "crm\u2066-sync\u2069"])
    listed = client.get(
        "/api/v1/auth/tokens", headers={"Authorization": f"Bearer {token.stdout.strip()}"}
    )
    assert [t["name"] for t in listed.json()] == ["crm-sync"]
