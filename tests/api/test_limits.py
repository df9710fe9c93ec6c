"""Bodies are judged before they are read: credentials first where a route needs a user, and a
size cap per route, from Content-Length and while a chunked body streams.

The app is called as ASGI with a `receive` that counts what it hands out, so "not read" is seen,
not assumed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.types import Message

from factorlink.api.app import create_app
from factorlink.api.limits import FORM_ENVELOPE_BYTES, Rule, rule_of, size_label
from factorlink.api.routes import route_for
from factorlink.config import Settings
from factorlink.db.session import Database
from factorlink.web.csrf import PRESESSION_COOKIE
from tests import aio
from tests.factories import MakeActor
from tests.introduction.builders import LEAD

CHUNK = 64 * 1024


@dataclass
class Answer:
    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    chunks_read: int = 0

    def json(self) -> dict[str, object]:
        data: dict[str, object] = json.loads(self.body)
        return data


def call(
    app: FastAPI,
    method: str,
    path: str,
    headers: dict[str, str],
    chunks: Iterable[bytes],
) -> Answer:
    """One request through the app's ASGI interface; counts the body chunks the app took."""
    answer = Answer()
    pending = iter(chunks)

    async def receive() -> Message:
        chunk = next(pending, None)
        if chunk is None:
            return {"type": "http.request", "body": b"", "more_body": False}
        answer.chunks_read += 1
        return {"type": "http.request", "body": chunk, "more_body": True}

    async def send(message: Message) -> None:
        if message["type"] == "http.response.start":
            answer.status = message["status"]
            answer.headers = {k.decode(): v.decode() for k, v in message["headers"]}
        elif message["type"] == "http.response.body":
            answer.body += message.get("body", b"")

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"kind=organization" if path == "/api/v1/imports" else b"",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    aio.run(app(scope, receive, send))
    return answer


def gigabyte() -> Iterable[bytes]:
    """A 1 GB body, made as it is read (so an app that reads it all takes 16,384 chunks)."""
    block = b"x" * CHUNK
    for _ in range(1024**3 // CHUNK):
        yield block


MULTIPART = {"content-type": "multipart/form-data; boundary=b0undary"}


@pytest.fixture
def app(settings: Settings, database: Database) -> FastAPI:
    return create_app(settings, database)


def test_an_anonymous_upload_is_refused_before_a_byte_is_read(app: FastAPI) -> None:
    chunked = call(
        app, "POST", "/api/v1/imports", {**MULTIPART, "transfer-encoding": "chunked"}, gigabyte()
    )
    assert chunked.status == 401 and chunked.chunks_read == 0
    assert chunked.headers["content-type"] == "application/problem+json"
    assert chunked.json()["detail_en"] == "Login required"
    sized = call(
        app, "POST", "/api/v1/imports", {**MULTIPART, "content-length": str(1024**3)}, gigabyte()
    )
    assert sized.status == 401 and sized.chunks_read == 0


def test_a_page_post_without_its_form_cookie_is_refused_before_reading(app: FastAPI) -> None:
    headers = {"content-type": "application/x-www-form-urlencoded", "content-length": "900000"}
    answer = call(app, "POST", "/login", headers, gigabyte())
    assert answer.status == 403 and answer.chunks_read == 0
    assert answer.headers["content-type"].startswith("text/html")
    assert "页面已过期" in answer.body.decode()


def test_a_visitor_with_only_a_form_cookie_cannot_upload_to_a_users_page(app: FastAPI) -> None:
    headers = {**MULTIPART, "content-length": str(1024**3), "cookie": f"{PRESESSION_COOKIE}=v"}
    answer = call(app, "POST", "/workspace/import", headers, gigabyte())
    assert answer.status == 401 and answer.chunks_read == 0
    assert answer.headers["content-type"].startswith("text/html")
    assert "请先登录" in answer.body.decode()


def test_a_declared_length_over_the_cap_is_a_413_before_reading(
    app: FastAPI, settings: Settings
) -> None:
    headers = {"content-type": "application/json", "content-length": str(200 * 1024**2)}
    answer = call(app, "POST", "/api/v1/leads", headers, gigabyte())
    assert answer.status == 413 and answer.chunks_read == 0
    assert answer.headers["content-type"] == "application/problem+json"
    problem = answer.json()
    assert problem["status"] == 413 and problem["instance"] == "/api/v1/leads"
    assert problem["detail"] == "请求内容超过上限1 MB"
    assert problem["detail_en"] == "The request body is larger than the 1 MB limit"
    assert settings.max_body_bytes == 1024**2
    # A page form: the error page, in the page's words.
    cookie = {"cookie": f"{PRESESSION_COOKIE}=some-visitor"}
    page = call(app, "POST", "/login", {**headers, **cookie}, gigabyte())
    assert page.status == 413 and page.chunks_read == 0
    assert page.headers["content-type"].startswith("text/html")
    assert "请求内容超过上限1 MB" in page.body.decode()


def test_a_chunked_body_is_cut_off_once_over_the_cap(app: FastAPI) -> None:
    headers = {"content-type": "application/json", "transfer-encoding": "chunked"}
    answer = call(app, "POST", "/api/v1/leads", headers, gigabyte())
    assert answer.status == 413
    assert answer.json()["detail_en"] == "The request body is larger than the 1 MB limit"
    assert answer.chunks_read == 1024**2 // CHUNK + 1  # the chunk that went over, no more


def test_an_upload_route_takes_an_import_file_and_no_more(
    settings: Settings, database: Database, make_actor: MakeActor
) -> None:
    mine = settings.model_copy(update={"import_max_bytes": 2 * 1024**2})
    app = create_app(mine, database)
    admin = make_actor("admin")
    cap = mine.import_max_bytes + FORM_ENVELOPE_BYTES
    over = call(
        app,
        "POST",
        "/api/v1/imports",
        {**MULTIPART, **admin.headers, "content-length": str(cap + 1)},
        gigabyte(),
    )
    assert over.status == 413 and over.chunks_read == 0
    assert (
        over.json()["detail_en"] == f"The request body is larger than the {size_label(cap)} limit"
    )
    # Larger than a JSON body may be, within the import cap: the endpoint reads it and answers.
    csv = "名称,统一社会信用代码\n" + "某公司,\n" * (1536 * 1024 // 12)
    with TestClient(app) as client:
        answer = client.post(
            "/api/v1/imports",
            params={"kind": "organization", "dry_run": "true"},
            files={"file": ("orgs.csv", csv.encode(), "text/csv")},
            headers=admin.headers,
        )
    assert len(csv.encode()) > mine.max_body_bytes
    assert answer.status_code != 413 and answer.status_code < 500, answer.text


def test_a_json_write_is_capped_and_a_small_one_passes(app: FastAPI) -> None:
    big = json.dumps({**LEAD, "need": "x" * (1024**2)}).encode()
    with TestClient(app) as client:
        assert client.post("/api/v1/leads", json=LEAD).status_code == 201
        refused = client.post(
            "/api/v1/leads", content=big, headers={"content-type": "application/json"}
        )
    assert refused.status_code == 413


def test_a_page_form_with_its_cookie_still_posts(app: FastAPI) -> None:
    with TestClient(app) as client:
        found = re.search(r'name="csrf_token" value="([0-9a-f]{64})"', client.get("/login").text)
        assert found is not None and client.cookies.get(PRESESSION_COOKIE)
        form = {"username": "nobody", "password": "wrong-password", "csrf_token": found.group(1)}
        answer = client.post("/login", data=form)
    assert answer.status_code == 401 and "用户名或密码错误" in answer.text  # read and judged


def test_the_rules_come_from_the_routes(app: FastAPI) -> None:
    def rule(path: str, method: str) -> Rule:
        route = route_for(app.routes, path, method)
        assert route is not None
        return rule_of(route)

    assert rule("/api/v1/imports", "POST") == Rule(
        needs_user=True, needs_form_cookie=False, upload=True
    )
    assert rule("/api/v1/leads/7/withdraw-consent", "POST").needs_user
    assert rule("/api/v1/leads", "POST") == Rule(
        needs_user=False,
        needs_form_cookie=False,
        upload=False,  # open to visitors
    )
    assert rule("/workspace/import", "POST") == Rule(
        needs_user=True, needs_form_cookie=True, upload=True
    )
    assert rule("/login", "POST") == Rule(needs_user=False, needs_form_cookie=True, upload=False)
