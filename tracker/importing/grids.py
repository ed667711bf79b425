"""Finding every task table of a document and reading its rows, whatever the layout.

Two layouts are read here, both after a header recognised by what its labels mean
(:func:`tracker.importing.tables.header_of`):

* **Tab rows.** A Word table copied as text, the python-docx walk of a .docx, a PDF's
  tables: a tab between cells. A cell may run over several lines (its paragraphs, a wrapped
  label), so a row is a *record*: lines are joined until the row has as many cells as the
  header. A header may itself run over lines ("Trách nhiệm" / "thực hiện"); a line of
  column numbers "(1) (2) (3)" under it is skipped, and so are headers repeated at page
  breaks.
* **One cell a line** (docx2txt): the header's labels one a line, then each row's cells one
  a line, empty cells as blank lines. Rows are found from their numbers; a block with more
  lines than a row holds is a row merged down over sub-rows.

Rows that hold only a group's number and name ("I | Cải cách thể chế") are group rows: the
numbering of the rows under them restarts, and their references carry the group.

``|``-boxed rows and ``pdftotext -layout`` columns are first made tab rows by
:mod:`tracker.importing.dumps`.
"""

from __future__ import annotations

import itertools
import re

from tracker.importing import messages
from tracker.importing.model import CELL_BREAK, ImportWarning
from tracker.importing.tables import NOTE, Header, RawRow, Table, header_of, label_meaning
from tracker.importing.text import fold

_ROW_START = re.compile(r"^\s*(?:\d{1,3}|[IVXL]{1,5}|[A-Z])\s*\.?\s*(?:\t|$)")
NUMBER_CELL = re.compile(r"^\s*(?:\d{1,3}(?:\.\d{1,3})*|[IVXL]{1,5})\s*\.?\s*$")
_MAX_HEADER_LINES = 4
_COLUMN_NUMBER = re.compile(r"^\(\d{1,2}\)$")


def _cells(line: str) -> list[str]:
    return line.split("\t")


def _cell_text(cell: str) -> str:
    """A cell's lines (paragraphs or lines of a record), one a line, whitespace collapsed."""
    pieces = re.split(rf"[\n{CELL_BREAK}]", cell)
    return "\n".join(" ".join(p.split()) for p in pieces if p.strip())


def is_column_numbers(cells: list[str]) -> bool:
    """A row of column numbers under a header: "(1) (2) (3)", or "1 2 3"."""
    filled = [(i, c.strip().strip("()")) for i, c in enumerate(cells, 1) if c.strip()]
    return len(filled) >= 3 and all(text == str(i) for i, text in filled)


def _tabbed_header(lines: list[str], index: int) -> tuple[Header, int] | None:
    """The header starting at ``lines[index]`` and the index after it, if there is one."""
    cells = _cells(lines[index])
    candidates = [(list(cells), index + 1)]
    following = index + 1
    while (
        following < len(lines)
        and following <= index + _MAX_HEADER_LINES
        and lines[following].strip()
        and not _ROW_START.match(lines[following])
        and not lines[following].startswith("\t")
        and len(_cells(lines[following])) < len(cells)
    ):
        pieces = _cells(lines[following])
        cells[-1] = f"{cells[-1]}\n{pieces[0]}"
        cells.extend(pieces[1:])
        following += 1
        candidates.append((list(cells), following))
    best: tuple[Header, int] | None = None
    for candidate, after in candidates:
        header = header_of(candidate)
        if header is not None and (best is None or len(header.columns) >= len(best[0].columns)):
            best = (header, after)
    if best is not None and best[1] < len(lines):
        lower = _lower_level(best[0], _cells(lines[best[1]]))
        if lower is not None:
            best = (lower, best[1] + 1)
    return best


def _lower_level(upper: Header, cells: list[str]) -> Header | None:
    """A two-level header: "Cơ quan thực hiện" over "Chủ trì | Phối hợp", the other labels
    merged down (empty below). Each column is read by its lowest label, as a Word table's
    is; only when every label of the lower row means something and more columns do."""
    if len(cells) != len(upper.labels) or cells[0].strip():
        return None
    below = [c.strip() for c in cells]
    filled = [c for c in below if c]
    if len(filled) < 2 or any(label_meaning(c) in (None, NOTE) for c in filled):
        return None
    header = header_of([low or top for top, low in zip(upper.labels, below, strict=True)])
    known = sum(c != NOTE for c in upper.columns)
    if header is None or sum(c != NOTE for c in header.columns) <= known:
        return None
    written = (tuple(upper.labels), tuple(below))
    return Header(header.columns, header.labels, header.year or upper.year, written)


def _labels_key(cells: list[str]) -> tuple[str, ...]:
    """The words of a header's labels in any order: a two-level header repeated at a page
    break comes back as one record whose cells hold the upper and lower labels run together."""
    return tuple(sorted(fold(" ".join(cells).replace(CELL_BREAK, " ")).split()))


def _header_key(header: Header) -> tuple[str, ...]:
    return _labels_key([label for line in header.written for label in line] or header.labels)


class _Records:
    """Rows of one tab-separated table, read as records (see the module docstring)."""

    def __init__(
        self, header: Header, header_line: int, source: str, warnings: list[ImportWarning]
    ) -> None:
        self.header = header
        self.table = Table(header_line, header.columns, header.labels, year=header.year)
        self.source = source
        self.warnings = warnings
        self.width = len(header.columns)
        self.key = _header_key(header)
        # A two-level header repeated at a page break: its lines, one record each.
        self.repeats = {self.key, *(_labels_key(list(line)) for line in header.written)}
        self.cells: list[str] | None = None
        self.line = 0

    def start(self, cells: list[str], line: int) -> None:
        self.finish()
        self.cells, self.line = cells, line

    def extend(self, cells: list[str]) -> None:
        assert self.cells is not None
        self.cells[-1] = f"{self.cells[-1]}\n{cells[0]}"
        self.cells.extend(cells[1:])

    @property
    def incomplete(self) -> bool:
        return self.cells is not None and len(self.cells) < self.width

    def finish(self) -> None:
        cells, self.cells = self.cells, None
        if cells is None:
            return
        first = " ".join(cells[0].split())
        repeated = first == self.header.labels[0] or (not first and self.header.written)
        if (repeated and _labels_key(cells) in self.repeats) or is_column_numbers(cells):
            return  # the header repeated at a page break, or its column numbers
        if len(cells) > self.width:
            if any(c.strip() for c in cells[self.width :]):
                self.warnings.append(
                    ImportWarning.of(
                        self.line,
                        messages.ODD_ROW,
                        found=len(cells),
                        expected=self.width,
                        header=" | ".join(self.header.labels),
                    )
                )
                return
            cells = cells[: self.width]
        elif len(cells) < self.width:
            self.warnings.append(
                ImportWarning.of(
                    self.line, messages.INCOMPLETE_ROW, found=len(cells), expected=self.width
                )
            )
            cells = cells + [""] * (self.width - len(cells))
        row = _row(self.header, cells, self.line)
        rows = self.table.rows
        if rows and (
            (_is_continuation(row) and not _is_sub_row(row)) or _is_broken_off(row, rows[-1])
        ):
            previous = rows[-1]
            for name, value in row.cells.items():
                if value:
                    previous.cells[name] = f"{previous.get(name)}\n{value}".strip()
            return
        rows.append(row)


def _is_continuation(row: RawRow) -> bool:
    """A row that only carries the rest of a cell broken by a page."""
    return not row.get("ref") and not row.get("title") and not row.get("points")


def _is_broken_off(row: RawRow, previous: RawRow) -> bool:
    """The rest of a row a page break cut: no number, text that goes on (in lower case,
    or a bracket) and no lead of its own, under a numbered row."""
    title = row.get("title")
    return (
        not row.get("ref")
        and bool(previous.get("ref"))
        and bool(title)
        and not title[:1].isupper()
        and not title[:1].isdigit()
        and title[:1] not in "-–+•*"
        and not row.get("lead")
        and not row.get("points")
    )


def _is_sub_row(row: RawRow) -> bool:
    """A row under one whose number and text are merged down: a deadline, lead and product
    of its own (see ``annex.plain_tasks``)."""
    return sum(1 for c in ("time", "lead", "evidence") if row.get(c)) >= 2


def _row(header: Header, cells: list[str], line: int) -> RawRow:
    values: dict[str, str] = {}
    notes: list[str] = []
    for name, label, cell in zip(header.columns, header.labels, cells, strict=True):
        text = _cell_text(cell)
        if name == NOTE:
            if text:
                notes.append(f"{label}: {' '.join(text.split())}")
            continue
        values[name] = text
    if notes:
        values[NOTE] = "; ".join(notes)
    return RawRow(line, values)


def read_records(
    lines: list[str], header: Header, header_index: int, after: int, source: str,
    warnings: list[ImportWarning],
) -> Table:  # fmt: skip
    """The rows of the tab-separated table whose header ends before ``lines[after]``."""
    records = _Records(header, header_index + 1, source, warnings)
    index = after
    end = after
    while index < len(lines):
        line = lines[index]
        number = index + 1
        index += 1
        if not line.strip():
            continue
        if "\t" not in line:
            if records.incomplete:
                records.extend([line.strip()])
                end = index
                continue
            upcoming = next((i for i in range(index, len(lines)) if lines[i].strip()), None)
            if (
                upcoming is not None
                and "\t" in lines[upcoming]
                and lines[number - 2].strip()
                and _tabbed_header(lines, upcoming) is None
                and (records.cells or records.table.rows)
            ):
                _carry_on(records, line.strip())
                end = index
                continue
            break
        cells = _cells(line)
        if records.incomplete and not (_ROW_START.match(line) and records.cells):
            records.extend(cells)
        else:
            other = _tabbed_header(lines, number - 1)
            started = records.cells is not None or bool(records.table.rows)
            if other is not None and _header_key(other[0]) != records.key and started:
                index = number - 1
                break  # another table starts
            records.start(cells, number)
        end = index
    records.finish()
    records.table.end_line = end
    return records.table


def _carry_on(records: _Records, text: str) -> None:
    """A line without tabs between rows: the rest of the last cell of the row before."""
    if records.cells is not None:
        filled = [i for i, c in enumerate(records.cells) if c.strip()]
        position = filled[-1] if filled else 1
        records.cells[position] = f"{records.cells[position]}\n{text}"
        return
    last = records.table.rows[-1]
    name = next((c for c in reversed(records.table.columns) if last.get(c)), "title")
    last.cells[name] = f"{last.get(name)}\n{text}".strip()


# ---------------------------------------------------------------- one cell a line


def _cell_line_header(lines: list[str], index: int) -> tuple[Header, int] | None:
    """A header written one label a line (docx2txt), starting with its number column."""
    first = lines[index].strip()
    if not first or len(first) > 12 or "\t" in lines[index] or label_meaning(first) != "ref":
        return None
    labels = [first]
    following = index + 1
    while following < len(lines) and len(labels) < 14:
        text = lines[following].strip()
        if not text or len(text) > 60 or NUMBER_CELL.match(text) or "\t" in lines[following]:
            break
        if _COLUMN_NUMBER.match(text):
            break  # the row of column numbers under the header: "(1)", "(2)", … a line each
        labels.append(text)
        following += 1
    header = header_of(labels)
    if header is None:
        return None
    below = (line.strip() for line in lines[following:])
    numbers = list(itertools.takewhile(_COLUMN_NUMBER.match, below))
    if len(numbers) >= 3 and is_column_numbers(numbers):
        following += len(numbers)
    return header, following


def read_cell_lines(
    lines: list[str], header: Header, header_index: int, after: int,
    warnings: list[ImportWarning],
) -> Table:  # fmt: skip
    """Rows of a table written one cell a line; see the module docstring."""
    width = len(header.columns)
    table = Table(header_index + 1, header.columns, header.labels, year=header.year)
    anchors = [i for i in range(after, len(lines)) if NUMBER_CELL.match(lines[i])]
    # The table runs while numbers keep coming a row's length apart, or closer.
    kept: list[int] = []
    for anchor in anchors:
        if kept and anchor - kept[-1] > 4 * width:
            break
        if not kept and anchor - after > 2:
            break
        kept.append(anchor)
    if not kept:
        return table
    last_end = min(len(lines), kept[-1] + width)
    bounds = [*kept, last_end]
    for start, stop in itertools.pairwise(bounds):
        block = [ln.strip() for ln in lines[start:stop]]
        _block_rows(table, header, block, start + 1, warnings)
    table.end_line = last_end
    return table


def _block_rows(
    table: Table, header: Header, block: list[str], line: int, warnings: list[ImportWarning]
) -> None:
    width = len(header.columns)
    if len(block) == width or (len(block) - width) % width != 0:
        if len(block) > width:
            # A cell of several paragraphs: its extra lines belong to the longest cell.
            surplus = len(block) - width + 1
            title_at = header.columns.index("title") if "title" in header.columns else 1
            block = [
                *block[:title_at],
                " ".join(block[title_at : title_at + surplus]),
                *block[title_at + surplus :],
            ]
        elif len(block) < width:
            warnings.append(
                ImportWarning.of(line, messages.INCOMPLETE_ROW, found=len(block), expected=width)
            )
            block = block + [""] * (width - len(block))
        table.rows.append(_row(header, block, line))
        return
    for offset in range(0, len(block), width):
        table.rows.append(_row(header, block[offset : offset + width], line + offset))


# ---------------------------------------------------------------- every table


def unread_headers(lines: list[str]) -> list[tuple[int, list[str]]]:
    """Rows that open like a table's header ("STT | …") but that no task header explains:
    their line (1-based) and the labels no meaning was found for."""
    found = []
    for index, line in enumerate(lines):
        if "\t" not in line:
            continue
        cells = [" ".join(c.replace(CELL_BREAK, " ").split()) for c in line.split("\t")]
        if len(cells) < 3 or label_meaning(cells[0]) != "ref" or _tabbed_header(lines, index):
            continue
        unplaced = [c for c in cells[1:] if c and label_meaning(c) == NOTE]
        found.append((index + 1, unplaced or cells[1:]))
    return found


def find_tables(lines: list[str], source: str, warnings: list[ImportWarning]) -> list[Table]:
    """Every task table of the document, in order."""
    tables: list[Table] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        found: Table | None = None
        if "\t" in line:
            header = _tabbed_header(lines, index)
            if header is not None:
                found = read_records(lines, header[0], index, header[1], source, warnings)
        else:
            header = _cell_line_header(lines, index)
            if header is not None:
                found = read_cell_lines(lines, header[0], index, header[1], warnings)
        if found is not None and found.rows:
            tables.append(found)
            index = max(found.end_line, index + 1)
            continue
        index += 1
    return tables
