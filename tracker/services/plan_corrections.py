"""Corrections typed into the import preview, before anything is stored.

The importer's draft is what the machine read; the person who knows the plan fixes it row by
row: title, time phrase (re-read at once, with the engine's explanation and first dates),
lead and coordinating units, points, evidence; a row is dropped, marked as a group heading
(its title becomes the group of the rows after it), or added. The corrections live beside
the uploaded file (``imports/<token>.json``) between round trips and are applied to the
freshly read draft each time, so what is confirmed is exactly what the preview showed.
After confirming, the plan's ``corrections`` and each corrected task's history say what was
corrected and by whom.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from tracker.cadence import Cadence, parse_cadence
from tracker.clock import Clock
from tracker.extensions import db
from tracker.i18n import _, _l
from tracker.importing import PlanDraft, TaskDraft
from tracker.importing.unit_register import FOCAL_UNIT
from tracker.models import Commune, Plan, Province, Task, TaskEvent, TaskEventAction, Unit, User
from tracker.services.import_communes import scope_clause

FIELDS = ("title", "time_text", "lead", "coordinating", "points", "evidence")
FIRST_DATES = 3


class CorrectionError(ValueError):
    """A correction that cannot be used; the message names the row and the field."""


@dataclass
class PreviewRow:
    """One row as the preview shows it: the corrected values and how its phrase reads."""

    key: str  # "r<i>": the i-th row read; "a<j>": the j-th row added
    ref: str
    title: str
    group: str | None
    time_text: str
    cadence: Cadence
    first_dates: list[dt.date]
    lead: str
    coordinating: str
    points: float | None
    evidence: str
    dropped: bool = False
    heading: bool = False
    corrected: list[str] = field(default_factory=list)  # the fields changed, in FIELDS order


def _points(text: str, where: str) -> float | None:
    value = text.strip().replace(",", ".")
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        raise CorrectionError(
            _("%(row)s, điểm chuẩn: “%(value)s” không phải là số.", row=where, value=text)
        ) from None
    if number < 0:
        raise CorrectionError(_("%(row)s, điểm chuẩn: không được âm.", row=where))
    return number


def _units(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


def _row_values(task: TaskDraft) -> dict[str, str]:
    return {
        "title": task.title,
        "time_text": task.time_text,
        "lead": task.lead_units[0] if task.lead_units else "",
        "coordinating": "; ".join(task.coordinating_units),
        "points": "" if task.points is None else f"{task.points:g}",
        "evidence": task.evidence or "",
    }


def corrections_from_form(form: Mapping[str, str], draft: PlanDraft,
                          previous: dict[str, Any] | None) -> dict[str, Any]:
    """The corrections the preview form carries, as JSON-plain data (what differs only).

    Rows read are ``r<i>-<field>``; rows added earlier ``a<j>-<field>``; the empty row for a
    new one ``n-<field>``. A lead unit typed in ``…-lead_new`` wins over the list's choice.
    """
    rows: dict[str, dict[str, Any]] = {}
    for index, task in enumerate(draft.tasks):
        read = _row_values(task)
        typed = _typed(form, f"r{index}")
        changed: dict[str, Any] = {k: v for k, v in typed.items() if k in read and v != read[k]}
        for flag in ("drop", "heading"):
            if form.get(f"r{index}-{flag}"):
                changed[flag] = True
        if changed:
            _check(changed, _("Dòng %(ref)s", ref=task.ref))
            rows[str(index)] = changed
    added = []
    for number, before in enumerate((previous or {}).get("added", [])):
        if form.get(f"a{number}-drop"):
            continue
        typed = before | _typed(form, f"a{number}")
        added.append(_new_row(typed, len(draft.tasks) + len(added) + 1))
    typed = _typed(form, "n")
    if typed.get("title", "").strip():
        added.append(_new_row(typed, len(draft.tasks) + len(added) + 1))
    return {"rows": rows, "added": added}


def _typed(form: Mapping[str, str], prefix: str) -> dict[str, str]:
    """The fields of one row the form carries (a field it leaves out is not a correction)."""
    typed = {name: str(form[f"{prefix}-{name}"]).strip()
             for name in (*FIELDS, "ref") if f"{prefix}-{name}" in form}
    new_lead = str(form.get(f"{prefix}-lead_new", "")).strip()
    if new_lead:
        typed["lead"] = new_lead
    return typed


def _new_row(typed: dict[str, str], number: int) -> dict[str, Any]:
    row = {name: typed.get(name, "") for name in FIELDS}
    row["ref"] = typed.get("ref") or str(number)
    where = _("Dòng thêm %(ref)s", ref=row["ref"])
    if not row["title"]:
        raise CorrectionError(_("%(row)s, nội dung: không được để trống.", row=where))
    if not row["time_text"]:
        raise CorrectionError(_("%(row)s, thời gian thực hiện: không được để trống.", row=where))
    _check(row, where)
    return row


def _check(changed: dict[str, Any], where: str) -> None:
    if "title" in changed and not str(changed["title"]).strip():
        raise CorrectionError(_("%(row)s, nội dung: không được để trống.", row=where))
    if "points" in changed:
        _points(str(changed["points"]), where)


def preview_rows(draft: PlanDraft, corrections: dict[str, Any] | None) -> list[PreviewRow]:
    """Every row read (dropped ones too, marked) and every row added, as corrected."""
    corrections = corrections or {}
    edits: dict[str, dict[str, Any]] = corrections.get("rows", {})
    ctx = draft.context()
    start, end = draft.default_window()
    rows = []
    for index, task in enumerate(draft.tasks):
        edit = edits.get(str(index), {})
        values = _row_values(task) | {k: v for k, v in edit.items() if k in FIELDS}
        rows.append(_preview(f"r{index}", task.ref, task.group, values, ctx, (start, end),
                             corrected=[k for k in FIELDS if k in edit],
                             dropped=bool(edit.get("drop")), heading=bool(edit.get("heading")),
                             read=task))
    for number, added in enumerate(corrections.get("added", [])):
        rows.append(_preview(f"a{number}", added["ref"], None, added, ctx, (start, end),
                             corrected=list(FIELDS), read=None))
    group = None
    for row in rows:  # a row marked as a heading names the group of the rows after it
        if row.heading:
            group = row.title
        elif group is not None:
            row.group = group
    return rows


def _preview(key: str, ref: str, group: str | None, values: dict[str, Any], ctx: Any,
             window: tuple[dt.date, dt.date], *, corrected: list[str], read: TaskDraft | None,
             dropped: bool = False, heading: bool = False) -> PreviewRow:
    time_text = str(values["time_text"])
    if read is not None and time_text == read.time_text:
        cadence = read.cadence
    else:
        cadence = parse_cadence(time_text, ctx)
    dates = sorted({o.due_on for o in cadence.occurrences(*window) if o.due_on})[:FIRST_DATES]
    return PreviewRow(
        key=key, ref=ref, title=str(values["title"]), group=group, time_text=time_text,
        cadence=cadence, first_dates=dates, lead=str(values["lead"]),
        coordinating=str(values["coordinating"]),
        points=_points(str(values["points"]), ref), evidence=str(values["evidence"]),
        dropped=dropped, heading=heading, corrected=corrected,
    )


def apply_corrections(draft: PlanDraft, corrections: dict[str, Any] | None) -> list[str | None]:
    """Make the draft what the preview shows; returns, per task kept, what was corrected."""
    if not corrections:
        return [None] * len(draft.tasks)
    originals = {f"r{i}": t for i, t in enumerate(draft.tasks)}
    tasks: list[TaskDraft] = []
    notes: list[str | None] = []
    for row in preview_rows(draft, corrections):
        if row.dropped or row.heading:
            continue
        base = originals.get(row.key)
        lead_units = [row.lead] if row.lead else []
        if base is not None and "lead" not in row.corrected:
            lead_units = list(base.lead_units)
        coordinating = _units(row.coordinating)
        if base is not None and "coordinating" not in row.corrected:
            coordinating = list(base.coordinating_units)
        task = TaskDraft(
            ref=row.ref, title=row.title, group=row.group, time_text=row.time_text,
            cadence=row.cadence, lead_units=lead_units, coordinating_units=coordinating,
            points=row.points, evidence=row.evidence or None,
            line=base.line if base is not None else 0,
        )
        if base is not None:
            task = dataclasses.replace(base, **{
                k: getattr(task, k) for k in ("title", "group", "time_text", "cadence",
                                              "lead_units", "coordinating_units", "points",
                                              "evidence")
            })
        tasks.append(task)
        notes.append(describe(row) if row.corrected or (base and base.group != row.group)
                     else None)
    draft.tasks = tasks
    return notes


_LABELS = {
    "title": _l("nội dung"),
    "time_text": _l("thời gian thực hiện"),
    "lead": _l("đơn vị chủ trì"),
    "coordinating": _l("đơn vị phối hợp"),
    "points": _l("điểm chuẩn"),
    "evidence": _l("sản phẩm"),
}


def describe(row: PreviewRow) -> str:
    """What was corrected on a row, in words for its history."""
    if row.key.startswith("a"):
        return _("Dòng được thêm khi nhập kế hoạch.")
    parts = []
    for name in row.corrected:
        value = {"title": row.title, "time_text": row.time_text, "lead": row.lead,
                 "coordinating": row.coordinating,
                 "points": "" if row.points is None else f"{row.points:g}",
                 "evidence": row.evidence}[name]
        parts.append(f"{_LABELS[name]}: “{value}”")
    if not parts:
        parts.append(_("nhóm: “%(group)s”", group=row.group or ""))
    return _("Sửa khi nhập: %(changes)s", changes="; ".join(parts))


def summary(draft: PlanDraft, corrections: dict[str, Any] | None) -> list[str]:
    """One line per corrected, dropped, heading or added row (for the plan's record)."""
    lines = []
    for row in preview_rows(draft, corrections):
        if row.dropped:
            lines.append(_("Dòng %(ref)s: bỏ.", ref=row.ref))
        elif row.heading:
            lines.append(_("Dòng %(ref)s: là tiêu đề nhóm.", ref=row.ref))
        elif row.corrected:
            lines.append(f"{row.ref}: {describe(row)}")
    return lines


def unit_choices(commune_name: str | None, draft: PlanDraft,
                 province: Province | None = None) -> list[str]:
    """The lead units to choose from: the units of the commune of ``province`` called
    ``commune_name``, then the names the document uses."""
    names: list[str] = []
    if commune_name:
        commune = db.session.scalars(select(Commune).where(
            Commune.name == commune_name, scope_clause(province))).first()
        if commune is not None:
            names.extend(db.session.scalars(
                select(Unit.name)
                .where(Unit.commune_id == commune.id, Unit.is_active.is_(True))
                .order_by(Unit.name)))
    names.append(FOCAL_UNIT)
    for task in draft.tasks:
        names.extend(task.lead_units)
    return list(dict.fromkeys(names))


def record_history(plan: Plan, notes: list[str | None], lines: list[str], actor: User | None,
                   clock: Clock) -> None:
    """The plan keeps the list of corrections; each corrected task's history says what."""
    if not lines:
        return
    now = clock.now()
    plan.corrections = {
        "by": actor.full_name if actor else None,
        "by_id": actor.id if actor else None,
        "at": now.isoformat(),
        "lines": lines,
    }
    positions = {i + 1: note for i, note in enumerate(notes) if note}
    by_position = {t.id: t.position for t in plan.tasks if t.position in positions}
    if by_position:
        for task in db.session.scalars(select(Task).where(Task.plan_item_id.in_(by_position))):
            db.session.add(TaskEvent(task_id=task.id, actor_id=actor.id if actor else None,
                                     at=now, action=TaskEventAction.IMPORT_CORRECTED,
                                     comment=positions[by_position[task.plan_item_id]]))
    db.session.flush()
