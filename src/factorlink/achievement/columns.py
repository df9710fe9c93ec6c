"""Spreadsheet columns of a technology achievement."""

from factorlink.kit import columns as c
from factorlink.kit.table import TableSpec
from factorlink.validation.vocab import COOP_MODES, IP_FORMS

SPEC = TableSpec(
    kind="achievement",
    label="科技成果",
    code_prefix="ACH",
    natural_key=("title", "organization_name"),
    columns=(
        c.code(),
        c.text(
            "title", "成果名称", "Title", required=True, example="高导热石墨烯复合散热膜制备技术"
        ),
        c.text(
            "abstract",
            "成果简介",
            "Abstract",
            required=True,
            max_length=5000,
            example="采用化学气相沉积与热压复合工艺,面内导热系数≥1500 W/(m·K),已完成中试。",
            aliases=("简介", "成果描述"),
        ),
        c.multi("keywords", "关键词", "Keywords", example="石墨烯、散热膜、导热"),
        c.industry(),
        c.trl(),
        c.choices("ip_forms", "知识产权形式", "IP form", IP_FORMS, example="发明专利"),
        c.choices("coop_modes", "合作方式", "Cooperation", COOP_MODES, example="转让、许可"),
        c.money("price_wan", "参考价格(万元)", "Price (10k CNY)", example="300"),
        c.organization("所属机构", required=True),
        c.city(),
        c.contact_name(),
        c.mobile(),
    ),
)
