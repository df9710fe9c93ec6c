"""User management through the API: admins only; roles, organisations and city scopes checked."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from factorlink.auth.models import AuthToken, User
from factorlink.auth.passwords import verify_password
from factorlink.db.session import Database
from tests.factories import Actor, MakeActor, MakeOrganization

USERS = "/api/v1/users"
NEW_PASSWORD = "Hefei-量子-2024!"


def _operator(**extra: object) -> dict[str, object]:
    return {"username": "zhao.ops", "password": NEW_PASSWORD, "role": "operator", **extra}


def test_admin_creates_a_city_scoped_operator_who_can_log_in(
    client: TestClient, database: Database, make_actor: MakeActor
) -> None:
    admin = make_actor("admin")

    created = client.post(
        USERS,
        json=_operator(city_scope=["松江", "杭州市", "songjiang", "上海市松江区"]),
        headers=admin.headers,
    )

    assert created.status_code == 201, created.text
    body = created.json()
    assert body["city_scope"] == ["songjiang", "hangzhou"]
    assert body["city_scope_names"] == ["上海松江", "杭州"]
    assert "password" not in created.text and NEW_PASSWORD not in created.text
    with database.unit_of_work() as s:
        stored = s.get(User, body["id"])
        assert stored is not None and verify_password(stored.password_hash, NEW_PASSWORD)
    login = client.post(
        "/api/v1/auth/login", json={"username": "zhao.ops", "password": NEW_PASSWORD}
    )
    assert login.status_code == 200
    assert client.get("/api/v1/auth/me").json()["city_scope"] == ["songjiang", "hangzhou"]


def test_members_need_an_existing_organisation(
    client: TestClient, make_actor: MakeActor, make_org: MakeOrganization
) -> None:
    admin = make_actor("admin")
    org = make_org("金华示例五金工具有限公司", city="jinhua")
    member = {"username": "qian.jh", "password": NEW_PASSWORD, "role": "member"}

    missing = client.post(USERS, json=member, headers=admin.headers)
    assert missing.status_code == 422
    assert missing.json()["errors"][0]["field"] == "organization"
    assert "成员必须属于一个机构" in missing.text

    unknown = client.post(
        USERS, json={**member, "organization": "不存在的公司"}, headers=admin.headers
    )
    assert unknown.status_code == 422
    assert "机构“不存在的公司”不存在" in unknown.text

    by_name = client.post(
        USERS, json={**member, "organization": "金华示例五金工具有限公司"}, headers=admin.headers
    )
    assert by_name.status_code == 201, by_name.text
    assert by_name.json()["organization_id"] == org.id
    assert by_name.json()["organization_name"] == "金华示例五金工具有限公司"
    by_id = client.post(
        USERS, json={**member, "username": "sun.jh", "organization": org.id}, headers=admin.headers
    )
    assert by_id.status_code == 201 and by_id.json()["organization_id"] == org.id


def test_every_bad_field_is_named_at_once(client: TestClient, make_actor: MakeActor) -> None:
    admin = make_actor("admin")
    response = client.post(
        USERS,
        json={
            "username": "a b",
            "password": "short",
            "role": "member",
            "city_scope": ["北京", "嘉兴"],
        },
        headers=admin.headers,
    )
    assert response.status_code == 422
    body = response.json()
    fields = {e["field"] for e in body["errors"]}
    assert fields == {"username", "password", "city_scope[0]", "organization", "city_scope"}
    assert "未知城市“北京”" in response.text
    assert "unknown city '北京'" in body["detail_en"]
    assert "short" not in response.text


def test_usernames_are_unique_regardless_of_case(client: TestClient, make_actor: MakeActor) -> None:
    admin = make_actor("admin")
    assert client.post(USERS, json=_operator(), headers=admin.headers).status_code == 201
    clash = client.post(USERS, json=_operator(username="Zhao.Ops"), headers=admin.headers)
    assert clash.status_code == 409
    assert clash.json()["detail_en"] == "username already taken"


def test_unknown_role_is_rejected(client: TestClient, make_actor: MakeActor) -> None:
    admin = make_actor("admin")
    response = client.post(USERS, json=_operator(role="superuser"), headers=admin.headers)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "role"


def test_only_admins_manage_users(
    client: TestClient, make_actor: MakeActor, make_org: MakeOrganization
) -> None:
    admin = make_actor("admin")
    target = make_actor("operator")
    others: list[Actor] = [
        make_actor("operator"),
        make_actor("operator", city_scope=["songjiang"]),
        make_actor("member", organization_id=make_org().id),
    ]
    for actor in others:
        assert client.post(USERS, json=_operator(), headers=actor.headers).status_code == 403
        assert client.get(USERS, headers=actor.headers).status_code == 403
        assert client.get(f"{USERS}/{target.user_id}", headers=actor.headers).status_code == 403
        patched = client.patch(
            f"{USERS}/{target.user_id}", json={"role": "admin"}, headers=actor.headers
        )
        assert patched.status_code == 403
        assert patched.headers["content-type"] == "application/problem+json"
        assert patched.json()["detail"] == "仅管理员可操作"
    assert client.get(USERS).status_code == 401
    assert client.post(USERS, json=_operator()).status_code == 401
    assert (
        client.get(f"{USERS}/{target.user_id}", headers=admin.headers).json()["role"] == "operator"
    )


def test_list_users_with_filters(client: TestClient, make_actor: MakeActor) -> None:
    admin = make_actor("admin")
    for _ in range(3):
        make_actor("operator")
    client.post(USERS, json=_operator(username="wang.ops"), headers=admin.headers)

    everyone = client.get(USERS, params={"page_size": 2}, headers=admin.headers).json()
    assert everyone["total"] == 5 and len(everyone["items"]) == 2
    operators = client.get(USERS, params={"role": "operator"}, headers=admin.headers).json()
    assert operators["total"] == 4
    found = client.get(USERS, params={"q": "wang"}, headers=admin.headers).json()
    assert [u["username"] for u in found["items"]] == ["wang.ops"]


def test_patch_changes_role_scope_and_organisation(
    client: TestClient, make_actor: MakeActor, make_org: MakeOrganization
) -> None:
    admin = make_actor("admin")
    org = make_org("湖州示例绿色建材有限公司", city="huzhou")
    user_id = client.post(USERS, json=_operator(city_scope=["松江"]), headers=admin.headers).json()[
        "id"
    ]
    url = f"{USERS}/{user_id}"

    rescoped = client.patch(url, json={"city_scope": ["湖州", "宣城"]}, headers=admin.headers)
    assert rescoped.json()["city_scope"] == ["huzhou", "xuancheng"]

    bad_city = client.patch(url, json={"city_scope": ["南京"]}, headers=admin.headers)
    assert bad_city.status_code == 422 and bad_city.json()["errors"][0]["field"] == "city_scope[0]"

    no_org = client.patch(url, json={"role": "member"}, headers=admin.headers)
    assert no_org.status_code == 422

    member = client.patch(
        url, json={"role": "member", "organization": org.id}, headers=admin.headers
    )
    assert member.status_code == 200, member.text
    assert (member.json()["role"], member.json()["city_scope"]) == ("member", [])
    assert member.json()["organization_name"] == "湖州示例绿色建材有限公司"

    scoped_member = client.patch(url, json={"city_scope": ["湖州"]}, headers=admin.headers)
    assert scoped_member.status_code == 422
    assert scoped_member.json()["errors"][0]["field"] == "city_scope"

    cleared = client.patch(url, json={"organization": None}, headers=admin.headers)
    assert cleared.status_code == 422  # a member cannot lose their organisation


def test_deactivation_shuts_every_token_out(
    client: TestClient, database: Database, make_actor: MakeActor
) -> None:
    admin = make_actor("admin")
    operator = make_actor("operator")
    assert client.get("/api/v1/auth/me", headers=operator.headers).status_code == 200

    response = client.patch(
        f"{USERS}/{operator.user_id}", json={"is_active": False}, headers=admin.headers
    )

    assert response.status_code == 200 and response.json()["is_active"] is False
    assert client.get("/api/v1/auth/me", headers=operator.headers).status_code == 401
    with database.unit_of_work() as s:
        tokens = s.scalars(select(AuthToken).where(AuthToken.user_id == operator.user_id)).all()
        assert tokens and all(t.revoked_at is not None for t in tokens)


def test_password_reset_ends_login_sessions_and_api_tokens(
    client: TestClient, database: Database, make_actor: MakeActor
) -> None:
    admin = make_actor("admin")
    user_id = client.post(USERS, json=_operator(), headers=admin.headers).json()["id"]
    session = client.post(
        "/api/v1/auth/login", json={"username": "zhao.ops", "password": NEW_PASSWORD}
    ).json()["token"]
    client.cookies.clear()
    as_user = {"Authorization": f"Bearer {session}"}
    api = client.post("/api/v1/auth/tokens", json={"name": "erp"}, headers=as_user).json()
    as_api = {"Authorization": f"Bearer {api['token']}"}
    assert client.get("/api/v1/auth/me", headers=as_api).status_code == 200

    short = client.patch(f"{USERS}/{user_id}", json={"password": "tooshort"}, headers=admin.headers)
    assert short.status_code == 422 and "tooshort" not in short.text
    reset = client.patch(
        f"{USERS}/{user_id}", json={"password": "新的密码-Songjiang-9"}, headers=admin.headers
    )
    assert reset.status_code == 200

    assert client.get("/api/v1/auth/me", headers=as_user).status_code == 401
    assert client.get("/api/v1/auth/me", headers=as_api).status_code == 401  # survived before
    with database.unit_of_work() as s:
        tokens = s.scalars(select(AuthToken).where(AuthToken.user_id == user_id)).all()
        assert tokens and all(t.revoked_at is not None for t in tokens)
    relogin = client.post(
        "/api/v1/auth/login", json={"username": "zhao.ops", "password": "新的密码-Songjiang-9"}
    )
    assert relogin.status_code == 200


def test_an_admin_resetting_their_own_password_keeps_their_session(
    client: TestClient, make_actor: MakeActor
) -> None:
    admin = make_actor("admin")
    created = client.post(USERS, json={**_operator(), "role": "admin"}, headers=admin.headers)
    user_id = created.json()["id"]
    login = {"username": "zhao.ops", "password": NEW_PASSWORD}
    here = client.post("/api/v1/auth/login", json=login).json()["token"]
    elsewhere = client.post("/api/v1/auth/login", json=login).json()["token"]
    client.cookies.clear()
    as_here = {"Authorization": f"Bearer {here}"}

    reset = client.patch(
        f"{USERS}/{user_id}", json={"password": "新的密码-Songjiang-9"}, headers=as_here
    )

    assert reset.status_code == 200, reset.text
    assert client.get("/api/v1/auth/me", headers=as_here).status_code == 200
    elsewhere_me = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {elsewhere}"})
    assert elsewhere_me.status_code == 401


def _login_bearer(client: TestClient, username: str, password: str) -> dict[str, str]:
    response = client.post("/api/v1/auth/login", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    client.cookies.clear()
    return {"Authorization": f"Bearer {response.json()['token']}"}


def test_changing_ones_own_password_ends_the_other_sessions_and_tokens(
    client: TestClient, make_actor: MakeActor
) -> None:
    admin = make_actor("admin")
    client.post(USERS, json=_operator(), headers=admin.headers)
    here = _login_bearer(client, "zhao.ops", NEW_PASSWORD)
    elsewhere = _login_bearer(client, "zhao.ops", NEW_PASSWORD)
    api = client.post("/api/v1/auth/tokens", json={"name": "erp"}, headers=here).json()
    as_api = {"Authorization": f"Bearer {api['token']}"}
    change = "/api/v1/auth/password"

    wrong = client.post(
        change,
        json={"current_password": "not-my-password", "new_password": "松江-新密码-river-2026"},
        headers=here,
    )
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["field"] == "current_password"
    weak = client.post(
        change, json={"current_password": NEW_PASSWORD, "new_password": "9876543210"}, headers=here
    )
    assert weak.status_code == 422 and "9876543210" not in weak.text
    assert weak.json()["errors"][0]["field"] == "new_password"

    done = client.post(
        change,
        json={"current_password": NEW_PASSWORD, "new_password": "松江-新密码-river-2026"},
        headers=here,
    )

    assert done.status_code == 204, done.text
    assert client.get("/api/v1/auth/me", headers=here).status_code == 200
    assert client.get("/api/v1/auth/me", headers=elsewhere).status_code == 401
    assert client.get("/api/v1/auth/me", headers=as_api).status_code == 401
    _login_bearer(client, "zhao.ops", "松江-新密码-river-2026")


@pytest.mark.parametrize(
    ("password", "reason_en"),
    [
        ("aaaaaaaaaa", "repeat"),
        ("1234567890", "sequence"),
        ("zhao.ops-2026", "username"),
        ("\u200b" * 10, "at least 10"),
        ("Password2024!", "common"),
    ],
)
def test_weak_passwords_are_refused_when_a_user_is_created(
    client: TestClient, make_actor: MakeActor, password: str, reason_en: str
) -> None:
    admin = make_actor("admin")
    response = client.post(USERS, json=_operator(password=password), headers=admin.headers)
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert error["field"] == "password" and reason_en in error["reason_en"]
    assert error["reason"].startswith("密码")


def test_the_last_admin_cannot_be_demoted_or_disabled(
    client: TestClient, make_actor: MakeActor
) -> None:
    admin = make_actor("admin")
    url = f"{USERS}/{admin.user_id}"
    for change in ({"role": "operator"}, {"is_active": False}):
        refused = client.patch(url, json=change, headers=admin.headers)
        assert refused.status_code == 409
        assert refused.json()["detail"] == "不能停用或降级最后一位管理员"

    second = make_actor("admin")
    assert client.patch(url, json={"role": "operator"}, headers=second.headers).status_code == 200


def test_unknown_user_is_404(client: TestClient, make_actor: MakeActor) -> None:
    admin = make_actor("admin")
    assert client.get(f"{USERS}/4242", headers=admin.headers).status_code == 404
    assert client.patch(f"{USERS}/4242", json={}, headers=admin.headers).status_code == 404


def test_user_paths_name_their_parameter_id(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {"get", "patch"} <= set(paths[f"{USERS}/{{id}}"])
    assert "delete" in paths["/api/v1/auth/tokens/{id}"]
    assert not [p for p in paths if "user_id" in p or "token_id" in p]


HUGE = 2**40  # beyond PostgreSQL's integer: it can name nothing


def test_ids_out_of_range_are_422_not_500(
    client: TestClient, make_actor: MakeActor, make_org: MakeOrganization
) -> None:
    admin = make_actor("admin")
    for bad in (HUGE, 2**31, 0, -1):
        for response in (
            client.get(f"{USERS}/{bad}", headers=admin.headers),
            client.patch(f"{USERS}/{bad}", json={}, headers=admin.headers),
            client.delete(f"/api/v1/auth/tokens/{bad}", headers=admin.headers),
        ):
            assert response.status_code == 422, response.text
            assert response.json()["errors"][0]["field"] == "id"
    assert client.get(f"{USERS}/{2**31 - 1}", headers=admin.headers).status_code == 404

    user_id = client.post(USERS, json=_operator(), headers=admin.headers).json()["id"]
    member = {"role": "member", "organization": HUGE}
    created = client.post(
        USERS, json={**_operator(username="qian"), **member}, headers=admin.headers
    )
    patched = client.patch(f"{USERS}/{user_id}", json=member, headers=admin.headers)
    for response in (created, patched):
        assert response.status_code == 422, response.text
        assert [e["field"] for e in response.json()["errors"]] == ["organization.id"]


def test_an_organisation_named_by_digits_beyond_any_id_does_not_exist(
    client: TestClient, make_actor: MakeActor, make_org: MakeOrganization
) -> None:
    admin = make_actor("admin")
    org = make_org("宣城示例新能源有限公司", city="xuancheng")
    for i, ref in enumerate((str(HUGE), "²", " 0 ")):
        body = {**_operator(username=f"li{i}"), "role": "member", "organization": ref}
        response = client.post(USERS, json=body, headers=admin.headers)
        assert response.status_code == 422, response.text
        assert response.json()["errors"][0]["field"] == "organization"
        assert f"机构“{ref}”不存在" in response.text
    by_digits = {**_operator(username="zhou"), "role": "member", "organization": f" {org.id} "}
    created = client.post(USERS, json=by_digits, headers=admin.headers)
    assert created.status_code == 201 and created.json()["organization_id"] == org.id


def test_name_search_takes_like_wildcards_literally(
    client: TestClient, make_actor: MakeActor
) -> None:
    admin = make_actor("admin")
    for name, shown in (("wu_ops", "吴运营"), ("wuxops", None), ("wu.ops", "100%达标")):
        body = _operator(username=name, display_name=shown)
        assert client.post(USERS, json=body, headers=admin.headers).status_code == 201
    for q, expected in (
        ("_", ["wu_ops"]),
        ("%", ["wu.ops"]),
        ("0%达", ["wu.ops"]),
        ("wu", ["wu_ops", "wuxops", "wu.ops"]),
    ):
        found = client.get(USERS, params={"q": q}, headers=admin.headers).json()["items"]
        assert [u["username"] for u in found] == expected, q
