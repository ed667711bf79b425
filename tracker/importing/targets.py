"""Targets: which level (or share of communes) a plan aims for in which years.

Two shapes: sentences in the "Mục tiêu" part ("Năm 2026, … ít nhất khoảng 80% … đạt chuẩn";
"đạt chuẩn Mức độ 2 năm 2027") and a targets table whose rows pair a time ("Năm 2026",
"Từ năm 2027", "Giai đoạn 2028 - 2030", "Những năm tiếp theo") with a level.
"""

from __future__ import annotations

import re

from tracker.importing.model import Period, Target
from tracker.importing.text import repair

_OBJECTIVES = re.compile(r"^\**(?:[IVX]+\.|\d+\.)\s*(?:MỤC TIÊU|Mục tiêu cụ thể)", re.IGNORECASE)
_NEXT_PART = re.compile(r"^\**[IVX]+\.\s")
_TARGET_HEADER = re.compile(r"Mức phấn đấu|Chỉ tiêu", re.IGNORECASE)
_LEVEL = re.compile(r"Mức độ\s*(\d)", re.IGNORECASE)
_SHARE = re.compile(r"(\d{1,3}(?:[.,]\d+)?)\s*%")
_STANDARD = re.compile(r"đạt chuẩn|giữ vững", re.IGNORECASE)
_YEAR_AFTER = re.compile(r"^[\s“”\"\w\-()]{0,40}?\b(?:vào\s+)?năm\s+(\d{4})", re.IGNORECASE)
_LEADING_YEAR = re.compile(r"^(?:[-+•]\s*)?(Từ\s+)?năm\s+(\d{4})(\s+trở đi)?", re.IGNORECASE)


def _objective_lines(lines: list[str]) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    inside = False
    for index, line in enumerate(lines):
        text = line.strip()
        if _OBJECTIVES.match(text):
            inside = True
            continue
        if inside and _NEXT_PART.match(text):
            inside = False
        if inside and text:
            out.append((index + 1, text))
    return out


def _share(text: str) -> float | None:
    match = _SHARE.search(text)
    return float(match.group(1).replace(",", ".")) if match else None


def read_targets(lines: list[str], period: Period) -> list[Target]:
    targets: list[Target] = []
    table_columns: list[str] | None = None
    for line_number, text in _objective_lines(lines):
        if "\t" in text:
            cells = [c.strip() for c in text.split("\t")]
            if table_columns is None and any(_TARGET_HEADER.search(c) for c in cells):
                table_columns = cells
                continue
            if table_columns is not None and len(cells) == len(table_columns):
                target = _table_target(cells, period, line_number)
                if target is not None:
                    targets.append(target)
            continue
        targets.extend(_sentence_targets(repair(text), line_number))
    return targets


def _years_of(text: str, period: Period) -> tuple[int, int | None] | None:
    lowered = text.lower()
    span = re.search(r"(\d{4})\s*[-–]\s*(\d{4})", text)
    if span:
        return int(span.group(1)), int(span.group(2))
    year = re.search(r"(\d{4})", text)
    if year:
        start = int(year.group(1))
        onward = "từ" in lowered or "trở đi" in lowered
        return start, None if onward else start
    if "năm tiếp theo" in lowered or "năm sau" in lowered:
        return period.end + 1, None
    return None


def _table_target(cells: list[str], period: Period, line: int) -> Target | None:
    years = next((y for c in cells[:2] if (y := _years_of(c, period)) is not None), None)
    if years is None:
        return None
    goal = cells[-1]
    level = _LEVEL.search(goal)
    return Target(
        from_year=years[0],
        to_year=years[1],
        level=int(level.group(1)) if level else None,
        share_percent=_share(goal),
        text=repair(goal),
        line=line,
    )


def _sentence_targets(text: str, line: int) -> list[Target]:
    """Each "đạt chuẩn" in the paragraph is one target: its share, level and year."""
    targets: list[Target] = []
    context: tuple[int, int | None] | None = None
    for sentence in re.split(r"(?<=\.)\s+", text):
        leading = _LEADING_YEAR.match(sentence.strip())
        if leading:
            start = int(leading.group(2))
            context = (start, None if leading.group(1) or leading.group(3) else start)
        for match in _STANDARD.finditer(sentence):
            if match.group(0).lower() != "đạt chuẩn":
                continue
            before = sentence[: match.start()]
            previous = max(before.rfind(","), before.rfind(";"))
            clause_before = before[previous + 1 :]
            after = sentence[match.end() :]
            level = _LEVEL.match(after.strip())
            rest = after.strip()[level.end() :] if level else after
            year = _YEAR_AFTER.match(rest)
            years = (int(year.group(1)), int(year.group(1))) if year else context
            if years is None:
                continue
            targets.append(
                Target(
                    from_year=years[0],
                    to_year=years[1],
                    level=int(level.group(1)) if level else None,
                    share_percent=_share(clause_before),
                    text=sentence.strip().lstrip("-+• ").rstrip("."),
                    line=line,
                )
            )
    return targets
