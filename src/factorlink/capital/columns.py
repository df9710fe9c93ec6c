"""Spreadsheet columns of a capital product."""

from factorlink.kit import columns as c
from factorlink.kit.table import TableSpec
from factorlink.validation.vocab import CAPITAL_KINDS, STAGES

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
        c.money_range("ticket", "单笔金额(万元)", "Ticket (10k CNY)", example="500-3000"),
        c.cities("cities", "覆盖城市", "Cities covered", example="松江、杭州、合肥"),
        c.organization("所属机构", required=False),
        c.contact_name(),
        c.mobile(),
    ),
)
