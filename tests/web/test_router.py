"""Static files compressed and cached; pages never compressed (web/router.py)."""

from __future__ import annotations

import gzip

from fastapi.testclient import TestClient
from httpx2 import Response

from factorlink.web.router import STATIC_CACHE

ECHARTS = "/static/vendor/echarts/echarts.min.js"


def _raw(client: TestClient, path: str, **headers: str) -> tuple[Response, bytes]:
    """The answer and its body as sent (not decoded, whatever its encoding)."""
    with client.stream("GET", path, headers=headers) as response:
        return response, b"".join(response.iter_raw())


def test_static_files_are_compressed_for_a_browser_that_asks_and_cached(
    client: TestClient,
) -> None:
    plain, text = _raw(client, "/static/css/app.css", **{"Accept-Encoding": "identity"})
    packed, body = _raw(client, "/static/css/app.css", **{"Accept-Encoding": "gzip"})
    assert plain.status_code == packed.status_code == 200
    assert "content-encoding" not in plain.headers
    assert packed.headers["content-encoding"] == "gzip"
    assert "accept-encoding" in packed.headers["vary"].lower()
    assert gzip.decompress(body) == text
    assert len(body) < len(text) / 2
    assert packed.headers["cache-control"] == plain.headers["cache-control"] == STATIC_CACHE
    assert plain.headers["etag"]  # revalidated after a day
    again = client.get("/static/css/app.css", headers={"If-None-Match": plain.headers["etag"]})
    assert again.status_code == 304


def test_the_largest_asset_travels_compressed(client: TestClient) -> None:
    packed, body = _raw(client, ECHARTS, **{"Accept-Encoding": "gzip"})
    assert packed.status_code == 200, "run `make assets`"
    assert packed.headers["content-encoding"] == "gzip"
    assert len(body) < 400_000  # 1.1 MB as it is


def test_pages_are_not_compressed(client: TestClient) -> None:
    # A page holds a form token beside what the visitor typed: compressing them together
    # would leak the token (BREACH).
    page, _ = _raw(client, "/leads/new", **{"Accept-Encoding": "gzip"})
    assert page.status_code == 200
    assert "content-encoding" not in page.headers
