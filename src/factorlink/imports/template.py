"""The .xlsx template of a kind: headers, a marked example row, a sheet explaining each column."""

from __future__ import annotations

import io
import unicodedata

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from factorlink.imports.guide import SEPARATORS, column_guide
from factorlink.imports.readers import EXAMPLE_NOTE
from factorlink.kit.table import TableSpec

GUIDE_SHEET = "说明"
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_REQUIRED = Font(bold=True, color="C00000")
_OPTIONAL = Font(bold=True)
_EXAMPLE = Font(italic=True, color="808080")


def _width(text: str) -> int:
    """Display width: CJK characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def template_file(spec: TableSpec) -> bytes:
    """Builds the template workbook of a kind."""
    book = Workbook()
    sheet = book.worksheets[0]
    sheet.title = spec.label
    _data_sheet(sheet, spec)
    _guide_sheet(book.create_sheet(GUIDE_SHEET), spec)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _data_sheet(sheet: Worksheet, spec: TableSpec) -> None:
    example = spec.example_row()
    for index, col in enumerate(spec.columns, start=1):
        head = sheet.cell(row=1, column=index, value=col.display_header)
        head.font = _REQUIRED if col.required else _OPTIONAL
        head.fill = _HEADER_FILL
        cell = sheet.cell(row=2, column=index, value=example[col.display_header] or None)
        cell.font = _EXAMPLE
        longest = max(_width(col.display_header), _width(col.example))
        sheet.column_dimensions[get_column_letter(index)].width = min(max(longest + 2, 10), 48)
    note = sheet.cell(row=2, column=len(spec.columns) + 1, value=EXAMPLE_NOTE)
    note.font = _EXAMPLE
    sheet.column_dimensions[get_column_letter(len(spec.columns) + 1)].width = 40
    sheet.freeze_panes = "A2"


def _guide_sheet(sheet: Worksheet, spec: TableSpec) -> None:
    sheet.append(["列名", "English", "必填", "填写说明", "示例"])
    for cell in sheet[1]:
        cell.font = _OPTIONAL
        cell.fill = _HEADER_FILL
    for col in spec.columns:
        required = "是" if col.required else ""
        sheet.append([col.header, col.header_en, required, column_guide(spec, col), col.example])
    sheet.append([])
    for line in (
        "带*的列为必填列;列名中的*可有可无,也可使用英文列名。",
        f"多值单元格(关键词、合作方式、欢迎行业、覆盖城市等){SEPARATORS}。",
        "第2行为示例行(右侧标有“示例行”),导入时自动忽略;请从第3行起填写,或删除该行。",
        "默认整批导入:任何一行有误则全部不写入;错误报告会指出文件、行号、列和原因。",
        "再次导入同一文件不会产生重复:有编号按编号识别,无编号按名称和所属机构识别。",
    ):
        sheet.append([line])
    for letter, width in zip("ABCDE", (20, 30, 6, 80, 36), strict=True):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=2, max_col=5):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
