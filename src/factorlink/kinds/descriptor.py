"""The descriptor of a factor kind: data plus small pure functions, typed on the kind's model.

A kind's folder declares one `Kind` in `kind.py`: its identity (the `PartyKind`, the URL slug,
the Chinese and English labels), its table and spreadsheet columns, how the web lists it, and
how every feature reads a row of it — code, title, city, industry, owner, the text the match
indexes hold, and the facts structured fit compares.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from factorlink.introduction.models import PartyKind
from factorlink.kit.table import TableSpec
from factorlink.matching.fit.profile import Profile
from factorlink.reference import get_industries

M = TypeVar("M")
# A document of the match indexes: (text, weight) fields, title and keywords weighing 2.
Fields = list[tuple[str, int]]
TITLE_LENGTH = 60


@dataclass(frozen=True)
class Kind(Generic[M]):
    """One kind of factor, as every feature sees it."""

    key: PartyKind
    # The collection's name in URLs (/achievements, /api/v1/achievements).
    slug: str
    label: str
    label_en: str
    model: type[M]
    # The row's attribute that names it (a title or a name).
    title_field: str
    code: Callable[[M], str]
    title: Callable[[M], str]
    city: Callable[[M], str | None]
    industry: Callable[[M], str | None]
    # The organisation a row belongs to (an organisation is its own; leads have none).
    owner: Callable[[M], int | None]
    # The weighted text fields the match indexes hold (extra: related text, e.g. an enterprise's
    # demands), and the facts structured fit compares.
    document: Callable[[M, Sequence[str]], Fields]
    profile: Callable[[M], Profile]
    # Listings only: the spreadsheet columns, the web list's filters beyond q, city and industry,
    # and the label of its money column.
    # Whether the kind's text is little more than names and industries (a fund, a park, an
    # enterprise): there a shared industry name is the word a match has in common.
    names_only: bool = False
    spec: TableSpec | None = None
    filters: tuple[str, ...] = ()
    price_label: str | None = None

    @property
    def is_listing(self) -> bool:
        """Tells whether the kind is a listing (posted, imported, exported), not a lead."""
        return self.spec is not None


def codes(*values: str | None) -> tuple[str, ...]:
    """The codes given, without the missing ones."""
    return tuple(v for v in values if v)


def joined(values: Sequence[str] | None) -> str:
    """Values of a list field as one text."""
    return " ".join(v for v in values or () if v)


def industry_names(*codes: str | None) -> str:
    """The names of industries, from their codes (unknown codes left out)."""
    catalog = get_industries()
    return " ".join(catalog.get(c).name for c in codes if c and catalog.has(c))


def technology_document(
    title: str, keywords: Sequence[str], body: str, subfield: str | None, industry: str | None
) -> Fields:
    """The fields of an achievement or a demand: title and keywords count twice, then the body
    (abstract, description), the sub-field and the industry's name."""
    return [
        (title, 2),
        (joined(keywords), 2),
        (body, 1),
        (joined([subfield or "", industry_names(industry)]), 1),
    ]


def own_code(obj: Any) -> str:
    """A listing's code (编号)."""
    return str(obj.code)


def own_city(obj: Any) -> str | None:
    """The city a row states."""
    city: str | None = obj.city
    return city


def own_industry(obj: Any) -> str | None:
    """The one industry a row states."""
    industry: str | None = obj.industry
    return industry


def first_industry(obj: Any) -> str | None:
    """The first of a row's industries (capital's 投资行业, a carrier's 欢迎行业)."""
    return next(iter(obj.industries), None)


def owning_organization(obj: Any) -> int | None:
    """The organisation a listing belongs to."""
    owner = obj.organization_id
    return int(owner) if owner is not None else None
