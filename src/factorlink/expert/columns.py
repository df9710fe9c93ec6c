"""Spreadsheet columns of an expert or service platform."""

from typing import Any

from factorlink.kit import columns as c
from factorlink.kit.table import Column, TableSpec
from factorlink.reference import get_industries
from factorlink.validation import parse_text, split_multi


def _fields(value: Any) -> dict[str, Any]:
    fields = [parse_text(v, max_length=50) for v in split_multi(value)]
    catalog = get_industries()
    industry = next((m.industry.code for f in fields if (m := catalog.resolve(f))), None)
    return {"fields": fields, "industry": industry}


SPEC = TableSpec(
    kind="expert",
    label="专家",
    code_prefix="EXP",
    natural_key=("name", "affiliation"),
    columns=(
        c.code(),
        c.text(
            "name",
            "姓名",
            "Name",
            required=True,
            max_length=100,
            example="李明",
            aliases=("专家姓名", "平台名称"),
        ),
        c.text(
            "affiliation",
            "所属机构",
            "Affiliation",
            example="示例大学材料学院",
            aliases=("工作单位", "单位"),
        ),
        Column(
            "fields",
            "研究领域",
            "Fields",
            parse=_fields,
            format=lambda r: "、".join(r.fields),
            empty={"fields": [], "industry": None},
            required=True,
            example="石墨烯、复合材料",
        ),
        c.text(
            "services",
            "服务内容",
            "Services",
            max_length=2000,
            example="技术咨询、工艺诊断、联合攻关",
        ),
        c.city(required=False, example="合肥"),
        c.contact_name(),
        c.mobile(),
    ),
)
