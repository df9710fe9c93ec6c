"""The OpenAPI document: how to authenticate, which operations need it, and the values of the
list filters with a fixed vocabulary."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

Document = dict[str, Any]


@pytest.fixture
def document(client: TestClient) -> Document:
    answer = client.get("/openapi.json")
    assert answer.status_code == 200
    data: Document = answer.json()
    return data


def _parameter(document: Document, path: str, name: str) -> dict[str, Any]:
    parameters = document["paths"][path]["get"]["parameters"]
    found: dict[str, Any] = next(p for p in parameters if p["name"] == name)
    return found


def test_the_bearer_scheme_and_the_cookie_are_declared(document: Document) -> None:
    schemes = document["components"]["securitySchemes"]
    assert schemes["bearerAuth"]["type"] == "http" and schemes["bearerAuth"]["scheme"] == "bearer"
    assert schemes["sessionCookie"] == {
        **schemes["sessionCookie"],
        "type": "apiKey",
        "in": "cookie",
        "name": "factorlink_session",
    }
    assert "X-CSRF-Token" in schemes["sessionCookie"]["description"]


@pytest.mark.parametrize(
    ("path", "method", "security"),
    [
        ("/api/v1/imports", "post", [{"bearerAuth": []}, {"sessionCookie": []}]),
        ("/api/v1/users", "get", [{"bearerAuth": []}, {"sessionCookie": []}]),
        ("/api/v1/achievements", "post", [{"bearerAuth": []}, {"sessionCookie": []}]),
        ("/api/v1/achievements", "get", [{"bearerAuth": []}, {"sessionCookie": []}, {}]),
        ("/api/v1/leads", "post", [{"bearerAuth": []}, {"sessionCookie": []}, {}]),
        ("/api/v1/reference/cities", "get", None),
    ],
)
def test_operations_say_whether_they_need_credentials(
    document: Document, path: str, method: str, security: list[dict[str, list[str]]] | None
) -> None:
    assert document["paths"][path][method].get("security") == security


def test_anonymous_calls_to_declared_operations_are_401(client: TestClient) -> None:
    assert client.get("/api/v1/users").status_code == 401
    assert client.post("/api/v1/achievements", json={"title": "x"}).status_code == 401


def test_fixed_vocabularies_are_enums_and_anything_else_is_422(
    client: TestClient, document: Document
) -> None:
    kind = _parameter(document, "/api/v1/carriers", "kind")["schema"]["anyOf"][0]["$ref"]
    kinds = document["components"]["schemas"][kind.rsplit("/", 1)[1]]["enum"]
    assert kinds[:4] == ["land", "factory", "office", "incubator"] and "厂房" in kinds
    assert client.get("/api/v1/carriers", params={"kind": "厂房"}).status_code == 200
    wrong = client.get("/api/v1/carriers", params={"kind": "飞船"})
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "kind"
    for path in ("/api/v1/achievements", "/api/v1/leads", "/api/v1/introductions", "/api/v1/stats"):
        cities = _parameter(document, path, "city")["schema"]["enum"]
        assert {"songjiang", "松江", "hefei", "合肥"} <= set(cities)
    assert {"ai", "人工智能"} <= set(
        _parameter(document, "/api/v1/demands", "industry")["schema"]["enum"]
    )
    assert client.get("/api/v1/achievements", params={"city": "北京"}).status_code == 422
    status = _parameter(document, "/api/v1/leads", "status")["schema"]["anyOf"][0]["$ref"]
    assert document["components"]["schemas"][status.rsplit("/", 1)[1]]["enum"]
