"""The registry of kinds: one descriptor per kind, naming real columns, read by every feature."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import inspect

from factorlink.imports.kinds import SERVICES, ImportKind
from factorlink.introduction.models import PartyKind
from factorlink.introduction.parties import party_label
from factorlink.kinds.registry import BY_SLUG, KINDS, LISTINGS, kind_of
from factorlink.listing.kinds import LISTING_SERVICES
from factorlink.matching.endpoints import KIND_OF, Collection
from factorlink.models import PARTY_MODELS
from factorlink.web.catalog import KINDS as WEB_KINDS

REPOSITORY_COLUMNS = (
    "text_columns",
    "list_columns",
    "title_column",
    "industry_column",
    "city_list_column",
    "price_columns",
    "readiness_column",
    "coop_column",
)


def _columns(model: Any) -> set[str]:
    return {attr.key for attr in inspect(model).mapper.column_attrs}


def test_every_kind_has_one_descriptor() -> None:
    assert set(KINDS) == set(PartyKind)
    assert len(BY_SLUG) == len(KINDS)
    assert {k.value for k in LISTINGS} == {k.value for k in ImportKind}
    assert all(kind_of(key).key == key for key in PartyKind)


@pytest.mark.parametrize("key", list(PartyKind))
def test_a_descriptor_names_real_columns(key: PartyKind) -> None:
    kind = KINDS[key]
    columns = _columns(kind.model)
    assert kind.title_field in columns, kind.title_field
    if kind.spec is not None:
        assert kind.spec.kind == key.value and kind.spec.label == kind.label


@pytest.mark.parametrize("key", [ImportKind(k.value) for k in LISTINGS])
def test_a_listing_repository_names_real_columns(key: ImportKind) -> None:
    service = SERVICES[key]
    repository = service.repository_class
    columns = _columns(KINDS[PartyKind(key.value)].model)
    named: list[str] = []
    for attr in REPOSITORY_COLUMNS:
        value = getattr(repository, attr)
        if isinstance(value, str):
            named.append(value)
        elif value:
            named.extend(value)
    missing = [name for name in named if name not in columns]
    assert not missing, f"{repository.__name__} names no such column: {missing}"
    assert service.kind == PartyKind(key.value) and service.spec is KINDS[service.kind].spec


def test_features_read_the_registry() -> None:
    assert {key: kind.model for key, kind in KINDS.items()} == PARTY_MODELS
    assert {c.value for c in Collection} == set(BY_SLUG)
    assert all(KIND_OF[c] == BY_SLUG[c.value].key.value for c in Collection)
    for name, web in WEB_KINDS.items():
        assert web.descriptor is KINDS[PartyKind(name)] and web.slug == web.descriptor.slug
    assert set(LISTING_SERVICES) == set(LISTINGS)
    assert party_label("demand") == "技术需求" and party_label("patent") == "patent"
