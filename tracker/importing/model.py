"""What an import yields: a plan draft, its tasks, criteria tree and warnings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from tracker.cadence import Cadence, PlanContext
from tracker.importing.communes import RegisterProvince

# A message parameter: the document's own words, or a number.
Param = str | int | float

# Between the paragraphs of one Word table cell, on its tab-separated line. Units are often
# listed one a paragraph with nothing between them, so the break may be all that separates
# two names; the table reader turns it into a line break inside the cell, and everything
# that reads lines outside the task table sees a space (``flat_line``).
CELL_BREAK = "\u2029"  # PARAGRAPH SEPARATOR


def flat_line(line: str) -> str:
    """A line with its cell breaks read as spaces."""
    return line.replace(CELL_BREAK, " ")


class PlanImportError(Exception):
    """A file that cannot become a plan; the message names the file (and line) and why.

    ``template`` is one of :mod:`tracker.importing.messages` (Vietnamese, with ``%(file)s``
    and the other named ``params``); ``str(error)`` is it filled in, in Vietnamese.
    """

    def __init__(self, template: str, /, **params: Param) -> None:
        self.template = template
        self.params: dict[str, Param] = params
        super().__init__(template % params)

    @property
    def message(self) -> str:
        return str(self)


@dataclass(frozen=True)
class ImportWarning:
    """A doubt about one line of the document; the plan was read all the same.

    ``template`` is one of :mod:`tracker.importing.messages`; ``message`` is it filled in
    with ``params``, in Vietnamese. Pages translate the template and fill it in themselves.
    """

    line: int  # 1-based line of the source text (for .docx: of its text rendering)
    template: str
    params: dict[str, Param] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        # A template and parameters that do not fit fail here, where the warning is made.
        _ = self.message

    @classmethod
    def of(cls, line: int, template: str, /, **params: Param) -> ImportWarning:
        return cls(line, template, params)

    @property
    def message(self) -> str:
        return self.template % self.params


@dataclass(frozen=True)
class Period:
    start: int  # first year
    end: int  # last named year
    open_ended: bool  # "... và những năm tiếp theo"

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(range(self.start, self.end + 1))


@dataclass(frozen=True)
class CitedDocument:
    kind: str  # "Quyết định", "Kế hoạch", "Nghị quyết", "Đề án"…
    number: str  # "1376/QĐ-UBND"
    issued_on: dt.date | None
    line: int


@dataclass(frozen=True)
class Target:
    """A goal for some years: a level ("Mức độ 4"), the standard, or a share of communes."""

    from_year: int
    to_year: int | None  # None: every year from ``from_year`` on
    level: int | None  # Mức độ 1-4; None: the standard itself ("đạt chuẩn") or no level
    share_percent: float | None  # for the city: the share of communes that reach it
    text: str
    line: int


@dataclass
class TaskDraft:
    ref: str
    title: str
    group: str | None
    time_text: str
    cadence: Cadence
    lead_units: list[str]
    coordinating_units: list[str]
    points: float | None
    evidence: str | None
    line: int
    # Columns the importer does not understand ("Ghi chú", "Theo dõi, kiểm tra, đôn đốc",
    # "Kinh phí"), "label: text"; kept, never a reason to refuse the table.
    notes: str | None = None


@dataclass
class CriterionNode:
    ref: str
    title: str
    points: float | None  # as the document states it
    line: int
    children: list[CriterionNode] = field(default_factory=list)
    task_ref: str | None = None  # leaves are tasks

    @property
    def children_points(self) -> float | None:
        if not self.children:
            return None
        return sum(child.points or 0.0 for child in self.children)

    def to_json(self) -> dict[str, Any]:
        return {
            "ref": self.ref,
            "title": self.title,
            "points": self.points,
            "children_points": self.children_points,
            "line": self.line,
            "task_ref": self.task_ref,
            "children": [child.to_json() for child in self.children],
        }


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


@dataclass
class PlanDraft:
    source: str
    document_type: str | None  # "Kế hoạch", "Quyết định", "Phụ lục"
    issuer: str | None  # "phường Hòa Bình", "UBND thành phố Hải Phòng"
    commune: str | None  # canonical commune name; None for the city
    # The commune's province, else the one the document names (None: neither is known).
    province: RegisterProvince | None
    number: str | None
    issued_on: dt.date | None
    issued_month: tuple[int, int] | None  # (year, month) when only the month is given
    title: str | None
    period: Period
    implements: list[CitedDocument]
    targets: list[Target]
    tasks: list[TaskDraft]
    criteria: list[CriterionNode]
    warnings: list[ImportWarning]

    def context(self) -> PlanContext:
        return PlanContext(
            issued_on=self.issued_on,
            years=self.period.years,
            open_ended=self.period.open_ended,
            issued_month=self.issued_month,
        )

    def default_window(self) -> tuple[dt.date, dt.date]:
        """The plan's own years, 1 January of the first to 31 December of the last."""
        return dt.date(self.period.start, 1, 1), dt.date(self.period.end, 12, 31)

    def to_json(
        self, window_from: dt.date | None = None, window_to: dt.date | None = None
    ) -> dict[str, Any]:
        """The object ``tracker import-plan --json`` prints for this plan."""
        default_from, default_to = self.default_window()
        start, end = window_from or default_from, window_to or default_to
        return {
            "source": self.source,
            "document_type": self.document_type,
            "issuer": self.issuer,
            "commune": self.commune,
            "province": (
                {"code": self.province.code, "name": self.province.full_name}
                if self.province
                else None
            ),
            "number": self.number,
            "issued_on": _iso(self.issued_on),
            "issued_month": (
                f"{self.issued_month[0]:04d}-{self.issued_month[1]:02d}"
                if self.issued_month
                else None
            ),
            "title": self.title,
            "period": {
                "from": self.period.start,
                "to": self.period.end,
                "open_ended": self.period.open_ended,
            },
            "implements": [
                {"kind": d.kind, "number": d.number, "issued_on": _iso(d.issued_on)}
                for d in self.implements
            ],
            "targets": [
                {
                    "from_year": t.from_year,
                    "to_year": t.to_year,
                    "level": t.level,
                    "share_percent": t.share_percent,
                    "text": t.text,
                }
                for t in self.targets
            ],
            "tasks": [_task_json(task, start, end) for task in self.tasks],
            "criteria": [node.to_json() for node in self.criteria],
            "warnings": [{"line": w.line, "message": w.message} for w in self.warnings],
        }


def _task_json(task: TaskDraft, start: dt.date, end: dt.date) -> dict[str, Any]:
    due = sorted({o.due_on for o in task.cadence.occurrences(start, end) if o.due_on})
    return {
        "ref": task.ref,
        "title": task.title,
        "group": task.group,
        "cadence": {
            "text": task.cadence.text,
            "kind": str(task.cadence.kind),
            "rrule": task.cadence.rrule,
        },
        "lead_units": task.lead_units,
        "coordinating_units": task.coordinating_units,
        "points": task.points,
        "evidence": task.evidence,
        "due_dates": [d.isoformat() for d in due],
        "line": task.line,
        "notes": task.notes,
    }
