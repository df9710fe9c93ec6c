"""Sentence frames that turn a topic's vocabulary into abstracts and demand descriptions."""

from __future__ import annotations

from collections.abc import Sequence

from sample.rand import Rand
from sample.vocab import DemandSide, Topic

ABSTRACT_MIN, ABSTRACT_MAX = 150, 400
DESCRIPTION_MIN, DESCRIPTION_MAX = 80, 300

_OPENINGS = (
    "针对{pain}等问题，本成果{method}。",
    "目前行业内{pain}。项目团队{method}。",
    "本成果面向{use}的需求，{method}，解决了{pain}的难题。",
    "项目组围绕“{pain}”这一行业痛点开展攻关，{method}。",
    "现有技术条件下，{pain}，成为制约推广应用的主要瓶颈。本技术{method}。",
)
_METRICS = (
    ("经第三方检测，{}。", "，"),
    ("主要技术指标：{}。", "；"),
    ("实测结果表明，{}，综合性能达到国内先进水平。", "，"),
    ("关键性能参数：{}。", "；"),
    ("样品测试数据显示，{}。", "，"),
)
_USES = (
    "可应用于{all}等领域。",
    "成果适用于{first}，并可拓展至{rest}。",
    "目标市场包括{all}。",
    "主要应用场景有{all}。",
)
# Stage sentences by kind of result and readiness level (1-9).
_STAGES: dict[str, dict[int, tuple[str, ...]]] = {
    "hard": {
        4: (
            "目前已完成实验室原理验证，需合作方共同推进工程化。",
            "现处于实验室研究阶段，已取得稳定的实验数据。",
        ),
        5: (
            "已完成小试，工艺路线基本定型，累计制备样品{10-40}批次。",
            "小试验证已完成，正在寻找具备中试条件的合作企业。",
        ),
        6: (
            "已建成中试线并完成工艺验证，{2-6}家下游企业送样测试合格。",
            "中试运行稳定，已与{2-6}家企业开展应用测试。",
        ),
        7: (
            "已在{2-5}家企业完成示范应用，连续运行{6-18}个月，性能稳定。",
            "工程样机已在用户现场试用，累计运行超过{2000-8000}小时。",
        ),
        9: (
            "已实现规模化生产，近两年累计销售额约{1500-9000}万元。",
            "产品已批量供货，客户覆盖{5-15}个省市。",
        ),
    },
    "soft": {
        4: (
            "已完成算法原型开发和离线数据验证。",
            "目前处于原型验证阶段，已在公开与合作方数据集上完成测试。",
        ),
        5: (
            "已完成系统集成，在实验环境中连续测试{3-6}个月。",
            "系统原型已搭建完成，正在寻找试点应用单位。",
        ),
        6: (
            "已在{2-5}家企业开展试点部署，效果得到用户认可。",
            "试点系统已上线运行，正在根据用户反馈迭代优化。",
        ),
        7: (
            "已在{3-8}家企业上线运行{6-18}个月，运行稳定。",
            "已完成工程化开发，在多个现场稳定运行。",
        ),
        9: (
            "已形成标准化产品，累计服务客户{20-80}家。",
            "产品已商业化销售，近两年合同额约{800-5000}万元。",
        ),
    },
    "drug": {
        3: ("目前处于早期发现阶段，已完成体外活性与作用机制研究。",),
        4: ("已完成概念验证和初步成药性评价。", "处于临床前研究早期，正在开展先导化合物优化。"),
        5: ("已完成动物药效学研究和初步安全性评价。", "已完成小批量样品制备和关键质量属性研究。"),
        6: (
            "已完成工艺放大和中试批次生产，关键质量属性稳定。",
            "临床前研究主要工作已完成，具备开展注册申报准备的条件。",
        ),
        7: ("已完成中试放大和技术转移，进入临床样品生产阶段。",),
    },
    "device": {
        4: ("已完成原理样机和初步性能研究。", "目前处于实验室验证阶段。"),
        5: ("已完成工程样机和实验室性能评价。", "小批量样品已制备完成，关键性能指标达到设计要求。"),
        6: ("已完成型式检验准备和小批量试产。", "已完成设计定型和小批量试产，正在开展注册检验。"),
        7: ("已完成注册检验，正在开展临床评价。", "已在{2-4}家医疗机构开展临床试用。"),
        9: ("已取得医疗器械注册证并批量上市。", "产品已上市销售，覆盖医疗机构{50-300}家。"),
    },
}
_IP_PHRASES = {
    "发明专利": "已申请发明专利{3-12}项，其中授权{1-3}项",
    "实用新型": "获实用新型专利{2-8}项",
    "软件著作权": "登记软件著作权{2-8}项",
    "集成电路布图设计": "登记集成电路布图设计{1-4}项",
    "技术秘密": "关键工艺以技术秘密形式保护",
    "论文": "发表相关论文{5-20}篇",
    "新药证书": "相关品种已取得药品注册证书",
}
_COOP_EXTRAS = (
    "可提供技术培训与工艺指导",
    "团队可派驻工程师协助产线调试",
    "欢迎具备中试条件的企业洽谈",
    "可根据企业需求进行二次开发",
    "费用可按里程碑分期支付",
)
_INTROS = (
    "公司主营{b}，",
    "本企业专注于{b}，",
    "企业长期深耕{b}领域，",
    "我公司的主要业务是{b}，",
)
_PROBLEMS = ("{p}。", "近期遇到的问题是：{p}。", "{p}，现有供应商和内部团队都难以解决。")
_TARGETS = (
    ("希望寻求技术合作，实现{}。", "，"),
    ("需求指标：{}。", "；"),
    ("具体要求：{}。", "；"),
    ("期望合作方提供成熟方案，做到{}。", "，"),
)
_DEMAND_EXTRAS = (
    "我方可提供测试场地、样件和产线验证条件。",
    "优先考虑有量产案例的团队，可先小批量验证再扩大合作。",
    "希望{3-9}个月内拿出样件或阶段成果。",
    "如技术成熟，也可直接购买或获得许可。",
    "欢迎高校院所和科技企业揭榜。",
    "我方可派工程师全程配合，费用可按阶段支付。",
)


def _stage(kind: str, level: int, rand: Rand) -> str:
    table = _STAGES[kind]
    key = max(k for k in table if k <= level) if level >= min(table) else min(table)
    return rand.fill(rand.pick(table[key]))


def _uses(uses: Sequence[str], rand: Rand) -> str:
    chosen = rand.sample(uses, min(len(uses), rand.between(2, 3)))
    frame = rand.pick(_USES)
    return frame.format(all="、".join(chosen), first=chosen[0], rest="、".join(chosen[1:]))


def _metrics(metrics: Sequence[str], count: int, rand: Rand) -> str:
    chosen = [rand.fill(m) for m in rand.sample(metrics, min(count, len(metrics)))]
    frame, sep = rand.pick(_METRICS)
    return frame.format(sep.join(chosen))


def _ip(forms: Sequence[str], rand: Rand) -> str:
    counted = [rand.fill(_IP_PHRASES[f]) for f in forms if f != "技术秘密"]
    text = "围绕该成果" + "，".join(counted) if counted else ""
    if "技术秘密" in forms:
        text += "，另有" if counted else ""
        text += "关键工艺诀窍以技术秘密形式保护"
    return text + "。"


def abstract(
    topic: Topic, variant: int, level: int, forms: Sequence[str], coop: str, rand: Rand
) -> str:
    """A 150-400 character abstract: problem and method, indicators, uses, stage, IP, terms."""
    uses = topic.uses_for(variant)
    opening = rand.pick(_OPENINGS).format(
        pain=topic.pain_for(variant), method=topic.methods[variant], use=rand.pick(uses)
    )
    metrics = topic.metrics_for(variant)
    metric_count = rand.between(2, 4)
    coop_line = f"可采用{coop}方式合作，{rand.pick(_COOP_EXTRAS)}。"
    parts = [opening, _metrics(metrics, metric_count, rand), _uses(uses, rand)]
    parts += [_stage(topic.kind, level, rand), _ip(forms, rand)]
    text = "".join(parts)
    if len(text) + len(coop_line) <= ABSTRACT_MAX and (
        len(text) < ABSTRACT_MIN or rand.chance(0.4)
    ):
        text += coop_line
    while len(text) > ABSTRACT_MAX and metric_count > 1:
        metric_count -= 1
        parts[1] = _metrics(metrics, metric_count, rand)
        text = "".join(parts)
    if len(text) > ABSTRACT_MAX:
        text = "".join(parts[:-1])
    if not ABSTRACT_MIN <= len(text) <= ABSTRACT_MAX:
        raise ValueError(f"abstract of {topic.titles[variant]} is {len(text)} characters")
    return text


def description(side: DemandSide, variant: int, rand: Rand) -> str:
    """An 80-300 character demand description in the enterprise's own words."""
    intro = rand.pick(_INTROS).format(b=side.businesses[variant])
    problem = rand.pick(_PROBLEMS).format(p=side.problems[variant])
    targets = [rand.fill(t) for t in rand.sample(side.targets, min(len(side.targets), 3))]
    frame, sep = rand.pick(_TARGETS)
    text = intro + problem + frame.format(sep.join(targets))
    extra = rand.fill(rand.pick(_DEMAND_EXTRAS))
    if len(text) + len(extra) <= DESCRIPTION_MAX and rand.chance(0.6):
        text += extra
    if not DESCRIPTION_MIN <= len(text) <= DESCRIPTION_MAX:
        raise ValueError(f"description of {side.titles[variant]} is {len(text)} characters")
    return text
