"""The title block and what the body says about the plan: issuer, number, date, title,
the documents it implements (the period it covers is read by :mod:`tracker.importing.period`)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from tracker.importing import messages
from tracker.importing.communes import RegisterCommune, RegisterProvince
from tracker.importing.issuer import HEAD_LINES as _HEAD_LINES
from tracker.importing.issuer import NUMBER_LINE as _NUMBER_LINE
from tracker.importing.issuer import NUMBER_WORD as _NUMBER_WORD
from tracker.importing.issuer import PLACE_DATE as _PLACE_DATE
from tracker.importing.issuer import TYPE_LINE as _TYPE_LINE
from tracker.importing.issuer import UPPER_ISSUER as _UPPER_ISSUER
from tracker.importing.issuer import Issuer, left_cell, named_province, read_issuer
from tracker.importing.issuer import is_upper as _is_upper
from tracker.importing.model import CitedDocument, ImportWarning, Period
from tracker.importing.period import plan_period
from tracker.importing.text import repair


@dataclass
class Metadata:
    document_type: str | None
    issuer: str | None
    commune: RegisterCommune | None
    province: RegisterProvince | None  # of the commune, or the one the document names
    number: str | None
    issued_on: dt.date | None
    issued_month: tuple[int, int] | None
    title: str | None
    period: Period


def _date(day: int, month: int, year: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


# "Số" in one cell and "25 /KH-SGDĐT" in the next (a PDF's title block read cell by cell).
_NUMBER_ALONE = re.compile(r"^[\s|*]*(\d+)\s*/\s*([A-ZĐ][A-ZĐ&\-]*)\s*$")
# "Lâm Đồng, ngày 07 tháng10 năm 2020" anywhere on a line of the title block (after the
# number, in the other column, or in a table cell).
_DATE_ANYWHERE = re.compile(
    r"((?:[^\W\d]\w{0,20}\s+){0,3}[^\W\d]\w{0,20}),\s*ngày\s*(\d{0,2})\s*tháng\s*(\d{0,2})\s*"
    r"năm\s*(\d{4})",
    re.IGNORECASE,
)
_CAPTION = re.compile(
    r"Kèm theo\s+(Kế hoạch|Quyết định)\s+số\s*(\d*)\s*/\s*([A-ZĐ][A-ZĐ\-]*)\s+ngày\s*"
    r"(\d{0,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})",
    re.IGNORECASE,
)
_ANNEX_LINE = re.compile(r"^\**(PHỤ LỤC\b.*?)(?:\s*\(Kèm theo.*)?$")

_LEVEL_WORDS = {
    "ỦY": "Ủy", "UỶ": "Ủy", "BAN": "ban", "NHÂN": "nhân", "DÂN": "dân", "TỈNH": "tỉnh",
    "HUYỆN": "huyện", "THÀNH": "thành", "PHỐ": "phố", "QUẬN": "quận", "THỊ": "thị", "XÃ": "xã",
    "PHƯỜNG": "phường", "SỞ": "Sở", "PHÒNG": "Phòng", "VÀ": "và", "ĐÀO": "Đào", "TẠO": "tạo",
    "UBND": "UBND", "HĐND": "HĐND", "GD&ĐT": "GD&ĐT",
}  # fmt: skip
_OUTSIDE_CITY = re.compile(r"\b(TỈNH|HUYỆN|SỞ|PHÒNG|QUẬN|THỊ XÃ)\b")


def _pretty_issuer(text: str) -> str:
    """ "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG" → "Ủy ban nhân dân tỉnh Lâm Đồng"."""
    words = []
    for word in text.split():
        if word in _LEVEL_WORDS:
            words.append(_LEVEL_WORDS[word])
        elif _is_upper(word) and len(word) > 1 and not re.search(r"[&\d]", word):
            words.append(word[:1] + word[1:].lower())
        else:
            words.append(word)
    pretty = " ".join(words)
    return pretty[:1].upper() + pretty[1:]


def _head_issuer(lines: list[str]) -> Issuer | None:
    """An issuer outside Hải Phòng's communes, from the title block's left column.

    "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG", "UBND HUYỆN HIỆP HÒA / PHÒNG GIÁO DỤC&ĐÀO TẠO": the
    capitals above the number, the national motto left out. None when the block names a
    commune or the city (the register reads those).
    """
    pieces: list[str] = []
    for line in lines[:_HEAD_LINES]:
        text = line.strip()
        if _TYPE_LINE.match(text) or _NUMBER_LINE.match(text) or _NUMBER_WORD.match(text):
            break
        first = left_cell(text)
        if first and _is_upper(first):
            pieces.append(first)
        if len(pieces) >= 3:
            break
    joined = " ".join(pieces)
    if not pieces or not _OUTSIDE_CITY.search(joined) or _UPPER_ISSUER.search(joined):
        return None
    issuer = " – ".join(_pretty_issuer(p) for p in _merge_lines(pieces))
    return Issuer(issuer, None, named_province(lines))


def _merge_lines(pieces: list[str]) -> list[str]:
    """ "ỦY BAN NHÂN DÂN" + "TỈNH LÂM ĐỒNG" is one name; "UBND HUYỆN X" + "PHÒNG …" two."""
    merged: list[str] = []
    for piece in pieces:
        if merged and not re.match(r"^(UBND|ỦY BAN|UỶ BAN|SỞ|PHÒNG|BAN|TRƯỜNG)\b", piece):
            merged[-1] = f"{merged[-1]} {piece}"
        else:
            merged.append(piece)
    return merged


_CAPTION_LINE = re.compile(r"^\(?\s*(?:Ban hành\s+)?kèm theo\b", re.IGNORECASE)
_SECTION_LINE = re.compile(r"^(?:[IVXLC]+\.|Điều\s+\d+\.|Chương\s+[IVXLC\d]+\b)")
_PREAMBLE_START = re.compile(
    r"^(?:Thực hiện|Căn cứ|Theo đề nghị|Tiếp tục thực hiện|Triển khai thực hiện)\b"
)
_HEADING_WORDS = re.compile(
    r"^(?:PHỤ LỤC|ỦY BAN|UBND|CỘNG HÒA|KẾ HOẠCH|QUYẾT ĐỊNH|TM\.|KT\.|NƠI NHẬN)\b"
)


def _ends_title(text: str, collected: list[str], after_type_line: bool) -> bool:
    """Whether ``text`` starts something else than the title collected so far.

    In a Word document every paragraph is a line and nothing blank separates the title
    from what follows, so the title ends where another block visibly begins: a table row,
    the annex caption "(Kèm theo …)", a section heading ("I. MỤC ĐÍCH", "Điều 1."), the
    number or place-and-date line, the preamble ("Thực hiện…", "Căn cứ…") or a heading in
    capitals ("PHỤ LỤC NHIỆM VỤ", "ỦY BAN NHÂN DÂN THÀNH PHỐ") after a title that is not
    itself in capitals.
    """
    if "\t" in text or _CAPTION_LINE.match(text) or _SECTION_LINE.match(text):
        return True
    if _NUMBER_LINE.match(text) or _PLACE_DATE.match(text):
        return True
    if after_type_line and collected and _PREAMBLE_START.match(text):
        return True
    if _is_upper(text):
        return _HEADING_WORDS.match(text) is not None or not all(map(_is_upper, collected))
    return False


def _continues(lines: list[str]) -> bool:
    """Whether the next paragraph goes on with the title ("…mục tiêu quốc gia" / "phòng,
    chống ma túy đến năm 2030"): Word puts each line of a title in its own paragraph."""
    following = next((ln.strip() for ln in lines if ln.strip()), "")
    return following[:1].islower() and "\t" not in following


def _title_block(lines: list[str], after_type_line: bool) -> list[str]:
    """The lines of a title, from the first of ``lines`` to the first boundary."""
    collected: list[str] = []
    for position, following in enumerate(lines):
        text = following.replace("**", "").strip()
        if not text:
            if collected and not _continues(lines[position + 1 : position + 4]):
                break
            continue
        if _ends_title(text, collected, after_type_line):
            break
        collected.append(text)
    return collected


def _title(lines: list[str]) -> tuple[str | None, str | None, int | None]:
    """The document type, its title and the title's first line (1-based), e.g.
    ("Kế hoạch", "Triển khai thực hiện…", 8)."""
    for index, line in enumerate(lines[:_HEAD_LINES]):
        match = _TYPE_LINE.match(line.strip())
        if not match:
            continue
        collected = _title_block(lines[index + 1 :], after_type_line=True)
        kind = match.group(1).capitalize()
        first = next((i + 1 for i in range(index + 1, len(lines)) if lines[i].strip()), None)
        title = repair(" ".join(collected)) or None
        return kind, title, first if title else index + 1
    for index, line in enumerate(lines):
        match = _ANNEX_LINE.match(line.strip())
        if match:
            collected = [match.group(1).replace("**", "").strip()]
            if not _CAPTION.search(line) and "Kèm theo" not in line:  # caption ends it
                collected += _title_block(lines[index + 1 :], after_type_line=False)
            return "Phụ lục", repair(" ".join(collected)), index + 1
    return None, None, None


def read_metadata(
    lines: list[str], warnings: list[ImportWarning], province: int | None = None
) -> Metadata:
    """The plan's own facts; ``province``: the province to look for its commune in first
    when the document names none (the importing person's; Hải Phòng by default)."""
    # Each cell of a title-block row on its own: repairing a whole line would run the
    # number's cell into the date's.
    repaired = [
        "\t".join(repair(cell) for cell in line.split("\t")) if "  " in line else line
        for line in lines
    ]
    document_type, title, title_line = _title(repaired)
    found = _head_issuer(repaired) or read_issuer(repaired, title, warnings, province)

    number: str | None = None
    number_seen = False
    issued_on: dt.date | None = None
    issued_month: tuple[int, int] | None = None
    date_seen = False
    date_line: int | None = None
    head = repaired[:_HEAD_LINES]
    for index, line in enumerate(head):
        match = _NUMBER_LINE.match(line.strip()) or _NUMBER_LINE.match(lines[index].strip())
        if not match and _NUMBER_WORD.match(line) and not number_seen:
            following = (ln for ln in head[index + 1 : index + 4] if ln.strip())
            alone = next((_NUMBER_ALONE.match(ln) for ln in following), None)
            if alone:
                number_seen = True
                number = f"{alone.group(1)}/{alone.group(2)}"
        if match and not number_seen:
            number_seen = True
            if match.group(1):
                number = f"{match.group(1)}/{match.group(2)}"
            else:
                warnings.append(ImportWarning.of(index + 1, messages.NUMBER_BLANK))
        # Every form has "tháng": without it, no backtracking search (most head lines).
        place = "tháng" in f"{line} {lines[index]}".casefold() and (
            _PLACE_DATE.match(line.strip())
            or _DATE_ANYWHERE.search(line)
            or _DATE_ANYWHERE.search(" ".join(lines[index].split()))
            # "…, ngày 14 tháng 12 năm" / "2026": a PDF's narrow cell wraps the year
            or (
                "tháng" in lines[index]
                and _DATE_ANYWHERE.search(" ".join(" ".join(lines[index : index + 2]).split()))
            )
        )
        if place and not date_seen:
            date_seen = True
            date_line = index + 1
            day, month, year = place.group(2), place.group(3), int(place.group(4))
            if day and month:
                issued_on = _date(int(day), int(month), year)
            else:
                if month:
                    issued_month = (year, int(month))
                warnings.append(ImportWarning.of(index + 1, messages.DATE_BLANK))
    for index, line in enumerate(repaired):
        caption = _CAPTION.search(line) if "Kèm theo" in line else None
        if not caption:
            continue
        caption_number = f"{caption.group(2)}/{caption.group(3)}" if caption.group(2) else None
        if number is None and caption_number and not number_seen:
            number = caption_number
        elif number and caption_number is None:
            warnings.append(ImportWarning.of(index + 1, messages.CAPTION_NUMBER_BLANK, plan=number))
        elif number and caption_number and caption_number != number:
            warnings.append(
                ImportWarning.of(
                    index + 1, messages.CAPTION_NUMBER_DIFFERS, annex=caption_number, plan=number
                )
            )
        if issued_on is None and not date_seen and caption.group(4):
            issued_on = _date(int(caption.group(4)), int(caption.group(5)), int(caption.group(6)))
            date_line = index + 1
        break

    period = plan_period(
        title,
        repaired[:_HEAD_LINES],
        issued_on,
        issued_month,
        warnings,
        title_line=title_line,
        date_line=date_line,
    )
    return Metadata(document_type, found.issuer, found.commune, found.province, number,
                    issued_on, issued_month, title, period)


# ---------------------------------------------------------------- cited documents

_CITED = re.compile(
    r"(Quyết định|Kế hoạch|Nghị quyết|Đề án|Chương trình hành động|Chương trình|Chỉ thị|"
    r"Công văn|Hướng dẫn|Thông báo|Tờ trình|Kết luận)\s+số\s+"
    r"(\d+[\w\-]*/[\wĐđ\-]+)\s+ngày\s+"
    r"(\d{1,2})\s*(?:/|\s+tháng\s+)\s*(\d{1,2})\s*(?:/|\s+năm\s+)\s*(\d{4})",
)
_PREAMBLE = re.compile(r"^\**(Căn cứ|Thực hiện|Theo đề nghị|Triển khai)\b")
_FIRST_SECTION = re.compile(r"^\**(?:I\.|Điều 1\.)")


def cited_documents(lines: list[str]) -> list[CitedDocument]:
    """The documents the preamble cites ("Thực hiện…", "Căn cứ…"), before part I."""
    found: list[CitedDocument] = []
    seen: set[str] = set()
    for index, line in enumerate(lines):
        if _FIRST_SECTION.match(line.strip()):
            break
        if not _PREAMBLE.match(line.strip()):
            continue
        for match in _CITED.finditer(line):
            number = match.group(2)
            if number in seen:
                continue
            seen.add(number)
            found.append(
                CitedDocument(
                    kind=match.group(1),
                    number=number,
                    issued_on=_date(int(match.group(3)), int(match.group(4)), int(match.group(5))),
                    line=index + 1,
                )
            )
    return found
