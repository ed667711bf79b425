"""What the importer agrees to unpack: limits checked before any document is parsed.

A .docx (or any Office Open XML file) is a zip: a 160 KB file can unpack to gigabytes, or
hold millions of entries, or nest its XML thousands of levels deep. Each is refused, with
a message naming the file, from the zip's directory and a streaming pass over its XML
before python-docx reads a byte of it. A PDF is refused above a page count. Control
characters (NUL and the other C0 codes but tab and line ends) never reach a plan.
"""

from __future__ import annotations

import io
import re
import zipfile

from lxml import etree

from tracker.importing import messages
from tracker.importing.model import PlanImportError

MAX_UNPACKED_MB = 50
MAX_RATIO = 100  # unpacked : packed, for the whole archive
MAX_ENTRIES = 1000
MAX_XML_DEPTH = 200
MAX_PDF_PAGES = 300
_MB = 1024 * 1024

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def check_zip(data: bytes, source: str) -> zipfile.ZipFile:
    """The archive, once its directory shows nothing a reader should not unpack."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise PlanImportError(messages.UNREADABLE_WORD, file=source) from error
    if len(entries) > MAX_ENTRIES:
        raise PlanImportError(
            messages.ARCHIVE_ENTRIES, file=source, entries=len(entries), limit=MAX_ENTRIES
        )
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > MAX_UNPACKED_MB * _MB:
        raise PlanImportError(
            messages.ARCHIVE_TOO_LARGE, file=source, size=unpacked // _MB, limit=MAX_UNPACKED_MB
        )
    packed = max(1, sum(entry.compress_size for entry in entries))
    if unpacked > _MB and unpacked // packed > MAX_RATIO:
        raise PlanImportError(
            messages.ARCHIVE_RATIO, file=source, ratio=unpacked // packed, limit=MAX_RATIO
        )
    return archive


def check_xml(archive: zipfile.ZipFile, part: str, source: str) -> None:
    """Stream ``part`` once: refuse XML nested too deep, broken, or with a giant text node
    (libxml2 stops at 10 MB of text in one node unless told otherwise; we never tell it)."""
    try:
        stream = archive.open(part)
    except KeyError as error:
        raise PlanImportError(messages.UNREADABLE_WORD, file=source) from error
    depth = 0
    try:
        with stream:
            for event, _ in etree.iterparse(
                stream, events=("start", "end"), resolve_entities=False, no_network=True
            ):
                depth += 1 if event == "start" else -1
                if depth > MAX_XML_DEPTH:
                    raise PlanImportError(messages.XML_TOO_DEEP, file=source, limit=MAX_XML_DEPTH)
    except (etree.LxmlError, zipfile.BadZipFile, OSError, EOFError) as error:
        raise PlanImportError(messages.BROKEN_XML, file=source, part=part) from error


def strip_controls(text: str) -> tuple[str, int]:
    """``text`` without control characters, and how many there were."""
    cleaned, count = _CONTROL.subn("", text)
    return cleaned, count
