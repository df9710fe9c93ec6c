"""A carrier's fit profile reads what the sheet states (可分割, 最小分割面积, 行车) over what its
words suggest."""

from __future__ import annotations

from typing import Any

from factorlink.carrier.kind import profile
from factorlink.carrier.models import Carrier


def _carrier(**fields: Any) -> Carrier:
    base: dict[str, Any] = {"name": "标准厂房", "kind": "factory", "city": "wuhu", "area_sqm": 5000}
    return Carrier(**{**base, "industries": [], **fields})


def test_the_profile_takes_what_the_sheet_states_over_the_words() -> None:
    assert not profile(_carrier()).divisible
    stated = profile(_carrier(divisible=True, min_split_sqm=800))
    assert stated.divisible and stated.min_lease_sqm == 800 and not stated.whole_only
    whole = profile(_carrier(name="可分割标准厂房", divisible=False))
    assert not whole.divisible and whole.whole_only
    crane = dict(profile(_carrier(crane=True, crane_tonnes=10)).features_offered)
    assert crane.get("heavy_load") is True
    assert "heavy_load" not in dict(profile(_carrier(crane=False)).features_offered)
