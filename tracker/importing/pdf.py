"""PDF and Word 97 documents to lines of text the plan reader knows.

**PDF** goes through pdfplumber (on pdfminer.six): on each page its tables are found from
their ruling lines and written as tab rows, a cell's lines kept apart by ``CELL_BREAK``,
exactly as a .docx table is; the words outside the tables become lines by their position,
with a tab where a wide gap parts two columns (the title block's issuer | motto). Page
numbers alone on a line are left out; a table that runs over a page break comes out as
rows after a blank line, its header repeated or not, which the table reader joins back. A
PDF with no text at all is a scan: it is refused with a message that says so.

**.doc** (Word 97) is converted by a tool found on the machine: ``antiword`` first, then
LibreOffice (``soffice --headless --convert-to txt``); without either the message names
what to install.
"""

from __future__ import annotations

import io
import itertools
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from tracker.importing import messages
from tracker.importing.limits import MAX_PDF_PAGES
from tracker.importing.model import CELL_BREAK, PlanImportError

_LINE_TOLERANCE = 3.0  # points: words this close vertically share a line
_COLUMN_GAP = 24.0  # points: a gap this wide between words parts two columns
_PAGE_NUMBER = re.compile(r"^\s*(?:-\s*)?\d{1,3}(?:\s*-)?\s*$")
_CONVERT_SECONDS = 60


def is_word97(data: bytes, filename: str) -> bool:
    return data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" or filename.lower().endswith(".doc")


def _inside(word: dict[str, Any], box: tuple[float, float, float, float]) -> bool:
    x0, top, x1, bottom = box
    across = (float(word["x0"]) + float(word["x1"])) / 2
    down = (float(word["top"]) + float(word["bottom"])) / 2
    return bool(x0 <= across <= x1 and top <= down <= bottom)


def _word_lines(words: list[dict[str, Any]]) -> list[tuple[float, str]]:
    """Words grouped into lines by their position; a tab where a wide gap parts columns."""
    lines: list[list[dict[str, Any]]] = []
    for word in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        if lines and abs(lines[-1][0]["top"] - word["top"]) <= _LINE_TOLERANCE:
            lines[-1].append(word)
        else:
            lines.append([word])
    out: list[tuple[float, str]] = []
    for line in lines:
        line.sort(key=lambda w: w["x0"])
        text = line[0]["text"]
        for left, right in itertools.pairwise(line):
            gap = right["x0"] - left["x1"]
            text += ("\t" if gap > _COLUMN_GAP else " ") + right["text"]
        out.append((line[0]["top"], text))
    return out


def _table_rows(table: Any) -> list[str]:
    rows = []
    for row in table.extract():
        cells = []
        for cell in row:
            pieces = [" ".join(p.split()) for p in (cell or "").split("\n")]
            cells.append(CELL_BREAK.join(p for p in pieces if p))
        if any(cells):
            rows.append("\t".join(cells))
    return rows


def pdf_lines(data: bytes, source: str) -> list[str]:
    """The lines of a PDF's text layer, tables as tab rows (see the module docstring)."""
    import pdfplumber  # slow to import; only PDFs need it
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException

    try:
        document = pdfplumber.open(io.BytesIO(data))
    except (PDFSyntaxError, PSException, ValueError, KeyError, TypeError) as error:
        raise PlanImportError(messages.UNREADABLE_PDF, file=source) from error
    except Exception as error:  # pdfminer raises its own kinds for each broken structure
        raise PlanImportError(messages.UNREADABLE_PDF, file=source) from error
    lines: list[str] = []
    any_text = False
    with document:
        try:
            pages = document.pages
        except Exception as error:
            raise PlanImportError(messages.UNREADABLE_PDF, file=source) from error
        if len(pages) > MAX_PDF_PAGES:
            raise PlanImportError(
                messages.TOO_MANY_PAGES, file=source, pages=len(pages), limit=MAX_PDF_PAGES
            )
        for page in pages:
            try:
                tables = page.find_tables()
                words = page.extract_words(x_tolerance=1.5, y_tolerance=2)
            except Exception as error:
                raise PlanImportError(messages.UNREADABLE_PDF, file=source) from error
            any_text = any_text or bool(words)
            boxes = [t.bbox for t in tables]
            outside = [w for w in words if not any(_inside(w, box) for box in boxes)]
            placed: list[tuple[float, list[str]]] = [
                (top, [text]) for top, text in _word_lines(outside)
            ]
            placed += [(t.bbox[1], ["", *_table_rows(t), ""]) for t in tables]
            placed.sort(key=lambda item: item[0])
            for _, texts in placed:
                lines.extend(t for t in texts if not _PAGE_NUMBER.match(t) or not t.strip())
            lines.append("")
    if not any_text:
        raise PlanImportError(messages.SCANNED_PDF, file=source)
    return lines


def word97_text(data: bytes, source: str) -> bytes:
    """A .doc as plain text (UTF-8 bytes), by antiword or LibreOffice."""
    with tempfile.TemporaryDirectory(prefix="tracker-doc-") as folder:
        path = Path(folder) / "plan.doc"
        path.write_bytes(data)
        antiword = shutil.which("antiword")
        if antiword:
            result = subprocess.run(
                [antiword, "-w", "0", "-m", "UTF-8.txt", str(path)],
                capture_output=True,
                timeout=_CONVERT_SECONDS,
                check=False,
            )
            if result.returncode == 0 and result.stdout.strip():
                return result.stdout
            raise PlanImportError(messages.DOC_CONVERSION_FAILED, file=source, tool="antiword")
        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        if soffice:
            result = subprocess.run(
                [soffice, "--headless", "--convert-to", "txt:Text (encoded):UTF8",
                 "--outdir", folder, str(path)],
                capture_output=True, timeout=_CONVERT_SECONDS * 2, check=False,
            )  # fmt: skip
            converted = Path(folder) / "plan.txt"
            if result.returncode == 0 and converted.exists():
                return converted.read_bytes()
            raise PlanImportError(messages.DOC_CONVERSION_FAILED, file=source, tool="LibreOffice")
    raise PlanImportError(messages.DOC_NEEDS_CONVERTER, file=source)
