"""Commands: users and their API tokens. Passwords are prompted for or read from stdin."""

from __future__ import annotations

import sys

import typer
from rich.table import Table

from factorlink.auth.models import Role
from factorlink.auth.passwords import check_policy
from factorlink.auth.service import AuthService
from factorlink.auth.user_service import UserService
from factorlink.cli.context import SYSTEM_VIEWER, console, err_console, reports_errors, unit_of_work
from factorlink.errors import NotFound
from factorlink.reference import get_region

user_app = typer.Typer(help="Users and API tokens.", no_args_is_help=True)


def _read_password(from_stdin: bool, username: str) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt(
            "密码 Password", hide_input=True, confirmation_prompt="再次输入 Repeat password"
        )
    check_policy(password, username=username.strip())
    return password


@user_app.command("add")
@reports_errors
def add(
    username: str = typer.Argument(..., help="Login name."),
    role: Role = typer.Option(..., "--role", help="admin, operator or member."),
    org: str | None = typer.Option(
        None, "--org", help="Organisation name or id (required for members)."
    ),
    city: list[str] = typer.Option(
        [], "--city", help="A city of an operator's scope, e.g. 松江; repeat for more."
    ),
    display_name: str | None = typer.Option(None, "--display-name", help="Name shown to others."),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the password from standard input."
    ),
) -> None:
    """Creates a user; the password is asked for twice unless --password-stdin is given."""
    password = _read_password(password_stdin, username)
    with unit_of_work() as session:
        user = UserService(session, SYSTEM_VIEWER).create(
            username=username,
            password=password,
            role=role,
            display_name=display_name,
            organization=org,
            city_scope=city,
        )
        summary = f"{user.username} ({user.role.value}, id {user.id})"
    console.print(f"已创建用户 created user {summary}", highlight=False)


@user_app.command("list")
@reports_errors
def list_(
    role: Role | None = typer.Option(None, "--role", help="Only users of this role."),
) -> None:
    """Lists users with their role, organisation and city scope."""
    region = get_region()
    table = Table()
    for header in (
        "id",
        "用户名 username",
        "角色 role",
        "机构 organisation",
        "城市 cities",
        "状态 status",
    ):
        # Fold rather than cut: a narrow terminal must not hide part of a name.
        table.add_column(header, overflow="fold")
    with unit_of_work() as session:
        service = UserService(session, SYSTEM_VIEWER)
        users = service.all(role=role)
        orgs = service.organization_names(users)
        for u in users:
            cities = "、".join(region.city(c).name if region.has(c) else c for c in u.city_scope)
            table.add_row(
                str(u.id),
                u.username,
                u.role.value,
                orgs.get(u.organization_id, "") if u.organization_id else "",
                cities or ("全部 all" if u.role == Role.operator else ""),
                "启用 active" if u.is_active else "停用 disabled",
            )
    console.print(table, highlight=False)


@user_app.command("password")
@reports_errors
def password(
    username: str = typer.Argument(..., help="Whose password."),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the new password from standard input."
    ),
) -> None:
    """Sets a new password (a reset); every login session and API token of the user ends."""
    new = _read_password(password_stdin, username)
    with unit_of_work() as session:
        service = UserService(session, SYSTEM_VIEWER)
        user = service.users.by_username(username.strip())
        if user is None:
            raise NotFound(f"用户“{username}”不存在", message_en=f"no user {username!r}")
        service.update(user.id, {"password": new})
    console.print(
        f"已重设 {username} 的密码,其登录会话和API令牌均已失效 "
        "(password reset; the user's sessions and API tokens are revoked)",
        highlight=False,
    )


@user_app.command("token")
@reports_errors
def token(
    username: str = typer.Argument(..., help="Whose token."),
    name: str = typer.Option(..., "--name", help="What the token is for, e.g. crm-sync."),
    days: int | None = typer.Option(
        None,
        "--days",
        min=1,
        max=3650,
        help="Lifetime in days; default FACTORLINK_API_TOKEN_DAYS (90).",
    ),
) -> None:
    """Creates an API token and prints it once, alone on standard output."""
    with unit_of_work() as session:
        issued = AuthService(session, SYSTEM_VIEWER).api_token_for(
            username, name, expires_in_days=days
        )
        expires = issued.record.expires_at
    typer.echo(issued.secret)
    until = f"{expires:%Y-%m-%d %H:%M} UTC" if expires else "-"
    err_console.print(
        "请妥善保存:令牌只显示这一次 (the token is shown this once; store it safely)",
        highlight=False,
    )
    err_console.print(f"有效期至 expires at {until}", highlight=False)


def register(app: typer.Typer) -> None:
    """Adds the `user` command group."""
    app.add_typer(user_app, name="user")
