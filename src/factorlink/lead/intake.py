"""The fields of a lead message (需求, 用途, 税收, 公司, 联系人, 手机号) and how they are parsed."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from factorlink.kit import columns as c
from factorlink.kit.table import CellError, Column, ParsedRow, TableSpec
from factorlink.lead.models import LeadStatus, LeadType
from factorlink.privacy.masking import PERSONAL_FIELDS
from factorlink.validation.errors import FieldError
from factorlink.validation.parsers import MAX_WAN, clean, drop_controls, normalize

TYPE_ALIASES: dict[LeadType, tuple[str, ...]] = {
    LeadType.technology: ("技术", "科技", "科技成果", "成果", "专家", "tech"),
    LeadType.space: ("空间", "载体", "场地", "厂房", "土地", "写字楼", "园区"),
    LeadType.capital: ("资本", "资金", "融资", "投资", "贷款"),
}
TYPE_LABELS: dict[str, str] = {
    LeadType.technology: "技术",
    LeadType.space: "空间载体",
    LeadType.capital: "资本",
}
STATUS_LABELS: dict[str, str] = {
    LeadStatus.new: "新线索",
    LeadStatus.reviewing: "处理中",
    LeadStatus.introduced: "已对接",
    LeadStatus.closed: "已关闭",
}


def parse_lead_type(value: object) -> LeadType:
    """Returns the lead type from technology|space|capital or 技术/空间/载体/资本/资金."""
    text = normalize(value).lower()
    for lead_type, aliases in TYPE_ALIASES.items():
        if text == lead_type.value or text in aliases:
            return lead_type
    raise FieldError(
        f"线索类型“{normalize(value)}”无效,可选:技术(technology)、空间/载体(space)、资本/资金(capital)",
        f"invalid lead type {normalize(value)!r}: expected technology, space or capital",
    )


TAX_TEXT_LENGTH = 100
# How the corridor's message gets its 税收 answered: "500万元/年", "年纳税约500万", "约500万",
# "纳税300多万", "1.2亿", "300-500万" (a range counts by its lower end, what is surely paid).
_TAX = re.compile(
    r"^(?:全年|每年|一年|年度|年)?(?:纳税额|纳税|缴税|交税|税收|税额|纳税总额)?:?(?:约为|约|大约|大概|"
    r"预计|将近|接近|近|超过|逾|达到|达)?"
    r"(?P<low>\d+(?:\.\d+)?)(?:(?:-|~|至|到|—|–)(?P<high>\d+(?:\.\d+)?))?(?:多|余|来)?"
    r"(?P<unit>亿元|亿|千万元|千万|百万元|百万|万元|万|w|元)?(?:人民币)?"
    r"(?:左右|以上|上下|多|余)?(?:/年度?|每年|一年|/a)?(?:左右|以上)?$"
)
_TAX_UNITS = {"亿元": 10_000.0, "亿": 10_000.0, "千万元": 1_000.0, "千万": 1_000.0}
_TAX_UNITS |= {"百万元": 100.0, "百万": 100.0, "元": 0.0001}
# Answers that give no figure: the text is kept, the figure left empty.
TAX_UNSTATED = frozenset(
    {"保密", "暂无", "无", "没有", "不详", "待定", "不便透露", "新公司", "新设公司", "未产生", "-"}
)


def parse_annual_tax(value: object) -> dict[str, Any]:
    """Reads 税收 as the visitor wrote it: the annual tax in 万元 (None where the answer gives
    no figure, such as 保密 or 暂无), and the text itself, kept as typed (None for a number)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        figure = value
        typed = None
    else:
        typed = drop_controls(str(value)).strip()
        if len(typed) > TAX_TEXT_LENGTH:
            raise FieldError(
                f"税收不能超过{TAX_TEXT_LENGTH}个字", f"tax text longer than {TAX_TEXT_LENGTH}"
            )
        text = re.sub(r"[\s,，]", "", normalize(typed)).lower()
        if text in TAX_UNSTATED:
            return {"annual_tax_wan": None, "annual_tax_text": typed}
        negative = text.startswith("-")
        found = _TAX.match(text.removeprefix("-"))
        if found is None:
            shown = typed if len(typed) <= 30 else typed[:30] + "…"
            raise FieldError(
                f"税收“{shown}”无法识别为金额,请写成如 500万元/年、年纳税约500万、1.2亿",
                f"tax {shown!r} is not an amount: write it as 500万元/年, 年纳税约500万 or 1.2亿",
            )
        scale = _TAX_UNITS.get(found["unit"] or "", 1.0)
        figure = round(float(found["low"]) * scale, 4) * (-1 if negative else 1)
    if not math.isfinite(figure):
        raise FieldError("税收不是有效数字", "tax is not a finite number")
    if figure < 0:
        raise FieldError("税收不能为负数", "tax cannot be negative")
    if figure > MAX_WAN:
        raise FieldError(
            f"税收超出上限:不能超过{MAX_WAN:,}万元",
            f"tax is above the maximum of {MAX_WAN:,} 万元",
        )
    return {"annual_tax_wan": float(figure), "annual_tax_text": typed}


def _figure(value: float | None) -> str:
    if value is None:
        return ""
    return f"{int(value)}万元" if float(value).is_integer() else f"{value:g}万元"


def _without_subfield(column: Column) -> Column:
    # A lead records the industry (and the words typed for it) only; the sub-field has no column.
    def parse(value: Any) -> dict[str, Any]:
        parsed = column.parse(value)
        # Without a sub-field of its own, "新材料/石墨烯" is kept as typed, beside materials.
        typed = parsed["industry_text"] or (clean(value) if parsed["subfield"] else None)
        return {"industry": parsed["industry"], "industry_text": typed}

    return replace(column, parse=parse, empty={"industry": None, "industry_text": None})


SPEC = TableSpec(
    kind="lead",
    label="线索",
    code_prefix="LEAD",
    natural_key=("need", "company"),
    columns=(
        c.text("need", "需求", "Need", required=True, max_length=2000, aliases=("需求描述",)),
        c.text("purpose", "用途", "Purpose", max_length=2000),
        Column(
            "annual_tax_wan",
            "税收",
            "Annual tax",
            parse=parse_annual_tax,
            format=lambda r: r.annual_tax_text or _figure(r.annual_tax_wan),
            example="500万元/年",
            aliases=("年纳税额(万元)", "年纳税额", "纳税额"),
            empty={"annual_tax_wan": None, "annual_tax_text": None},
        ),
        c.text("company", "公司", "Company", aliases=("公司名称", "企业名称")),
        replace(c.contact_name(), required=True),
        replace(c.mobile(), required=True),
        Column(
            "lead_type",
            "需求类型",
            "Lead type",
            parse=lambda v: {"lead_type": parse_lead_type(v)},
            format=lambda r: TYPE_LABELS[r.lead_type],
            required=True,
            example="技术",
            aliases=("类型", "线索类型"),
        ),
        c.cities("preferred_cities", "意向城市", "Preferred cities", example="松江、嘉兴"),
        _without_subfield(c.industry(required=False, example="新材料")),
        c.city(required=False, example="上海市松江区"),
    ),
)

# The city cell also gives the district ("湖州市长兴县" → huzhou, 长兴县).
FIELDS = frozenset(col.key for col in SPEC.columns) | {
    "district",
    "annual_tax_text",
    "industry_text",
}

CONSENT_LABEL = "个人信息同意"
CONSENT_REASON = "须勾选同意平台保存所填信息并据此与您联系"
CONSENT_REASON_EN = "consent must be explicitly true: agree to be contacted about this message"


def parse_lead(cells: Mapping[str, Any]) -> ParsedRow:
    """Parses a lead message; every bad field, including a missing consent, is an error."""
    row = SPEC.parse(cells)
    # No parser quotes a rejected name or mobile; the raw cell goes too, whoever shows errors.
    row.errors = [replace(e, value="") if e.key in PERSONAL_FIELDS else e for e in row.errors]
    # The lead keeps the fields it has columns for, and the district (no code or sub-field).
    row.values = {k: v for k, v in row.values.items() if k in FIELDS}
    if cells.get("consent") is not True:
        row.errors.append(
            CellError(CONSENT_LABEL, CONSENT_REASON, CONSENT_REASON_EN, key="consent", value="")
        )
    return row
