"""A growing delta is merged into a new segment in the background, while searches go on."""

from __future__ import annotations

import time

import pytest

from factorlink.db.session import Database
from factorlink.introduction.models import PartyKind
from factorlink.matching.live import indexes
from factorlink.matching.live.indexes import registry_for
from tests.introduction.builders import add_listing


def test_a_large_delta_is_merged_in_the_background(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(indexes, "MERGE_MIN", 2)
    registry = registry_for(database)
    assert len(registry.get(PartyKind.achievement).text.lexical.ids) == 0
    added = {
        add_listing(database, "achievement", title=f"第{n}代钠离子电池正极材料", keywords="钠电")
        for n in range(4)
    }
    registry.get(PartyKind.achievement)  # replays the four writes into the delta, starts a merge
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        lexical = registry.get(PartyKind.achievement).text.lexical
        if lexical.delta_size == 0:
            break
        time.sleep(0.05)
    lexical = registry.get(PartyKind.achievement).text.lexical
    assert lexical.delta_size == 0 and set(lexical.ids.tolist()) == added
    assert {h.id for h in registry.search(PartyKind.achievement, "钠离子电池", 10)} == added
