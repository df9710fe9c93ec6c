"""Participants imported from spreadsheets with Chinese headers: real .xlsx and GBK .csv files,
every row or none, each error located by row and column, contacts never echoed."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import Workbook

from factorlink.auth.models import Role
from factorlink.auth.viewer import Viewer
from factorlink.db.session import Database
from factorlink.errors import InvalidInput, PermissionDenied
from factorlink.event.columns import SPEC, import_participants
from factorlink.event.models import EventParticipant, EventTable
from factorlink.event.vocab import ParticipantRole
from tests.event.builders import make_event
from tests.introduction.builders import ADMIN

HEADERS = ["单位名称", "姓名", "手机号", "职务", "身份", "能提供", "想寻找", "固定桌号", "同意"]
ROWS = [
    ["嘉兴示例新能源有限公司", "陈立", "13811112222", "技术总监", "企业", "", "散热膜", "", "是"],
    ["示例大学", "李明", "13933334444", "教授", "高校院所", "石墨烯散热膜", "", "2号桌", "同意"],
]


def xlsx(rows: list[list[Any]], headers: list[str] = HEADERS) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def run(database: Database, event: int, name: str, data: bytes, viewer: Viewer = ADMIN) -> int:
    with database.unit_of_work() as s:
        return import_participants(s, viewer, event, name, data)


def people(database: Database, event: int) -> list[EventParticipant]:
    with database.unit_of_work() as s:
        return list(
            s.query(EventParticipant).filter_by(event_id=event).order_by(EventParticipant.id)
        )


def test_an_xlsx_with_chinese_headers_registers_everyone(database: Database) -> None:
    event = make_event(database)
    assert run(database, event, "参会名单.xlsx", xlsx(ROWS)) == 2
    first, second = people(database, event)
    assert (first.organization_name, first.contact_name, first.contact_mobile) == (
        "嘉兴示例新能源有限公司",
        "陈立",
        "13811112222",
    )
    assert first.role == ParticipantRole.enterprise and first.seeks == "散热膜"
    assert second.role == ParticipantRole.institute and second.guest
    assert second.source == "参会名单.xlsx" and second.consent_at is not None
    with database.unit_of_work() as s:
        table = s.query(EventTable).filter_by(event_id=event, number=2).one()
        assert table.fixed_participant_id == second.id


def test_a_gbk_csv_with_english_headers_too(database: Database) -> None:
    event = make_event(database)
    text = "Organisation,Name,Mobile,Role,Consent\n松江示例园区,王芳,13700001111,园区,是\n"
    assert run(database, event, "names.csv", text.encode("gbk")) == 1
    (only,) = people(database, event)
    assert only.role == ParticipantRole.park and only.organization_name == "松江示例园区"


def test_one_bad_row_imports_nothing_and_every_error_is_located(database: Database) -> None:
    event = make_event(database)
    rows = [
        ROWS[0],
        ["示例大学", "李明", "1393333", "", "学生", "", "", "9", ""],
        ["某公司", "", "", "", "企业", "", "", "2", "是"],
        ["另一公司", "赵六", "", "", "企业", "", "", "2", "是"],
    ]
    with pytest.raises(InvalidInput) as caught:
        run(database, event, "名单.xlsx", xlsx(rows))
    assert "未导入任何参会人" in caught.value.message
    found = {(e["row"], e["column"]): e for e in caught.value.errors}
    assert (3, "手机号") in found and found[(3, "手机号")]["value"] == ""  # never echoed
    assert "身份“学生”无效" in found[(3, "身份")]["reason"]
    assert found[(3, "身份")]["reason"].startswith("第3行“身份”")
    assert (3, "同意") in found and (4, "姓名") in found
    assert (3, "固定桌号") not in found  # the row failed before its table was judged
    assert "已在第4行" not in str(found)  # row 4 failed: its table is not taken
    assert people(database, event) == []


def test_tables_must_exist_and_not_be_fixed_twice(database: Database) -> None:
    event = make_event(database)  # tables 1–3
    rows = [
        [*ROWS[0][:7], "9", "是"],
        ROWS[1],
        ["另一大学", "周七", "", "", "高校", "", "", "2", "是"],
    ]
    with pytest.raises(InvalidInput) as caught:
        run(database, event, "名单.xlsx", xlsx(rows))
    reasons = [e["reason"] for e in caught.value.errors]
    assert any("没有9号桌" in r for r in reasons)
    assert any("2号桌已在第3行固定给别人" in r for r in reasons)


def test_headers_are_checked_first(database: Database) -> None:
    event = make_event(database)
    with pytest.raises(InvalidInput) as caught:
        run(database, event, "名单.xlsx", xlsx([["某公司", "张三"]], ["单位名称", "姓名", "备注X"]))
    reasons = [e["reason"] for e in caught.value.errors]
    assert "未知的列“备注X”" in reasons
    assert any("缺少必填列“身份”" in r for r in reasons) and any("同意" in r for r in reasons)


def test_only_the_organiser_imports(database: Database) -> None:
    event = make_event(database)
    with pytest.raises(PermissionDenied):
        run(database, event, "名单.xlsx", xlsx(ROWS), Viewer(user_id=7, role=Role.member))


def test_the_spec_lists_every_header_once() -> None:
    headers = [c.header for c in SPEC.columns]
    assert headers == HEADERS and [c.header for c in SPEC.required] == [
        "单位名称",
        "姓名",
        "身份",
        "同意",
    ]
