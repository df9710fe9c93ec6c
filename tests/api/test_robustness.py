"""Whatever a client sends, a business rule answers with a 4xx, never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import Actor, MakeActor

KINDS = {
    "organizations": ["name", "kind", "credit_code", "city", "industry", "annual_tax_wan"],
    "achievements": ["title", "abstract", "keywords", "industry", "trl", "coop_modes",
                     "price_wan", "organization", "city", "contact_mobile"],
    "demands": ["title", "description", "industry", "budget", "deadline", "organization", "city"],
    "capital": ["name", "kind", "stages", "industries", "ticket", "cities"],
    "carriers": ["name", "kind", "city", "area", "price", "industries",
                 "tax_threshold_wan_per_mu"],
    "experts": ["name", "affiliation", "fields", "city", "contact_mobile"],
}  # fmt: skip
# Values near the rules: real words, units, separators, numbers, and noise.
CELL = st.one_of(
    st.sampled_from(
        ["松江", "上海市松江区", "北京", "新材料/石墨烯", "火星", "面议", "100-300", "300-100",
         "30亩", "5000", "1.2元/㎡/天", "中试", "TRL9", "10", "转让、许可", "赠送", "VC/PE",
         "厂房", "2027-02-30", "13812345678", "123", "91330100799655058B", "-5", "", " ",
         "石墨\x00烯", "\x00", "合\x1f肥"]
    ),
    st.text(max_size=30),
    st.integers(-10**12, 10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.lists(st.text(max_size=8), max_size=4),
    st.none(),
)  # fmt: skip


def _body(kind: str) -> st.SearchStrategy[dict[str, Any]]:
    return st.dictionaries(st.sampled_from(KINDS[kind]), CELL, max_size=len(KINDS[kind]))


@pytest.fixture
def admin(make_actor: MakeActor) -> Actor:
    return make_actor("admin")


@pytest.mark.parametrize("kind", KINDS)
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_posting_anything_is_never_a_500(
    client: TestClient, admin: Actor, kind: str, data: st.DataObject
) -> None:
    body = data.draw(_body(kind))
    response = client.post(f"/api/v1/{kind}", json=body, headers=admin.headers)
    assert response.status_code in (201, 409, 422), response.text
    if response.status_code != 201:
        assert response.headers["content-type"] == "application/problem+json"


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    kind=st.sampled_from(list(KINDS)),
    params=st.dictionaries(
        st.sampled_from(["city", "industry", "kind", "q", "page", "page_size", "organization_id"]),
        st.one_of(
            st.text(max_size=20),
            st.integers(-5, 500).map(str),
            st.sampled_from(["a\x00b", "松江\x00"]),
        ),
    ),
)
def test_any_query_is_never_a_500(client: TestClient, kind: str, params: dict[str, str]) -> None:
    response = client.get(f"/api/v1/{kind}", params=params)
    assert response.status_code in (200, 422), response.text
