"""Spreadsheet columns of an organisation."""

from factorlink.kit import columns as c
from factorlink.kit.table import Column, TableSpec
from factorlink.validation import parse_credit_code
from factorlink.validation.vocab import ORG_KINDS

SPEC = TableSpec(
    kind="organization",
    label="机构",
    code_prefix="ORG",
    natural_key=("name",),
    columns=(
        c.text(
            "name",
            "机构名称",
            "Name",
            required=True,
            example="上海松江示例科技有限公司",
            aliases=("单位名称", "企业名称"),
        ),
        c.choice("kind", "机构类型", "Kind", ORG_KINDS, required=True, example="企业"),
        Column(
            "credit_code",
            "统一社会信用代码",
            "Credit code",
            parse=lambda v: {"credit_code": parse_credit_code(v)},
            format=lambda r: r.credit_code or "",
            example="91310117MA1J3ABC1T",
            aliases=("信用代码", "社会信用代码", "USCC"),
        ),
        c.city(),
        c.industry(required=False, example="人工智能"),
        c.number("annual_tax_wan", "年纳税额(万元)", "Annual tax (10k CNY)", example="500"),
        c.contact_name(),
        c.mobile(),
    ),
)
