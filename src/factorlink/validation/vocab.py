"""Controlled vocabularies: the canonical value for each way people write it."""

from __future__ import annotations

from factorlink.validation.errors import FieldError
from factorlink.validation.parsers import normalize, split_multi

Vocabulary = dict[str, tuple[str, ...]]

COOP_MODES: Vocabulary = {
    "转让": ("技术转让", "专利转让", "成果转让", "transfer"),
    "许可": ("专利许可", "技术许可", "授权许可", "普通许可", "独占许可", "licence", "license"),
    "作价入股": ("技术入股", "入股", "equity"),
    "合作开发": ("联合开发", "共同开发", "联合研发", "合作研发", "委托开发", "co-development"),
    "技术服务": ("技术咨询", "咨询服务", "技术支持", "service"),
}

IP_FORMS: Vocabulary = {
    "发明专利": ("发明", "invention patent"),
    "实用新型": ("实用新型专利", "utility model"),
    "外观设计": ("外观设计专利",),
    "软件著作权": ("软著", "计算机软件著作权", "software copyright"),
    "技术秘密": ("专有技术", "know-how", "技术诀窍"),
    "论文": ("学术论文", "paper"),
    "集成电路布图设计": ("布图设计",),
    "新药证书": ("药品注册证书",),
}

ORG_KINDS: Vocabulary = {
    "enterprise": ("企业", "公司", "民营企业", "国有企业"),
    "university": ("高校", "大学", "学院"),
    "institute": ("科研院所", "研究院", "研究所", "院所", "新型研发机构"),
    "investor": ("投资机构", "银行", "金融机构", "基金"),
    "park": ("园区", "产业园", "开发区", "孵化器运营方"),
    "service": ("服务机构", "技术转移机构", "中介机构"),
}

CAPITAL_KINDS: Vocabulary = {
    "vc_pe": ("VC/PE", "VC", "PE", "风险投资", "创业投资", "私募股权", "股权投资", "创投基金"),
    "guidance_fund": ("政府引导基金", "引导基金", "产业引导基金", "政府产业基金"),
    "bank_loan": ("银行贷款", "贷款", "科技贷", "银行贷款产品", "知识产权质押贷款", "信贷"),
    "insurance": ("科技保险", "保险"),
}

CARRIER_KINDS: Vocabulary = {
    "land": ("土地", "工业用地", "用地", "地块"),
    "factory": ("厂房", "标准厂房", "工业厂房"),
    "office": ("写字楼", "办公楼", "研发楼", "办公"),
    "incubator": ("孵化器", "众创空间", "加速器"),
}

LAND_USES: Vocabulary = {
    "工业用地": ("工业", "M1", "M2", "一类工业用地", "二类工业用地", "普通工业用地", "工业用地M1"),
    "新型产业用地": ("M0", "创新型产业用地", "工业研发用地", "新型工业用地"),
    "科研用地": ("科研设计用地", "研发用地", "教育科研用地", "A35"),
    "商办用地": ("商业办公用地", "商务办公用地", "商服用地", "商业用地", "办公用地", "B1", "B2"),
    "仓储用地": ("物流仓储用地", "仓储物流用地", "W1"),
}

PATENT_STATUSES: Vocabulary = {
    "授权": ("已授权", "有效", "授权有效", "granted"),
    "实审": ("实质审查", "实审中", "实质审查中", "在审", "审查中", "examination"),
    "公开": ("已公开", "公布", "公开中", "published"),
}

STAGES: Vocabulary = {
    "种子期": ("种子", "种子轮", "seed"),
    "天使轮": ("天使", "天使期", "angel"),
    "A轮": ("A", "Pre-A", "A+"),
    "B轮": ("B", "B+"),
    "C轮及以后": ("C轮", "C", "D轮", "成长期", "growth"),
    "Pre-IPO": ("pre-ipo", "成熟期", "上市前"),
    "并购": ("M&A",),
}

LABELS: dict[str, str] = {
    "enterprise": "企业",
    "university": "高校",
    "institute": "科研院所",
    "investor": "投资机构",
    "park": "园区",
    "service": "服务机构",
    "vc_pe": "VC/PE",
    "guidance_fund": "政府引导基金",
    "bank_loan": "银行贷款",
    "insurance": "科技保险",
    "land": "土地",
    "factory": "厂房",
    "office": "写字楼",
    "incubator": "孵化器",
}


_LOOKUPS: dict[int, dict[str, str]] = {}


def _lookup(vocab: Vocabulary) -> dict[str, str]:
    # The vocabularies are module constants, so their tables are built once.
    cached = _LOOKUPS.get(id(vocab))
    if cached is not None:
        return cached
    table: dict[str, str] = {}
    for canonical, aliases in vocab.items():
        for name in (canonical, *aliases, LABELS.get(canonical, canonical)):
            table[name.lower()] = canonical
    _LOOKUPS[id(vocab)] = table
    return table


def parse_choice(value: object, vocab: Vocabulary, what: str, what_en: str) -> str:
    """Returns the canonical value for one choice, or raises with the allowed values."""
    text = normalize(value)
    canonical = _lookup(vocab).get(text.lower())
    if canonical is None:
        allowed = "、".join(LABELS.get(k, k) for k in vocab)
        raise FieldError(f"{what}“{text}”无效,可选:{allowed}", f"invalid {what_en} {text!r}")
    return canonical


def parse_choices(value: object, vocab: Vocabulary, what: str, what_en: str) -> list[str]:
    """Returns the canonical values of a multi-valued cell."""
    values = [parse_choice(part, vocab, what, what_en) for part in split_multi(value)]
    return list(dict.fromkeys(values))


def label(value: str) -> str:
    """Returns the Chinese label of a canonical value (the value itself if it has none)."""
    return LABELS.get(value, value)
