"""Bytes to lines of text: .txt in any of the encodings plans arrive in, and .docx.

Text files come as UTF-8 (with or without a BOM), UTF-16 (from Windows "Unicode text")
or the Windows Vietnamese code page cp1258. We detect rather than assume: BOMs first, then
strict UTF-8, then the candidates charset-normalizer proposes plus cp1258, each scored by
how much of the decoded text reads as Vietnamese syllables. A Word document becomes one
line per paragraph and one tab-separated line per table row, in document order; the
paragraphs of a cell stay apart (``CELL_BREAK``), as a unit cell may list one unit each.
"""

from __future__ import annotations

import codecs
import io
import re
import unicodedata
import zipfile
from typing import TYPE_CHECKING

from charset_normalizer import from_bytes

from tracker.importing import messages
from tracker.importing.limits import check_xml, check_zip
from tracker.importing.model import CELL_BREAK, PlanImportError
from tracker.importing.text import is_syllable

if TYPE_CHECKING:
    from docx.table import _Cell

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_MIN_VIETNAMESE = 0.6  # share of words that must be syllables for a legacy decoding


def vietnamese_score(text: str) -> float:
    """The share of words in ``text`` that are well-formed Vietnamese syllables."""
    words = _WORD.findall(text[:20000])
    if not words:
        return 0.0
    return sum(1 for w in words if is_syllable(w)) / len(words)


def _looks_binary(data: bytes) -> bool:
    sample = data[:4096]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls > len(sample) // 20


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) // 2
    for encoding, nuls in (("utf-16-le", odd_nuls), ("utf-16-be", even_nuls)):
        if nuls > half // 3:
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                return None
    return None


def decode_text(data: bytes, source: str) -> str:
    """The text of a plain-text plan, NFC-normalised, line ends as "\\n"."""
    if not data.strip():
        raise PlanImportError(messages.EMPTY_FILE, file=source)
    text = _decode(data, source)
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise PlanImportError(messages.EMPTY_FILE, file=source)
    return text


def _decode(data: bytes, source: str) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data, "utf-8-sig", source)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", source)
    utf16 = _utf16_without_bom(data)
    if utf16 is not None and vietnamese_score(utf16) > 0:
        return utf16
    if _looks_binary(data):
        raise PlanImportError(messages.BINARY_FILE, file=source)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    candidates = ["cp1258"]
    best_guess = from_bytes(data[:65536]).best()
    if best_guess is not None and best_guess.encoding not in candidates:
        candidates.append(best_guess.encoding)
    scored = []
    for encoding in candidates:
        try:
            decoded = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        scored.append((vietnamese_score(unicodedata.normalize("NFC", decoded)), decoded))
    if not scored:
        raise PlanImportError(messages.UNKNOWN_ENCODING, file=source)
    score, decoded = max(scored, key=lambda pair: pair[0])
    if score < _MIN_VIETNAMESE:
        raise PlanImportError(messages.NOT_VIETNAMESE_TEXT, file=source)
    return decoded


def _strict(data: bytes, encoding: str, source: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise PlanImportError(
            messages.INVALID_ENCODING, file=source, encoding=encoding.upper(), byte=error.start
        ) from error


def is_docx(data: bytes, filename: str) -> bool:
    return filename.lower().endswith(".docx") or (
        data.startswith(b"PK\x03\x04") and b"word/" in data[:4096]
    )


_HEADER_BAND = 3  # header rows a table may stack ("Cơ quan thực hiện" over "Chủ trì | Phối hợp")


def _header_band_end(rows: list[list[_Cell]]) -> int:
    """The first row of a table's header that is not merged down into the row below.

    A two-level header ("Cơ quan thực hiện" spanning "Chủ trì" and "Phối hợp", with "STT"
    and "Nhiệm vụ" merged down over both rows) is read by its lowest row: python-docx
    repeats a vertically merged cell in every row it covers, so that row holds every
    label; the rows above only hold the merged labels again and the spanning titles.
    """
    start = 0
    while start + 1 < len(rows) and start < _HEADER_BAND - 1:
        upper, lower = rows[start], rows[start + 1]
        if _is_number(upper[0].text) or not any(
            a._tc is b._tc for a, b in zip(upper, lower, strict=False)
        ):
            break
        start += 1
    return start


def _is_number(text: str) -> bool:
    return re.fullmatch(r"\s*\d{1,3}\s*", text) is not None


def _cell_text(cell: _Cell) -> str:
    """A cell's paragraphs (and line breaks), whitespace collapsed, kept apart by CELL_BREAK."""
    pieces = (" ".join(piece.split()) for piece in cell.text.split("\n"))
    return CELL_BREAK.join(piece for piece in pieces if piece)


def docx_lines(data: bytes, source: str) -> list[str]:
    """A Word document's paragraphs and table rows, in order, as lines of text."""
    from docx import Document  # python-docx is slow to import; only .docx needs it
    from docx.table import Table
    from docx.text.paragraph import Paragraph
    from lxml import etree

    archive = check_zip(data, source)  # before python-docx unpacks anything
    check_xml(archive, "word/document.xml", source)
    try:
        document = Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        # The reason stays on the chained exception: zipfile's words mean nothing to readers.
        raise PlanImportError(messages.UNREADABLE_WORD, file=source) from error
    except etree.LxmlError as error:
        raise PlanImportError(messages.BROKEN_XML, file=source, part="word/document.xml") from error
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.extend(block.text.split("\n"))
        elif isinstance(block, Table):
            lines.append("")
            rows = [list(row.cells) for row in block.rows]
            for cells in rows[_header_band_end(rows) :]:
                texts = []
                previous = None
                for cell in cells:
                    # A merged cell repeats across the columns it spans: keep it once.
                    texts.append("" if cell._tc is previous else _cell_text(cell))
                    previous = cell._tc
                lines.append("\t".join(texts))
            lines.append("")
    text = unicodedata.normalize("NFC", "\n".join(lines))
    if not text.strip():
        raise PlanImportError(messages.EMPTY_WORD, file=source)
    return text.split("\n")
