"""The judges of industrial space: kind, area, price and entry thresholds (亩均税收, 投资强度)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from factorlink.matching.fit import words as w
from factorlink.matching.fit.criteria import Judge, Outcome, pick_roles, ratio
from factorlink.matching.fit.profile import SQM_PER_MU, Profile

if TYPE_CHECKING:
    from factorlink.matching.fit.assess import FitConfig


def _carrier(a: Profile, b: Profile) -> tuple[Profile, Profile] | None:
    # The carrier, then the tenant: an enterprise or a lead.
    return pick_roles(a, b, lambda p: p.kind == "carrier", lambda p: p.kind != "carrier")


def carrier_kind(a: Profile, b: Profile, cfg: FitConfig) -> Outcome | None:
    """The kind of space asked for (厂房, 土地, 写字楼, 孵化器)."""
    roles = pick_roles(
        a, b, lambda p: p.carrier_kind is not None, lambda p: bool(p.carrier_kinds_wanted)
    )
    if roles is None or not roles[1].carrier_kinds_wanted or roles[0].carrier_kind is None:
        return None
    kind, wanted = roles[0].carrier_kind, roles[1].carrier_kinds_wanted
    zk, ek = w.kinds((kind,))
    zw, ew = w.kinds(wanted)
    if kind in wanted:
        return Outcome(True, 1.0, f"载体为{zk},正是所需", f"{ek.capitalize()}, as asked")
    return Outcome(False, 0.0, f"需要{zw},载体为{zk}", f"Asks for {ew}; offers {ek}")


def area(a: Profile, b: Profile, cfg: FitConfig) -> Outcome | None:
    """An area near the one needed: not much smaller, not many times larger."""
    roles = _carrier(a, b)
    if roles is None or roles[0].area_sqm is None or roles[1].area_needed_sqm is None:
        return None
    have, need = roles[0].area_sqm, roles[1].area_needed_sqm
    zh, en = w.area(have)
    zn, en_need = w.area(need)
    if have < need * cfg.area_below:
        return Outcome(
            False,
            ratio(have, need),
            f"面积 {zh} 小于所需 {zn}",
            f"{en}, less than the {en_need} needed",
        )
    if have > need * cfg.area_above:
        return Outcome(
            False,
            ratio(need * cfg.area_above, have),
            f"面积 {zh} 远大于所需 {zn}",
            f"{en}, far more than the {en_need} needed",
        )
    return Outcome(True, 1.0, f"面积 {zh} 满足所需 {zn}", f"{en} fits the {en_need} needed")


def carrier_price(a: Profile, b: Profile, cfg: FitConfig) -> Outcome | None:
    """A price within the ceiling stated, where both are in the same unit."""
    roles = _carrier(a, b)
    if roles is None or roles[0].unit_price is None or roles[1].unit_price_cap is None:
        return None
    price, cap = roles[0].unit_price, roles[1].unit_price_cap
    zp, zc = f"{w.num(price.value)}{price.unit}", f"{w.num(cap.value)}{cap.unit}"
    if price.unit != cap.unit:
        return Outcome(
            None,
            0.0,
            f"价格 {zp} 与期望 {zc} 单位不同,不计分",
            f"Price {zp} and ceiling {zc} differ in unit",
        )
    if price.value <= cap.value:
        return Outcome(
            True, 1.0, f"价格 {zp} 不高于期望 {zc}", f"Price {zp} within the ceiling {zc}"
        )
    return Outcome(
        False,
        ratio(cap.value, price.value),
        f"价格 {zp} 高于期望 {zc}",
        f"Price {zp} above the ceiling {zc}",
    )


def _mu(carrier: Profile, tenant: Profile) -> float | None:
    # The area the tenant asked for, else the whole carrier: the tenant would take it all.
    sqm = tenant.area_needed_sqm or carrier.area_sqm
    return sqm / SQM_PER_MU if sqm else None


def _per_mu(
    carrier: Profile, tenant: Profile, amount: float | None, threshold: float | None
) -> tuple[float, float, float] | None:
    mu = _mu(carrier, tenant)
    if amount is None or threshold is None or mu is None:
        return None
    return amount, mu, threshold


def tax_threshold(a: Profile, b: Profile, cfg: FitConfig) -> Outcome | None:
    """The tenant's annual tax per 亩 reaches the carrier's 亩均税收 threshold."""
    roles = _carrier(a, b)
    if roles is None:
        return None
    carrier, tenant = roles
    figures = _per_mu(carrier, tenant, tenant.annual_tax_wan, carrier.tax_threshold_wan_per_mu)
    return _threshold(figures, ("年纳税", "annual tax"), ("亩均税收门槛", "tax threshold"))


def investment_threshold(a: Profile, b: Profile, cfg: FitConfig) -> Outcome | None:
    """The tenant's investment per 亩 reaches the carrier's 投资强度 threshold."""
    roles = _carrier(a, b)
    if roles is None:
        return None
    carrier, tenant = roles
    figures = _per_mu(
        carrier, tenant, tenant.investment_wan, carrier.investment_threshold_wan_per_mu
    )
    return _threshold(figures, ("投资", "investment"), ("投资强度门槛", "investment threshold"))


def _threshold(
    figures: tuple[float, float, float] | None,
    what: tuple[str, str],
    bar: tuple[str, str],
) -> Outcome | None:
    if figures is None:
        return None
    amount, mu, threshold = figures
    per_mu = amount / mu
    za, ea = w.wan(amount)
    zh = f"{what[0]} {za} ÷ {w.num(mu)}亩 ≈ {w.num(per_mu)}万元/亩"
    en = f"{what[1]} {ea} over {w.num(mu)} mu ≈ {w.per_mu_en(per_mu)}"
    limit_zh, limit_en = f"{bar[0]} {w.num(threshold)}万元/亩", f"{bar[1]} {w.per_mu_en(threshold)}"
    if per_mu >= threshold:
        return Outcome(True, 1.0, f"{zh},达到{limit_zh}", f"{en}, meets the {limit_en}")
    return Outcome(
        False, ratio(per_mu, threshold), f"{zh},低于{limit_zh}", f"{en}, below the {limit_en}"
    )


JUDGES: dict[str, Judge] = {
    "carrier_kind": carrier_kind,
    "area": area,
    "carrier_price": carrier_price,
    "tax_threshold": tax_threshold,
    "investment_threshold": investment_threshold,
}
