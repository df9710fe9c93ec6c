"""Records every write of a matchable factor in the change log, inside the writer's transaction.

A session listener sees the rows each flush inserts, updates or deletes — whoever writes them: the
API, an import, the CLI, the sample loader — and logs (kind, id) in the same transaction. The match
indexes replay the log, so an index can never miss a committed change, and a rolled-back write
leaves no trace in either place.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session, UOWTransaction

from factorlink.db.base import utcnow
from factorlink.matching.models import MatchChange

_KINDS: dict[type[Any], str] = {}
_RELATED: dict[type[Any], Callable[[Any], Iterable[tuple[str, int]]]] = {}


def track(model: type[Any], kind: str) -> None:
    """Logs writes of this model's rows under this kind."""
    _KINDS[model] = kind


def also(model: type[Any], related: Callable[[Any], Iterable[tuple[str, int]]]) -> None:
    """Logs, with each write of this model's rows, the (kind, id) of rows whose text includes
    it (an enterprise's document carries its demands)."""
    _RELATED[model] = related


def owners(kind: str) -> Callable[[Any], Iterable[tuple[str, int]]]:
    """The owning organisation before and after the write, under the given kind."""

    def related(obj: Any) -> Iterable[tuple[str, int]]:
        history = inspect(obj).attrs.organization_id.history
        ids = {*history.added, *history.unchanged, *history.deleted, obj.organization_id}
        return [(kind, i) for i in ids if i is not None]

    return related


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
        related = _RELATED.get(type(obj))
        if related is not None:
            rows.update(dict.fromkeys(related(obj)))
    if rows:
        now = utcnow()
        session.connection().execute(
            insert(MatchChange),
            [{"kind": k, "factor_id": i, "at": now} for k, i in rows],
        )
