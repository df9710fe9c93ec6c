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
    """The kind of space asked for (厂房, 土地, 写字楼, 孵化器); a kind that can stand in (a
    factory for land, an office for an incubator) counts partly and never filters."""
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
    if any(kind in cfg.near_kinds.get(want, ()) for want in wanted):
        return Outcome(
            False,
            cfg.near_kind_score,
            f"需要{zw},此为{zk},可作过渡或替代",
            f"Asks for {ew}; {ek} could stand in",
            binding=False,
        )
    return Outcome(False, 0.0, f"需要{zw},载体为{zk}", f"Asks for {ew}; offers {ek}")


def _lettable(carrier: Profile) -> float | None:
    """The smallest part of a divisible carrier, where it says (1000㎡起)."""
    if carrier.area_sqm is None or carrier.min_lease_sqm is None:
        return None
    return min(carrier.min_lease_sqm, carrier.area_sqm)


def area(a: Profile, b: Profile, cfg: FitConfig) -> Outcome | None:
    """An area near the one needed: not much smaller, not many times larger. A divisible
    building (可分割, 1000㎡起) is as large as the part the tenant takes."""
    roles = _carrier(a, b)
    if roles is None or roles[0].area_sqm is None or roles[1].area_needed_sqm is None:
        return None
    carrier, need = roles[0], roles[1].area_needed_sqm
    have = carrier.area_sqm or 0.0
    zh, en = w.area(have)
    zn, en_need = w.area(need)
    if have < need * cfg.area_below:
        return Outcome(
            False,
            ratio(have, need),
            f"需{zn},此处仅{zh}",
            f"Needs {en_need}; only {en} here",
        )
    smallest = _lettable(carrier)
    if carrier.divisible and have > need:
        # A divisible building lets the part asked for: "需3000㎡,可分租(1000㎡起,共6000㎡)".
        start_zh = f"{w.area(smallest)[0]}起," if smallest and smallest < have else ""
        start_en = f"from {w.area(smallest)[1]}, " if smallest and smallest < have else ""
        if smallest is not None and smallest > need / cfg.area_below:
            return Outcome(
                False,
                ratio(need, smallest),
                f"需{zn},此处最小分租{w.area(smallest)[0]}",
                f"Needs {en_need}; the smallest part let is {w.area(smallest)[1]}",
            )
        return Outcome(
            True,
            1.0 if have > need * cfg.area_above else 0.9 + 0.1 * need / have,
            f"需{zn},可分租({start_zh}共{zh})",
            f"Needs {en_need}; let in parts ({start_en}{en} in all)",
        )
    if have > need * cfg.area_above:
        return Outcome(
            False,
            ratio(need * cfg.area_above, have),
            f"需{zn},此处{zh}远大于所需",
            f"Needs {en_need}; {en} here is far more",
        )
    # Within the band, nearer the need is better: 1 at the need, less towards either edge.
    closeness = min(have, need) / max(have, need)
    verdict_zh, verdict_en = ("偏大", "rather large") if have > 1.5 * need else ("合适", "fits")
    return Outcome(
        True,
        0.75 + 0.25 * closeness,
        f"需{zn},此处{zh},{verdict_zh}",
        f"Needs {en_need}; {en} here {verdict_en}",
    )


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


def _whole(carrier: Profile, tenant: Profile, cfg: FitConfig) -> bool:
    """Tells whether the deal is for land or a whole building, where entry thresholds apply; a
    tenant leasing part of a standard factory is judged on its own use."""
    if carrier.carrier_kind == "land":
        return True
    if carrier.whole_only:
        return True  # 整栋, 独栋: let as one
    need, have = tenant.area_needed_sqm, carrier.area_sqm
    if need is None or have is None:
        return False  # a tenant who names no size is not assumed to take the whole building
    return need >= have * cfg.whole_share


def _mu(carrier: Profile, tenant: Profile) -> float | None:
    # Land: the area the tenant asked for, else the plot. A lease: the floor area it takes.
    sqm = tenant.area_needed_sqm or carrier.area_sqm
    return sqm / SQM_PER_MU if sqm else None


def _threshold_of(
    cfg: FitConfig,
    carrier: Profile,
    tenant: Profile,
    amount: float | None,
    threshold: float | None,
    what: tuple[str, str],
    bar: tuple[str, str],
) -> Outcome | None:
    if amount is None or threshold is None:
        return None
    limit_zh, limit_en = f"{bar[0]} {w.num(threshold)}万元/亩", f"{bar[1]} {w.per_mu_en(threshold)}"
    whole = _whole(carrier, tenant, cfg)
    if not whole and tenant.area_needed_sqm is None:
        # A lease of a size not stated: the building's threshold cannot be read either way.
        return Outcome(
            None,
            0.0,
            f"{limit_zh}针对整栋;分租按实际用地核算(未说明所需面积)",
            f"The {limit_en} is for whole buildings; a partial lease is judged on its own use "
            "(no area stated)",
            binding=False,
        )
    mu = _mu(carrier, tenant)
    if mu is None or mu <= 0:
        return None
    per_mu = amount / mu
    za, ea = w.wan(amount)
    zh = f"{what[0]} {za} ÷ {w.num(mu)}亩 ≈ {w.num(per_mu)}万元/亩"
    en = f"{what[1]} {ea} over {w.num(mu)} mu ≈ {w.per_mu_en(per_mu)}"
    if per_mu >= threshold:
        return Outcome(True, 1.0, f"{zh},达到{limit_zh}", f"{en}, meets the {limit_en}")
    if not whole:
        return Outcome(
            False,
            ratio(per_mu, threshold),
            f"{limit_zh}针对整栋;分租按实际用地核算,{zh},供参考",
            f"The {limit_en} is for whole buildings; a partial lease is judged on its own use "
            f"({en}), for reference",
            binding=False,
        )
    return Outcome(
        False, ratio(per_mu, threshold), f"{zh},低于{limit_zh}", f"{en}, below the {limit_en}"
    )


def tax_threshold(a: Profile, b: Profile, cfg: FitConfig) -> Outcome | None:
    """The tenant's annual tax per 亩 reaches the carrier's 亩均税收 threshold (land and whole
    buildings; for a partial lease, a reason shown, not a filter)."""
    roles = _carrier(a, b)
    if roles is None:
        return None
    carrier, tenant = roles
    return _threshold_of(
        cfg,
        carrier,
        tenant,
        tenant.annual_tax_wan,
        carrier.tax_threshold_wan_per_mu,
        ("年纳税", "annual tax"),
        ("亩均税收门槛", "tax threshold"),
    )


def investment_threshold(a: Profile, b: Profile, cfg: FitConfig) -> Outcome | None:
    """The tenant's investment per 亩 reaches the carrier's 投资强度 threshold (as above)."""
    roles = _carrier(a, b)
    if roles is None:
        return None
    carrier, tenant = roles
    return _threshold_of(
        cfg,
        carrier,
        tenant,
        tenant.investment_wan,
        carrier.investment_threshold_wan_per_mu,
        ("投资", "investment"),
        ("投资强度门槛", "investment threshold"),
    )


def facilities(a: Profile, b: Profile, cfg: FitConfig) -> Outcome | None:
    """The facilities a lead asks for (a chemical park, a clean room, a wet lab), as the
    carrier's own words offer them or rule them out."""
    roles = _carrier(a, b)
    if roles is None or not roles[1].features_wanted:
        return None
    carrier, tenant = roles
    said = dict(carrier.features_offered)
    labels = {f.key: (f.label, f.label_en) for f in cfg.features}
    wanted = [k for k in tenant.features_wanted if k in labels]
    if not wanted:
        return None
    has = [k for k in wanted if said.get(k) is True]
    lacks = [k for k in wanted if said.get(k) is False]
    silent = [k for k in wanted if k not in said]

    def names(keys: list[str]) -> tuple[str, str]:
        return "、".join(labels[k][0] for k in keys), ", ".join(labels[k][1] for k in keys)

    score = (len(has) + 0.5 * len(silent)) / len(wanted)
    if lacks:
        zl, el = names(lacks)
        return Outcome(False, 0.0, f"需要{zl},载体不具备", f"Needs {el}; not offered")
    if not has:
        zs, es = names(silent)
        return Outcome(None, 0.5, f"需要{zs},载体未说明", f"Needs {es}; not stated")
    zh, eh = names(has)
    if silent:
        zs, es = names(silent)
        return Outcome(True, score, f"具备{zh};{zs}未说明", f"Offers {eh}; {es} not stated")
    return Outcome(True, 1.0, f"具备所需{zh}", f"Offers the {eh} needed")


JUDGES: dict[str, Judge] = {
    "facilities": facilities,
    "carrier_kind": carrier_kind,
    "area": area,
    "carrier_price": carrier_price,
    "tax_threshold": tax_threshold,
    "investment_threshold": investment_threshold,
}
