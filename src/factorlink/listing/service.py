"""Create, read, update, delete and search for every listing kind, with permissions and masking.

Every write of a listing also logs a match change in the same transaction (the listener each
`Database` installs on its sessions: `matching/live/changes.py`), which the match indexes replay.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any, ClassVar, Generic, TypeVar, cast

from pydantic import BaseModel
from sqlalchemy.orm import Session

from factorlink.auth import access
from factorlink.auth.viewer import Viewer
from factorlink.db.base import Base
from factorlink.db.factor import ListingState
from factorlink.engagement.repository import EngagementRepository
from factorlink.errors import Conflict, InvalidInput, NotAuthenticated, NotFound, PermissionDenied
from factorlink.introduction.models import PartyKind
from factorlink.introduction.parties import party_owner
from factorlink.kinds.descriptor import Kind
from factorlink.kit.filters import parse_filter, resolve_city, resolve_industry
from factorlink.kit.pagination import PageParams
from factorlink.kit.table import CellError, TableSpec
from factorlink.listing.presenter import present
from factorlink.listing.repository import (
    SORTS,
    ListingFilters,
    ListingRepository,
    in_introductions,
)
from factorlink.listing.search import Found
from factorlink.listing.search import search as search_listings
from factorlink.organization.columns import SPEC as ORGANIZATION_SPEC
from factorlink.organization.models import Organization, OrganizationKind
from factorlink.organization.repository import OrganizationRepository
from factorlink.privacy.policy import Contact, ContactPolicy
from factorlink.validation.errors import FieldError
from factorlink.validation.parsers import normalize
from factorlink.validation.vocab import COOP_MODES, parse_choice

M = TypeVar("M", bound=Base)

_KIND_HINTS: tuple[tuple[OrganizationKind, tuple[str, ...]], ...] = (
    (OrganizationKind.university, ("大学", "学院", "学校")),
    (OrganizationKind.institute, ("研究院", "研究所", "研究中心", "实验室", "科学院")),
    (OrganizationKind.investor, ("基金", "资本", "投资", "银行", "创投", "保险")),
    (OrganizationKind.park, ("园区", "开发区", "产业园", "高新区", "孵化器", "科技城")),
)


def guess_organization_kind(name: str) -> OrganizationKind:
    """Guesses an organisation's kind from its name (大学 → university, …)."""
    for kind, hints in _KIND_HINTS:
        if any(h in name for h in hints):
            return kind
    return OrganizationKind.enterprise


def invalid_input(errors: Sequence[CellError], spec: TableSpec) -> InvalidInput:
    """Turns parse errors into one InvalidInput error listing every field."""
    fields = "、".join(e.column or "" for e in errors)
    return InvalidInput(
        f"{spec.label}信息有误:{fields}",
        message_en=f"Invalid {spec.kind}: " + "; ".join(e.reason_en for e in errors),
        errors=[
            {"field": e.key, "column": e.column, "reason": e.reason, "reason_en": e.reason_en}
            for e in errors
        ],
    )


def refinement_errors(filters: ListingFilters) -> list[CellError]:
    """Checks the sort order and that a price range runs from low to high."""
    errors = []
    if filters.sort not in SORTS:
        errors.append(
            CellError("排序", "排序方式无效", f"unknown sort {filters.sort!r}", "", "sort")
        )
    low, high = filters.price_min, filters.price_max
    if low is not None and high is not None and low > high:
        errors.append(
            CellError(
                "价格", "最低价不能高于最高价", "price_min is above price_max", "", "price_min"
            )
        )
    return errors


# The moves of a listing's state: withdrawn and shown again as often as its owner likes; closed
# (done) is final.
STATE_MOVES: dict[str, tuple[str, ...]] = {
    ListingState.active: (ListingState.withdrawn, ListingState.closed),
    ListingState.withdrawn: (ListingState.active, ListingState.closed),
    ListingState.closed: (),
}


def state_label(state: str, kind: str) -> str:
    """A listing state in Chinese; closed reads as what it means for the kind."""
    if state == ListingState.closed:
        return {"demand": "已解决", "achievement": "已成交"}.get(kind, "已关闭")
    return {"active": "展示中", "withdrawn": "已撤回"}.get(state, state)


def check_state_change(current: str, to: str, kind: str) -> None:
    """Raises Conflict for a move of a listing's state that STATE_MOVES does not allow."""
    allowed = STATE_MOVES.get(current, ())
    if to in allowed:
        return
    names = "、".join(state_label(s, kind) for s in allowed) or "无(已是最终状态)"
    raise Conflict(
        f"该信息当前为“{state_label(current, kind)}”,不能变更为“{state_label(to, kind)}”;"
        f"可选:{names}",
        message_en=f"listing is {current}; cannot become {to}; allowed: "
        + (", ".join(allowed) or "none (final state)"),
        errors=[
            {
                "field": "state",
                "reason": f"不能从{state_label(current, kind)}变更为{state_label(to, kind)}",
                "reason_en": f"cannot move from {current} to {to}",
            }
        ],
    )


class ListingService(Generic[M]):
    """The rules every listing kind shares; subclasses name the model, spec and repository."""

    # The kind's descriptor (`<kind>/kind.py`): its key and column spec are read from it.
    descriptor: ClassVar[Kind[Any]]
    kind: ClassVar[PartyKind]
    spec: ClassVar[TableSpec]
    repository_class: ClassVar[type[ListingRepository[Any]]]
    # The API shapes of the kind: what a client sends, what it gets.
    in_schema: ClassVar[type[BaseModel]]
    out_schema: ClassVar[type[BaseModel]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        descriptor: Kind[Any] | None = cls.__dict__.get("descriptor")
        if descriptor is not None:
            if descriptor.spec is None:
                raise TypeError(f"{descriptor.key} is not a listing kind: it has no column spec")
            cls.kind, cls.spec = descriptor.key, descriptor.spec

    def __init__(self, session: Session, viewer: Viewer) -> None:
        self.session = session
        self.viewer = viewer
        self.repository: ListingRepository[M] = self.repository_class(session)
        self.policy = ContactPolicy(session, viewer)
        self._organization_ids: dict[str, int] = {}

    def know_organizations(self, ids_by_name: Mapping[str, int]) -> None:
        """Takes organisation ids looked up in bulk (imports), saving a query per row."""
        self._organization_ids.update(ids_by_name)

    @property
    def model(self) -> type[M]:
        model: type[M] = self.repository.model
        return model

    def search(self, filters: ListingFilters, params: PageParams) -> tuple[Sequence[M], int]:
        """Lists the listings matching the filters, one page at a time."""
        found = self.find(filters, params)
        return found.rows, found.total

    def find(self, filters: ListingFilters, params: PageParams) -> Found:
        """One page of the listings matching the filters, most relevant first when there is a
        query (listing/search.py), and the corrected query also searched, if any."""
        return search_listings(
            self.session, self.kind, self.repository, self.resolve_filters(filters), params
        )

    def resolve_filters(self, filters: ListingFilters) -> ListingFilters:
        """Accepts names as people write them (松江, 新材料, 厂房) as well as codes."""
        errors: list[CellError] = []
        changes: dict[str, Any] = {}
        if filters.city:
            changes["city"] = resolve_city(filters.city, errors)
        if filters.industry:
            changes["industry"] = resolve_industry(filters.industry, errors)
        if filters.q:
            changes["q"] = normalize(filters.q) or None
        if filters.kind:
            column = next((c for c in self.spec.columns if c.key == "kind"), None)
            if column is None:
                errors.append(
                    CellError(
                        "kind", f"{self.spec.label}没有类型字段", f"{self.spec.kind} has no kind"
                    )
                )
            else:
                changes["kind"] = parse_filter(column, filters.kind, errors, "kind")
        if filters.coop_mode:
            changes["coop_mode"] = self._coop_mode(filters.coop_mode, errors)
        errors.extend(refinement_errors(filters))
        if errors:
            raise invalid_input(errors, self.spec)
        if filters.states is None:
            # Searches list what is on show: withdrawn and closed listings are left out.
            changes["states"] = (ListingState.active.value,)
        return replace(filters, **changes)

    def _coop_mode(self, value: str, errors: list[CellError]) -> str | None:
        try:
            return parse_choice(value, COOP_MODES, "合作方式", "cooperation mode")
        except FieldError as exc:
            errors.append(CellError("合作方式", exc.reason, exc.reason_en, value, "coop_mode"))
            return None

    def get(self, id_: int) -> M:
        """Gets one listing, or raises NotFound; a withdrawn one is found only by those who may
        change it (its organisation's members, staff in its city)."""
        obj = self.repository.get(id_)
        if obj is None or (
            getattr(obj, "state", ListingState.active) == ListingState.withdrawn
            and not self.may_write(obj)
        ):
            raise NotFound(
                f"{self.spec.label}{id_}不存在", message_en=f"{self.spec.kind} {id_} not found"
            )
        return obj

    def additions(self, rows: Sequence[M]) -> dict[int, dict[str, Any]]:
        """What a kind's API shape shows beside its rows' columns (a carrier's cover photo),
        for a page of rows at once: id -> field values. None for most kinds."""
        return {}

    def shown(self, rows: Sequence[M]) -> list[BaseModel]:
        """Rows in the kind's API shape as the viewer may see them, with what the kind adds
        beside its columns (`additions`)."""
        extra = self.additions(rows)
        return [
            present(self.out_schema, row, self.contact(row), staff=self.viewer.is_staff).model_copy(
                update=extra.get(cast(Any, row).id, {})
            )
            for row in rows
        ]

    def contact(self, obj: M) -> Contact:
        """The listing's contact as the viewer may see it."""
        return self.policy.contact(self.kind, obj)

    def create(self, cells: Mapping[str, Any], *, source: str = "api") -> M:
        """Creates a listing from cells keyed like the spreadsheet columns."""
        self._require_user()
        values = self.parse(self._as_member(cells))
        if self.repository.by_code(values["code"]) is not None:
            raise Conflict(
                f"编号“{values['code']}”已存在",
                message_en=f"code {values['code']!r} already exists",
            )
        return self.write_new(values, source)

    def write_new(self, values: Mapping[str, Any], source: str, *, bulk: bool = False) -> M:
        """Creates a listing from parsed values: the one way a listing is written new (the API
        and imports alike). The write rule is checked on the stated values, then on the built
        row (whose city a kind may derive, as capital does) before it is added, and once more
        when it has its key (an organisation owns itself). `bulk` (imports, staff only) adds
        the row without a flush per row. The session's change log records the write for the
        match indexes (`matching/live/changes.py`)."""
        self.check_can_change(None, values)
        obj = self._built(values, source)
        if self.viewer.is_staff:
            self.check_can_write(obj)
            if bulk:
                self.session.add(obj)
                return obj
        added = self.repository.add(obj)
        self.check_can_write(added)  # a refusal here rolls the request back
        return added

    def write_change(self, obj: M, values: Mapping[str, Any]) -> None:
        """Changes a listing to parsed values: the one way a listing is changed. The rule is
        checked for the listing as stored and as stated before anything changes, and for the
        result (a change may not move a listing out of the viewer's reach)."""
        self.check_can_change(obj, values)
        self.apply(obj, values, source=cast(Any, obj).source)
        self.check_can_write(obj)

    def check_can_change(self, obj: M | None, values: Mapping[str, Any]) -> None:
        """The write rule before a change is made: staff within their cities, for the listing
        as stored and for the city the change states; members only their own organisation's."""
        if obj is not None:
            self.check_can_write(obj)
        city = values.get("city")
        if city is not None or not self.viewer.is_staff:
            # A city a kind derives (capital's) is judged on the result, by the callers.
            owner = None if self.viewer.is_staff else self.viewer.organization_id
            self._check_can_write(city, owner)

    def _built(self, values: Mapping[str, Any], source: str) -> M:
        obj = self.model()
        self.apply(obj, values, source=source)
        return obj

    def update(self, id_: int, cells: Mapping[str, Any]) -> M:
        """Changes the given fields of a listing; the others stay as they are."""
        obj: Any = self.get(id_)
        self.check_can_write(obj)
        current = self.cells_of(obj)
        # A blank code in a change means "no change": the code is what re-imports match on.
        current.update({k: v for k, v in cells.items() if k != "code" or normalize(v)})
        values = self.parse(self._as_member(current))
        if values["code"] != obj.code and self.repository.by_code(values["code"]):
            raise Conflict(f"编号“{values['code']}”已存在", message_en="code already exists")
        self.write_change(obj, values)
        self.session.flush()
        updated: M = obj
        return updated

    def delete(self, id_: int) -> None:
        """Deletes a listing that no introduction refers to."""
        obj: Any = self.get(id_)
        self.check_can_write(obj)
        if in_introductions(self.session, self.kind, obj.id):
            raise Conflict(
                f"该{self.spec.label}已有对接记录,不能删除",
                message_en=f"this {self.spec.kind} is in an introduction and cannot be deleted",
            )
        self.repository.delete(obj)
        # Its page's counter and followers go with it (its id may be given again).
        EngagementRepository(self.session).forget(self.kind.value, obj.id)

    def mine(self, params: PageParams) -> tuple[Sequence[M], int]:
        """The listings of the viewer's organisation, in every state, newest first."""
        self._require_user()
        org_id = self.viewer.organization_id
        filters = ListingFilters(organization_id=org_id if org_id is not None else -1)
        return self.repository.search(filters, params)

    def set_state(self, id_: int, to: ListingState) -> M:
        """Withdraws a listing (hidden from the public, kept), shows it again, or closes it as
        done (已解决/已成交); only who may change it (owner or staff in its city) may."""
        obj: Any = self.get(id_)
        self.check_can_write(obj)
        if not hasattr(obj, "state"):
            raise Conflict(
                f"{self.spec.label}不能撤回或关闭",
                message_en=f"a {self.spec.kind} cannot be withdrawn or closed",
            )
        check_state_change(obj.state, to, self.spec.kind)
        obj.state = to.value
        self.session.flush()
        changed: M = obj
        return changed

    def may_write(self, obj: Any) -> bool:
        """Whether the viewer may change this listing (the write rule, as a yes or no)."""
        try:
            self.check_can_write(obj)
        except (PermissionDenied, NotAuthenticated):
            return False
        return True

    def check_can_write(self, obj: Any) -> None:
        """Staff may write within their cities; members only their own organisation's listings."""
        self._check_can_write(getattr(obj, "city", None), party_owner(self.kind, obj))

    def _as_member(self, cells: Mapping[str, Any]) -> Mapping[str, Any]:
        """A member posts as their own organisation, named or not; naming another is refused."""
        viewer = self.viewer
        if viewer.is_anonymous or viewer.is_staff or "organization" not in self._column_keys:
            return cells
        own = self.session.get(Organization, viewer.organization_id or 0)
        if own is None:
            raise PermissionDenied(
                "您的账号未关联机构,不能发布信息",
                message_en="Your account belongs to no organisation",
            )
        named = normalize(cells.get("organization"))
        if named and named != normalize(own.name):
            raise invalid_input(
                [
                    CellError(
                        self.spec.column("organization").header,
                        f"只能以本机构“{own.name}”的名义发布",
                        "members post for their own organisation only",
                        named,
                        "organization",
                    )
                ],
                self.spec,
            )
        return {**cells, "organization": own.name}

    @property
    def _column_keys(self) -> set[str]:
        return {col.key for col in self.spec.columns}

    def parse(self, cells: Mapping[str, Any]) -> dict[str, Any]:
        """Parses and validates cells, raising InvalidInput listing every bad field."""
        row = self.spec.parse(cells)
        if not row.ok:
            raise invalid_input(row.errors, self.spec)
        return row.values

    def cells_of(self, obj: M) -> dict[str, Any]:
        """Returns a listing's current values as cells, keyed by column key."""
        return {col.key: col.format(obj) for col in self.spec.columns}

    def apply(self, obj: Any, values: Mapping[str, Any], *, source: str) -> None:
        """Writes parsed values onto a row, linking (or creating) the named organisation."""
        fields = dict(values)
        fields.pop("organization_name", None)
        if hasattr(obj, "organization_id"):
            fields["organization_id"] = self._owner_id_for(values, create=True)
        for key, value in fields.items():
            setattr(obj, key, value)
        obj.source = source

    def _owner_id_for(self, values: Mapping[str, Any], *, create: bool = False) -> int | None:
        """The owning organisation: a member's own, else the one named (created if new)."""
        if self.viewer.role is not None and not self.viewer.is_staff:
            return self.viewer.organization_id
        name = values.get("organization_name")
        if not name:
            return None
        if name in self._organization_ids:
            return self._organization_ids[name]
        orgs = OrganizationRepository(self.session)
        org = orgs.by_name(name)
        if org is None and create:
            org = orgs.add(
                Organization(
                    code=ORGANIZATION_SPEC.derive_code({"name": name}),
                    name=name,
                    kind=guess_organization_kind(name),
                    city=values.get("city") or "",
                    source="derived",
                )
            )
        if org is None:
            return None
        self._organization_ids[name] = org.id
        return org.id

    def _require_user(self) -> None:
        access.require_user(self.viewer, ("请先登录后再发布", "Login required to post listings"))

    def _check_can_write(self, city: str | None, owner_id: int | None) -> None:
        viewer = self.viewer
        self._require_user()
        if viewer.is_staff:
            if viewer.operates_in(city):
                return
            raise PermissionDenied(
                "该城市不在您的运营范围内", message_en="City outside your operator scope"
            )
        if viewer.organization_id is None or owner_id != viewer.organization_id:
            raise PermissionDenied(
                "只能修改本机构发布的信息", message_en="Members may only change their own listings"
            )
