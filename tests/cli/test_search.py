"""`factorlink search encode`: passages encoded into the vector store a server then reads."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from factorlink.cli.main import app
from factorlink.config import Settings, get_settings
from factorlink.db.session import Database
from factorlink.introduction.models import PartyKind
from factorlink.matching.live.encoders import get_encoder
from factorlink.matching.live.indexes import IndexRegistry
from tests.cli.test_matching import BATTERY, PEROVSKITE, _row
from tests.introduction.builders import add_listing

runner = CliRunner(env={"COLUMNS": "250"})


def test_encode_fills_the_store_once_and_a_server_finds_the_vectors_there(
    cli_env: Settings, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_listing(database, "achievement", code="ACH-SOLAR", **PEROVSKITE)
    add_listing(database, "achievement", code="ACH-BATTERY", **BATTERY)
    monkeypatch.setenv("FACTORLINK_MATCHING_ENCODER", "e5-int8")
    get_settings.cache_clear()
    result = runner.invoke(app, ["search", "encode", "--kind", "achievement", "--threads", "2"])
    assert result.exit_code == 0, result.output
    assert "e5-small-q4-int8 shard 0/1" in result.stdout
    assert _row(result.stdout, "achievement")[1:4] == ["2", "0", "2"]
    again = runner.invoke(app, ["search", "encode", "--kind", "achievements"])
    assert again.exit_code == 0, again.output
    assert _row(again.stdout, "achievement")[1:4] == ["2", "2", "0"]
    # A server with the same encoder opens its index with every vector from the store.
    server = Database(cli_env.model_copy(update={"matching_encoder": "e5-int8"}))
    registry = IndexRegistry(server, get_encoder("e5-int8"))
    try:
        index = registry.get(PartyKind.achievement)
        assert not index.pending and len(index.text.dense) == 2
    finally:
        registry.close()
        server.dispose()


def test_encode_refuses_a_bad_shard_kind_or_no_encoder(cli_env: Settings) -> None:
    bad_shard = runner.invoke(app, ["search", "encode", "--shard", "2/2"])
    assert bad_shard.exit_code == 2 and "0 <= I < N" in bad_shard.output
    no_encoder = runner.invoke(app, ["search", "encode"])
    assert no_encoder.exit_code == 2 and "no encoder configured" in no_encoder.output
