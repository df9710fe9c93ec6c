"""Experts: fictional researchers at the sample universities and institutes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sample import vocab
from sample.orgs import Org
from sample.rand import People, Rand
from sample.vocab import INDUSTRY_FILES, Topic

COUNT = 28
_TITLES = ("教授", "研究员", "副教授", "正高级工程师", "副研究员", "教授、博士生导师")
_SERVICES = (
    "{title}，长期从事{f0}与{f1}方向研究，主持国家级和省部级项目多项。"
    "可提供技术咨询、工艺诊断和联合攻关，承接企业委托开发。",
    "{title}。研究方向为{f0}，在{use}等领域有多项成果转化经验。"
    "服务内容：技术路线论证、研发团队培训、产线问题诊断。",
    "{title}，{f0}团队负责人。可为企业提供{f1}相关的检测分析、方案设计与中试放大指导，"
    "可共建联合实验室。",
    "{title}，兼任多家企业技术顾问，擅长{f0}和{f1}。可提供项目评审、技术尽调和标准制定咨询。",
)


@dataclass(frozen=True)
class Expert:
    """One expert, with the topic that shapes their fields."""

    code: str
    topic: Topic
    org: Org
    row: dict[str, Any]


def _chosen_topics(topics: Sequence[Topic], rand: Rand) -> list[Topic]:
    by_industry = {
        name: rand.shuffled([t for t in topics if t.key.startswith(f"{name}-")])
        for name in INDUSTRY_FILES
    }
    chosen = [t for name in INDUSTRY_FILES for t in by_industry[name][:3]]
    rest = [t for name in INDUSTRY_FILES for t in by_industry[name][3:]]
    return chosen + rand.sample(rest, COUNT - len(chosen))


def expert_rows(topics: Sequence[Topic], orgs: Sequence[Org], people: People) -> list[Expert]:
    """The experts, numbered after a seeded shuffle."""
    rand = Rand("experts")
    used: Counter[str] = Counter()
    drafts = []
    for topic in _chosen_topics(topics, rand):
        hosts = [
            o for o in orgs if o.kind in ("university", "institute") and o.covers(topic.industry)
        ]
        host = min(hosts, key=lambda o: used[o.name] + rand.jitter())
        used[host.name] += 1
        extra = rand.sample([k for k in topic.keywords if k != topic.subs[0]], 2)
        fields = [topic.subs[0], *extra]
        name = people.name()
        contact = people.contact(name if rand.chance(0.5) else None)
        services = rand.pick(_SERVICES).format(
            title=rand.pick(_TITLES), f0=fields[0], f1=fields[1], use=rand.pick(topic.uses_for(0))
        )
        row = {
            "编号": "",
            "姓名": name,
            "所属机构": host.name,
            "研究领域": "、".join(fields),
            "服务内容": services,
            "所在城市": vocab.region().city(host.city).name,
            "联系人": contact.name,
            "手机号": contact.mobile,
        }
        drafts.append((topic, host, row))
    out = []
    for number, (topic, host, row) in enumerate(rand.shuffled(drafts), start=1):
        code = f"G60-EXP-2026-{number:04d}"
        out.append(Expert(code, topic, host, {**row, "编号": code}))
    return out
