"""HTTP endpoints of the innovation index, for the web interface."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from factorlink.api.deps import CurrentViewer, DbSession
from factorlink.composite.schemas import FrameworkOut, UnitProfileOut, YearResultsOut
from factorlink.composite.service import IndexService

router = APIRouter(prefix="/index", tags=["index"])


@router.get("/frameworks", response_model=list[FrameworkOut], summary="指数框架")
def frameworks(session: DbSession, viewer: CurrentViewer) -> list[FrameworkOut]:
    """The index frameworks: dimensions and indicators, with the years their data covers."""
    return IndexService(session, viewer).frameworks()


@router.get("/results", response_model=YearResultsOut, summary="指数结果")
def results(
    session: DbSession,
    viewer: CurrentViewer,
    year: Annotated[int | None, Query(ge=1900, le=2100, description="Default: latest")] = None,
) -> YearResultsOut:
    """Every city's index and dimension scores and ranks in a year, with growth since the base."""
    return IndexService(session, viewer).results(year)


@router.get("/cities/{city}", response_model=UnitProfileOut, summary="城市指数画像")
def city_profile(
    session: DbSession,
    viewer: CurrentViewer,
    city: Annotated[str, Path(max_length=50, description="songjiang, 松江 or 上海市松江区")],
) -> UnitProfileOut:
    """A city's scores and ranks over the years, its rank interval and latest indicators."""
    return IndexService(session, viewer).profile(city)
