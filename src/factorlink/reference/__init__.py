"""Reference data: the corridor's cities and districts, and its industries, from data files."""

from factorlink.reference.industries import Industry, IndustryCatalog, IndustryMatch
from factorlink.reference.loader import (
    city_name,
    get_industries,
    get_region,
    industries_of,
    industry_name,
    load_industries,
    load_region,
    region_of,
)
from factorlink.reference.regions import City, CityMatch, District, Region

__all__ = [
    "City",
    "CityMatch",
    "District",
    "Industry",
    "IndustryCatalog",
    "IndustryMatch",
    "Region",
    "city_name",
    "get_industries",
    "get_region",
    "industries_of",
    "industry_name",
    "load_industries",
    "load_region",
    "region_of",
]
