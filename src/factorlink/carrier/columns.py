"""Spreadsheet columns of an industrial carrier (land, factory, office, incubator)."""

from factorlink.kit import columns as c
from factorlink.kit.table import TableSpec
from factorlink.validation.parsers import MAX_WAN_PER_MU
from factorlink.validation.vocab import CARRIER_KINDS

SPEC = TableSpec(
    kind="carrier",
    label="载体",
    code_prefix="CAR",
    natural_key=("name", "city"),
    refine=c.canonical_district,
    columns=(
        c.code(),
        c.text(
            "name",
            "名称",
            "Name",
            required=True,
            example="松江综保区标准厂房3号楼",
            aliases=("载体名称",),
        ),
        c.choice("kind", "类型", "Kind", CARRIER_KINDS, required=True, example="厂房"),
        c.city(writes_district=False),
        c.district(),
        c.area(),
        c.price_with_unit(),
        c.industries("industries", "欢迎行业", "Industries welcomed", example="高端装备、新材料"),
        c.number(
            "tax_threshold_wan_per_mu",
            "亩均税收门槛(万元/亩)",
            "Tax threshold (10k CNY/mu)",
            example="50",
            maximum=MAX_WAN_PER_MU,
        ),
        c.number(
            "investment_threshold_wan_per_mu",
            "投资强度门槛(万元/亩)",
            "Investment threshold (10k CNY/mu)",
            example="400",
            maximum=MAX_WAN_PER_MU,
        ),
        c.contact_name(),
        c.mobile(),
    ),
)
