"""Spreadsheet columns of a technology achievement."""

from factorlink.kit import columns as c
from factorlink.kit.table import Column, TableSpec
from factorlink.validation import details as d
from factorlink.validation.vocab import COOP_MODES, IP_FORMS, PATENT_STATUSES

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
        Column(
            "patent_numbers",
            "专利号",
            "Patent numbers",
            parse=lambda v: {"patent_numbers": d.parse_patent_numbers(v)},
            format=lambda r: "、".join(r.patent_numbers),
            example="ZL202310123456.6",
            aliases=("专利号码", "申请号", "专利申请号"),
            empty={"patent_numbers": []},
        ),
        c.choice(
            "patent_status",
            "专利状态",
            "Patent status",
            PATENT_STATUSES,
            example="授权",
            aliases=("法律状态",),
        ),
        c.text(
            "rights_holder",
            "权利人",
            "Rights holder",
            example="示例大学",
            aliases=("专利权人", "权利人/专利权人"),
        ),
        c.period(
            "listed_from",
            "listed_until",
            "listing_period",
            "挂牌期限",
            "Listing period",
            example="2026-01-01至2026-12-31",
            aliases=("挂牌期", "挂牌时间"),
        ),
        c.organization("所属机构", required=True),
        c.city(),
        c.contact_name(),
        c.mobile(),
    ),
)
