"""The factor kinds the pages show: their service, API shape, address and filters."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from factorlink.introduction.models import PartyKind
from factorlink.kinds.descriptor import Kind
from factorlink.listing.kinds import LISTING_SERVICES
from factorlink.listing.service import ListingService
from factorlink.reference import get_industries, get_region
from factorlink.validation.vocab import CAPITAL_KINDS, CARRIER_KINDS, COOP_MODES, ORG_KINDS, label


@dataclass(frozen=True)
class FactorKind:
    """One kind of factor as the web shows it: its service, which names its descriptor and API
    shapes."""

    service: type[ListingService[Any]]

    @property
    def descriptor(self) -> Kind[Any]:
        return self.service.descriptor

    @property
    def kind(self) -> str:
        return self.descriptor.key.value

    @property
    def slug(self) -> str:
        return self.descriptor.slug

    @property
    def label(self) -> str:
        return self.descriptor.label

    @property
    def out(self) -> type[BaseModel]:
        return self.service.out_schema

    @property
    def form(self) -> type[BaseModel]:
        return self.service.in_schema

    @property
    def title_field(self) -> str:
        return self.descriptor.title_field

    @property
    def filters(self) -> tuple[str, ...]:
        """Beyond q, city and industry."""
        return self.descriptor.filters

    @property
    def price_label(self) -> str | None:
        return self.descriptor.price_label


# The web lists every listing kind but organisations last, after the factors.
KINDS: dict[str, FactorKind] = {
    key.value: FactorKind(service)
    for key, service in sorted(
        LISTING_SERVICES.items(), key=lambda item: item[0] == PartyKind.organization
    )
}
BY_SLUG = {k.slug: k for k in KINDS.values()}


def detail_href(kind: str, id_: int) -> str | None:
    """The page of a party: a listing's detail page, or a lead's in the workspace."""
    if kind == "lead":
        return f"/workspace/leads/{id_}"
    factor = KINDS.get(kind)
    return f"/{factor.slug}/{id_}" if factor is not None else None


SORT_OPTIONS = (
    ("relevance", "相关度"),
    ("newest", "最新发布"),
    ("price_asc", "价格从低到高"),
    ("price_desc", "价格从高到低"),
    ("trl_desc", "成熟度从高到低"),
)
TRL_OPTIONS = tuple((str(n), f"TRL {n}+") for n in range(1, 10))


def city_options(lang: str) -> list[tuple[str, str]]:
    """The corridor's cities, in its order."""
    return [(c.code, c.name_en if lang == "en" else c.name) for c in get_region().cities]


def industry_options(lang: str) -> list[tuple[str, str]]:
    """The industries."""
    return [(i.code, i.name_en if lang == "en" else i.name) for i in get_industries().industries]


def coop_options() -> list[tuple[str, str]]:
    """The cooperation modes."""
    return [(m, m) for m in COOP_MODES]


def kind_options(kind: str) -> list[tuple[str, str]]:
    """The sub-kinds of capital products, carriers or organisations."""
    vocab = {"capital": CAPITAL_KINDS, "organization": ORG_KINDS}.get(kind, CARRIER_KINDS)
    return [(k, label(k)) for k in vocab]


def sort_options(factor: FactorKind, searching: bool = False) -> list[tuple[str, str]]:
    """The sort orders that make sense for a kind. The default one (`relevance`) ranks by
    relevance when there is a query and by date otherwise, and is named for what it does."""
    keep = {"relevance", "newest"} if searching else {"relevance"}
    if "price" in factor.filters:
        keep |= {"price_asc", "price_desc"}
    if "min_trl" in factor.filters:
        keep.add("trl_desc")
    options = [(k, text) for k, text in SORT_OPTIONS if k in keep]
    if not searching:
        options[0] = ("relevance", "最新发布")
    return options


# Codes the platform derives from a name (ORG-6576269F9176) say nothing to a reader: pages show
# a listing's name; only operators, who look rows up by code, see such a code.
DERIVED_CODE = re.compile(r"^[A-Z]{3}-[0-9A-F]{12}$")


def shown_code(code: str | None) -> str | None:
    """A listing's code as the page shows it: none where it was derived from the name."""
    return None if not code or DERIVED_CODE.match(code) else code
