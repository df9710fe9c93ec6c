"""Turns a listing row into its API shape, with the contact as the viewer may see it."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

from factorlink.privacy.masking import mask_mobiles_in
from factorlink.privacy.policy import Contact
from factorlink.reference import city_name, industry_name

S = TypeVar("S", bound=BaseModel)


def public_source(source: str) -> str:
    """Where a record came from, as the public sees it: an imported file's name is internal."""
    return source if source in ("api", "sample", "derived") else "import"


# The free-text fields of listings, where people type phone numbers that are not the contact's.
FREE_TEXT = ("title", "name", "abstract", "description", "services", "affiliation")
# A company's figures it gave the platform, not the public: shown to those who see its contact.
CONFIDENTIAL = frozenset({"annual_tax_wan"})


def present(schema: type[S], obj: Any, contact: Contact, *, staff: bool = False) -> S:
    """Builds the output schema of a row, adding display names and the visible contact."""
    out = schema.model_validate(obj)
    update: dict[str, Any] = {
        "contact_name": contact.name,
        "contact_mobile": contact.mobile,
        "contact_masked": contact.masked,
    }
    if not staff and "source" in schema.model_fields:
        update["source"] = public_source(obj.source)
    city = getattr(obj, "city", None)
    if "city_name" in schema.model_fields:
        update["city_name"] = city_name(city)
    if "organization_name" in schema.model_fields:
        org = getattr(obj, "organization", None)
        update["organization_name"] = org.name if org is not None else None
    industry = getattr(obj, "industry", None)
    if "industry_name" in schema.model_fields and isinstance(industry, str):
        update["industry_name"] = industry_name(industry)
    if contact.masked:  # a mobile typed into a description is masked like the contact
        for name in FREE_TEXT:
            value = getattr(out, name, None)
            if isinstance(value, str):
                update[name] = mask_mobiles_in(value)
        for name in CONFIDENTIAL & set(schema.model_fields):
            update[name] = None
    return out.model_copy(update=update)
