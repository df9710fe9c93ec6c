"""Filter values as people write them (松江, 人工智能, 厂房), resolved to codes for queries."""

from __future__ import annotations

from enum import StrEnum

from factorlink.errors import InvalidInput
from factorlink.kit.columns import city as city_column
from factorlink.kit.columns import industry as industry_column
from factorlink.kit.table import CellError, Column
from factorlink.reference import get_industries, get_region
from factorlink.reference.industries import IndustryCatalog
from factorlink.reference.regions import Region
from factorlink.validation.errors import FieldError


def choice_filter(name: str, column: Column) -> type[StrEnum]:
    """A filter of a vocabulary column as an enum of the spellings it accepts (so the OpenAPI
    document lists them and any other value is a 422)."""
    return StrEnum(name, [(value, value) for value in column.choices])  # type: ignore[return-value]


def city_spellings(region: Region) -> list[str]:
    """The ways a city filter names a city: codes, names, English names, aliases."""
    names = (n for c in region.cities for n in (c.code, c.name, c.name_en, *c.aliases))
    return list(dict.fromkeys(names))


def industry_spellings(catalog: IndustryCatalog) -> list[str]:
    """The ways an industry filter names an industry: codes, names, aliases and sub-fields."""
    names = (
        n for i in catalog.industries for n in (i.code, i.name, i.name_en, *i.aliases, *i.subfields)
    )
    return list(dict.fromkeys(names))


def parse_filter(column: Column, value: str, errors: list[CellError], key: str) -> str | None:
    """Parses one filter value with a column's parser, collecting the error if it fails."""
    try:
        parsed: str = column.parse(value)[key]
    except FieldError as exc:
        errors.append(CellError(column.header, exc.reason, exc.reason_en, value, key))
        return None
    return parsed


def resolve_city(value: str | None, errors: list[CellError]) -> str | None:
    """A city code from a code or a typed name; unknown names are collected as errors."""
    if not value:
        return None
    if get_region().has(value):
        return value
    return parse_filter(city_column(), value, errors, "city")


def resolve_industry(value: str | None, errors: list[CellError]) -> str | None:
    """An industry code from a code, a name, an alias or a sub-field."""
    if not value:
        return None
    if get_industries().has(value):
        return value
    return parse_filter(industry_column(), value, errors, "industry")


def filter_error(errors: list[CellError]) -> InvalidInput:
    """One 422 naming every filter that could not be resolved."""
    fields = "、".join(e.key or "" for e in errors)
    return InvalidInput(
        f"筛选条件有误:{fields}",
        message_en="Invalid filter: " + "; ".join(e.reason_en for e in errors),
        errors=[
            {"field": e.key, "column": e.column, "reason": e.reason, "reason_en": e.reason_en}
            for e in errors
        ],
    )
