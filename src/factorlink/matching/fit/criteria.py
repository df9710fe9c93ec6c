"""The judges of structured fit, one per criterion, with their Chinese and English reasons (pure).

A judge looks at two profiles in either order (a demand's budget meets an achievement's price
whichever is the source) and returns None when a side lacks what the criterion needs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from factorlink.matching.fit import words as w
from factorlink.matching.fit.profile import Profile
from factorlink.validation.vocab import STAGES

if TYPE_CHECKING:
    from factorlink.matching.fit.assess import FitConfig


@dataclass(frozen=True)
class Outcome:
    """A judge's verdict: met (None when unknown), a score in 0..1 and the reason."""

    met: bool | None
    score: float
    detail: str
    detail_en: str
    # False: a miss is shown as a reason but never filters (see Criterion.binding).
    binding: bool = True
    # False: one side does not say what the criterion needs, so there is nothing to show.
    applies: bool = True

    @classmethod
    def unknown(cls, label: str, label_en: str) -> Outcome:
        """The verdict where one side does not say."""
        return cls(
            None,
            0.0,
            f"{label}:信息不全,不计分",
            f"{label_en}: not stated, not counted",
            applies=False,
        )


Judge = Callable[[Profile, Profile, "FitConfig"], Outcome | None]
Pair = tuple[Profile, Profile]
Test = Callable[[Profile], bool]


def pick_roles(a: Profile, b: Profile, first: Test, second: Test) -> Pair | None:
    """The two sides in the roles the tests describe, whichever is the source; None if neither."""
    if first(a) and second(b):
        return a, b
    if first(b) and second(a):
        return b, a
    return None


def ratio(small: float, large: float) -> float:
    """small / large within 0..1: how near a missed figure came."""
    return max(0.0, min(1.0, small / large)) if large > 0 else 0.0


def industry(a: Profile, b: Profile, cfg: FitConfig) -> Outcome | None:
    """Shares an industry, or one listed as related; an inferred industry says so."""
    if not a.industries or not b.industries:
        return None
    guessed = a.industries_inferred or b.industries_inferred
    why, why_en = ("(据用途推断)", " (inferred from the stated use)") if guessed else ("", "")
    shared = [code for code in a.industries if code in b.industries]
    if shared:
        zh, en = w.industries(shared, cfg)
        return Outcome(True, 1.0, f"同属{zh}行业{why}", f"{en} on both sides{why_en}")
    (za, ea), (zb, eb) = w.industries(a.industries, cfg), w.industries(b.industries, cfg)
    related = [(x, y) for x in a.industries for y in b.industries if cfg.related(x, y)]
    if related:
        return Outcome(
            True,
            cfg.related_score,
            f"行业相近:{za} / {zb}{why}",
            f"Related industries: {ea} / {eb}{why_en}",
        )
    return Outcome(
        False, 0.0, f"行业不同:{za} / {zb}{why}", f"Different industries: {ea} / {eb}{why_en}"
    )


def subfield(a: Profile, b: Profile, cfg: FitConfig) -> Outcome | None:
    """The same sub-field, or a sub-field among an expert's research fields."""
    if a.subfield and b.subfield:
        if a.subfield == b.subfield:
            return Outcome(True, 1.0, f"同属细分领域{a.subfield}", f"both {a.subfield}")
        return Outcome(
            False,
            0.0,
            f"细分领域不同:{a.subfield} / {b.subfield}",
            f"different, {a.subfield} / {b.subfield}",
        )
    roles = pick_roles(a, b, lambda p: bool(p.subfield), lambda p: bool(p.topics))
    if roles is None or not roles[0].subfield:
        return None
    sub, topics = roles[0].subfield, roles[1].topics
    listed = "、".join(topics)
    if any(sub in topic or topic in sub for topic in topics):
        return Outcome(True, 1.0, f"研究方向({listed})含{sub}", f"Research fields cover {sub}")
    return Outcome(
        False, 0.0, f"研究方向({listed})不含{sub}", f"Research fields ({listed}) lack {sub}"
    )


def cities(a: Profile, b: Profile, cfg: FitConfig) -> Outcome | None:
    """A city the other side covers (capital) or prefers (a lead)."""
    roles = pick_roles(a, b, lambda p: bool(p.cities), lambda p: bool(p.cities or p.city))
    if roles is None:
        return None
    listing, other = roles
    places = other.cities or ((other.city,) if other.city else ())
    what, what_en = (
        ("意向城市", "preferred cities")
        if listing.kind == "lead"
        else ("覆盖城市", "cities covered")
    )
    zl, el = w.cities(listing.cities, cfg)
    shared = [code for code in places if code in listing.cities]
    if shared:
        zh, en = w.cities(shared, cfg)
        if listing.kind == "lead" or len(listing.cities) <= 1:
            return Outcome(True, 1.0, f"{zh}在{what}({zl})内", f"{en} within the {what_en} ({el})")
        # A product for a few cities knows them; one for the whole corridor less so.
        spread = (len(listing.cities) - 1) / max(1, len(cfg.region.cities) - 1)
        score = 1.0 - (1.0 - cfg.all_cities_score) * min(1.0, spread)
        n = len(listing.cities)
        return Outcome(
            True,
            score,
            f"{zh}在{what}({zl})内,覆盖{n}城",
            f"{en} within the {what_en} ({el}), {n} cities",
        )
    zh, en = w.cities(places, cfg)
    return Outcome(False, 0.0, f"{zh}不在{what}({zl})内", f"{en} outside the {what_en} ({el})")


# A distance band scoring at least this is "near enough" (✓); below, a soft miss (✗).
NEAR_ENOUGH = 0.5


def distance(a: Profile, b: Profile, cfg: FitConfig) -> Outcome | None:
    """Same district, same city, near along the corridor, far, or outside it. A lead that names
    the cities it would move to is measured from the nearest of them."""
    if not a.city or not b.city:
        return None
    outside = [code for code in (a.city, b.city) if not cfg.region.has(code)]
    if outside:
        zo, eo = w.cities(dict.fromkeys(outside), cfg)
        region, region_en = cfg.region.name, cfg.region.name_en
        return Outcome(False, 0.0, f"{zo}不在{region}内", f"{eo}: outside the {region_en}")
    origin, there = (a, b) if a.kind == "lead" or b.kind != "lead" else (b, a)
    home, away = origin.city or "", there.city or ""
    places = [(home, origin.district)]
    if origin.kind == "lead" and there.kind != "lead":  # the cities a lead would move to
        places += [(c, None) for c in origin.cities if cfg.region.has(c) and c != home]
    km, (city, district) = min(
        ((cfg.region.place_distance_km(c, d, away, there.district), (c, d)) for c, d in places),
        key=lambda row: row[0],
    )
    if city == away and (not district or not there.district or district == there.district):
        shown = district if district and district == there.district else None
        zc, ec = w.place(city, shown, cfg)
        return Outcome(True, cfg.bands[0].score, f"同在{zc}", f"same place, {ec}")
    za, ea = w.place(city, district, cfg)
    zb, eb = w.place(away, there.district, cfg)
    zh, en = f"{za}—{zb}相距约 {km:.0f} 公里", f"{ea}–{eb}, about {km:.0f} km apart"
    for band in cfg.bands:
        if km <= band.within_km:
            graded = (f"{zh}({band.label})", f"{en} ({band.label_en})") if band.label else (zh, en)
            # Far but within the bands: it counts what its band scores, and is no tick.
            return Outcome(band.score >= NEAR_ENOUGH, band.score, *graded)
    far = cfg.bands[-1].within_km
    return Outcome(
        False, cfg.beyond_score, f"{zh},超出 {far:g} 公里(远)", f"{en}, beyond {far:g} km (far)"
    )


def budget(a: Profile, b: Profile, cfg: FitConfig) -> Outcome | None:
    """A budget that reaches the asking price (面议 on either side is unknown)."""
    roles = pick_roles(
        a,
        b,
        lambda p: p.budget is not None or p.budget_negotiable,
        lambda p: p.price is not None or p.price_negotiable,
    )
    if roles is None:
        return None
    buyer, seller = roles
    if buyer.budget_negotiable or buyer.budget is None:
        return Outcome(None, 0.0, "预算面议,不计分", "Budget negotiable, not counted")
    if seller.price_negotiable or seller.price is None:
        return Outcome(None, 0.0, "报价面议,不计分", "Price negotiable, not counted")
    ceiling = buyer.budget.high
    asking = seller.price.low if seller.price.low is not None else seller.price.high
    zb, eb = w.span(buyer.budget)
    zp, ep = w.span(seller.price)
    if ceiling is None or asking is None or asking <= ceiling:
        return Outcome(True, 1.0, f"预算 {zb} 覆盖报价 {zp}", f"Budget {eb} covers the price {ep}")
    return Outcome(
        False,
        ratio(ceiling, asking),
        f"报价 {zp} 超出预算 {zb}",
        f"Price {ep} exceeds the budget {eb}",
    )


def readiness(a: Profile, b: Profile, cfg: FitConfig) -> Outcome | None:
    """The readiness (TRL) offered reaches what is needed."""
    roles = pick_roles(a, b, lambda p: p.trl_needed is not None, lambda p: p.trl is not None)
    if roles is None or roles[1].trl is None or roles[0].trl_needed is None:
        return None
    needed, offered = roles[0].trl_needed, roles[1].trl
    if offered >= needed:
        return Outcome(
            True,
            1.0,
            f"成熟度 TRL {offered} 达到所需 TRL {needed}",
            f"Readiness TRL {offered} meets the TRL {needed} needed",
        )
    return Outcome(
        False,
        ratio(offered, needed),
        f"成熟度 TRL {offered} 低于所需 TRL {needed}",
        f"Readiness TRL {offered} below the TRL {needed} needed",
    )


def coop_modes(a: Profile, b: Profile, cfg: FitConfig) -> Outcome | None:
    """A cooperation mode both sides accept."""
    if not a.coop_modes or not b.coop_modes:
        return None
    shared = [mode for mode in a.coop_modes if mode in b.coop_modes]
    if shared:
        zh, en = w.modes(shared)
        return Outcome(True, 1.0, f"合作方式一致:{zh}", f"Shared cooperation modes: {en}")
    (za, ea), (zb, eb) = w.modes(a.coop_modes), w.modes(b.coop_modes)
    return Outcome(
        False, 0.0, f"合作方式不同:{za} / {zb}", f"No shared cooperation mode: {ea} / {eb}"
    )


def stage(a: Profile, b: Profile, cfg: FitConfig) -> Outcome | None:
    """A stage the capital invests in: the round raised, or the one an achievement's TRL suits.
    A round next to the capital's stages counts partly and never filters."""
    roles = pick_roles(
        a,
        b,
        lambda p: p.kind == "capital" and bool(p.stages),
        lambda p: p.kind != "capital" and bool(p.stages or p.trl),
    )
    if roles is None:
        return None
    investor, other = roles
    wanted = other.stages or (cfg.trl_stages.get(other.trl, ()) if other.trl else ())
    if not wanted:
        return None
    zi, ei = w.stages(investor.stages)
    zo, eo = w.stages(wanted)
    why, why_en = (
        (f"成熟度 TRL {other.trl} 对应", f"TRL {other.trl} suits ")
        if not other.stages
        else ("", "")
    )
    shared = [s for s in wanted if s in investor.stages]
    if shared:
        return Outcome(
            True, 1.0, f"{why}{zo},在投资阶段({zi})内", f"{why_en}{eo}, within the stages ({ei})"
        )
    if _next_to(wanted, investor.stages):
        return Outcome(
            False,
            cfg.near_stage_score,
            f"{why}{zo},与投资阶段({zi})相邻",
            f"{why_en}{eo}, next to the stages ({ei})",
            binding=False,
        )
    return Outcome(
        False, 0.0, f"{why}{zo},不在投资阶段({zi})内", f"{why_en}{eo}, outside the stages ({ei})"
    )


def _next_to(wanted: tuple[str, ...], stages: tuple[str, ...]) -> bool:
    order = list(STAGES)
    places = [order.index(s) for s in stages if s in order]
    return any(abs(order.index(s) - p) == 1 for s in wanted if s in order for p in places)


def ticket(a: Profile, b: Profile, cfg: FitConfig) -> Outcome | None:
    """A ticket range that holds the amount sought."""
    roles = pick_roles(a, b, lambda p: p.ticket is not None, lambda p: p.funding_wan is not None)
    if roles is None or roles[1].funding_wan is None or roles[0].ticket is None:
        return None
    span, amount = roles[0].ticket, roles[1].funding_wan
    zs, es = w.span(span)
    za, ea = w.wan(amount)
    if span.low is not None and amount < span.low:
        return Outcome(
            False, ratio(amount, span.low), f"所需 {za} 低于单笔 {zs}", f"{ea} sought, below {es}"
        )
    if span.high is not None and amount > span.high:
        return Outcome(
            False, ratio(span.high, amount), f"所需 {za} 高于单笔 {zs}", f"{ea} sought, above {es}"
        )
    return Outcome(True, 1.0, f"单笔 {zs} 覆盖所需 {za}", f"Ticket {es} covers the {ea} sought")


def capital_kind(a: Profile, b: Profile, cfg: FitConfig) -> Outcome | None:
    """The kind of capital asked for (a loan, or an equity round); one refused in so many
    words ("不考虑股权融资") misses whatever else the text says."""
    roles = pick_roles(
        a,
        b,
        lambda p: p.capital_kind is not None,
        lambda p: bool(p.capital_kinds_wanted or p.capital_kinds_refused),
    )
    if roles is None or roles[0].capital_kind is None:
        return None
    kind, asker = roles[0].capital_kind, roles[1]
    zk, ek = w.capital_kinds((kind,))
    if kind in asker.capital_kinds_refused:
        return Outcome(False, 0.0, f"对方不考虑{zk}", f"{ek.capitalize()} is ruled out")
    wanted = asker.capital_kinds_wanted
    if not wanted:
        return None
    zw, ew = w.capital_kinds(wanted)
    if kind in wanted:
        return Outcome(True, 1.0, f"{zk}正是所需", f"{ek}, as asked")
    return Outcome(False, 0.0, f"需要{zw},此为{zk}", f"Asks for {ew}, this is {ek}")


def org_kind(a: Profile, b: Profile, cfg: FitConfig) -> Outcome | None:
    """An organisation that is an enterprise: a buyer of technology, a tenant."""
    roles = pick_roles(a, b, lambda p: p.org_kind is not None, lambda p: p.org_kind is None)
    if roles is None or roles[0].org_kind is None:
        return None
    if roles[0].org_kind == "enterprise":
        return Outcome(True, 1.0, "对方为企业", "An enterprise")
    zh, en = w.org_kind(roles[0].org_kind)
    return Outcome(False, 0.0, f"对方为{zh},非企业", f"{en.capitalize()}, not an enterprise")


JUDGES: dict[str, Judge] = {
    "industry": industry,
    "subfield": subfield,
    "cities": cities,
    "distance": distance,
    "budget": budget,
    "readiness": readiness,
    "coop_modes": coop_modes,
    "stage": stage,
    "ticket": ticket,
    "capital_kind": capital_kind,
    "org_kind": org_kind,
}
