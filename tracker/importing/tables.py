"""Task tables: finding the header, reading rows, surviving broken extractions.

Two shapes are read. A *tabbed* table has one line per row and a tab between cells; page
breaks repeat the header and may carry a cell on to the next page as a row that holds only
the rest of that cell. A *stream* table is what a PDF extraction leaves when it loses the
rows: cells still end at tabs but rows run together, cells split over many lines and row
numbers float loose. We read the stream cell by cell, counting columns, and put each loose
number back on the row it belongs to.

A cell's own lines (a Word cell's paragraphs, an extracted cell's lines, the rest of a
cell carried on to the next page) are kept apart by "\n" in ``RawRow.cells``: in a unit
cell a break may be the only thing between two units (see ``resolve_units``); every other
cell is read with its whitespace collapsed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from tracker.importing import messages
from tracker.importing.model import CELL_BREAK, ImportWarning
from tracker.importing.text import repair

FIELDS = ("ref", "title", "time", "points", "lead", "coord", "evidence")

_LABELS: tuple[tuple[str, str], ...] = (
    ("ref", r"STT|TT|Số TT|Số thứ tự"),
    ("title", r"(?:Tên )?(?:Nhiệm vụ|Nội dung)(?: cụ thể| tiêu chí| công việc| nhiệm vụ)?"),
    ("time", r"Thời (?:gian|hạn)(?: thực hiện| hoàn thành)?|Tiến độ(?: thực hiện)?"),
    ("points", r"Điểm(?: chuẩn| tối đa)?|Thang điểm"),
    ("lead", r"(?:Cơ quan|Đơn vị)(?: chủ trì| thực hiện)|Chủ trì"),
    ("coord", r"(?:Cơ quan|Đơn vị)(?: phối hợp)|Phối hợp"),
    ("evidence", r"Sản phẩm(?: đầu ra)?|Kết quả(?: đầu ra)?|Minh chứng"),
)
_LABEL_RE = re.compile("|".join(f"(?P<{name}>{rx})" for name, rx in _LABELS), re.IGNORECASE)
NOTE = "note"  # a column the importer does not understand: kept as the task's notes

# What a column label means, tested on its words without diacritics, in this order (the
# time column's "Thời gian thực hiện" says "thực hiện" too, so time comes before lead).
_MEANINGS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("ref", re.compile(r"^(?:s\s*tt|tt|so tt|so thu tu|thu tu|so)$")),
    ("time", re.compile(r"\b(?:thoi gian|thoi han|tien do|han hoan thanh|thoi diem|moc thoi)")),
    ("points", re.compile(r"^(?:diem|thang diem)\b|\bdiem (?:chuan|toi da|so)\b")),
    ("evidence", re.compile(r"\b(?:san pham|ket qua|hinh thuc van ban|minh chung|ho so)\b")),
    ("coord", re.compile(r"\bphoi hop\b")),
    (
        "lead",
        re.compile(
            r"\b(?:chu tri|trach nhiem|phu trach|phan cong)\b"
            r"|^(?:(?:co quan|don vi|bo phan|nguoi)\s*)?(?:thuc hien|duoc giao)$"
        ),
    ),
    (
        "title",
        re.compile(
            r"\b(?:noi dung|nhiem vu|cong viec|giai phap|hoat dong|tieu chi|duoc kiem tra"
            r"|chuong trinh|doi tuong|ten)\b"
        ),
    ),
)
_YEAR_IN_LABEL = re.compile(r"\b(20\d\d)\b")


def plain(text: str) -> str:
    """Lower case, no diacritics, "đ" as "d", single spaces: how labels are compared."""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^\w\s]", " ", bare).split())


@lru_cache(maxsize=4096)
def label_meaning(label: str) -> str | None:
    """The field a column label stands for, NOTE for a label not understood, None if empty."""
    words = plain(repair(label))
    if not words:
        return None
    for name, pattern in _MEANINGS:
        if pattern.search(words):
            return name
    return NOTE


@dataclass(frozen=True)
class Header:
    columns: list[str]  # a field per column ("note" for those not understood)
    labels: list[str]  # as written
    year: int | None  # "Thời gian (Năm 2026)": the year the time column's cells are in
    # The labels of each line of a two-level header as written (upper, then lower): what a
    # repeat of it at a page break holds. Empty for a header of one line.
    written: tuple[tuple[str, ...], ...] = ()


def header_of(cells: list[str]) -> Header | None:
    """The header these cells make, if they name a task table's columns (in any order)."""
    labels = [" ".join(c.replace(CELL_BREAK, " ").split()) for c in cells]
    if len(labels) < 3 or len(labels) > 14 or any(len(label) > 90 for label in labels):
        return None
    columns: list[str] = []
    for label in labels:
        meaning = label_meaning(label)
        if meaning is None:
            meaning = NOTE
        if meaning != NOTE and meaning in columns:
            meaning = NOTE  # a second column of the same meaning is kept as notes
        columns.append(meaning)
    known = [c for c in columns if c != NOTE]
    if "title" not in known or not ({"lead", "time"} & set(known)):
        return None
    if len(known) * 2 < len(columns):
        return None
    year = None
    if "time" in columns:
        found = _YEAR_IN_LABEL.search(labels[columns.index("time")])
        year = int(found.group(1)) if found else None
    return Header(columns, labels, year)


@dataclass
class RawRow:
    line: int
    cells: dict[str, str]  # a cell's lines are kept apart by "\n"
    ref_line: int | None = None  # where its row number was found, if elsewhere

    def get(self, name: str) -> str:
        return self.cells.get(name, "")


@dataclass
class Table:
    header_line: int
    columns: list[str]
    labels: list[str]
    rows: list[RawRow] = field(default_factory=list)
    is_stream: bool = False
    year: int | None = None  # the year the header gives the time column
    end_line: int = 0  # the table's last line (1-based)


def header_columns(line: str) -> tuple[list[str], list[str]] | None:
    """The fields a task-table header names, in order, or None if it is no such header."""
    text = repair(line.replace("\t", "  ")).strip("* ")
    if not text or len(text) > 200:
        return None
    columns: list[str] = []
    labels: list[str] = []
    position = 0
    for match in _LABEL_RE.finditer(text):
        if text[position : match.start()].strip(" |*"):
            return None
        name = match.lastgroup
        assert name is not None
        columns.append(name)
        labels.append(match.group(0))
        position = match.end()
    if text[position:].strip(" |*") or len(set(columns)) != len(columns):
        return None
    if "title" not in columns or not ({"lead", "time"} & set(columns)) or len(columns) < 3:
        return None
    return columns, labels


def find_header(lines: list[str]) -> tuple[int, list[str], list[str]] | None:
    """The first task-table header: its index, fields and labels as written."""
    for index, line in enumerate(lines):
        if "STT" not in line.upper().replace(" ", "") and "\t" not in line:
            continue
        found = header_columns(line)
        if found:
            return index, found[0], found[1]
    return None


def _is_number(text: str) -> bool:
    return re.fullmatch(r"\s*\d{1,3}\s*", text) is not None


# ---------------------------------------------------------------- stream tables


@dataclass
class _Token:
    kind: str  # "number" | "text"
    value: str
    line: int
    pieces: list[str] = field(default_factory=list)  # the text's lines as extracted


def _stream_tokens(text: str, first_line: int) -> list[_Token]:
    tokens: list[_Token] = []
    line = first_line
    for cell in text.split("\t"):
        pieces: list[tuple[str, int]] = []
        for offset, piece in enumerate(cell.split("\n")):
            here = line + offset
            if _is_number(piece):
                if pieces:
                    tokens.append(_text_token(pieces))
                    pieces = []
                tokens.append(_Token("number", piece.strip(), here))
            elif piece.strip():
                pieces.append((piece.strip(), here))
        if pieces:
            tokens.append(_text_token(pieces))
        line += cell.count("\n")
    return tokens


def _text_token(pieces: list[tuple[str, int]]) -> _Token:
    return _Token("text", "\n".join(p for p, _ in pieces), pieces[0][1], [p for p, _ in pieces])


def stream_region(lines: list[str]) -> tuple[int, int] | None:
    """The lines holding the tab-separated stream: from its first cell to its last."""
    tabbed = [i for i, line in enumerate(lines) if "\t" in line]
    if not tabbed:
        return None
    start, end = tabbed[0], tabbed[-1]
    if start > 0 and _is_number(lines[start - 1]):
        start -= 1
    while end + 1 < len(lines) and lines[end + 1].strip():
        end += 1
    return start, end


def read_stream(
    lines: list[str],
    region: tuple[int, int],
    columns: list[str],
    labels: list[str],
    header_line: int,
    warnings: list[ImportWarning],
) -> Table:
    """Rows of a table whose rows ran together; see the module docstring."""
    start, end = region
    table = Table(header_line=header_line, columns=columns, labels=labels, is_stream=True)
    text_columns = [c for c in columns if c != "ref"]
    tokens = _stream_tokens("\n".join(lines[start : end + 1]), start + 1)
    current: list[_Token] = []
    current_ref: _Token | None = None

    def finish() -> None:
        nonlocal current, current_ref
        row = RawRow(
            current[0].line, dict(zip(text_columns, (t.value for t in current), strict=False))
        )
        row.cells["title_pieces"] = "\n".join(current[0].pieces)
        if current_ref is not None:
            row.cells["ref"] = current_ref.value
            row.ref_line = current_ref.line
        table.rows.append(row)
        current, current_ref = [], None

    for token in tokens:
        if token.kind == "number":
            if current:
                if current_ref is None:
                    current_ref = token
                else:
                    warnings.append(
                        ImportWarning.of(token.line, messages.STRAY_NUMBER, number=token.value)
                    )
                continue
            if current_ref is not None:
                # Two numbers with no cell between: the first closes the previous row.
                previous = table.rows[-1] if table.rows else None
                if previous is not None and not previous.get("ref"):
                    previous.cells["ref"] = current_ref.value
                    previous.ref_line = current_ref.line
                    warnings.append(
                        ImportWarning.of(
                            current_ref.line,
                            messages.NUMBER_MOVED_BACK,
                            number=current_ref.value,
                            row_line=previous.line,
                        )
                    )
                else:
                    warnings.append(
                        ImportWarning.of(
                            current_ref.line, messages.STRAY_NUMBER, number=current_ref.value
                        )
                    )
            current_ref = token
            continue
        current.append(token)
        if len(current) == len(text_columns):
            finish()
    if current:
        warnings.append(
            ImportWarning.of(
                current[0].line,
                messages.INCOMPLETE_ROW,
                found=len(current),
                expected=len(text_columns),
            )
        )
    if current_ref is not None and table.rows and not table.rows[-1].get("ref"):
        table.rows[-1].cells["ref"] = current_ref.value
        table.rows[-1].ref_line = current_ref.line
    return table


_WIDE_GAP = re.compile(r"\s{6,}")
_LEADING_NUMBER = re.compile(r"^\s*(\d{1,3})\s{2,}(\S.*)$")


def read_spaced_rows(lines: list[str], after: int, columns: list[str]) -> list[RawRow]:
    """Rows laid out with runs of spaces instead of tabs, after a spaced header."""
    rows: list[RawRow] = []
    text_columns = [c for c in columns if c != "ref"]
    for index in range(after, len(lines)):
        line = lines[index]
        match = _LEADING_NUMBER.match(line)
        if not match or "\t" in line:
            continue
        cells = [c for c in _WIDE_GAP.split(match.group(2).strip()) if c.strip()]
        if len(cells) != len(text_columns):
            continue
        row = RawRow(index + 1, dict(zip(text_columns, cells, strict=True)))
        row.cells["ref"] = match.group(1)
        rows.append(row)
    return rows
