"""Industrial space (载体): land, factories, offices and incubators."""

from __future__ import annotations

import re
from collections.abc import Sequence

from factorlink.carrier.columns import SPEC
from factorlink.carrier.models import Carrier
from factorlink.introduction.models import PartyKind
from factorlink.kinds.descriptor import (
    Fields,
    Kind,
    first_industry,
    industry_names,
    joined,
    own_city,
    own_code,
    owning_organization,
)
from factorlink.matching.fit.config import get_fit_config
from factorlink.matching.fit.needs import offered_features
from factorlink.matching.fit.profile import Profile, UnitPrice
from factorlink.validation.vocab import label

# A carrier let in parts says so in its name or description: 可分割, 可分租, 1000㎡起(租); one
# let only whole says 整栋, 独栋.
DIVISIBLE = ("可分割", "可分租", "分层", "分租", "起租")
WHOLE = ("整栋", "独栋", "不可分割", "整体出租")
MIN_LEASE = re.compile(r"(?:最小|最少)?\s*(\d+(?:\.\d+)?)\s*(?:㎡|m2|平方米|平米)\s*起")
SMALLEST = re.compile(r"最小\s*(\d+)\s*(?:㎡|m2)")


def document(row: Carrier, extra: Sequence[str] = ()) -> Fields:
    """The name counts twice, then the description, kind, district and welcomed industries."""
    return [
        (row.name, 2),
        (row.description or "", 1),
        (joined([label(row.kind), row.district or "", industry_names(*row.industries)]), 1),
    ]


def profile(row: Carrier) -> Profile:
    """Kind, place, area (and how it is let), price, thresholds and the facilities its words
    offer or rule out. What the sheet states (可分割, 最小分割面积, 行车) outranks what the
    words suggest."""
    price = None
    if row.price_value is not None and row.price_unit:
        price = UnitPrice(row.price_value, row.price_unit)
    words = " ".join(t for t in (row.name, row.description) if t)
    found = MIN_LEASE.search(words) or SMALLEST.search(words)
    least = float(found.group(1)) if found else None
    whole = any(w in words for w in WHOLE)
    divisible = (least is not None or any(w in words for w in DIVISIBLE)) and not whole
    if row.divisible is not None:
        divisible, whole = row.divisible, not row.divisible
    if row.min_split_sqm is not None:
        least = row.min_split_sqm
    known = get_fit_config().features
    features = dict(offered_features(words, known))
    if row.crane and any(f.key == "heavy_load" for f in known):
        features.setdefault("heavy_load", True)
    return Profile(
        kind="carrier",
        industries=tuple(row.industries),
        city=row.city,
        district=row.district,
        carrier_kind=row.kind,
        area_sqm=row.area_sqm,
        divisible=divisible,
        whole_only=whole,
        features_offered=tuple(features.items()),
        min_lease_sqm=least,
        unit_price=price,
        tax_threshold_wan_per_mu=row.tax_threshold_wan_per_mu,
        investment_threshold_wan_per_mu=row.investment_threshold_wan_per_mu,
    )


KIND: Kind[Carrier] = Kind(
    key=PartyKind.carrier,
    slug="carriers",
    label=SPEC.label,
    label_en="Industrial space",
    model=Carrier,
    title_field="name",
    code=own_code,
    title=lambda row: row.name,
    city=own_city,
    industry=first_industry,
    owner=owning_organization,
    document=document,
    names_only=True,
    profile=profile,
    spec=SPEC,
    filters=("kind",),
)
