"""Industries, sub-fields and their aliases."""

from __future__ import annotations

import pytest

from factorlink.reference import get_industries
from factorlink.reference.industries import Industry, IndustryCatalog


@pytest.mark.parametrize(
    ("typed", "code", "subfield"),
    [
        ("人工智能", "ai", None),
        ("AI", "ai", None),
        ("机器视觉", "ai", "机器视觉"),
        ("集成电路/功率器件", "ic", "功率器件"),
        ("新材料／石墨烯", "materials", "石墨烯"),
        ("新能源汽车", "nev", None),
        ("新能源汽车/智能网联汽车", "nev", None),
        ("生物医药-体外诊断", "biomed", "体外诊断"),
        ("节能环保", "green", None),
        ("新能源/海洋能", "new_energy", "海洋能"),
    ],
)
def test_resolves(typed: str, code: str, subfield: str | None) -> None:
    match = get_industries().resolve(typed)
    assert match is not None
    assert (match.industry.code, match.subfield) == (code, subfield)


@pytest.mark.parametrize("typed", ["房地产", "", "集成电路/石墨烯", "房地产/物业"])
def test_unknown(typed: str) -> None:
    assert get_industries().resolve(typed) is None


def test_eight_industries() -> None:
    assert len(get_industries().industries) == 8


def test_a_subfield_in_two_industries_is_refused() -> None:
    with pytest.raises(ValueError, match="two industries"):
        IndustryCatalog(
            (Industry("a", "甲", "A", subfields=("x",)), Industry("b", "乙", "B", subfields=("x",)))
        )
