"""The fields of a lead message (需求, 用途, 税收, 公司, 联系人, 手机号) and how they are parsed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from factorlink.kit import columns as c
from factorlink.kit.table import CellError, Column, ParsedRow, TableSpec
from factorlink.lead.models import LeadStatus, LeadType
from factorlink.privacy.masking import PERSONAL_FIELDS
from factorlink.validation.errors import FieldError
from factorlink.validation.parsers import normalize

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


def _without_subfield(column: Column) -> Column:
    # A lead records the industry only; the sub-field has no column of its own.
    def parse(value: Any) -> dict[str, Any]:
        return {"industry": column.parse(value)["industry"]}

    return replace(column, parse=parse, empty={"industry": None})


SPEC = TableSpec(
    kind="lead",
    label="线索",
    code_prefix="LEAD",
    natural_key=("need", "company"),
    columns=(
        c.text("need", "需求", "Need", required=True, max_length=2000, aliases=("需求描述",)),
        c.text("purpose", "用途", "Purpose", max_length=2000),
        c.number("annual_tax_wan", "年纳税额(万元)", "Annual tax (10k CNY)", example="500"),
        c.text("company", "公司", "Company", aliases=("公司名称", "企业名称")),
        replace(c.contact_name(), required=True),
        replace(c.mobile(), required=True),
        Column(
            "lead_type",
            "类型",
            "Lead type",
            parse=lambda v: {"lead_type": parse_lead_type(v)},
            format=lambda r: TYPE_LABELS[r.lead_type],
            required=True,
            example="技术",
        ),
        c.cities("preferred_cities", "意向城市", "Preferred cities", example="松江、嘉兴"),
        _without_subfield(c.industry(required=False, example="新材料")),
        c.city(required=False, example="上海市松江区"),
    ),
)

# The city cell also gives the district ("湖州市长兴县" → huzhou, 长兴县).
FIELDS = frozenset(col.key for col in SPEC.columns) | {"district"}

CONSENT_REASON = "须同意平台保存所填信息并据此与您联系(consent 须为 true)"
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
            CellError("同意", CONSENT_REASON, CONSENT_REASON_EN, key="consent", value="")
        )
    return row
