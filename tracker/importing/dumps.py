"""Text dumps whose tables are not tab rows, made tab rows for :mod:`~tracker.importing.grids`.

* **``|``-boxed rows** (antiword): each line of a box holds a piece of every cell.
* **``pdftotext -layout`` columns**: cells placed by position under the header's labels.

Both keep the document's line count (joined lines become blank), so warnings still point
at the document's own lines.
"""

from __future__ import annotations

import re

from tracker.importing.grids import NUMBER_CELL, is_column_numbers
from tracker.importing.model import CELL_BREAK
from tracker.importing.tables import NOTE, Header, header_of, label_meaning

# ---------------------------------------------------------------- |-boxed rows

_BOX = re.compile(r"^\s*\|.*\|")


def unbox(lines: list[str]) -> list[str]:
    """antiword's ``|``-boxed tables as tab rows, a line per row.

    Each line of a box holds a piece of every cell; a line whose first cell is empty goes
    on with the row above (a wrapped cell, a label over two lines), its pieces joined to
    the cells above as their next lines. The number of lines stays the same (the joined
    ones become blank), so warnings still point at the document's own lines.
    """
    out = list(lines)
    row_at: int | None = None
    cells: list[str] = []
    for index, line in enumerate(lines):
        if not _BOX.match(line):
            row_at = None
            continue
        pieces = [p.strip() for p in line.strip().strip("|").split("|")]
        if row_at is not None and not pieces[0] and len(pieces) == len(cells):
            cells = [
                f"{c}{CELL_BREAK}{p}" if c and p else c or p
                for c, p in zip(cells, pieces, strict=True)
            ]
            out[row_at] = "\t".join(cells)
            out[index] = ""
            continue
        row_at, cells = index, pieces
        out[index] = "\t".join(cells)
    return out


# ---------------------------------------------------------------- pdftotext -layout columns

_GAP = re.compile(r"\S+(?: \S+)*")
_PAGE_NUMBER_LINE = re.compile(r"^\s*(?:-\s*)?\d{1,3}(?:\s*-)?\s*$")


def _spans(line: str) -> list[tuple[int, str]]:
    """The pieces of a line parted by two spaces or more, with where each starts."""
    return [(m.start(), m.group(0)) for m in _GAP.finditer(line)]


def unlayout(lines: list[str]) -> list[str]:
    """``pdftotext -layout`` tables as tab rows, a line per row.

    The header's labels give the columns' positions; every line under it is cut at those
    positions. A line with a number in the first column starts a row, the others carry its
    cells on (wrapped text, the rest of a row after a page break); page numbers and the
    header repeated on a new page are skipped. The table ends at a line of text that starts
    left of the second column without a number: the body again. Joined lines become blank,
    so line numbers stay the document's.
    """
    out = list(lines)
    index = 0
    while index < len(lines):
        spans = _spans(lines[index]) if "\t" not in lines[index] else []
        header = header_of([text for _, text in spans]) if len(spans) >= 3 else None
        if header is None or label_meaning(spans[0][1]) != "ref":
            index += 1
            continue
        repeats = [[text for _, text in spans]]
        lower = _lower_level(header, spans, lines[index + 1] if index + 1 < len(lines) else "")
        if lower is not None:
            header, spans = lower
            repeats.append([t for _, t in _spans(lines[index + 1])])
            index += 1
            out[index] = ""
        starts = [start for start, _ in spans]
        out[index] = "\t".join(text for _, text in spans)
        row_at: int | None = None
        cells: list[str] = []
        index += 1
        while index < len(lines):
            line = lines[index].replace("\f", "")
            if not line.strip() or _PAGE_NUMBER_LINE.match(line):
                out[index] = ""
                index += 1
                continue
            texts = [t for _, t in _spans(line)]
            # The header repeated on a new page, a row of column numbers "(1) (2) (3)" under it
            if texts in repeats or texts == header.labels or is_column_numbers(texts):
                out[index] = ""
                index += 1
                continue
            pieces = [""] * len(starts)
            for start, text in _spans(line):
                column = max((i for i, s in enumerate(starts) if s <= start + 1), default=0)
                pieces[column] = f"{pieces[column]} {text}".strip()
            begins_row = bool(pieces[0]) and NUMBER_CELL.match(pieces[0]) is not None
            if pieces[0] and not begins_row:
                break  # text from the left margin that is no row number: the body again
            if begins_row or row_at is None:
                row_at, cells = index, pieces
            else:
                cells = [
                    f"{c}{CELL_BREAK}{p}" if c and p else c or p
                    for c, p in zip(cells, pieces, strict=True)
                ]
                out[index] = ""
            out[row_at] = "\t".join(cells)
            index += 1
    return out


def _lower_level(
    upper: Header, spans: list[tuple[int, str]], line: str
) -> tuple[Header, list[tuple[int, str]]] | None:
    """A two-level header: "Cơ quan thực hiện" over "Chủ trì    Phối hợp". The labels of the
    lower line replace the upper label they sit under, at their own positions; only when
    each of them means something and more columns are understood."""
    below = _spans(line) if "\t" not in line else []
    if len(below) < 2 or any(label_meaning(text) in (None, NOTE) for _, text in below):
        return None
    starts = [start for start, _ in spans]
    under: dict[int, list[tuple[int, str]]] = {}
    for start, text in below:
        column = max((i for i, s in enumerate(starts) if s <= start + 1), default=0)
        if column == 0:
            return None  # the number column has no lower label: this is no header line
        under.setdefault(column, []).append((start, text))
    merged: list[tuple[int, str]] = []
    for column, span in enumerate(spans):
        subs = under.get(column)
        if subs:
            merged.extend([(min(span[0], subs[0][0]), subs[0][1]), *subs[1:]])
        else:
            merged.append(span)
    header = header_of([text for _, text in merged])
    known = sum(c != NOTE for c in upper.columns)
    if header is None or sum(c != NOTE for c in header.columns) <= known:
        return None
    return Header(header.columns, header.labels, header.year or upper.year), merged
