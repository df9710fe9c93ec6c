"""Spreadsheet columns of an industrial carrier (land, factory, office, incubator)."""

from typing import Any

from factorlink.kit import columns as c
from factorlink.kit.table import CellError, Column, TableSpec
from factorlink.validation import details as d
from factorlink.validation.parsers import MAX_WAN_PER_MU, parse_area
from factorlink.validation.vocab import CARRIER_KINDS, LAND_USES


def _crane(value: Any) -> dict[str, Any]:
    crane = d.parse_crane(value)
    return {"crane": crane.present, "crane_tonnes": crane.tonnes}


def _crane_cell(record: Any) -> str:
    if record.crane is None:
        return ""
    if record.crane_tonnes is not None:
        return f"{c.number_text(record.crane_tonnes)}吨"
    return "有" if record.crane else "无"


def _smallest(value: Any) -> dict[str, Any]:
    _, sqm = parse_area(value)
    return {"min_split_sqm": sqm}


def refine(values: dict[str, Any]) -> None:
    """The district as the corridor names it; a smallest part stated makes the carrier
    divisible when 可分割 was left blank."""
    c.canonical_district(values)
    if values.get("min_split_sqm") is not None and values.get("divisible") is None:
        values["divisible"] = True


def check(values: dict[str, Any]) -> list[CellError]:
    """A smallest part is for a divisible carrier, and no larger than the whole."""
    smallest, area = values.get("min_split_sqm"), values.get("area_sqm")
    errors = []
    if smallest is not None and values.get("divisible") is False:
        errors.append(
            CellError(
                "最小分割面积",
                "“可分割”为否时不应填写最小分割面积",
                "a smallest part is given for a carrier that is not divisible",
                key="min_split",
            )
        )
    if smallest is not None and area is not None and smallest > area:
        errors.append(
            CellError(
                "最小分割面积",
                "最小分割面积大于总面积",
                "the smallest part is larger than the whole area",
                key="min_split",
            )
        )
    return errors


SPEC = TableSpec(
    kind="carrier",
    label="载体",
    code_prefix="CAR",
    natural_key=("name", "city"),
    refine=refine,
    check=check,
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
        c.text(
            "address",
            "地址",
            "Address",
            example="松江区新桥镇民益路201号",
            aliases=("详细地址", "载体地址"),
        ),
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
        c.figure(
            "ceiling_height_m",
            "层高",
            "Ceiling height",
            d.parse_height,
            "米",
            example="8米",
            aliases=("层高(米)", "净高", "檐高"),
        ),
        c.figure(
            "floor_load_t",
            "承重",
            "Floor load",
            d.parse_floor_load,
            "吨/㎡",
            example="3吨/㎡",
            aliases=("承重(吨/㎡)", "楼面荷载", "地面承重"),
        ),
        c.figure(
            "power_kva",
            "电力",
            "Power",
            d.parse_power,
            "kVA",
            example="630kVA",
            aliases=("电力(kVA)", "电力容量", "供电容量", "变压器容量"),
        ),
        Column(
            "crane",
            "行车",
            "Crane",
            parse=_crane,
            format=_crane_cell,
            example="10吨",
            aliases=("行车(吨)", "起重机", "吊车"),
            empty={"crane": None, "crane_tonnes": None},
        ),
        c.yes_no("divisible", "可分割", "Divisible", example="是"),
        Column(
            "min_split",
            "最小分割面积",
            "Smallest part",
            parse=_smallest,
            format=lambda r: (
                f"{c.number_text(r.min_split_sqm)}㎡" if r.min_split_sqm is not None else ""
            ),
            example="1000㎡",
            aliases=("最小分割", "最小可租面积", "起租面积"),
            empty={"min_split_sqm": None},
        ),
        c.loose_date(
            "delivery_date",
            "交付日期",
            "Delivery",
            text_key="delivery_text",
            example="2027年6月底",
            aliases=("交付时间", "可入驻时间"),
        ),
        c.choice(
            "land_use",
            "土地用途",
            "Land use",
            LAND_USES,
            example="工业用地",
            aliases=("土地性质", "用地性质", "土地性质/用途", "用地类型"),
        ),
        Column(
            "tenure_years",
            "产权年限",
            "Tenure (years)",
            parse=lambda v: {"tenure_years": d.parse_years(v)},
            format=lambda r: f"{r.tenure_years}年" if r.tenure_years is not None else "",
            example="50年",
            aliases=("出让年限", "土地年限", "使用年限"),
        ),
        c.contact_name(),
        c.mobile(),
    ),
)
