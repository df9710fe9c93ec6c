"""Records every write of a matchable factor in the change log, inside the writer's transaction.

A session listener sees the rows each flush inserts, updates or deletes — whoever writes them: the
API, an import, the CLI, the sample loader — and logs (kind, id) in the same transaction. The match
indexes replay the log, so an index can never miss a committed change, and a rolled-back write
leaves no trace in either place.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, insert
from sqlalchemy.orm import Session, UOWTransaction

from factorlink.db.base import utcnow
from factorlink.matching.models import MatchChange

_KINDS: dict[type[Any], str] = {}


def track(model: type[Any], kind: str) -> None:
    """Logs writes of this model's rows under this kind."""
    _KINDS[model] = kind


@event.listens_for(Session, "after_flush")
def _log_changes(session: Session, flush: UOWTransaction) -> None:
    rows: dict[tuple[str, int], None] = {}
    for obj in (*session.new, *session.dirty, *session.deleted):
        kind = _KINDS.get(type(obj))
        factor_id = getattr(obj, "id", None)
        if kind is None or factor_id is None:
            continue
        if obj in session.dirty and not session.is_modified(obj, include_collections=False):
            continue
        rows[(kind, factor_id)] = None
    if rows:
        now = utcnow()
        session.connection().execute(
            insert(MatchChange),
            [{"kind": k, "factor_id": i, "at": now} for k, i in rows],
        )
