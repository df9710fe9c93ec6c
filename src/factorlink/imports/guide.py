"""What to write in each column, for the 说明 sheet of templates."""

from __future__ import annotations

from factorlink.kit.table import Column, TableSpec
from factorlink.reference import get_industries, get_region
from factorlink.validation.vocab import (
    CAPITAL_KINDS,
    CARRIER_KINDS,
    COOP_MODES,
    IP_FORMS,
    ORG_KINDS,
    STAGES,
    Vocabulary,
    label,
)

SEPARATORS = "多个值用 、 ， , ; ； 或空格分隔"

_KIND_VOCABULARIES: dict[str, Vocabulary] = {
    "organization": ORG_KINDS,
    "capital": CAPITAL_KINDS,
    "carrier": CARRIER_KINDS,
}

_TEXT: dict[str, str] = {
    "code": "记录编号,可留空;留空时按名称(和机构)识别同一条记录。再次导入时编号相同即为更新",
    "keywords": f"关键词,{SEPARATORS}",
    "trl": "技术成熟度:1–9,或 实验室/小试/中试/量产",
    "price_wan": "单位:万元。填数字(如300、300万)或“面议”",
    "budget": "单位:万元。填数字、区间(如100-300、100~300万)或“面议”",
    "ticket": "单位:万元。填区间(如500-3000)或单个数字",
    "annual_tax_wan": "单位:万元。填数字",
    "tax_threshold_wan_per_mu": "单位:万元/亩。填数字",
    "investment_threshold_wan_per_mu": "单位:万元/亩。填数字",
    "deadline": "日期,如2027-06-30、2027/6/30或2027年6月30日",
    "organization": "机构全称;平台中尚无该机构时自动登记",
    "district": "区县、镇街或园区,如“松江经济技术开发区”",
    "area": "数字加单位:㎡(平方米)或亩,如5000㎡、30亩",
    "price": "数字加单位,如1.2元/㎡/天、25元/㎡/月、45万元/亩,或“面议”",
    "contact_name": "联系人姓名(个人信息:仅有权限的人员可见完整内容)",
    "contact_mobile": "11位手机号,可带+86、空格或横线(个人信息,对外显示为138****1234)",
    "credit_code": "18位统一社会信用代码,按GB 32100-2015核验校验位",
    "fields": f"研究领域,{SEPARATORS};能识别的行业会自动归类",
    "services": "可提供的服务,如技术咨询、工艺诊断、联合攻关",
    "affiliation": "专家所在单位",
}


def _choices(vocab: Vocabulary) -> str:
    return "、".join(label(k) for k in vocab)


def column_guide(spec: TableSpec, col: Column) -> str:
    """How to fill one column of a kind: accepted values, units and separators."""
    key = col.key
    if key == "kind" and spec.kind in _KIND_VOCABULARIES:
        return "可选:" + _choices(_KIND_VOCABULARIES[spec.kind])
    if key in ("ip_forms", "coop_modes", "stages"):
        vocab = {"ip_forms": IP_FORMS, "coop_modes": COOP_MODES, "stages": STAGES}[key]
        return f"可选:{_choices(vocab)};{SEPARATORS}"
    if key == "city":
        names = "、".join(c.name for c in get_region().cities)
        return f"走廊城市:{names};可带区县或写别名,如“上海市松江区”“松江”“杭州市余杭区”“义乌”"
    if key == "cities":
        return f"覆盖的走廊城市,{SEPARATORS};填“全部”表示全走廊"
    if key == "industry":
        names = "、".join(i.name for i in get_industries().industries)
        return f"行业:{names};可写细分领域,如“新材料/石墨烯”或“石墨烯”"
    if key == "industries":
        return f"行业(同“所属行业”的可选值),{SEPARATORS}"
    return _TEXT.get(key, "文本")
