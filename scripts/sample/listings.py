"""Achievements and demands, written from the topics, and owned by the sample organisations."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sample import details, texts, vocab
from sample.orgs import Org
from sample.rand import People, Rand
from sample.vocab import Topic

# How results of each kind are protected, as operators type it.
_IP_BY_KIND = {
    "soft": ("发明专利、软件著作权", "软件著作权", "发明专利、软著", "软件著作权、技术秘密"),
    "drug": ("发明专利", "发明专利、技术秘密", "发明", "发明专利、论文"),
    "device": ("发明专利、实用新型", "发明专利、软件著作权", "发明专利", "发明、实用新型"),
}
_IP_HARD = {
    "ic": ("发明专利", "发明专利、技术秘密", "发明专利、实用新型"),
    "materials": ("发明专利", "发明专利、技术秘密", "发明、实用新型", "技术秘密"),
    "green": ("发明专利、实用新型", "发明专利", "实用新型、技术秘密"),
}
_IP_CHIPS = (
    "发明专利、集成电路布图设计",
    "集成电路布图设计、技术秘密",
    "发明专利、集成电路布图设计、技术秘密",
)
_IP_DEFAULT = ("发明专利、实用新型", "发明专利", "发明专利、技术秘密", "发明专利、软件著作权")
_IP_CANONICAL = {"发明": "发明专利", "软著": "软件著作权"}
_COOP_ACADEMIC = (
    "转让、许可",
    "许可",
    "合作开发",
    "作价入股",
    "技术转让、合作开发",
    "专利许可、技术服务",
    "转让",
    "作价入股、合作开发",
)
_COOP_ENTERPRISE = ("合作开发、技术服务", "许可", "技术服务", "联合开发", "转让、许可")
_COOP_DEMAND = (
    "合作开发",
    "委托开发",
    "技术转让、合作开发",
    "技术服务",
    "合作开发、技术服务",
    "转让、许可",
    "联合研发",
    "技术咨询、委托开发",
)
_TRL_CELLS = {
    3: ("TRL3",),
    4: ("实验室", "TRL4"),
    5: ("小试", "5"),
    6: ("中试", "TRL6", "6"),
    7: ("TRL7", "7"),
    8: ("TRL8", "8"),
    9: ("量产", "TRL9"),
}
_DEFAULT_TRL = {"hard": (4, 9), "soft": (4, 9), "drug": (3, 6), "device": (4, 8)}
_PRICE_BY_TRL = {3: (20, 100), 4: (30, 150), 5: (50, 300), 6: (100, 600), 7: (200, 1200)}
_BUDGETS = {
    "ai": (30, 300),
    "ic": (100, 800),
    "biomed": (100, 1000),
    "equipment": (50, 500),
    "new_energy": (80, 600),
    "materials": (50, 400),
    "nev": (80, 600),
    "green": (50, 300),
}
_DEADLINE_DAYS = ("03-31", "04-30", "05-31", "06-30", "08-31", "09-30", "10-31", "12-31")


@dataclass(frozen=True)
class Achievement:
    """One achievement, with what the later stages need to pair it."""

    code: str
    topic: Topic
    org: Org
    price: float | None
    row: dict[str, Any]


@dataclass(frozen=True)
class Demand:
    """One demand, with what the later stages need to pair it."""

    code: str
    topic: Topic
    org: Org
    budget: tuple[float, float] | None
    row: dict[str, Any]


def _least_used(candidates: Sequence[tuple[Org, float]], used: Counter[str], rand: Rand) -> Org:
    # Spread listings over organisations: the lowest load per unit of weight wins.
    return min(candidates, key=lambda c: used[c[0].name] / c[1] + rand.jitter())[0]


def _may_list(firm: Org, sub: str, topic: Topic) -> bool:
    # A firm lists results of its own sub-field, unless it is the kind of firm that asks for them.
    return firm.subfield == sub and sub not in topic.demand.subs and firm.name != topic.demand.org


def _owner(
    topic: Topic, sub: str, orgs: Sequence[Org], taken: set[str], used: Counter[str], rand: Rand
) -> Org:
    industry = vocab.industry_of(sub)
    # Universities and institutes list results across their strong fields; an enterprise only
    # lists results of its own sub-field.
    weights = {"university": 4.0, "institute": 3.0, "enterprise": 2.0}
    candidates = [
        (o, weights[o.kind])
        for o in orgs
        if o.name not in taken
        and (
            _may_list(o, sub, topic)
            if o.kind == "enterprise"
            else o.kind in weights and o.covers(industry)
        )
    ]
    return _least_used(candidates, used, rand)


def _level(topic: Topic, owner: Org, rand: Rand) -> int:
    lo, hi = topic.trl or _DEFAULT_TRL[topic.kind]
    if owner.kind == "enterprise":
        lo = max(lo, min(hi, 6))
    level = rand.between(lo, hi)
    return 7 if level == 8 and topic.kind == "drug" else level


def _price(topic: Topic, level: int, rand: Rand) -> int | None:
    if rand.chance(0.25):
        return None
    lo, hi = topic.price or _PRICE_BY_TRL.get(level, (300, 2000))
    return rand.rounded(lo, hi, 10 if hi <= 300 else 50)


def _ip_choices(topic: Topic, sub: str) -> tuple[str, ...]:
    if topic.kind in _IP_BY_KIND:
        return _IP_BY_KIND[topic.kind]
    if sub in ("芯片设计", "传感器芯片"):
        return _IP_CHIPS
    return _IP_HARD.get(vocab.industry_of(sub), _IP_DEFAULT)


def _keywords(pool: Sequence[str], rand: Rand, lo: int = 3, hi: int = 6) -> str:
    count = rand.between(min(lo, len(pool)), min(hi, len(pool)))
    # The first keyword names the field; keep it, then draw the rest.
    return "、".join([pool[0], *rand.sample(pool[1:], count - 1)])


def _achievement_keywords(topic: Topic, variant: int, rand: Rand) -> str:
    # The field, the variant's own terms, and up to two shared terms its own text uses: a
    # sibling's term ("低温脱硝" for a VOCs result) never leaks in.
    own = topic.variant_keywords[variant]
    text = topic.titles[variant] + topic.methods[variant]
    shared = [k for k in topic.keywords[1:] if k in text and k not in own]
    extra = rand.sample(shared, min(len(shared), rand.between(0, 2)))
    return "、".join(dict.fromkeys([topic.keywords[0], *own, *extra]))


def _industry_cell(sub: str, rand: Rand) -> str:
    return sub if rand.chance(0.2) else vocab.industry_cell(sub)


def achievement_rows(
    topics: Sequence[Topic], orgs: Sequence[Org], people: People
) -> list[Achievement]:
    """Every achievement, numbered after a seeded shuffle so codes do not follow industries."""
    rand = Rand("achievements")
    more = Rand("achievement-details")
    used: Counter[str] = Counter()
    drafts: list[tuple[Topic, Org, int | None, dict[str, Any]]] = []
    for topic in topics:
        taken: set[str] = set()
        for variant, (title, sub) in enumerate(zip(topic.titles, topic.subs, strict=True)):
            owner = _owner(topic, sub, orgs, taken, used, rand)
            taken.add(owner.name)
            used[owner.name] += 1
            level = _level(topic, owner, rand)
            forms_cell = rand.pick(_ip_choices(topic, sub))
            forms = [_IP_CANONICAL.get(f, f) for f in forms_cell.split("、")]
            coop = rand.pick(_COOP_ENTERPRISE if owner.kind == "enterprise" else _COOP_ACADEMIC)
            price = _price(topic, level, rand)
            own_contact = owner.kind == "enterprise" or rand.chance(0.3)
            contact = owner.contact if own_contact else people.contact()
            row = {
                "编号": "",
                "成果名称": title,
                "成果简介": texts.abstract(topic, variant, level, forms, coop, rand),
                "关键词": _achievement_keywords(topic, variant, rand),
                "所属行业": _industry_cell(sub, rand),
                "技术成熟度": rand.pick(_TRL_CELLS[level]),
                "知识产权形式": forms_cell,
                "合作方式": coop,
                "参考价格(万元)": price if price is not None else "面议",
                **details.achievement(forms, owner.name, more),
                "所属机构": owner.name,
                "所在城市": owner.city_cell,
                "联系人": contact.name,
                "手机号": contact.mobile,
            }
            drafts.append((topic, owner, price, row))
    out = []
    for number, (topic, owner, price, row) in enumerate(rand.shuffled(drafts), start=1):
        code = f"G60-ACH-2026-{number:04d}"
        out.append(Achievement(code, topic, owner, price, {**row, "编号": code}))
    return out


def _enterprise(
    topic: Topic, variant: int, orgs: Sequence[Org], used: Counter[str], rand: Rand
) -> Org:
    side = topic.demand
    if side.org:
        return next(o for o in orgs if o.name == side.org)
    firms = [o for o in orgs if o.kind == "enterprise"]
    same = [(o, 1.0) for o in firms if o.subfield == side.subs[variant]]
    industry = side.industry_for(variant)
    return _least_used(same or [(o, 1.0) for o in firms if o.industry == industry], used, rand)


def _budget(topic: Topic, variant: int, rand: Rand) -> tuple[str | int, tuple[float, float] | None]:
    lo, hi = topic.demand.budget or _BUDGETS[topic.demand.industry_for(variant)]
    if rand.chance(0.2):
        return "面议", None
    step = 10 if hi <= 300 else 50
    low = rand.rounded(lo, lo + (hi - lo) * 0.5, step)
    if rand.chance(0.3):
        return low, (low, low)
    high = rand.rounded(low * 1.5, max(low * 1.5, min(hi, low * 3)), step)
    return f"{low}-{high}", (low, high)


def _deadline(rand: Rand) -> str:
    month, day = rand.pick(_DEADLINE_DAYS).split("-")
    style = rand.pick(("iso", "iso", "iso", "slash", "chinese"))
    if style == "slash":
        return f"2027/{int(month)}/{int(day)}"
    if style == "chinese":
        return f"2027年{int(month)}月{int(day)}日"
    return f"2027-{month}-{day}"


def demand_rows(topics: Sequence[Topic], orgs: Sequence[Org], people: People) -> list[Demand]:
    """Every demand, numbered after a seeded shuffle."""
    rand = Rand("demands")
    used: Counter[str] = Counter()
    drafts: list[tuple[Topic, Org, tuple[float, float] | None, dict[str, Any]]] = []
    for topic in topics:
        side = topic.demand
        for variant, title in enumerate(side.titles):
            firm = _enterprise(topic, variant, orgs, used, rand)
            used[firm.name] += 1
            budget_cell, budget = _budget(topic, variant, rand)
            contact = firm.contact if rand.chance(0.6) else people.contact()
            row = {
                "编号": "",
                "需求名称": title,
                "需求描述": texts.description(side, variant, rand),
                "关键词": _keywords(side.keywords, rand, 3, 5),
                "所属行业": _industry_cell(side.subs[variant], rand),
                "预算(万元)": budget_cell,
                "截止日期": _deadline(rand),
                "合作方式": rand.pick(side.coop or _COOP_DEMAND),
                "需求单位": firm.name,
                "所在城市": firm.city_cell,
                "联系人": contact.name,
                "手机号": contact.mobile,
            }
            drafts.append((topic, firm, budget, row))
    out = []
    for number, (topic, firm, budget, row) in enumerate(rand.shuffled(drafts), start=1):
        code = f"G60-DEM-2026-{number:04d}"
        out.append(Demand(code, topic, firm, budget, {**row, "编号": code}))
    return out
