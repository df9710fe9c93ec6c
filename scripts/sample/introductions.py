"""Introductions (对接) between sample parties that make sense, each with its timestamped steps."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from factorlink.organization.columns import SPEC as ORGANIZATION
from sample.experts import Expert
from sample.leads import Lead
from sample.listings import Achievement, Demand
from sample.market import Capital, Carrier
from sample.orgs import Org
from sample.rand import Rand

START, END = datetime(2025, 12, 1, tzinfo=UTC), datetime(2026, 11, 28, tzinfo=UTC)
LEAD_CUTOFF = datetime(2026, 9, 15, tzinfo=UTC)
FINAL_STATES = (
    ("signed", 21),
    ("closed", 9),
    ("negotiating", 10),
    ("contacted", 11),
    ("proposed", 9),
)
_GAPS = {"contacted": (2, 14), "negotiating": (5, 30), "signed": (10, 60), "closed": (5, 45)}
_REASONS = {
    "technology": (
        "双方在转让价格上未达成一致",
        "企业调整产品路线，需求暂缓",
        "成果成熟度不足以满足量产要求",
        "知识产权权属需进一步厘清，暂停推进",
        "企业最终选择了本地合作团队",
        "技术指标与企业需求差距较大",
    ),
    "vc_pe": (
        "估值分歧较大，暂停洽谈",
        "企业已获得其他机构投资",
        "投资机构调整了投资方向",
        "尽调发现核心技术依赖外部授权",
    ),
    "guidance_fund": (
        "企业暂不满足返投和注册地要求",
        "基金投资额度已用完，转入下一期",
        "估值分歧较大，暂停洽谈",
    ),
    "bank_loan": (
        "企业财务指标未达到授信条件",
        "质押专利评估价值不足",
        "企业改用了其他银行的贷款产品",
    ),
    "insurance": ("保费预算不足，暂缓投保", "企业选择了其他保险方案"),
    "space": (
        "企业预计亩均税收未达到园区门槛",
        "企业已在其他园区落地",
        "载体层高和承重不满足要求",
        "企业扩产计划推迟",
    ),
}
Amount = Callable[[Rand], int]


@dataclass(frozen=True)
class Pair:
    """Two parties to introduce, what kind of deal it is, and what a signed deal is worth."""

    a: dict[str, Any]
    b: dict[str, Any]
    field: str
    amount: Amount
    earliest: datetime


def _organization(org: Org) -> dict[str, Any]:
    # Organisations have no 编号: the import derives their code from the name, and so do we.
    return {
        "kind": "organization",
        "code": ORGANIZATION.derive_code({"name": org.name}),
        "name": org.name,
    }


def _clamp(value: float, step: int = 5) -> int:
    return int(min(3000, max(30, round(value / step) * step)))


def _ref(kind: str, code: str) -> dict[str, Any]:
    return {"kind": kind, "code": code}


def _tech_amount(achievement: Achievement | None, demand: Demand | None) -> Amount:
    # A deal lands between the asking price and the budget, when both are known.
    price = achievement.price if achievement else None
    budget = sum(demand.budget) / 2 if demand and demand.budget else None
    if price and budget:
        base, lo, hi = (price + budget) / 2, 80, 110
    elif price or budget:
        base, lo, hi = (price or budget or 0), 70, 110
    else:
        base, lo, hi = 150.0, 60, 140
    return lambda rand: _clamp(base * rand.between(lo, hi) / 100)


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def _affinity(a: str, b: str) -> float:
    # Shared character pairs: enough to tell which variant of a topic answers which problem.
    x, y = _bigrams(a), _bigrams(b)
    return len(x & y) / (len(x | y) or 1)


def _text(item: Achievement | Demand) -> str:
    row = item.row
    return "".join(str(row.get(k, "")) for k in ("成果名称", "成果简介", "需求名称", "需求描述"))


def _best(items: Sequence[Any], text: str, other: Org | None) -> Any:
    # The closest text wins; another city breaks near-ties, so many deals cross city borders.
    def score(item: Any) -> float:
        return _affinity(_text(item), text) + (0.01 if other and item.org.city != other.city else 0)

    return max((i for i in items if other is None or i.org.name != other.name), key=score)


def _ticket_amount(ticket: tuple[float, float], wanted: float | None = None) -> Amount:
    low, high = ticket
    if wanted:
        return lambda rand: _clamp(wanted, 10)
    return lambda rand: _clamp(rand.rounded(low, min(high, max(low, 3000)), 50), 10)


def _space_amount(carrier: Carrier, wanted: float | None) -> Amount:
    size = wanted or carrier.area_sqm
    value, unit = carrier.price or (0.8, "元/㎡/天")
    per_year = {"元/㎡/天": 365 / 10000, "元/㎡/月": 12 / 10000, "元/㎡": 1 / 10000}
    total = size * value if unit == "万元/亩" else size * value * per_year.get(unit, 365 / 10000)
    return lambda rand: _clamp(total)


def _demand_pairs(
    demands: Sequence[Demand], achievements: Sequence[Achievement], rand: Rand
) -> list[Pair]:
    pairs: list[Pair] = []
    for demand in rand.shuffled(demands):
        same = [a for a in achievements if a.topic.key == demand.topic.key]
        if len(pairs) == 24 or not any(a.org.name != demand.org.name for a in same):
            continue
        match = _best(same, _text(demand), demand.org)
        a, b = _ref("demand", demand.code), _ref("achievement", match.code)
        pairs.append(Pair(a, b, "technology", _tech_amount(match, demand), START))
    return pairs


def _achievement_pairs(
    achievements: Sequence[Achievement], demands: Sequence[Demand], taken: set[str], rand: Rand
) -> list[Pair]:
    pairs: list[Pair] = []
    for achievement in [a for a in rand.shuffled(achievements) if a.code not in taken]:
        if len(pairs) == 6:
            break
        same = [d for d in demands if d.topic.key == achievement.topic.key]
        if not any(d.org.name != achievement.org.name for d in same):
            continue
        match = _best(same, _text(achievement), achievement.org)
        a, b = _ref("achievement", achievement.code), _ref("demand", match.code)
        pairs.append(Pair(a, b, "technology", _tech_amount(achievement, match), START))
    return pairs


def _capital_pairs(orgs: Sequence[Org], capitals: Sequence[Capital], rand: Rand) -> list[Pair]:
    pairs: list[Pair] = []
    for org in rand.shuffled([o for o in orgs if o.kind == "enterprise"]):
        fits = [c for c in capitals if org.industry in c.industries and org.city in c.cities]
        if fits and len(pairs) < 8:
            product = rand.pick(fits)
            a = _organization(org)
            amount = _ticket_amount(product.ticket)
            pairs.append(Pair(a, _ref("capital", product.code), product.kind, amount, START))
    return pairs


def _lead_pairs(
    leads: Sequence[Lead], achievements: Sequence[Achievement], rand: Rand
) -> list[Pair]:
    quota = {"space": 9, "technology": 5, "capital": 4}
    pairs: list[Pair] = []
    for index in rand.shuffled(range(len(leads))):
        lead = leads[index]
        if lead.created_at > LEAD_CUTOFF or quota[lead.kind] == 0:
            continue
        quota[lead.kind] -= 1
        earliest = lead.created_at + timedelta(days=rand.between(1, 5))
        a = {"kind": "lead", "index": index}
        if lead.carrier:
            b, amount = _ref("carrier", lead.carrier.code), _space_amount(lead.carrier, lead.amount)
        elif lead.capital:
            b, amount = (
                _ref("capital", lead.capital.code),
                _ticket_amount(lead.capital.ticket, lead.amount),
            )
        else:
            same = [x for x in achievements if lead.topic and x.topic.key == lead.topic.key]
            match = _best(same, lead.body["need"], None)
            b, amount = _ref("achievement", match.code), _tech_amount(match, None)
        field = "space" if lead.carrier else lead.capital.kind if lead.capital else "technology"
        pairs.append(Pair(a, b, field, amount, earliest))
    return pairs


def _expert_pairs(
    demands: Sequence[Demand], experts: Sequence[Expert], taken: set[str], rand: Rand
) -> list[Pair]:
    pairs: list[Pair] = []
    for demand in [d for d in rand.shuffled(demands) if d.code not in taken]:
        fits = [e for e in experts if e.topic.key == demand.topic.key]
        if fits and len(pairs) < 4:
            expert = rand.pick(fits)
            amount: Amount = lambda r: r.rounded(30, 120, 5)  # noqa: E731
            pairs.append(
                Pair(
                    _ref("demand", demand.code),
                    _ref("expert", expert.code),
                    "technology",
                    amount,
                    START,
                )
            )
    return pairs


def _path(final: str, rand: Rand) -> list[str]:
    if final == "closed":
        return rand.pick(
            (["closed"], ["contacted", "closed"], ["contacted", "negotiating", "closed"])
        )
    return {
        "proposed": [],
        "contacted": ["contacted"],
        "negotiating": ["contacted", "negotiating"],
    }.get(final, ["contacted", "negotiating", "signed"])


def _at(day: datetime, rand: Rand) -> datetime:
    # Working hours in China (09:00-18:00 CST) are 01:00-10:00 UTC.
    return day.replace(hour=rand.between(1, 9), minute=rand.between(0, 59), second=0)


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _record(pair: Pair, final: str, rand: Rand) -> dict[str, Any]:
    path = _path(final, rand)
    gaps = [rand.between(*_GAPS[step]) for step in path]
    window = (END - pair.earliest).days - 1
    if sum(gaps) > window:  # a recent lead: the same steps, closer together
        gaps = [max(1, g * window // sum(gaps)) for g in gaps]
    start = pair.earliest + timedelta(days=rand.between(0, max(0, window - sum(gaps))))
    proposed = _at(start, rand)
    steps: list[dict[str, Any]] = []
    moment = proposed
    for step, gap in zip(path, gaps, strict=True):
        moment = _at(moment + timedelta(days=gap), rand)
        entry: dict[str, Any] = {"to": step, "at": _stamp(moment)}
        if step == "signed":
            entry["amount_wan"] = pair.amount(rand)
        if step == "closed":
            entry["reason"] = rand.pick(_REASONS[pair.field])
        steps.append(entry)
    return {"a": pair.a, "b": pair.b, "at": _stamp(proposed), "steps": steps}


def build(
    demands: Sequence[Demand],
    achievements: Sequence[Achievement],
    orgs: Sequence[Org],
    capitals: Sequence[Capital],
    experts: Sequence[Expert],
    leads: Sequence[Lead],
) -> list[dict[str, Any]]:
    """Every introduction, in the order they were proposed."""
    rand = Rand("introductions")
    pairs = _demand_pairs(demands, achievements, rand)
    taken = {p.b["code"] for p in pairs} | {p.a["code"] for p in pairs}
    pairs += _achievement_pairs(achievements, demands, taken, rand)
    pairs += _capital_pairs(orgs, capitals, rand)
    pairs += _lead_pairs(leads, achievements, rand)
    pairs += _expert_pairs(demands, experts, taken, rand)
    finals = [state for state, count in FINAL_STATES for _ in range(count)]
    if len(finals) != len(pairs):
        raise ValueError(f"{len(pairs)} pairs for {len(finals)} final states")
    records = [
        _record(p, f, rand)
        for p, f in zip(rand.shuffled(pairs), rand.shuffled(finals), strict=True)
    ]
    return sorted(records, key=lambda r: r["at"])
