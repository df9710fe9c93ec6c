"""Every error is an RFC 9457 problem document; business errors are 4xx."""

from __future__ import annotations

from typing import cast

from fastapi.testclient import TestClient


def _is_problem(response: object) -> dict[str, object]:
    from httpx2 import Response

    assert isinstance(response, Response)
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert {"type", "title", "status", "detail", "instance"} <= body.keys()
    assert body["status"] == response.status_code
    return dict(body)


def test_not_found(client: TestClient) -> None:
    body = _is_problem(client.get("/api/v1/achievements/999"))
    assert body["status"] == 404 and "999" in str(body["detail"])


def test_unknown_route(client: TestClient) -> None:
    assert _is_problem(client.get("/api/v1/nothing-here"))["status"] == 404


def test_query_validation(client: TestClient) -> None:
    body = _is_problem(client.get("/api/v1/demands", params={"page_size": 1000}))
    assert body["status"] == 422
    assert cast(list[dict[str, str]], body["errors"])[0]["field"] == "page_size"


def test_body_validation(client: TestClient) -> None:
    response = client.post(
        "/api/v1/demands", json={"title": "x", "unknown": 1}, headers={"Authorization": "Bearer x"}
    )
    assert _is_problem(response)["status"] in (401, 422)


def test_bad_token(client: TestClient) -> None:
    response = client.get("/api/v1/demands", headers={"Authorization": "Bearer flk_nonsense"})
    assert _is_problem(response)["status"] == 401


def test_openapi_lists_the_api(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/v1/achievements", "/api/v1/demands/{id}", "/api/v1/reference/cities"):
        assert path in paths


def test_validation_reasons_come_in_both_languages(client: TestClient) -> None:
    body = _is_problem(client.get("/api/v1/demands", params={"page_size": 1000}))
    [error] = cast(list[dict[str, str]], body["errors"])
    assert error["reason"] == "page_size不能大于200"
    assert "200" in error["reason_en"]
    unknown = _is_problem(client.get("/api/v1/nothing-here"))
    assert unknown["detail"] == "未找到该地址" and unknown["detail_en"] == "Not found"


def test_pages_beyond_reach_are_invalid(client: TestClient) -> None:
    assert (
        client.get("/api/v1/achievements", params={"page": 461168601842738792}).status_code == 422
    )
    assert client.get("/api/v1/achievements", params={"page": 1_000_000}).status_code == 200


def test_openapi_documents_the_problem_shape(client: TestClient) -> None:
    from factorlink.api.schemas import Problem

    spec = client.get("/openapi.json").json()
    assert "Problem" in spec["components"]["schemas"]
    responses = spec["paths"]["/api/v1/demands"]["post"]["responses"]
    assert "application/problem+json" in responses["4XX"]["content"]
    assert "422" not in responses  # FastAPI's own validation shape is not what we send
    for response in (
        client.get("/api/v1/demands/999"),
        client.get("/api/v1/demands", params={"page_size": 0}),
        client.post("/api/v1/demands", json={}),
    ):
        Problem.model_validate(response.json())
