"""Spreadsheet columns of an event's participants (参会人), and their import: read with the
imports' readers (xlsx, csv in UTF-8/GBK/GB18030, under the import limits), each row checked
against the columns, all rows stored or none.

The organiser imports the people who registered on paper or by phone: each row must say that
they agreed (同意 = 是) that the organiser and the people they meet see their contact.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from factorlink.auth.viewer import Viewer
from factorlink.errors import InvalidInput
from factorlink.event.schemas import RegistrationIn
from factorlink.event.service import EventService
from factorlink.event.vocab import ROLE_LABELS, ParticipantRole
from factorlink.imports.readers import ImportLimits, read_table
from factorlink.kit import columns as c
from factorlink.kit.table import Column, TableSpec
from factorlink.privacy.masking import PERSONAL_FIELDS
from factorlink.validation.errors import FieldError
from factorlink.validation.parsers import normalize

# How many errors an import answers with (the rest are counted).
MAX_ERRORS = 200
_ROLES: dict[str, str] = {
    **{label: key for key, label in ROLE_LABELS.items()},
    **{key: key for key in ROLE_LABELS},
    "高校": "institute",
    "院所": "institute",
    "科研院所": "institute",
    "大学": "institute",
    "投资": "investor",
    "投资人": "investor",
    "基金": "investor",
    "载体": "park",
    "展位": "exhibitor",
    "参展商": "exhibitor",
}
_YES = frozenset({"是", "同意", "已同意", "yes", "y", "true", "1", "√", "✓"})


def _role(value: Any) -> dict[str, Any]:
    text = normalize(value)
    role = _ROLES.get(text) or _ROLES.get(text.lower())
    if role is None:
        allowed = "、".join(ROLE_LABELS.values())
        raise FieldError(f"身份“{text}”无效,可选:{allowed}", f"invalid role {text!r}")
    return {"role": ParticipantRole(role)}


def _consent(value: Any) -> dict[str, Any]:
    text = normalize(value).lower()
    if text not in _YES:
        raise FieldError(
            "须参会人同意(填“是”)后才能登记",
            "the participant's consent is needed (是)",
        )
    return {"consent": True}


def _table(value: Any) -> dict[str, Any]:
    text = normalize(value).removesuffix("号桌").removesuffix("号")
    if not text.isdigit() or not 1 <= int(text) <= 500:
        raise FieldError(f"桌号“{normalize(value)}”应为1到500的整数", "table is a number 1–500")
    return {"table": int(text)}


SPEC = TableSpec(
    kind="event_participant",
    label="参会人",
    code_prefix="EVP",
    natural_key=("organization_name", "contact_name"),
    columns=(
        c.text(
            "organization_name",
            "单位名称",
            "Organisation",
            required=True,
            example="嘉兴示例新能源有限公司",
            aliases=("单位", "公司名称", "机构名称", "企业名称"),
        ),
        c.text(
            "contact_name",
            "姓名",
            "Name",
            required=True,
            max_length=100,
            example="张三",
            aliases=("参会人", "联系人", "参会人姓名"),
        ),
        c.mobile(),
        c.text("position", "职务", "Position", max_length=100, example="技术总监"),
        Column(
            "role",
            "身份",
            "Role",
            parse=_role,
            format=lambda r: ROLE_LABELS.get(r.role.value, r.role.value),
            required=True,
            example="企业",
            aliases=("参会身份", "类型"),
            choices=tuple(ROLE_LABELS.values()),
        ),
        c.text("offers", "能提供", "Offers", max_length=2000, aliases=("提供",)),
        c.text("seeks", "想寻找", "Seeks", max_length=2000, aliases=("需求", "寻找")),
        Column(
            "table",
            "固定桌号",
            "Fixed table",
            parse=_table,
            format=lambda r: "",
            example="",
            aliases=("桌号", "展位号"),
            empty={"table": None},
        ),
        Column(
            "consent",
            "同意",
            "Consent",
            parse=_consent,
            format=lambda r: "是",
            required=True,
            example="是",
            aliases=("是否同意", "同意使用联系方式"),
        ),
    ),
)


def _error(
    name: str,
    row: int | None,
    column: Column | None,
    reason: str,
    reason_en: str,
    value: str = "",
) -> dict[str, Any]:
    """One error located as the organiser sees the file; a contact's value is not echoed."""
    shown = "" if column is not None and column.key in PERSONAL_FIELDS else value
    where = (f"第{row}行" if row is not None else "") + (f"“{column.header}”" if column else "")
    where_en = (f"row {row}" if row is not None else "") + (
        f" {column.header_en}" if column else ""
    )
    return {
        "file": name,
        "row": row,
        "column": column.header if column else None,
        "column_en": column.header_en if column else None,
        "field": column.key if column else None,
        "value": shown,
        "reason": f"{where}:{reason}" if where else reason,
        "reason_en": f"{where_en.strip()}: {reason_en}" if where_en.strip() else reason_en,
    }


def import_participants(
    session: Session,
    viewer: Viewer,
    event_id: int,
    name: str,
    data: bytes,
    limits: ImportLimits | None = None,
) -> int:
    """Registers every row of a file as a participant (the organiser's), or none: a file with
    any bad row is refused with each error (file, row, column, reason)."""
    service = EventService(session, viewer)
    event = service.organise(event_id)
    table = read_table(name, data, limits)
    found, unknown = SPEC.match_headers(table.headers)
    errors: list[dict[str, Any]] = []
    for header in unknown:
        errors.append(_error(name, None, None, f"未知的列“{header}”", f"unknown column {header!r}"))
    present = {col.key for col in found.values()}
    for column in SPEC.required:
        if column.key not in present:
            errors.append(
                _error(
                    name,
                    None,
                    column,
                    f"缺少必填列“{column.header}”",
                    f"missing required column {column.header_en}",
                )
            )
    parsed: list[tuple[int, dict[str, Any]]] = []
    if not errors:
        for row in table.rows:
            cells = {col.key: row.cells[i] for i, col in found.items() if i < len(row.cells)}
            result = SPEC.parse(cells)
            for e in result.errors:
                where = SPEC.column(e.key) if e.key else None
                errors.append(_error(name, row.number, where, e.reason, e.reason_en, e.value))
            if result.ok:
                parsed.append((row.number, result.values))
    numbers = {t.number for t in event.tables}
    taken: dict[int, int] = {}
    for number, values in parsed:
        table_no = values.get("table")
        if table_no is not None and table_no in taken:
            errors.append(
                _error(
                    name,
                    number,
                    SPEC.column("table"),
                    f"{table_no}号桌已在第{taken[table_no]}行固定给别人",
                    f"table {table_no} is already fixed in row {taken[table_no]}",
                    str(table_no),
                )
            )
        if table_no is not None:
            taken.setdefault(table_no, number)
        if table_no is not None and table_no not in numbers:
            errors.append(
                _error(
                    name,
                    number,
                    SPEC.column("table"),
                    f"本对接会没有{values['table']}号桌",
                    f"the event has no table {values['table']}",
                    str(values["table"]),
                )
            )
    if errors:
        raise _refused(name, errors)
    for number, values in parsed:
        body = RegistrationIn(
            role=values["role"],
            contact_name=values["contact_name"],
            contact_mobile=values.get("contact_mobile"),
            organization_name=values["organization_name"],
            position=values.get("position"),
            offers=values.get("offers"),
            seeks=values.get("seeks"),
            consent=True,
        )
        try:
            participant = service.add_participant(event_id, body, source=name[:200])
        except InvalidInput as exc:
            error = _error(name, number, None, exc.message, exc.message_en or "")
            raise _refused(name, [error]) from None
        if values.get("table") is not None:
            service.fix_table(event_id, values["table"], participant.id)
    return len(parsed)


def _refused(name: str, errors: list[dict[str, Any]]) -> InvalidInput:
    shown = errors[:MAX_ERRORS]
    more = len(errors) - len(shown)
    tail = f"(另有{more}处未列出)" if more else ""
    return InvalidInput(
        f"“{name}”有{len(errors)}处错误,未导入任何参会人{tail}",
        message_en=f"{name}: {len(errors)} errors; no participant was imported",
        errors=shown,
    )
