"""Checking a table against a kind's columns: headers, cells, and rows against each other."""

from __future__ import annotations

from typing import Any

import pytest

from factorlink.errors import InvalidInput
from factorlink.imports.checks import CheckedRow, check_rows, map_columns
from factorlink.imports.kinds import ImportKind, spec_of
from factorlink.imports.readers import read_table
from factorlink.imports.report import RowError
from tests.imports.builders import achievement, csv_bytes, organization

ACH = spec_of(ImportKind.achievement)
ORG = spec_of(ImportKind.organization)


def _check(kind: ImportKind, rows: list[dict[str, Any]], name: str = "f.csv") -> list[CheckedRow]:
    spec = spec_of(kind)
    table = read_table(name, csv_bytes(rows))
    return check_rows(spec, table, map_columns(spec, table), ("credit_code",))


def _errors(checked: list[CheckedRow]) -> list[RowError]:
    return [e for row in checked for e in row.errors]


def test_missing_required_column_is_named_in_both_languages() -> None:
    row = achievement()
    del row["所属机构*"], row["所在城市*"]
    table = read_table("成果.csv", csv_bytes([row]))
    with pytest.raises(InvalidInput) as caught:
        map_columns(ACH, table)
    assert "缺少必填列:所属机构*、所在城市*" in caught.value.message
    assert "Organization" in (caught.value.message_en or "")
    assert "City" in (caught.value.message_en or "")


def test_a_column_given_twice_is_refused() -> None:
    table = read_table("a.csv", csv_bytes([{**achievement(), "Mobile": "13900001111"}]))
    with pytest.raises(InvalidInput) as caught:
        map_columns(ACH, table)
    assert "“手机号”与“Mobile”重复" in caught.value.message


def test_unknown_columns_are_a_warning_and_report_columns_are_silent() -> None:
    row = {**achievement(), "备注": "x", "错误原因": "旧原因", "原行号": 5}
    columns = map_columns(ACH, read_table("a.csv", csv_bytes([row])))
    assert [w.reason for w in columns.warnings] == ["未识别的列已忽略:备注"]
    assert "unknown columns ignored: 备注" in columns.warnings[0].reason_en


def test_english_and_starless_headers_are_accepted() -> None:
    row = {
        "Code": "E1",
        "Title": "Graphene film",
        "Abstract": "CVD graphene",
        "Industry": "新材料",
        "Organization": "示例大学",
        "City": "合肥",
        "参考价格（万元）": "面议",  # full-width brackets, as Chinese input methods type them
    }
    [checked] = _check(ImportKind.achievement, [row])
    assert checked.ok, checked.errors
    assert checked.values["city"] == "hefei"
    assert checked.values["price_negotiable"] is True


@pytest.mark.parametrize(
    ("typed", "city", "district"),
    [
        ("上海市松江区", "songjiang", None),
        ("松江", "songjiang", None),
        ("义乌", "jinhua", "义乌市"),
        ("杭州市余杭区", "hangzhou", "余杭区"),
    ],
)
def test_city_aliases_resolve(typed: str, city: str, district: str | None) -> None:
    [checked] = _check(ImportKind.achievement, [achievement(**{"所在城市*": typed})])
    assert checked.ok, checked.errors
    assert (checked.values["city"], checked.values["district"]) == (city, district)


def test_a_bad_mobile_is_located_and_explained() -> None:
    rows = [achievement("A1"), achievement("A2", 手机号="1381234567")]
    checked = _check(ImportKind.achievement, rows, "成果.csv")
    assert checked[0].ok
    [error] = _errors(checked)
    assert (error.file, error.row, error.column, error.column_en) == (
        "成果.csv",
        3,
        "手机号",
        "Mobile",
    )
    # Personal data: masked as a visitor sees a contact, and the reason says what is wrong.
    assert error.value == "138****4567"
    assert "1381234567" not in error.value + error.reason + error.reason_en
    assert error.reason == "手机号无效:应为1开头的11位数字(所填为10位数字)"
    assert error.reason_en.startswith("invalid mobile number") and "10 digits" in error.reason_en


@pytest.mark.parametrize(
    ("typed", "shown", "detail"),
    [
        ("1381234", "*******", "(所填为7位数字)"),
        ("138-1234-56789", "138****6789", "(所填为12位数字)"),
        ("23812345678", "238****5678", "(所填为11位数字,不以1开头)"),
        ("12812345678", "128****5678", "(所填第2位应为3至9)"),
        ("138l2345678", "138****5678", "(所填含非数字字符)"),
    ],
)
def test_a_bad_mobile_is_masked_and_what_is_wrong_said(typed: str, shown: str, detail: str) -> None:
    [error] = _errors(_check(ImportKind.achievement, [achievement(手机号=typed)]))
    assert (error.value, error.reason) == (shown, "手机号无效:应为1开头的11位数字" + detail)


def test_contact_errors_do_not_repeat_the_cell() -> None:
    name = "欧阳" * 26
    row = achievement(联系人=name, 手机号="1391234567", **{"技术成熟度": "TRL12"})
    errors = _errors(_check(ImportKind.achievement, [row]))
    assert [(e.field, e.column, e.value) for e in errors] == [
        ("trl", "技术成熟度", "TRL12"),  # other cells are still shown
        ("contact_name", "联系人", "欧**"),  # masked as visitors see contacts
        ("contact_mobile", "手机号", "139****4567"),
    ]
    assert all(e.reason and e.reason_en for e in errors)
    assert not any(name in e.reason + e.reason_en for e in errors)


def test_a_bad_credit_code_check_digit_is_an_error() -> None:
    valid = "91330100799655058B"
    rows = [organization("甲公司", 统一社会信用代码=valid), organization("乙公司")]
    rows[1]["统一社会信用代码"] = valid[:-1] + "C"
    checked = _check(ImportKind.organization, rows)
    assert checked[0].ok and checked[0].values["credit_code"] == valid
    [error] = _errors(checked)
    assert (error.row, error.column, error.value) == (3, "统一社会信用代码", valid[:-1] + "C")
    assert "校验位错误(应为B)" in error.reason
    assert "check digit" in error.reason_en


def test_an_unknown_city_is_an_error() -> None:
    [error] = _errors(_check(ImportKind.achievement, [achievement(**{"所在城市*": "北京"})]))
    assert (error.row, error.column, error.value) == (2, "所在城市", "北京")
    assert "不在长三角G60科创走廊范围内" in error.reason
    assert "unknown city" in error.reason_en


def test_every_bad_cell_of_a_row_is_reported() -> None:
    row = achievement(**{"成果名称*": "", "技术成熟度": "TRL12", "参考价格(万元)": "三百"})
    errors = _errors(_check(ImportKind.achievement, [row]))
    assert [e.column for e in errors] == ["成果名称", "技术成熟度", "参考价格(万元)"]
    assert errors[0].reason == "“成果名称”为必填项"


def test_a_duplicated_code_names_the_earlier_row() -> None:
    rows = [achievement("A1"), achievement("A2"), achievement("A1", **{"成果名称*": "另一项成果"})]
    checked = _check(ImportKind.achievement, rows)
    [error] = _errors(checked)
    assert (error.row, error.column, error.value) == (4, "编号", "A1")
    assert error.reason == "与第2行重复(编号相同)"
    assert error.reason_en == "duplicate of row 2 (same Code)"


def test_a_duplicated_natural_key_without_code_is_an_error() -> None:
    rows = [achievement(""), achievement("", 手机号="13900002222")]
    [error] = _errors(_check(ImportKind.achievement, rows))
    assert (error.row, error.column) == (3, "成果名称、所属机构")
    assert error.reason.startswith("与第2行重复")


def test_a_credit_code_twice_in_a_file_is_an_error() -> None:
    code = "91330100799655058B"
    rows = [
        organization("甲公司", 统一社会信用代码=code),
        organization("乙公司", 统一社会信用代码=code),
    ]
    [error] = _errors(_check(ImportKind.organization, rows))
    assert (error.row, error.column, error.reason) == (
        3,
        "统一社会信用代码",
        "与第2行重复(统一社会信用代码相同)",
    )


def test_columns_the_file_lacks_are_left_out_of_the_values() -> None:
    row = achievement()
    del row["手机号"], row["关键词"]
    [checked] = _check(ImportKind.achievement, [row])
    assert "contact_mobile" not in checked.values and "keywords" not in checked.values
    blanked = achievement(手机号="", 关键词="")
    [checked] = _check(ImportKind.achievement, [blanked])
    assert checked.values["contact_mobile"] is None and checked.values["keywords"] == []


def test_multi_valued_cells_split_on_every_separator() -> None:
    row = achievement(关键词="石墨烯、散热膜，导热,热管理;薄膜；复合 材料")
    [checked] = _check(ImportKind.achievement, [row])
    assert checked.values["keywords"] == [
        "石墨烯",
        "散热膜",
        "导热",
        "热管理",
        "薄膜",
        "复合",
        "材料",
    ]
