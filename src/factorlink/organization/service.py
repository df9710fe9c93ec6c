"""Rules for organisations."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from factorlink.errors import Conflict
from factorlink.listing.service import ListingService
from factorlink.organization.kind import KIND
from factorlink.organization.models import Organization
from factorlink.organization.repository import OrganizationRepository
from factorlink.organization.schemas import OrganizationIn, OrganizationOut


class OrganizationService(ListingService[Organization]):
    """Organisations: registered by operators, kept up to date by their members."""

    descriptor = KIND
    in_schema = OrganizationIn
    out_schema = OrganizationOut
    repository_class = OrganizationRepository

    def apply(self, obj: Organization, values: Mapping[str, Any], *, source: str) -> None:
        repo = OrganizationRepository(self.session)
        credit = values.get("credit_code")
        if credit:
            other = repo.by_credit_code(credit)
            if other is not None and other.id != obj.id:
                raise Conflict(
                    f"统一社会信用代码{credit}已属于“{other.name}”",
                    message_en=f"credit code {credit} already belongs to another organisation",
                )
        same_name = repo.by_name(values["name"])
        if same_name is not None and same_name.id != obj.id:
            raise Conflict(
                f"机构“{values['name']}”已存在", message_en="organisation already exists"
            )
        for key, value in values.items():
            setattr(obj, key, value)
        obj.source = source

    def _owner_id_for(self, values: Mapping[str, Any], *, create: bool = False) -> int | None:
        existing = OrganizationRepository(self.session).by_name(values.get("name") or "")
        return existing.id if existing is not None else None
