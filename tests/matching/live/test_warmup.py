"""Warming up: every index opened and every vector encoded, off the request path."""

from __future__ import annotations

from factorlink.config import Settings
from factorlink.db.session import Database
from factorlink.introduction.models import PartyKind
from factorlink.matching.live.indexes import registry_for
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
