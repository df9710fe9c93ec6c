"""The generic repository: every query lives in a repository built on this base."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from factorlink.db.base import Base
from factorlink.kit.pagination import PageParams

M = TypeVar("M", bound=Base)


def escape_like(text: str) -> str:
    """Text to look for in a LIKE pattern, taken literally: `\\`, `%` and `_` escaped with a
    backslash (the pattern is used with `escape="\\\\"`)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class Repository(Generic[M]):
    """Reads and writes one table; never commits (the unit of work does)."""

    model: type[M]

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, id_: int) -> M | None:
        """Gets a row by its primary key."""
        return self.session.get(self.model, id_)

    def get_by(self, **filters: Any) -> M | None:
        """Gets the one row matching the given column values, if any."""
        return self.session.scalars(select(self.model).filter_by(**filters)).first()

    def add(self, obj: M) -> M:
        """Adds a row and flushes so it has its key."""
        self.session.add(obj)
        self.session.flush()
        return obj

    def delete(self, obj: M) -> None:
        """Deletes a row."""
        self.session.delete(obj)
        self.session.flush()

    def count(self, stmt: Select[M] | None = None) -> int:
        """Counts the rows a statement would return (all rows by default)."""
        base = stmt if stmt is not None else select(self.model)
        return int(
            self.session.scalar(select(func.count()).select_from(base.order_by(None).subquery()))
            or 0
        )

    def page(self, stmt: Select[M], params: PageParams) -> tuple[Sequence[M], int]:
        """Returns one page of a statement's rows and the total count."""
        total = self.count(stmt)
        rows = self.session.scalars(stmt.offset(params.offset).limit(params.page_size)).all()
        return rows, total

    def all(self, stmt: Select[M] | None = None) -> Sequence[M]:
        """Returns every row of a statement (all rows of the table by default)."""
        if stmt is None:
            stmt = select(self.model).order_by(*self.model.__mapper__.primary_key)
        return self.session.scalars(stmt).all()
