"""Warming up: every index opened and every vector encoded, off the request path; while
vectors are still pending, the matches say so (API and page)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from factorlink.api.app import create_app
from factorlink.config import Settings
from factorlink.db.session import Database
from factorlink.introduction.models import PartyKind
from factorlink.matching.live.indexes import IndexRegistry, registry_for
from factorlink.matching.live.warmup import warm
from tests.introduction.builders import add_listing


def test_warm_opens_every_index_and_encodes_its_vectors(settings: Settings) -> None:
    semantic = settings.model_copy(update={"matching_encoder": "e5"})
    database = Database(semantic)
    try:
        achievement = add_listing(database, "achievement")
        expert = add_listing(database, "expert")
        thread = warm(database)
        assert thread is not None
        thread.join(timeout=120)
        assert not thread.is_alive()
        registry = registry_for(database)
        assert registry.get(PartyKind.achievement).text.dense.has(achievement)
        assert registry.get(PartyKind.expert).text.dense.has(expert)
        assert not registry.get(PartyKind.achievement).pending
    finally:
        if database.engine.dialect.name == "postgresql":
            from tests.conftest import _truncate_all

            _truncate_all(database)
        database.dispose()


def test_no_encoder_means_no_warm_up(database: Database) -> None:
    assert warm(database) is None


@pytest.fixture
def semantic(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    """A database with the encoder on whose background encoder never gets to work (as when it
    is busy with an import): what waits for vectors keeps waiting until a test encodes it."""
    monkeypatch.setattr(IndexRegistry, "_start_worker", lambda self: None)
    database = Database(settings.model_copy(update={"matching_encoder": "e5"}))
    yield database
    if database.engine.dialect.name == "postgresql":
        from tests.conftest import _truncate_all

        _truncate_all(database)
    database.dispose()


def test_matches_say_how_many_targets_wait_for_vectors(semantic: Database) -> None:
    demand = add_listing(semantic, "demand", title="电子产品散热", keywords="石墨烯、散热膜")
    add_listing(semantic, "achievement")
    add_listing(semantic, "achievement", title="石墨烯导热垫片", keywords="石墨烯、导热")
    # No `with`: the app's start-up warm-up (which encodes everything) does not run.
    client = TestClient(create_app(semantic.settings, semantic))
    url = f"/api/v1/demands/{demand}/matches?target=achievements"

    waiting = client.get(url).json()
    assert (waiting["pending_vectors"], waiting["complete"]) == (2, False)
    assert len(waiting["items"]) == 2, "found by their words meanwhile"
    assert all(m["semantic"] is None for m in waiting["items"])
    assert client.get(f"{url}&method=bm25").json()["complete"] is True
    page = client.get(f"/demands/{demand}?target=achievement").text
    assert "有 2 条新发布的要素正在建立语义索引,匹配结果将在几分钟内更完整" in page
    client.get("/lang/en")
    english = client.get(f"/demands/{demand}").text
    assert "2 newly posted listings are still being indexed" in english

    registry = registry_for(semantic)
    assert registry.encode_pending(registry.get(PartyKind.achievement)) == 2
    done = client.get(url).json()
    assert (done["pending_vectors"], done["complete"]) == (0, True)
    assert all(m["semantic"] is not None for m in done["items"])
    assert "being indexed" not in client.get(f"/demands/{demand}").text


def test_without_encoder_matches_are_complete(database: Database, client: TestClient) -> None:
    demand = add_listing(database, "demand")
    add_listing(database, "achievement")
    found = client.get(f"/api/v1/demands/{demand}/matches?target=achievement").json()
    assert (found["pending_vectors"], found["complete"], len(found["items"])) == (0, True, 1)
    assert "语义索引" not in client.get(f"/demands/{demand}").text
