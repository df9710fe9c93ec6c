"""Builders of real import files, and a full dump of the database to compare before and after."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from sqlalchemy import select

from factorlink.auth.models import Role
from factorlink.auth.viewer import Viewer
from factorlink.db.base import Base
from factorlink.db.session import Database
from factorlink.imports.kinds import ImportKind
from factorlink.imports.readers import read_table
from factorlink.imports.report import ImportReport
from factorlink.imports.service import ImportService

ADMIN = Viewer(user_id=1, role=Role.admin)

ACHIEVEMENT_HEADERS = (
    "编号",
    "成果名称*",
    "成果简介*",
    "关键词",
    "所属行业*",
    "技术成熟度",
    "知识产权形式",
    "合作方式",
    "参考价格(万元)",
    "所属机构*",
    "所在城市*",
    "联系人",
    "手机号",
)


def achievement(code: str = "ACH-0001", **changes: Any) -> dict[str, Any]:
    """One achievement row by display header, realistic and valid."""
    row = {
        "编号": code,
        "成果名称*": f"高导热石墨烯复合散热膜制备技术{code}",
        "成果简介*": "采用化学气相沉积与热压复合工艺,面内导热系数≥1500 W/(m·K),已完成中试。",
        "关键词": "石墨烯、散热膜,导热;热管理",
        "所属行业*": "新材料/石墨烯",
        "技术成熟度": "中试",
        "知识产权形式": "发明专利",
        "合作方式": "转让、许可",
        "参考价格(万元)": "300",
        "所属机构*": "浙江示例大学",
        "所在城市*": "杭州市余杭区",
        "联系人": "李晓明",
        "手机号": "13812345678",
    }
    row.update(changes)
    return row


def organization(name: str = "上海示例新材料有限公司", **changes: Any) -> dict[str, Any]:
    """One organisation row by Chinese header."""
    row = {
        "机构名称": name,
        "机构类型": "企业",
        "统一社会信用代码": "",
        "所在城市": "上海市松江区",
        "所属行业": "新材料",
        "年纳税额(万元)": "500",
        "联系人": "王建国",
        "手机号": "13900001111",
    }
    row.update(changes)
    return row


def csv_bytes(rows: Sequence[dict[str, Any]], encoding: str = "utf-8") -> bytes:
    """Rows under their keys as CSV text in an encoding."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(list(rows[0]))
    writer.writerows([list(r.values()) for r in rows])
    return buffer.getvalue().encode(encoding)


def write_csv(path: Path, rows: Sequence[dict[str, Any]], encoding: str = "utf-8") -> Path:
    path.write_bytes(csv_bytes(rows, encoding))
    return path


def write_xlsx(path: Path, grid: Sequence[Sequence[Any]]) -> Path:
    """A real workbook whose first sheet holds the grid, row 1 first."""
    book = Workbook()
    sheet = book.worksheets[0]
    for row in grid:
        sheet.append(list(row))
    book.save(path)
    return path


def rows_grid(rows: Sequence[dict[str, Any]]) -> list[list[Any]]:
    return [list(rows[0]), *[list(r.values()) for r in rows]]


def write_jsonl(path: Path, rows: Sequence[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


def write_json(path: Path, rows: Sequence[dict[str, Any]]) -> Path:
    path.write_text(json.dumps(list(rows), ensure_ascii=False), "utf-8")
    return path


def run_import(
    database: Database,
    kind: ImportKind,
    path: Path,
    *,
    viewer: Viewer = ADMIN,
    skip_invalid: bool = False,
) -> ImportReport:
    """Imports a file in its own unit of work, as the CLI and the API do."""
    table = read_table(path.name, path.read_bytes())
    with database.unit_of_work() as session:
        return ImportService(session, viewer).run(kind, table, skip_invalid=skip_invalid)


def dump(database: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in key order: what "exactly as before" is compared on."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    with database.unit_of_work() as session:
        for table in Base.metadata.sorted_tables:
            stmt = select(table).order_by(*table.primary_key.columns)
            out[table.name] = [tuple(row) for row in session.execute(stmt)]
    return out


def without_token_use(snapshot: dict[str, list[tuple[Any, ...]]]) -> dict[str, list[Any]]:
    """A dump less auth_tokens.last_used_at, which every authenticated request records."""
    columns = list(Base.metadata.tables["auth_tokens"].columns.keys())
    used = columns.index("last_used_at")
    tokens = [row[:used] + row[used + 1 :] for row in snapshot["auth_tokens"]]
    return {**snapshot, "auth_tokens": tokens}
