"""The shared column builders of kit/columns.py: what is typed is kept and written back, the
catalogue's codes are what search and matching read."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from factorlink.kit import columns as c
from factorlink.validation.errors import FieldError


def _row(parsed: dict[str, object]) -> SimpleNamespace:
    return SimpleNamespace(**parsed)


def test_industries_are_kept_as_typed_beside_the_catalogues_codes() -> None:
    column = c.industries("industries", "欢迎行业", "Industries welcomed")
    typed = "汽车零部件、新材料"
    parsed = column.parse(typed)
    assert parsed == {"industries": ["nev", "materials"], "industries_text": typed}
    assert column.format(_row(parsed)) == typed  # shown and exported as typed
    assert column.parse(column.format(_row(parsed))) == parsed  # a round trip keeps both
    # Full-width separators and words stay as typed; a list from the API is joined with 、.
    assert column.parse("汽车零部件，人工智能")["industries_text"] == "汽车零部件，人工智能"
    listed = column.parse(["汽车零部件", "人工智能"])
    assert listed["industries_text"] == "汽车零部件、人工智能"


@pytest.mark.parametrize("typed", ["高端装备、新材料", "equipment、materials", "高端装备,新材料"])
def test_industries_named_as_the_catalogue_names_them_keep_no_text(typed: str) -> None:
    column = c.industries("industries", "投资行业", "Industries")
    parsed = column.parse(typed)
    assert parsed == {"industries": ["equipment", "materials"], "industries_text": None}
    assert column.format(_row(parsed)) == "高端装备、新材料"


def test_industries_typed_too_long_are_refused() -> None:
    column = c.industries("industries", "投资行业", "Industries")
    with pytest.raises(FieldError) as refused:
        column.parse("、".join(["汽车零部件"] * 60))
    assert "300" in str(refused.value)
