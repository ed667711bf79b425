"""Tasks written as numbered sections that end with who does them and when.

Plans without an annex (Phú Thái, the city's decision) close each section of their
"Nhiệm vụ và giải pháp" part with lines such as "Cơ quan chủ trì: …", "Cơ quan phối hợp:
…", "Thời gian thực hiện: …". The section's number and heading become the task.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tracker.importing.building import TaskFactory
from tracker.importing.model import TaskDraft
from tracker.importing.text import repair

_DECOR = r"[\s*_+\-–]*"
_ASSIGNMENT = re.compile(
    rf"^{_DECOR}(?:(?:Cơ quan|Đơn vị)\s+)?(chủ trì|thực hiện|phối hợp)(?:\s+thực hiện)?"
    rf"{_DECOR}:{_DECOR}(.*)$",
    re.IGNORECASE,
)
_TIME = re.compile(rf"^{_DECOR}Thời gian(?:\s+thực hiện)?{_DECOR}:{_DECOR}(.*)$", re.IGNORECASE)
_ITEM_MARK = re.compile(r"^[a-zđ]\)")  # "a) Nhóm tiêu chí 1" starts an item, not a run-on
_HEADING = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*)\.\s+(\S.*)$")


@dataclass
class _Block:
    ref: str
    title: str
    line: int
    lead: str = ""
    coordinating: str = ""
    time: str = ""


def _heading_text(lines: list[str], index: int, first: str) -> str:
    """A heading, with the line it runs on to when extraction broke it ("…của đội" / "ngũ…")."""
    text = first
    for following in lines[index + 1 : index + 4]:
        if not following.strip():
            continue
        start = following.strip()
        if start[:1].islower() and not _ITEM_MARK.match(start):
            text = f"{text} {following.strip()}"
        break
    return text


def section_tasks(lines: list[str], factory: TaskFactory) -> list[TaskDraft]:
    heading: tuple[str, str, int] | None = None
    block: _Block | None = None
    blocks: list[_Block] = []
    for index, raw in enumerate(lines):
        # Justified text doubles spaces inside labels ("Cơ  quan phối hợp:").
        line = " ".join(raw.split()).strip("*").strip()
        if not line:
            continue
        assignment = _ASSIGNMENT.match(line)
        time = _TIME.match(line)
        if (assignment or time) and heading is not None:
            if block is None or block.ref != heading[0]:
                block = _Block(heading[0], heading[1], heading[2])
                blocks.append(block)
            if assignment:
                role, names = assignment.group(1).lower(), assignment.group(2).strip()
                if role == "phối hợp":
                    block.coordinating = f"{block.coordinating}; {names}".strip("; ")
                else:
                    block.lead = f"{block.lead}; {names}".strip("; ")
            elif time:
                block.time = time.group(1).strip()
            continue
        match = _HEADING.match(line)
        if match:
            heading = (match.group(1), _heading_text(lines, index, match.group(2)), index + 1)
            block = None
    return [
        factory.make(
            ref=b.ref,
            title=repair(b.title).rstrip("."),
            group=None,
            time_text=b.time.rstrip("."),
            lead=b.lead,
            coordinating=b.coordinating,
            points=None,
            evidence=None,
            line=b.line,
        )
        for b in blocks
        if b.lead  # a section that only states a time is a scope, not a task
    ]
