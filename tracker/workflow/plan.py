"""What the BPMN generator needs to know about a plan, independent of where it came from.

Services build a :class:`ProcessPlan` from the stored Plan rows; ``tracker workflow build``
builds one from an imported draft. Both give the same BPMN for the same plan.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from tracker.importing.unit_register import FOCAL_UNIT

if TYPE_CHECKING:
    from tracker.importing.model import PlanDraft

# The standing agency of the city's own plan plays the focal unit's part there.
CITY_FOCAL_UNIT = "Sở Nội vụ"
CITY_SLUG = "thanh-pho-hai-phong"
CITY_NAME = "Thành phố Hải Phòng"


@dataclass(frozen=True)
class ProcessTask:
    """One plan item: its position in the document is its identity in the process."""

    position: int
    ref: str
    title: str
    lead_unit: str  # the lane; the first lead when a cell names several
    co_leads: tuple[str, ...] = ()
    coordinating_units: tuple[str, ...] = ()
    group: str | None = None
    time_text: str = ""
    points: float | None = None
    evidence: str | None = None


@dataclass(frozen=True)
class ProcessPlan:
    slug: str  # names workflows/<slug>.bpmn and the process id
    title: str
    issuer: str
    focal_unit: str
    tasks: tuple[ProcessTask, ...] = field(default_factory=tuple)

    @property
    def process_id(self) -> str:
        return "Process_" + self.slug.replace("-", "_")

    @property
    def lanes(self) -> list[str]:
        """Lane names: the focal unit first, then leads in order of first appearance."""
        names = [self.focal_unit]
        for task in self.tasks:
            if task.lead_unit not in names:
                names.append(task.lead_unit)
        return names


def slugify(text: str) -> str:
    """ASCII, lower case, words joined by hyphens: "38/KH-UBND" → "38-kh-ubnd"."""
    text = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return "-".join(re.findall(r"[a-z0-9]+", text))


def plan_slug(commune_slug: str | None, number: str | None, period_from: int,
              issued_month: str | None = None) -> str:
    """A plan's stable name: commune + number, or + the month/year when the number is blank.

    "phuong-bach-dang-38-kh-ubnd", "xa-phu-thai-2026-04", "thanh-pho-hai-phong-2026".
    """
    base = commune_slug or CITY_SLUG
    number_slug = slugify(number or "")
    # A blank number ("Số: /KH-UBND") leaves only the document type: not an identity.
    if number_slug and any(c.isdigit() for c in number_slug):
        return f"{base}-{number_slug}"
    return f"{base}-{issued_month or period_from}"


def process_plan_from_draft(draft: PlanDraft, commune_slug: str | None) -> ProcessPlan:
    """The generator's view of an imported draft (``commune_slug`` None: the city's plan)."""
    is_city = draft.commune is None
    focal = CITY_FOCAL_UNIT if is_city else FOCAL_UNIT
    month = None
    if draft.issued_month:
        month = f"{draft.issued_month[0]:04d}-{draft.issued_month[1]:02d}"
    tasks = tuple(
        process_task_from(t, position=i + 1, focal_unit=focal) for i, t in enumerate(draft.tasks)
    )
    return ProcessPlan(
        slug=plan_slug(commune_slug, draft.number, draft.period.start, month),
        title=draft.title or draft.source,
        issuer=draft.issuer or draft.commune or CITY_NAME,
        focal_unit=focal,
        tasks=tasks,
    )


class AnnexRow(Protocol):
    """What an annex row says, whether from an imported draft or a stored plan item."""

    ref: str
    title: str
    lead_units: list[str]
    coordinating_units: list[str]
    group: str | None
    time_text: str
    points: float | None
    evidence: str | None


def process_task_from(row: AnnexRow, *, position: int, focal_unit: str) -> ProcessTask:
    return process_task(
        position=position,
        ref=row.ref,
        title=row.title,
        lead_units=row.lead_units,
        coordinating_units=row.coordinating_units,
        focal_unit=focal_unit,
        group=row.group,
        time_text=row.time_text,
        points=row.points,
        evidence=row.evidence,
    )


def process_task(
    *,
    position: int,
    ref: str,
    title: str,
    lead_units: list[str] | tuple[str, ...],
    coordinating_units: list[str] | tuple[str, ...],
    focal_unit: str,
    group: str | None = None,
    time_text: str = "",
    points: float | None = None,
    evidence: str | None = None,
) -> ProcessTask:
    """A task whose cell names no lead falls to the focal unit, which tracks everything."""
    leads = tuple(lead_units) or (focal_unit,)
    return ProcessTask(
        position=position,
        ref=ref,
        title=title,
        lead_unit=leads[0],
        co_leads=leads[1:],
        coordinating_units=tuple(coordinating_units),
        group=group,
        time_text=time_text,
        points=points,
        evidence=evidence,
    )
