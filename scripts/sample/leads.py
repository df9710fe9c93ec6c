"""Leads: the messages operators receive (需求, 用途, 税收, 公司, 联系人, 手机号), API-shaped."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sample import vocab
from sample.market import Capital, Carrier
from sample.orgs import Org
from sample.rand import People, Rand
from sample.vocab import Topic

SPACE, TECHNOLOGY, CAPITAL = 14, 13, 9
FIRST, LAST = datetime(2026, 1, 6, tzinfo=UTC), datetime(2026, 11, 20, tzinfo=UTC)
# Fictional companies from outside the registry, with their industry.
_OUTSIDERS = (
    ("无锡澄锐精密机械有限公司", "equipment"),
    ("常州锦岳新能源科技有限公司", "new_energy"),
    ("宁波泓屿模具有限公司", "nev"),
    ("南京启澜生物科技有限公司", "biomed"),
    ("绍兴禾纺新材料有限公司", "materials"),
    ("台州衡驰汽车部件有限公司", "nev"),
    ("温州澜诺电气有限公司", "new_energy"),
    ("南通岳海海工装备有限公司", "equipment"),
    ("扬州晟芯电子有限公司", "ic"),
    ("马鞍山锻衡重工有限公司", "equipment"),
    ("滁州晖川光伏材料有限公司", "new_energy"),
    ("蚌埠衡晶玻璃新材料有限公司", "materials"),
    ("上海衡栎智能科技有限公司", "ai"),
    ("武汉岳光激光科技有限公司", "equipment"),
    ("常熟澜清环保设备有限公司", "green"),
    ("深圳澜芯微电子有限公司", "ic"),
)
_PRODUCTS = {
    "ai": ("工业视觉检测设备组装", "智算服务器集成测试", "服务机器人整机装配"),
    "ic": ("功率模块封装测试线", "半导体设备零部件精密加工", "MEMS传感器封测"),
    "biomed": ("体外诊断试剂生产", "二类医疗器械洁净车间", "制剂中试生产线"),
    "equipment": ("数控机床整机装配", "机器人减速器生产线", "航空零部件精密加工"),
    "new_energy": ("储能电池PACK产线", "光伏组件边框生产", "氢能装备总装"),
    "materials": ("改性塑料造粒线", "碳纤维复合材料制品", "高性能陶瓷烧结"),
    "nev": ("电驱动总成装配线", "铝合金压铸件生产", "车载电子模块SMT产线"),
    "green": ("环保设备总装", "再生资源分拣中心", "膜组件生产线"),
}
_PURPOSES = (
    "{p}扩产，现有厂房不够用",
    "新上{p}项目",
    "在长三角设立第二生产基地，用于{p}",
    "{p}项目，达产后预计年产值{2-10}亿元",
)
_TECH_ASKS = (
    "想找高校或研究院所合作解决",
    "有没有成熟技术可以对接",
    "希望尽快找到技术团队",
    "请帮忙推荐相关专家和成果",
)
_TECH_PURPOSES = (
    "产品升级换代",
    "降本增效",
    "解决生产中的实际问题",
    "满足下游客户的新要求",
    "为明年的新项目做技术储备",
)
_OFFICE_PURPOSES = (
    "设立长三角研发中心",
    "设立华东区域总部和研发中心",
    "研发团队扩编，现有办公室不够用",
)
_INCUBATOR_PURPOSES = ("新产品研发和小试", "组建长三角研发团队", "孵化期过渡，明年计划购地建厂")
_MONEY_USES = (
    "新产品研发投入",
    "扩建生产线",
    "购置检测和试验设备",
    "补充流动资金",
    "市场推广和人才引进",
)
_MONEY_PLANS = ("预计两年内营收翻番", "已有意向订单", "老股东愿意跟投", "计划三年后申报科创板")
# What a round of each stage typically raises, in 万元.
_ROUND_SIZES = {"种子期": (100, 300), "天使轮": (200, 800), "A轮": (800, 3000), "B轮": (2000, 6000)}
_RISKS = ("新产品推向市场的风险", "研发投入失败的损失", "核心专利被侵权的风险")


@dataclass(frozen=True)
class Lead:
    """One lead and the counterpart it was written around."""

    kind: str
    created_at: datetime
    carrier: Carrier | None
    capital: Capital | None
    topic: Topic | None
    amount: float | None
    body: dict[str, Any]


class _Writer:
    """Writes leads, never giving two leads the same company."""

    def __init__(self, orgs: Sequence[Org], people: People, rand: Rand) -> None:
        self.orgs, self.people, self.rand = orgs, people, rand
        self.taken: set[str] = set()

    def company(
        self,
        industry: str,
        insiders: float,
        sub: str | None = None,
        max_tax: int = 10**6,
        prefer: str | None = None,
    ) -> tuple[str, int | None]:
        """A registry enterprise (sub-field first) or an outsider not used before, and its tax."""
        firms = [
            o
            for o in self.orgs
            if o.kind == "enterprise"
            and o.industry == industry
            and o.name not in self.taken
            and (o.tax or 0) <= max_tax
        ]
        firms = (
            [o for o in firms if o.name == prefer]
            or [o for o in firms if o.subfield == sub]
            or firms
        )
        outsiders = [n for n, i in _OUTSIDERS if i == industry and n not in self.taken]
        if firms and (self.rand.chance(insiders) or not outsiders):
            firm = self.rand.pick(firms)
            self.taken.add(firm.name)
            return firm.name, firm.tax
        name = self.rand.pick(outsiders or [n for n, _ in _OUTSIDERS if n not in self.taken])
        self.taken.add(name)
        return name, None

    def body(self, need: str, purpose: str, tax: int, company: str) -> dict[str, Any]:
        """The message fields, with a new fictional contact."""
        contact = self.people.contact()
        return {
            "need": need,
            "purpose": purpose,
            "annual_tax_wan": tax,
            "company": company,
            "contact_name": contact.name,
            "contact_mobile": contact.mobile,
        }

    def space(self, carrier: Carrier) -> Lead:
        """A company looking for land, a factory, an office or an incubator like this carrier."""
        rand = self.rand
        industry = rand.pick(carrier.industries)
        need, amount = _space_need(carrier, rand)
        purpose = _space_purpose(carrier, industry, rand)
        tax = _space_tax(carrier, amount, rand)
        insiders = 0.0 if carrier.kind == "incubator" else 0.3
        company, known_tax = self.company(industry, insiders)
        body = self.body(need, purpose, known_tax or tax, company)
        body.update(lead_type="space", industry=_industry_name(industry))
        body["preferred_cities"] = _cities(vocab.region().city(carrier.city).name, rand)
        return Lead("space", FIRST, carrier, None, None, amount, body)

    def technology(self, topic: Topic) -> Lead:
        """An enterprise describing a technical problem of this topic."""
        rand, side = self.rand, topic.demand
        variant = rand.between(0, len(side.titles) - 1)
        problem = "，".join(side.problems[variant].split("，")[:3])
        need = f"公司主要做{side.businesses[variant]}。{problem}，{rand.pick(_TECH_ASKS)}"
        industry = side.industry_for(variant)
        company, tax = self.company(industry, 1.0, side.subs[variant], prefer=side.org)
        tax = tax or rand.rounded(50, 1500, 10)
        body = self.body(need, rand.pick(_TECH_PURPOSES), tax, company)
        body.update(lead_type="technology", industry=_industry_name(industry))
        body["preferred_cities"] = _cities(rand.pick([c.name for c in vocab.region().cities]), rand)
        return Lead("technology", FIRST, None, None, topic, None, body)

    def capital(self, capital: Capital) -> Lead:
        """An enterprise asking for money of the kind this product offers."""
        rand = self.rand
        industry = rand.pick(capital.industries)
        low, high = capital.ticket
        stage = capital.row["投资阶段"].split("、")[0]
        cap_lo, cap_hi = _ROUND_SIZES.get(stage, (low, 3000))
        low, high = max(low, min(cap_lo, high)), min(high, cap_hi)
        amount = rand.rounded(low, max(low, high), 50 if low >= 100 else 10)
        need, purpose = _money_need(capital, amount, rand)
        # Equity rounds come from young companies; loans and insurance from any.
        young = capital.kind in ("vc_pe", "guidance_fund")
        company, tax = self.company(industry, 0.6, max_tax=600 if young else 10**6)
        body = self.body(need, purpose, tax or rand.rounded(30, 800, 10), company)
        body.update(lead_type="capital", industry=_industry_name(industry))
        body["preferred_cities"] = _cities(vocab.region().city(capital.cities[0]).name, rand)
        return Lead("capital", FIRST, None, capital, None, float(amount), body)


def _cities(first: str, rand: Rand) -> list[str]:
    names = [c.name for c in vocab.region().cities]
    others = [n for n in names if n != first]
    return [first, *rand.sample(others, rand.between(0, 2))]


def _space_need(carrier: Carrier, rand: Rand) -> tuple[str, float]:
    share = rand.between(55, 95) / 100
    if carrier.kind == "land":
        mu = max(10, round(carrier.area_sqm / 666.67 * share / 5) * 5)
        reqs = ("交通便利、能做环评", "周边有配套产业链", "能在三年内建成投产")
        return f"拟购置工业用地{mu}亩左右，新建生产基地，要求{rand.pick(reqs)}", float(mu)
    if carrier.kind == "incubator":
        sqm = rand.rounded(200, 800, 50)
        team = rand.between(8, 25)
        need = f"初创团队{team}人，需要{sqm}㎡左右的孵化空间，希望有公共实验平台和政策辅导"
        return need, float(sqm)
    sqm = max(200, round(carrier.area_sqm * share / 100) * 100)
    if carrier.kind == "factory":
        extras = (
            "能装{5-20}吨行车",
            "用电容量{800-2500}kVA以上",
            "需要双回路供电",
            "地面承重{3-5}吨/㎡",
        )
        height, extra = rand.between(8, 12), rand.fill(rand.pick(extras))
        need = f"需要{sqm}㎡左右的单层标准厂房，层高{height}米以上，{extra}"
    elif carrier.kind == "office":
        reqs = ("最好靠近高校，能拎包入住", "需要一层做小型实验室", "交通方便，便于招人")
        need = f"找{sqm}㎡左右的研发办公场地，{rand.pick(reqs)}"
    return need, float(sqm)


def _space_purpose(carrier: Carrier, industry: str, rand: Rand) -> str:
    if carrier.kind == "office":
        return rand.pick(_OFFICE_PURPOSES)
    if carrier.kind == "incubator":
        return rand.pick(_INCUBATOR_PURPOSES)
    return rand.fill(rand.pick(_PURPOSES).replace("{p}", rand.pick(_PRODUCTS[industry])))


def _space_tax(carrier: Carrier, amount: float, rand: Rand) -> int:
    # Land and factory seekers are asked their 亩均税收; offices and incubators house small teams.
    if carrier.kind == "land":
        return rand.rounded(amount * 25, amount * 90, 10)
    if carrier.kind == "factory":
        return rand.rounded(amount / 666.67 * 30, amount / 666.67 * 90, 10)
    return rand.rounded(100, 1500, 10) if carrier.kind == "office" else rand.rounded(20, 120, 10)


def _money_need(capital: Capital, amount: int, rand: Rand) -> tuple[str, str]:
    name = capital.row["名称"]
    if capital.kind == "insurance":
        risk = rand.pick(_RISKS)
        return f"想了解“{name}”，计划投保额度约{amount}万元", f"分散{risk}"
    use = rand.pick(_MONEY_USES)
    if capital.kind == "bank_loan":
        pledge = f"，可提供{rand.between(2, 9)}项发明专利质押" if rand.chance(0.5) else ""
        return f"想申请{amount}万元的“{name}”{pledge}", f"{use}，希望{rand.between(1, 3)}个月内放款"
    stage = capital.row["投资阶段"].split("、")[0].replace("及以后", "")
    share = rand.between(5, 20)
    return f"计划{stage}融资{amount}万元，出让股权{share}%左右", f"{use}，{rand.pick(_MONEY_PLANS)}"


def _industry_name(code: str) -> str:
    return vocab.industries().get(code).name


def _times(count: int, rand: Rand) -> list[datetime]:
    # Spread over the year; 00:00-14:00 UTC is 08:00-22:00 in China.
    days = (LAST - FIRST).days / count
    return [
        FIRST
        + timedelta(days=int(days * i) + rand.between(0, int(days) - 1), hours=rand.between(0, 13))
        for i in range(count)
    ]


def build(
    topics: Sequence[Topic],
    capitals: Sequence[Capital],
    carriers: Sequence[Carrier],
    orgs: Sequence[Org],
    people: People,
) -> list[Lead]:
    """Every lead, oldest first (the line number is the lead's index)."""
    rand = Rand("leads")
    writer = _Writer(orgs, people, rand)
    # One technology lead per demand sub-field, written first so each gets its own enterprise.
    by_sub = {t.demand.sub: t for t in rand.shuffled(topics)}
    leads = [writer.technology(t) for t in rand.sample(list(by_sub.values()), TECHNOLOGY)]
    leads += [writer.space(c) for c in rand.sample(carriers, SPACE)]
    leads += [writer.capital(c) for c in rand.sample(capitals, CAPITAL)]
    out = []
    for lead, at in zip(rand.shuffled(leads), _times(len(leads), rand), strict=True):
        stamp = at.replace(minute=rand.between(0, 59), second=rand.between(0, 59))
        body = {**lead.body, "consent": True, "created_at": stamp.strftime("%Y-%m-%dT%H:%M:%SZ")}
        out.append(
            Lead(lead.kind, stamp, lead.carrier, lead.capital, lead.topic, lead.amount, body)
        )
    return out
