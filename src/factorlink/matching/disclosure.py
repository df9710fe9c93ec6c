"""Match reasons as a viewer may read them (pure).

A company's annual tax is a figure it gave the platform, not the public: its organisation page
and the API show it only to those who may see its contact (`listing.presenter.CONFIDENTIAL`).
The 亩均税收 criterion quotes it ("年纳税 800万元 ÷ 30亩 ≈ 26.7万元/亩"), so for any other viewer
the reason says whether the threshold is reached without the figures that reveal the tax.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from factorlink.matching.fit.assess import Criterion

# Criteria whose reasons quote the tenant's confidential figures.
CONFIDENTIAL_CRITERIA = frozenset({"tax_threshold"})


def _withheld(criterion: Criterion) -> Criterion:
    if criterion.met is None:
        detail = "亩均税收门槛:企业纳税额不公开,由运营人员核对"
        detail_en = "Tax threshold: the company's tax is not public; operators check it"
    elif criterion.met:
        detail = "年纳税达到亩均税收门槛(企业纳税额不公开)"
        detail_en = "Annual tax meets the tax threshold (the company's tax is not public)"
    else:
        detail = "年纳税未达亩均税收门槛(企业纳税额不公开)"
        detail_en = "Annual tax is below the tax threshold (the company's tax is not public)"
    if not criterion.binding and criterion.met is not None:
        detail += ";分租按实际用地核算,供参考"
        detail_en += "; a partial lease is judged on its own use, for reference"
    return replace(criterion, detail=detail, detail_en=detail_en)


def as_seen(criteria: Sequence[Criterion], confidential_visible: bool) -> tuple[Criterion, ...]:
    """The criteria of a match as a viewer reads them: those quoting a company's confidential
    figures reworded without them unless the viewer may see them (`confidential_visible`)."""
    if confidential_visible:
        return tuple(criteria)
    return tuple(_withheld(c) if c.key in CONFIDENTIAL_CRITERIA else c for c in criteria)
