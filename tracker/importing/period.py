"""The period a plan covers: the years its title states ("giai đoạn 2026 - 2030", "năm học
2020-2021", "đến năm 2030", "năm 2027"), else a period named in the title block, else one
year with a warning on the line to look at."""

from __future__ import annotations

import datetime as dt
import re

from tracker.importing import messages
from tracker.importing.model import ImportWarning, Period

_PERIOD = re.compile(
    r"(?:giai đoạn|từ năm)\s*(\d{4})\s*(?:-|–|đến(?: năm)?)\s*(\d{4})"
    r"(\s*(?:và|,)\s*(?:những|các) năm tiếp theo)?",
    re.IGNORECASE,
)
_SCHOOL_YEAR = re.compile(r"năm học\s*(\d{4})\s*[-–]\s*(\d{4})", re.IGNORECASE)
_UNTIL_YEAR = re.compile(r"(?:đến|tới)(?: hết)? năm\s*(\d{4})", re.IGNORECASE)
_TITLE_YEAR = re.compile(r"\bnăm\s*(\d{4})\b", re.IGNORECASE)
_CITING = re.compile(r"^(?:Thực hiện|Căn cứ|Theo đề nghị|Tiếp tục thực hiện|Triển khai)\b")


def stated_period(title: str, issue_year: int | None) -> Period | None:
    """The years the title names: "giai đoạn 2026 - 2030", "năm học 2020-2021", "đến năm
    2030" (from the year of issue), or "năm 2027" — a plan for 2027 issued in November 2026
    is a plan for 2027."""
    match = _PERIOD.search(title)
    if match:
        return Period(int(match.group(1)), int(match.group(2)), bool(match.group(3)))
    school = _SCHOOL_YEAR.search(title)
    if school:
        return Period(int(school.group(1)), int(school.group(2)), False)
    until = _UNTIL_YEAR.search(title)
    if until:
        end = int(until.group(1))
        start = issue_year if issue_year is not None and issue_year <= end else end
        return Period(start, end, False)
    years = [int(y) for y in _TITLE_YEAR.findall(title)]
    if years:
        return Period(min(years), max(years), False)
    return None


def plan_period(
    title: str | None,
    head: list[str],
    issued_on: dt.date | None,
    issued_month: tuple[int, int] | None,
    warnings: list[ImportWarning],
    *,
    title_line: int | None,
    date_line: int | None,
) -> Period:
    """The period the plan states; else one year, with a warning on the line to look at.

    The warning points at the title (where a plan states its period) or, without a title,
    at the line the year was taken from, and says which year was assumed.
    """
    issue_year = issued_on.year if issued_on else issued_month[0] if issued_month else None
    stated = stated_period(title or "", issue_year)
    if stated is not None:
        return stated
    for text in head:
        if _CITING.match(text.strip()):
            continue  # the period of a document the plan cites is not the plan's
        match = _PERIOD.search(text)
        if match:
            return Period(int(match.group(1)), int(match.group(2)), bool(match.group(3)))
    year = issued_on.year if issued_on else issued_month[0] if issued_month else None
    if year is not None:
        line = title_line or date_line or 1
        warnings.append(ImportWarning.of(line, messages.NO_PERIOD_ISSUE_YEAR, year=year))
        return Period(year, year, False)
    for index, text in enumerate(head):
        mentioned = re.search(r"năm (20\d\d)", text)
        if mentioned:
            year = int(mentioned.group(1))
            line = title_line or index + 1
            warnings.append(ImportWarning.of(line, messages.NO_PERIOD, year=year))
            return Period(year, year, False)
    warnings.append(ImportWarning.of(title_line or 1, messages.NO_PERIOD_NO_YEAR))
    return Period(2026, 2026, False)
