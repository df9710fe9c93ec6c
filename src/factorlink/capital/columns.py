"""Spreadsheet columns of a capital product."""

from dataclasses import replace
from typing import Any

from factorlink.kit import columns as c
from factorlink.kit.table import Column, TableSpec
from factorlink.validation import details as d
from factorlink.validation.errors import FieldError
from factorlink.validation.vocab import CAPITAL_KINDS, STAGES


def _term(value: Any) -> dict[str, Any]:
    shortest, longest = d.parse_term(value)
    return {"loan_term_min_months": shortest, "loan_term_max_months": longest}


def _term_cell(record: Any) -> str:
    shortest, longest = record.loan_term_min_months, record.loan_term_max_months
    if longest is None:
        return ""
    if shortest is None:
        return f"最长{longest}个月"
    return f"{longest}个月" if shortest == longest else f"{shortest}-{longest}个月"


def _rate(value: Any) -> dict[str, Any]:
    rate = d.parse_rate(value)
    if len(rate.text) > 50:
        raise FieldError("利率长度不能超过50个字", "rate is over 50 characters")
    return {
        "loan_rate_min_pct": rate.low,
        "loan_rate_max_pct": rate.high,
        "loan_rate_text": rate.text,
    }


SPEC = TableSpec(
    kind="capital",
    label="资本",
    code_prefix="CAP",
    natural_key=("name", "organization_name"),
    columns=(
        c.code(),
        c.text(
            "name",
            "名称",
            "Name",
            required=True,
            example="G60科创走廊硬科技天使基金",
            aliases=("产品名称", "基金名称"),
        ),
        c.choice("kind", "类型", "Kind", CAPITAL_KINDS, required=True, example="VC/PE"),
        c.choices("stages", "投资阶段", "Stages", STAGES, example="天使轮、A轮"),
        c.industries("industries", "投资行业", "Industries", example="人工智能、集成电路"),
        # A loan's 额度 is its ticket.
        replace(
            c.money_range("ticket", "单笔金额(万元)", "Ticket (10k CNY)", example="500-3000"),
            aliases=("额度(万元)", "贷款额度(万元)", "贷款额度", "额度", "授信额度"),
        ),
        c.cities("cities", "覆盖城市", "Cities covered", example="松江、杭州、合肥"),
        Column(
            "loan_term",
            "贷款期限",
            "Loan term",
            parse=_term,
            format=_term_cell,
            example="1-3年",
            aliases=("期限", "贷款期限(月)", "融资期限"),
            empty={"loan_term_min_months": None, "loan_term_max_months": None},
        ),
        Column(
            "loan_rate",
            "贷款利率",
            "Loan rate",
            parse=_rate,
            format=lambda r: r.loan_rate_text or "",
            example="3.45%",
            aliases=("利率", "年化利率", "参考利率", "费率"),
            empty={"loan_rate_min_pct": None, "loan_rate_max_pct": None, "loan_rate_text": None},
        ),
        c.text(
            "eligibility",
            "申请条件",
            "Eligibility",
            max_length=2000,
            example="注册在走廊九城、成立满1年的科技型中小企业",
            aliases=("准入条件", "申请对象", "适用对象"),
        ),
        c.text(
            "how_to_apply",
            "申请方式",
            "How to apply",
            max_length=1000,
            example="线上提交申请,或联系客户经理",
            aliases=("申请流程", "办理方式", "申请渠道"),
        ),
        c.organization("所属机构", required=False),
        c.contact_name(),
        c.mobile(),
    ),
)
