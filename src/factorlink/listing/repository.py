"""Queries shared by every listing table."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

from sqlalchemy import Select, String, and_, case, cast, func, literal, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from factorlink.db.base import Base
from factorlink.introduction.models import Introduction, PartyKind
from factorlink.kit.pagination import PageParams
from factorlink.kit.repository import Repository, escape_like

M = TypeVar("M", bound=Base)


@dataclass(frozen=True)
class ListingFilters:
    """Filters a list endpoint accepts."""

    city: str | None = None
    industry: str | None = None
    q: str | None = None
    organization_id: int | None = None
    kind: str | None = None
    min_trl: int | None = None
    price_min: float | None = None
    price_max: float | None = None
    coop_mode: str | None = None
    sort: str = "relevance"
    # The states listed (db/factor.py ListingState); None lists every state (an owner's own
    # list, staff exports). The public search asks for active listings only.
    states: tuple[str, ...] | None = None


# Most relevant first (newest first when there is no query); newest first; by price, budget or
# ticket (low to high, high to low); most mature first.
SORTS = ("relevance", "newest", "price_asc", "price_desc", "trl_desc")


def in_introductions(session: Session, kind: PartyKind, id_: int) -> bool:
    """Tells whether any introduction names this party on either side."""
    stmt = select(Introduction.id).where(
        or_(
            and_(Introduction.party_a_kind == kind, Introduction.party_a_id == id_),
            and_(Introduction.party_b_kind == kind, Introduction.party_b_id == id_),
        )
    )
    return session.scalars(stmt.limit(1)).first() is not None


class ListingRepository(Repository[M]):
    """A listing table: lookups by code and a filtered, paginated search."""

    text_columns: ClassVar[tuple[str, ...]] = ()
    list_columns: ClassVar[tuple[str, ...]] = ()
    # What a listing is called (its title or name): a query found in it or in the code ranks first.
    title_column: ClassVar[str] = "name"
    industry_column: ClassVar[str] = "industry"
    industry_is_list: ClassVar[bool] = False
    city_list_column: ClassVar[str | None] = None
    # The low and high ends of a kind's price, budget or ticket, where it has one.
    price_columns: ClassVar[tuple[str, str] | None] = None
    readiness_column: ClassVar[str | None] = None
    coop_column: ClassVar[str | None] = None

    def _col(self, name: str) -> InstrumentedAttribute[Any]:
        column: InstrumentedAttribute[Any] = getattr(self.model, name)
        return column

    def by_code(self, code: str) -> M | None:
        """Gets a listing by its code (编号)."""
        return self.session.scalars(select(self.model).where(self._col("code") == code)).first()

    def by_codes(self, codes: Sequence[str]) -> dict[str, M]:
        """Gets the listings with these codes, keyed by code."""
        found: dict[str, M] = {}
        for start in range(0, len(codes), 500):
            chunk = list(codes[start : start + 500])
            stmt = select(self.model).where(self._col("code").in_(chunk))
            for row in self.session.scalars(stmt):
                record: Any = row
                found[record.code] = row
        return found

    def search_statement(self, filters: ListingFilters) -> Select[M]:
        """Builds the filtered query: every word of `q` somewhere in the listing's text; those
        with the words in their title or code first, then newest first (or the sort asked)."""
        stmt = self._filtered(filters)
        if filters.q:
            stmt = stmt.where(self._text_match(filters.q))
        return stmt.order_by(*self._order(filters))

    def ranked_statement(
        self, filters: ListingFilters, relevance: Mapping[int, float]
    ) -> Select[M]:
        """Builds the filtered query of a relevance search: the listings the match index found
        relevant (`relevance` by id) and those holding every word of `q`, most relevant first
        (those with the words in their title or code before the others) unless another sort is
        asked."""
        stmt = self._filtered(filters)
        found = [self._text_match(filters.q)] if filters.q else []
        if relevance:
            found.append(self._col("id").in_(list(relevance)))
        if not found:
            return stmt.where(literal(False)).order_by(*self._order(filters))
        return stmt.where(or_(*found)).order_by(*self._order(filters, relevance))

    def _filtered(self, filters: ListingFilters) -> Select[M]:
        """Every filter but the text."""
        stmt = select(self.model)
        if filters.city:
            conditions = [self._col("city") == filters.city]
            if self.city_list_column:
                conditions.append(self._json_contains(self.city_list_column, filters.city))
            stmt = stmt.where(or_(*conditions))
        if filters.industry:
            if self.industry_is_list:
                stmt = stmt.where(self._json_contains(self.industry_column, filters.industry))
            else:
                stmt = stmt.where(self._col(self.industry_column) == filters.industry)
        if filters.kind:
            stmt = stmt.where(self._col("kind") == filters.kind)
        if filters.organization_id is not None:
            owner = "organization_id" if hasattr(self.model, "organization_id") else "id"
            stmt = stmt.where(self._col(owner) == filters.organization_id)
        if filters.states is not None and hasattr(self.model, "state"):
            stmt = stmt.where(self._col("state").in_(list(filters.states)))
        return self._refined(stmt, filters)

    def _refined(self, stmt: Select[M], filters: ListingFilters) -> Select[M]:
        """Readiness, price range and cooperation mode, for the kinds that have them."""
        if filters.min_trl is not None and self.readiness_column:
            stmt = stmt.where(self._col(self.readiness_column) >= filters.min_trl)
        if self.price_columns and (filters.price_min is not None or filters.price_max is not None):
            low, high = (self._col(c) for c in self.price_columns)
            # Ranges overlap; a listing without a figure (面议) falls outside any range.
            if filters.price_min is not None:
                stmt = stmt.where(func.coalesce(high, low) >= filters.price_min)
            if filters.price_max is not None:
                stmt = stmt.where(func.coalesce(low, high) <= filters.price_max)
        if filters.coop_mode and self.coop_column:
            stmt = stmt.where(self._json_contains(self.coop_column, filters.coop_mode))
        return stmt

    def _order(
        self, filters: ListingFilters, relevance: Mapping[int, float] | None = None
    ) -> tuple[Any, ...]:
        newest = (self._col("updated_at").desc(), self._col("id").desc())
        ranked: tuple[Any, ...] = ()
        if filters.q:
            ranked = (self._title_match(filters.q).desc(),)
            if relevance:
                ranked += (case(dict(relevance), value=self._col("id"), else_=0.0).desc(),)
        sort = filters.sort
        if sort in ("price_asc", "price_desc") and self.price_columns:
            low, high = (self._col(c) for c in self.price_columns)
            key = low.asc() if sort == "price_asc" else high.desc()
            return (key.nulls_last(), *ranked, *newest)
        if sort == "trl_desc" and self.readiness_column:
            return (self._col(self.readiness_column).desc().nulls_last(), *ranked, *newest)
        if sort == "relevance":
            return (*ranked, *newest)
        return newest

    def search(self, filters: ListingFilters, params: PageParams) -> tuple[Sequence[M], int]:
        """Returns one page of listings matching the filters, and the total."""
        return self.page(self.search_statement(filters), params)

    def _json_contains(self, column: str, value: str) -> Any:
        pattern = f'%"{escape_like(value)}"%'
        return cast(self._col(column), String).like(pattern, escape="\\")

    def _text_columns(self) -> list[Any]:
        columns: list[Any] = [self._col(c) for c in self.text_columns]
        columns += [cast(self._col(c), String) for c in self.list_columns]
        return columns

    def _contains(self, columns: Sequence[Any], text: str) -> Any:
        pattern = f"%{escape_like(text)}%"
        return or_(*(col.ilike(pattern, escape="\\") for col in columns))

    def _text_match(self, query: str) -> Any:
        """Every word of the query somewhere in the listing's text."""
        columns = self._text_columns()
        return and_(*(self._contains(columns, term) for term in query.split()))

    def _title_match(self, query: str) -> Any:
        """1 where every word of the query is in the title or the code, else 0."""
        columns = [self._col(self.title_column), self._col("code")]
        words = and_(*(self._contains(columns, term) for term in query.split()))
        return case((words, 1), else_=0)

    def phrase_counts(self, phrases: Sequence[str]) -> dict[str, int]:
        """How many listings hold each phrase somewhere in their text (one pass over the table)."""
        if not phrases:
            return {}
        columns = self._text_columns()
        counts = [
            func.coalesce(func.sum(case((self._contains(columns, p), 1), else_=0)), 0)
            for p in phrases
        ]
        row = self.session.execute(select(*counts).select_from(self.model)).one()
        return {p: int(n) for p, n in zip(phrases, row, strict=True)}
