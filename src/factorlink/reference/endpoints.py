"""HTTP endpoints for reference data: cities and industries."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from factorlink.api.deps import AppSettings
from factorlink.reference.loader import industries_of, region_of

router = APIRouter(prefix="/reference", tags=["reference"])


class CityOut(BaseModel):
    """A corridor city."""

    code: str
    name: str
    name_en: str
    province: str
    lat: float
    lon: float
    districts: list[str]


class IndustryOut(BaseModel):
    """An industry and its sub-fields."""

    code: str
    name: str
    name_en: str
    subfields: list[str]


@router.get("/cities", response_model=list[CityOut], summary="走廊城市")
def cities(settings: AppSettings) -> list[CityOut]:
    """Lists the corridor's cities with their districts and coordinates."""
    return [
        CityOut(
            code=c.code,
            name=c.name,
            name_en=c.name_en,
            province=c.province,
            lat=c.lat,
            lon=c.lon,
            districts=list(c.districts),
        )
        for c in region_of(settings).cities
    ]


@router.get("/industries", response_model=list[IndustryOut], summary="产业领域")
def industries(settings: AppSettings) -> list[IndustryOut]:
    """Lists the industries and their sub-fields."""
    return [
        IndustryOut(code=i.code, name=i.name, name_en=i.name_en, subfields=list(i.subfields))
        for i in industries_of(settings).industries
    ]
