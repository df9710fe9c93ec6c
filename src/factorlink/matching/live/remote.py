"""The match indexes of a process when Milvus is the search backend (`FACTORLINK_SEARCH_URL`).

A web worker then holds no index of its own: it encodes the query (query vectors are cached by
the encoder) and asks the kind's Milvus collection (`milvus.py`). What Milvus holds is kept in
step with the database by the sync worker (`sync.py`): in a thread of the server
(`FACTORLINK_SEARCH_SYNC=background`), in a process of its own (`off` here, and
`factorlink search sync` elsewhere), or before every search (`inline`: tests and one-shot
commands, which read their own writes).
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from factorlink.db.session import Database
from factorlink.introduction.models import PartyKind
from factorlink.matching.live.milvus import MilvusIndex, connect, disconnect
from factorlink.matching.live.sync import SearchSync
from factorlink.matching.retrieval.dense import Encoder
from factorlink.matching.retrieval.engine import Method
from factorlink.matching.retrieval.fusion import Fused
from factorlink.matching.retrieval.lexical import LexicalIndex

log = logging.getLogger(__name__)

WAITING_TTL = 10.0


class RemoteRegistry:
    """Searches Milvus; the same surface as the local `IndexRegistry` for requests."""

    def __init__(self, database: Database, encoder: Encoder | None) -> None:
        settings = database.settings
        self.database = database
        self.encoder = encoder
        self.folder: Path = settings.index_dir
        self.client = connect(settings.search_url)
        self.sync = SearchSync(database, encoder, client=self.client)
        self.indexes: dict[PartyKind, MilvusIndex] = self.sync.indexes
        self.mode = settings.search_sync
        # One-shot commands catch up (and encode) before answering, as with local indexes.
        self.inline_encoding = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._waiting: dict[PartyKind, tuple[float, int]] = {}

    def start(self) -> None:
        """Runs the sync worker in a daemon thread (`FACTORLINK_SEARCH_SYNC=background`)."""
        if self.mode != "background" or self._thread is not None:
            return
        interval = self.database.settings.search_sync_interval
        self._thread = threading.Thread(
            target=self.sync.run, args=(self._stop, interval), name="factorlink-search-sync",
            daemon=True,
        )  # fmt: skip
        self._thread.start()

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
        self.sync.close()
        disconnect(self.client, self.database.settings.search_url)

    def search(
        self, kind: PartyKind, query: str, k: int, method: Method = Method.hybrid
    ) -> list[Fused]:
        """The k most relevant factors of a kind for a query text, as Milvus holds them."""
        if self.mode == "inline" or self.inline_encoding:
            self.sync.catch_up(encode=self.inline_encoding, persist=False)
        index = self.indexes[kind]
        if not index.exists():
            return []
        return index.search(query, k, method)

    def waiting(self, kind: PartyKind) -> int:
        """How many factors of a kind wait for their vectors (counted at most every 10 s)."""
        now = time.monotonic()
        cached = self._waiting.get(kind)
        if cached is not None and now - cached[0] < WAITING_TTL:
            return cached[1]
        count = self.sync.waiting(kind)
        self._waiting[kind] = (now, count)
        return count

    def lexicon(self, kind: PartyKind) -> LexicalIndex | None:
        """No local vocabulary: typo corrections are the local backend's."""
        return None
