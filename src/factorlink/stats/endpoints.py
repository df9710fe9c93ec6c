"""HTTP endpoint for the statistics."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from factorlink.api.deps import CurrentViewer, DbSession
from factorlink.stats.schemas import StatsOut
from factorlink.stats.service import StatsService

router = APIRouter(prefix="/stats", tags=["stats"])


@router.get("", response_model=StatsOut, summary="对接统计")
def stats(
    session: DbSession,
    viewer: CurrentViewer,
    from_month: Annotated[
        str | None, Query(alias="from", max_length=20, description="YYYY-MM, inclusive")
    ] = None,
    to_month: Annotated[
        str | None, Query(alias="to", max_length=20, description="YYYY-MM, inclusive")
    ] = None,
    city: Annotated[
        list[Annotated[str, Query(max_length=50)]] | None,
        Query(
            max_length=20,
            description="City: songjiang, 松江 or 上海市松江区; repeat for several cities",
        ),
    ] = None,
) -> StatsOut:
    """Listings per kind and city; leads by type and status; introductions by status; signed
    deals by city (each party's city), industry and every month of the period (UTC); cross-city
    share and conversion (signed / introduced).
    """
    return StatsService(session, viewer).report(from_month, to_month, city)
