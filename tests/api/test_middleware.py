"""Edge rules: the full Allow on OPTIONS and 405, HEAD wherever GET, and the headers every
answer carries (nosniff, no framing; the docs page's own policy)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.factories import MakeActor


def _allow(value: str) -> list[str]:
    return [m.strip() for m in value.split(",")]


@pytest.mark.parametrize(
    ("path", "methods"),
    [
        ("/api/v1/achievements", ["GET", "HEAD", "OPTIONS", "POST"]),
        ("/api/v1/achievements/3", ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH"]),
        ("/api/v1/leads/3/withdraw-consent", ["OPTIONS", "POST"]),
        ("/api/v1/users", ["GET", "HEAD", "OPTIONS", "POST"]),
        ("/leads/new", ["GET", "HEAD", "OPTIONS", "POST"]),
        # A literal path is its own resource, not a value of /news/{article_id}.
        ("/api/v1/news/pages", ["OPTIONS", "POST"]),
    ],
)
def test_options_and_405_name_every_method_of_the_path(
    client: TestClient, path: str, methods: list[str]
) -> None:
    options = client.options(path)
    assert options.status_code == 204 and _allow(options.headers["allow"]) == methods
    unsupported = client.put(path)
    assert unsupported.status_code == 405
    assert _allow(unsupported.headers["allow"]) == methods


def test_options_on_no_path_is_404(client: TestClient) -> None:
    assert client.options("/api/v1/nothing-here").status_code == 404


def test_head_answers_what_get_would_without_the_body(
    client: TestClient, make_actor: MakeActor
) -> None:
    headers = make_actor("admin").headers
    get = client.get("/api/v1/achievements", headers=headers)
    head = client.head("/api/v1/achievements", headers=headers)
    assert (head.status_code, head.content) == (200, b"")
    assert head.headers["content-length"] == get.headers["content-length"]
    assert client.head("/api/v1/users").status_code == 401  # as GET would answer


@pytest.mark.parametrize(
    "path",
    ["/api/v1/reference/cities", "/api/v1/nothing-here", "/static/js/app.js", "/", "/docs"],
)
def test_every_answer_is_nosniff_and_unframeable(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert "strict-transport-security" not in response.headers  # plain http by default


def test_api_answers_run_nothing(client: TestClient) -> None:
    policy = client.get("/api/v1/reference/cities").headers["content-security-policy"]
    assert policy == "default-src 'none'; frame-ancestors 'none'"
    # Pages keep their own policy.
    assert "script-src 'self'" in client.get("/").headers["content-security-policy"]
