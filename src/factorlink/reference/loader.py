"""Reads the region and industry data files: those a `Settings` names, each read once per path."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from factorlink.config import Settings, current_settings
from factorlink.reference.industries import Industry, IndustryCatalog
from factorlink.reference.regions import City, District, Region

DATA_DIR = Path(__file__).with_name("data")
DEFAULT_REGION_FILE = DATA_DIR / "g60.yaml"
DEFAULT_INDUSTRY_FILE = DATA_DIR / "industries.yaml"


def _read(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping at the top level")
    return data


def _district(path: Path, city: str, entry: Any) -> District:
    """A district entry: a plain name, or {name, lat, lon, aliases} (coordinates optional)."""
    if isinstance(entry, str):
        return District(entry)
    if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
        raise ValueError(f"{path}: {city}: a district is a name or a mapping with a name")
    lat, lon = entry.get("lat"), entry.get("lon")
    if (lat is None) != (lon is None):
        raise ValueError(f"{path}: {city}/{entry['name']}: give both lat and lon, or neither")
    return District(
        name=entry["name"],
        lat=None if lat is None else float(lat),
        lon=None if lon is None else float(lon),
        aliases=tuple(str(a) for a in entry.get("aliases", ())),
    )


def _city(path: Path, c: dict[str, Any]) -> City:
    places = tuple(_district(path, c["code"], d) for d in c.get("districts") or ())
    return City(
        code=c["code"],
        name=c["name"],
        name_en=c.get("name_en", c["name"]),
        province=c.get("province", ""),
        lat=float(c["lat"]),
        lon=float(c["lon"]),
        aliases=tuple(c.get("aliases", ())),
        districts=tuple(p.name for p in places),
        places=places,
        office=c.get("office"),
        office_en=c.get("office_en", c.get("office")),
    )


@lru_cache(maxsize=8)
def load_region(path: Path) -> Region:
    """Loads a corridor definition file."""
    data = _read(path)
    cities = tuple(_city(path, c) for c in data["cities"])
    return Region(
        data["corridor"],
        data.get("corridor_en", data["corridor"]),
        cities,
        operator=data.get("operator"),
        operator_en=data.get("operator_en", data.get("operator")),
        short=str(data.get("short") or "REF"),
    )


@lru_cache(maxsize=8)
def load_industries(path: Path) -> IndustryCatalog:
    """Loads an industry catalogue file."""
    data = _read(path)
    return IndustryCatalog(
        tuple(
            Industry(
                code=i["code"],
                name=i["name"],
                name_en=i.get("name_en", i["name"]),
                aliases=tuple(i.get("aliases", ())),
                subfields=tuple(i.get("subfields", ())),
            )
            for i in data["industries"]
        )
    )


def region_file(settings: Settings) -> Path:
    """The corridor file these settings name (the packaged G60 corridor by default)."""
    return settings.region_file or DEFAULT_REGION_FILE


def industry_file(settings: Settings) -> Path:
    """The industry file these settings name (the packaged catalogue by default)."""
    return settings.industry_file or DEFAULT_INDUSTRY_FILE


def region_of(settings: Settings) -> Region:
    """The corridor of these settings."""
    return load_region(region_file(settings))


def industries_of(settings: Settings) -> IndustryCatalog:
    """The industry catalogue of these settings."""
    return load_industries(industry_file(settings))


def get_region() -> Region:
    """The corridor of the current settings: the app's while it serves a request, a database's
    in its units of work, else the process's (see `config.current_settings`)."""
    return region_of(current_settings())


def get_industries() -> IndustryCatalog:
    """The industry catalogue of the current settings (as `get_region`)."""
    return industries_of(current_settings())


def city_name(code: str | None) -> str | None:
    """The Chinese name of a corridor city code (None when unknown)."""
    region = get_region()
    return region.city(code).name if code and region.has(code) else None


def industry_name(code: str | None) -> str | None:
    """The Chinese name of an industry code (None when unknown)."""
    catalog = get_industries()
    return catalog.get(code).name if code and catalog.has(code) else None
