"""A table as an Excel sheet (openpyxl): a caption on top, one header row, typed cells.

Dates are real dates (shown dd/mm/yyyy), counts and points are numbers, rates are numbers
shown as percentages; the header row is frozen and filtered, the columns have widths, and
a printout repeats the header on every page, landscape, one page wide.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = {
    "date": "DD/MM/YYYY",
    "datetime": "DD/MM/YYYY HH:MM",
    "int": "0",
    "number": "0.##",
    "percent": "0%",
    "text": "@",
}
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FONT = "Times New Roman"


@dataclass
class Column:
    heading: str
    width: float
    kind: str = "text"  # text | date | datetime | int | number | percent


@dataclass
class Table:
    title: str  # the sheet's name (Excel allows 31 characters)
    caption: list[str]  # lines above the table: commune, year, printed on …
    columns: list[Column]
    rows: list[Sequence[Any]] = field(default_factory=list)
    bold_rows: set[int] = field(default_factory=set)  # headings, totals (0-based row index)


def _sheet_name(title: str, taken: set[str]) -> str:
    name = "".join(c for c in title if c not in "[]:*?/\\")[:31] or "Sheet"
    base, n = name, 2
    while name in taken:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name)
    return name


def workbook_bytes(tables: Sequence[Table]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    for table in tables:
        _write(book.create_sheet(_sheet_name(table.title, taken)), table)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _write(sheet: Any, table: Table) -> None:
    for line_no, line in enumerate(table.caption, start=1):
        cell = sheet.cell(row=line_no, column=1, value=line)
        cell.font = Font(name=_FONT, bold=line_no == 1, size=13 if line_no == 1 else 11)
    header = len(table.caption) + 2 if table.caption else 1
    for col_no, column in enumerate(table.columns, start=1):
        cell = sheet.cell(row=header, column=col_no, value=column.heading)
        cell.font = Font(name=_FONT, bold=True)
        cell.fill = PatternFill("solid", fgColor="D9D9D9")
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        cell.border = _BORDER
        sheet.column_dimensions[get_column_letter(col_no)].width = column.width
    for index, values in enumerate(table.rows):
        row_no = header + 1 + index
        for col_no, (column, value) in enumerate(zip(table.columns, values, strict=True), 1):
            cell = sheet.cell(row=row_no, column=col_no, value=_value(value))
            if value is not None and column.kind != "text":
                cell.number_format = FORMATS[column.kind]
            cell.font = Font(name=_FONT, bold=index in table.bold_rows)
            cell.alignment = Alignment(wrap_text=column.kind == "text", vertical="top")
            cell.border = _BORDER
    last_column = get_column_letter(len(table.columns))
    sheet.freeze_panes = sheet.cell(row=header + 1, column=1)
    sheet.auto_filter.ref = f"A{header}:{last_column}{header + max(len(table.rows), 1)}"
    sheet.print_title_rows = f"{header}:{header}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _value(value: Any) -> Any:
    """Cells take dates, numbers and text; lazy strings (gettext) become text."""
    if value is None or isinstance(value, int | float | dt.date | str):
        return value
    return str(value)
