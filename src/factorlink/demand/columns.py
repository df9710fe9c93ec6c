"""Spreadsheet columns of a technology demand."""

from factorlink.kit import columns as c
from factorlink.kit.table import TableSpec
from factorlink.validation.vocab import COOP_MODES

SPEC = TableSpec(
    kind="demand",
    label="技术需求",
    code_prefix="DEM",
    natural_key=("title", "organization_name"),
    columns=(
        c.code(),
        c.text(
            "title", "需求名称", "Title", required=True, example="新能源汽车电池包轻量化散热方案"
        ),
        c.text(
            "description",
            "需求描述",
            "Description",
            required=True,
            max_length=5000,
            example="现有铝制液冷板重量偏大,需在保证散热的前提下减重20%以上。",
            aliases=("需求简介", "需求内容"),
        ),
        c.multi("keywords", "关键词", "Keywords", example="电池包、散热、轻量化"),
        c.industry(example="新能源汽车/动力电池"),
        c.money_range(
            "budget",
            "预算(万元)",
            "Budget (10k CNY)",
            negotiable="budget_negotiable",
            example="100-300",
        ),
        c.loose_date(
            "deadline",
            "截止日期",
            "Deadline",
            text_key="deadline_text",
            example="2027-06-30",
            aliases=("揭榜截止日期", "截止时间"),
        ),
        c.choices("coop_modes", "合作方式", "Cooperation", COOP_MODES, example="合作开发、转让"),
        c.organization("需求单位", required=True),
        c.city(example="嘉兴"),
        c.contact_name(),
        c.mobile(),
    ),
)
