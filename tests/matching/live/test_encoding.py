"""Encoding outside the web process: what the store lacks, resumable, split into shards."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from factorlink.config import Settings
from factorlink.db.session import Database
from factorlink.introduction.models import PartyKind
from factorlink.matching.live.encoding import encode_kind
from factorlink.matching.live.indexes import BACKGROUND_NICE, IndexRegistry, background_priority
from factorlink.matching.live.vectorstore import DatabaseVectorStore, FileVectorStore
from tests.introduction.builders import add_listing
from tests.matching.live.test_vectorstore import CountingEncoder

TITLES = ["固态电池电解质", "钙钛矿叠层光伏", "晶圆缺陷检测", "中药复方制剂", "石墨烯散热膜"]


def _listings(database: Database) -> None:
    for n, title in enumerate(TITLES):
        add_listing(database, "achievement", code=f"ACH-{n}", title=title)


def test_encodes_what_the_store_lacks_and_a_second_run_goes_on_where_the_first_stopped(
    database: Database,
) -> None:
    _listings(database)
    store = FileVectorStore(database.settings.vector_store_path)
    encoder = CountingEncoder()
    try:
        first = encode_kind(database, encoder, store, PartyKind.achievement, limit=2)
        assert (first.passages, first.stored, first.encoded) == (5, 0, 2)
        second = encode_kind(database, encoder, store, PartyKind.achievement)
        assert (second.passages, second.stored, second.encoded) == (5, 2, 3)
        assert len(encoder.seen) == 5 == len(set(encoder.seen))
        third = encode_kind(database, encoder, store, PartyKind.achievement)
        assert (third.stored, third.encoded) == (5, 0) and len(encoder.seen) == 5
        assert all(any(title in text for text in encoder.seen) for title in TITLES)
    finally:
        store.close()


def test_shards_split_the_texts_between_workers(database: Database) -> None:
    _listings(database)
    store = FileVectorStore(database.settings.vector_store_path)
    try:
        workers = [CountingEncoder(), CountingEncoder(), CountingEncoder()]
        for shard, encoder in enumerate(workers):
            encode_kind(database, encoder, store, PartyKind.achievement, shard=shard, shards=3)
        seen = [text for encoder in workers for text in encoder.seen]
        assert len(seen) == 5 == len(set(seen))
        with pytest.raises(ValueError, match="shard 3 of 3"):
            encode_kind(
                database, CountingEncoder(), store, PartyKind.achievement, shard=3, shards=3
            )
    finally:
        store.close()


def test_a_server_that_leaves_encoding_to_workers_takes_their_vectors_from_the_store(
    database: Database, settings: Settings
) -> None:
    _listings(database)
    server = Database(settings.model_copy(update={"matching_encode_in_process": False}))
    encoder = CountingEncoder()
    try:
        registry = IndexRegistry(server, encoder)
        index = registry.get(PartyKind.achievement)
        assert len(index.pending) == 5
        assert registry.encode_pending(index) == 0 and encoder.seen == []
        # A worker (here in this process, with its own store handle) encodes two of them.
        store = FileVectorStore(settings.vector_store_path)
        worker = CountingEncoder()
        encode_kind(database, worker, store, PartyKind.achievement, limit=2)
        store.close()
        assert registry.encode_pending(index) == 2 and encoder.seen == []
        assert len(index.pending) == 3 and len(index.text.dense) == 2
        registry.close()
    finally:
        server.dispose()


def test_a_server_on_another_machine_takes_the_vectors_a_worker_put_in_the_shared_store(
    database: Database, settings: Settings, shared_store_url: str, tmp_path: Path
) -> None:
    """With FACTORLINK_MATCHING_VECTOR_STORE_URL, a worker and a server with data directories of
    their own (two machines) share one store: what the worker encodes, the server takes."""
    _listings(database)
    elsewhere = settings.model_copy(
        update={
            "data_dir": tmp_path / "other-machine",
            "matching_encode_in_process": False,
            "matching_vector_store_url": shared_store_url,
        }
    )
    server = Database(elsewhere)
    encoder = CountingEncoder()
    try:
        registry = IndexRegistry(server, encoder)
        index = registry.get(PartyKind.achievement)
        assert len(index.pending) == 5
        store = DatabaseVectorStore(shared_store_url)
        encode_kind(database, CountingEncoder(), store, PartyKind.achievement)
        store.close()
        assert registry.encode_pending(index) == 5 and encoder.seen == []
        assert not index.pending and len(index.text.dense) == 5
        assert not elsewhere.vector_store_path.exists()
        registry.close()
    finally:
        server.dispose()


def test_the_background_encoder_runs_below_requests_and_its_threads_inherit_it() -> None:
    seen: list[int] = []

    def encoder_thread() -> None:
        background_priority()
        child = threading.Thread(
            target=lambda: seen.append(os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))
        )
        child.start()
        child.join()
        seen.append(os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))

    thread = threading.Thread(target=encoder_thread)
    thread.start()
    thread.join()
    assert seen == [BACKGROUND_NICE, BACKGROUND_NICE]
    # The caller's own priority is untouched.
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) < BACKGROUND_NICE
