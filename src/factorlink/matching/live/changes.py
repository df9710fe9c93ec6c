"""Records every write of a matchable factor in the change log, inside the writer's transaction.

A session listener, installed on each `Database`'s sessions by `install`, sees the rows each flush
inserts, updates or deletes — whoever writes them: the API, an import, the CLI, the sample loader —
and logs (kind, id) in the same transaction. The match indexes replay the log, so an index can
never miss a committed change, and a rolled-back write leaves no trace in either place."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session, UOWTransaction, sessionmaker

from factorlink.db.base import utcnow
from factorlink.introduction.models import PartyKind
from factorlink.matching.models import MatchChange

Related = Callable[[Any], Iterable[tuple[str, int]]]


def install(sessions: sessionmaker[Session], models: Mapping[PartyKind, type[Any]]) -> None:
    """Logs, in every session of this factory, each write of the rows of these tables under
    their kind (`Database` installs it with every party table). A demand's write also logs its
    owning organisation, whose document carries its demands."""
    kinds = {model: kind.value for kind, model in models.items()}
    related: dict[type[Any], Related] = {}
    if PartyKind.demand in models and PartyKind.organization in models:
        related[models[PartyKind.demand]] = owners(PartyKind.organization.value)

    def log_changes(session: Session, flush: UOWTransaction) -> None:
        _log(session, kinds, related)

    event.listen(sessions, "after_flush", log_changes)


def owners(kind: str) -> Related:
    """The owning organisation before and after the write, under the given kind."""

    def related(obj: Any) -> Iterable[tuple[str, int]]:
        history = inspect(obj).attrs.organization_id.history
        ids = {*history.added, *history.unchanged, *history.deleted, obj.organization_id}
        return [(kind, i) for i in ids if i is not None]

    return related


def _log(
    session: Session, kinds: Mapping[type[Any], str], related: Mapping[type[Any], Related]
) -> None:
    rows: dict[tuple[str, int], None] = {}
    for obj in (*session.new, *session.dirty, *session.deleted):
        kind = kinds.get(type(obj))
        factor_id = getattr(obj, "id", None)
        if kind is None or factor_id is None:
            continue
        if obj in session.dirty and not session.is_modified(obj, include_collections=False):
            continue
        rows[(kind, factor_id)] = None
        also = related.get(type(obj))
        if also is not None:
            rows.update(dict.fromkeys(also(obj)))
    if rows:
        now = utcnow()
        session.connection().execute(
            insert(MatchChange),
            [{"kind": k, "factor_id": i, "at": now} for k, i in rows],
        )
