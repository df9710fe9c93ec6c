"""The five endpoints every listing kind has, built once for each kind."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from factorlink.api.deps import CurrentViewer, DbSession, Paging, UserViewer
from factorlink.kit.filters import choice_filter
from factorlink.kit.ids import IdPath, IdQuery
from factorlink.kit.pagination import Page
from factorlink.listing.repository import ListingFilters
from factorlink.listing.schemas import ListingStateIn
from factorlink.listing.service import ListingService


def listing_router(service_class: type[ListingService[Any]]) -> APIRouter:
    """Builds list, get, create, update, state and delete endpoints for one listing kind, under
    its slug (/achievements) with the service's API shapes."""
    slug = service_class.descriptor.slug
    out_schema, in_schema = service_class.out_schema, service_class.in_schema
    # The kind filter of a kind with a vocabulary of kinds (厂房, VC/PE…): an enum of its spellings.
    kind_column = next((c for c in service_class.spec.columns if c.key == "kind"), None)
    kinds = (
        choice_filter(f"{slug.title()}KindFilter", kind_column)
        if kind_column is not None and kind_column.choices
        else str
    )
    kind_query = Query(
        max_length=20 if kinds is str else None,
        description="Kind (organisations, capital, carriers): 厂房, VC/PE…",
    )
    router = APIRouter(prefix=f"/{slug}", tags=[slug])
    label = service_class.spec.label

    @router.get("", response_model=Page[out_schema], summary=f"搜索{label}")  # type: ignore[valid-type]
    def list_(
        session: DbSession,
        viewer: CurrentViewer,
        paging: Paging,
        city: Annotated[
            str | None, Query(max_length=50, description="City: songjiang or 松江 or 上海市松江区")
        ] = None,
        industry: Annotated[
            str | None, Query(max_length=50, description="Industry: ai, 人工智能 or a sub-field")
        ] = None,
        kind: Annotated[kinds | None, kind_query] = None,  # type: ignore[valid-type]
        q: Annotated[str | None, Query(max_length=100, description="Text to look for")] = None,
        organization_id: IdQuery = None,
    ) -> Any:
        service = service_class(session, viewer)
        filters = ListingFilters(
            city=city,
            industry=industry,
            q=q,
            organization_id=organization_id,
            kind=kind and str(kind),
        )
        rows, total = service.search(filters, paging)
        items = service.shown(rows)
        return {"items": items, "total": total, "page": paging.page, "page_size": paging.page_size}

    @router.get("/{id}", response_model=out_schema, summary=f"{label}详情")
    def get(id: IdPath, session: DbSession, viewer: CurrentViewer) -> Any:
        service = service_class(session, viewer)
        row = service.get(id)
        return service.shown([row])[0]

    @router.post("", response_model=out_schema, status_code=201, summary=f"发布{label}")
    def create(body: in_schema, session: DbSession, viewer: UserViewer) -> Any:  # type: ignore[valid-type]
        service = service_class(session, viewer)
        row = service.create(body.model_dump(exclude_none=True))  # type: ignore[attr-defined]
        return service.shown([row])[0]

    @router.patch("/{id}", response_model=out_schema, summary=f"修改{label}")
    def update(id: IdPath, body: in_schema, session: DbSession, viewer: UserViewer) -> Any:  # type: ignore[valid-type]
        service = service_class(session, viewer)
        row = service.update(id, body.model_dump(exclude_unset=True))  # type: ignore[attr-defined]
        return service.shown([row])[0]

    @router.post("/{id}/state", response_model=out_schema, summary=f"撤回、重新展示或关闭{label}")
    def change_state(
        id: IdPath, body: ListingStateIn, session: DbSession, viewer: UserViewer
    ) -> Any:
        """Withdraws (hidden from the public, kept), shows again, or closes as done (final);
        the owner's organisation or staff in its city only."""
        service = service_class(session, viewer)
        row = service.set_state(id, body.to)
        return service.shown([row])[0]

    @router.delete("/{id}", status_code=204, summary=f"删除{label}")
    def delete(id: IdPath, session: DbSession, viewer: UserViewer) -> Response:
        service_class(session, viewer).delete(id)
        return Response(status_code=204)

    return router
