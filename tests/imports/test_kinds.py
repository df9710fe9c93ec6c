"""Telling a file's kind from its headers."""

from __future__ import annotations

from factorlink.imports.kinds import ImportKind, detect_kind, kind_fits, spec_of
from tests.imports.builders import achievement, organization


def test_each_kinds_own_headers_tell_it() -> None:
    for kind in ImportKind:
        spec = spec_of(kind)
        assert detect_kind([c.display_header for c in spec.columns]) == kind, kind
        assert detect_kind([c.header_en for c in spec.columns]) == kind, kind


def test_the_builders_rows_are_told_apart() -> None:
    assert detect_kind(list(achievement())) == ImportKind.achievement
    assert detect_kind(list(organization())) == ImportKind.organization


def test_the_fits_rank_the_kinds_that_have_every_required_column_first() -> None:
    fits = kind_fits(list(achievement()))
    assert fits[0].kind == ImportKind.achievement and fits[0].fits
    assert not any(f.fits for f in fits[1:])
    demand = next(f for f in fits if f.kind == ImportKind.demand)
    assert [c.header for c in demand.missing] == ["需求名称", "需求描述"]  # 所属机构 serves


def test_headers_that_fit_two_kinds_equally_tell_none() -> None:
    # 名称 and 类型 are all that capital requires; a carrier needs 所在城市 too, and with it
    # the carrier fits more columns.
    assert detect_kind(["名称", "类型"]) == ImportKind.capital
    assert detect_kind(["名称", "类型", "所在城市"]) == ImportKind.carrier
    # A carrier's and an expert's columns side by side: both fit three, neither is told.
    assert detect_kind(["名称", "类型", "所在城市", "姓名", "研究领域"]) is None
    assert detect_kind(["所在城市"]) is None
    assert detect_kind([]) is None
