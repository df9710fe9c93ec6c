"""Opening the match indexes when the server starts, off the request path.

With an encoder configured, the first search of a kind would otherwise wait for its index to be
loaded (or built) and for vectors of new factors. A background thread opens every kind's index and
starts the encoder on whatever waits, so `make run` serves semantic matches minutes later without
anyone asking, while requests are answered from the start (by words alone until vectors arrive).
"""

from __future__ import annotations

import logging
import threading

from factorlink.db.session import Database
from factorlink.introduction.models import PartyKind
from factorlink.matching.live.indexes import indexes_for, registry_for
from factorlink.matching.live.remote import RemoteRegistry

log = logging.getLogger(__name__)


def warm(database: Database) -> threading.Thread | None:
    """Opens every index in a daemon thread (only when an encoder is configured); with Milvus,
    starts the sync worker's thread instead (`FACTORLINK_SEARCH_SYNC=background`)."""
    if database.settings.uses_milvus:
        remote = indexes_for(database)
        if isinstance(remote, RemoteRegistry):
            remote.start()
        return None
    if database.settings.matching_encoder == "none":
        return None

    def run() -> None:
        try:
            registry = registry_for(database)
            for kind in PartyKind:
                index = registry.get(kind)
                if index.pending:
                    registry.encode_pending(index)
        except Exception:  # a failed warm-up only delays; searches open indexes themselves
            log.exception("warming the match indexes failed")

    thread = threading.Thread(target=run, name="factorlink-index-warmup", daemon=True)
    thread.start()
    return thread
