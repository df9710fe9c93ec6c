"""Leads (线索): the corridor's form as operators receive it — 需求, 用途, 税收, 公司 — matched
like any factor, but never listed, imported or exported."""

from __future__ import annotations

from collections.abc import Sequence

from factorlink.introduction.models import PartyKind
from factorlink.kinds.descriptor import (
    TITLE_LENGTH,
    Fields,
    Kind,
    codes,
    industry_names,
    own_industry,
)
from factorlink.lead.models import Lead
from factorlink.matching.fit.config import get_fit_config
from factorlink.matching.fit.needs import infer_industries, read_features, read_needs
from factorlink.matching.fit.profile import Profile
from factorlink.privacy.masking import mask_mobiles_in


def document(row: Lead, extra: Sequence[str] = ()) -> Fields:
    """The need counts twice, then what it is for and the industry."""
    return [
        (row.need, 2),
        (row.purpose or "", 1),
        (industry_names(row.industry), 1),
    ]


def profile(row: Lead) -> Profile:
    """What a lead's words state (需要14200㎡厂房, A轮融资2050万元, 不考虑股权融资), the industry
    it leaves out read from what it is for (a stated one widened by the industries its own words
    name: 电驱系统 that needs "SiC功率模块封装"), and the facilities it asks for."""
    words = " ".join(t for t in (row.need, row.purpose) if t)
    needs = read_needs(words)
    config = get_fit_config()
    stated = codes(row.industry)
    read = infer_industries(
        " ".join(t for t in (row.purpose, row.need) if t),
        config.industries,
        config.industry_cues,
        every=bool(stated),
    )
    return Profile(
        kind="lead",
        industries=tuple(dict.fromkeys((*stated, *read))),
        industries_inferred=not stated and bool(read),
        features_wanted=read_features(words, config.features),
        city=row.city,
        district=row.district,
        cities=tuple(row.preferred_cities),
        budget=needs.budget,
        stages=needs.stages,
        funding_wan=needs.funding_wan,
        annual_tax_wan=row.annual_tax_wan,
        carrier_kinds_wanted=needs.carrier_kinds,
        capital_kinds_wanted=needs.capital_kinds,
        capital_kinds_refused=needs.capital_kinds_refused,
        area_needed_sqm=needs.area_sqm,
        unit_price_cap=needs.price_cap,
        investment_wan=needs.investment_wan,
        lead_type=str(row.lead_type.value),
        purpose=row.purpose,
        need_text=row.need,
    )


def title(row: Lead) -> str:
    """The start of the need, with any mobile number typed in it masked: a title goes where a
    lead's contact does not (introductions, match lists), to viewers who may not see it."""
    need = str(mask_mobiles_in(str(row.need)))
    return need if len(need) <= TITLE_LENGTH else need[: TITLE_LENGTH - 1] + "…"


KIND: Kind[Lead] = Kind(
    key=PartyKind.lead,
    slug="leads",
    label="线索",
    label_en="Lead",
    model=Lead,
    title_field="need",
    code=lambda row: f"LEAD-{row.id}",
    title=title,
    # A lead's own city, or the first it would move to.
    city=lambda row: row.city or next(iter(row.preferred_cities), None),
    industry=own_industry,
    owner=lambda row: None,
    document=document,
    profile=profile,
)
