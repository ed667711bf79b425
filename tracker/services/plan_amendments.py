"""Amending a plan by importing its revised version (kế hoạch sửa đổi, bổ sung).

The revised document goes through the same editable preview as any import; then
:func:`diff_plan` matches its rows to the plan's (``plan_matching``: by number within the
group, then by title) and the preview shows each as unchanged, changed (old → new), added or
removed. Nothing is stored until :func:`amend_plan`, which in one savepoint:

* updates matched rows in place — their tasks, done work, history and evidence stay; an open
  task whose deadline the new phrase moves gets it through its workflow (the timer is read
  again, as for a deadline set by hand), with a history row; an occurrence the new phrase no
  longer has is cancelled, one it adds becomes a task;
* adds new rows, with tasks for the years already started (on the task table, like the
  shares of a split task: those years' workflows were built before the row existed) and,
  through the plan's new process, for every year still to come;
* cancels the open tasks of removed rows with the reason ("bỏ trong bản sửa đổi …"); their
  done work stays and the row stays stored, marked removed;
* records the revision (which document, who, when, what changed): the plans page lists it.

An error anywhere leaves nothing written (the savepoint is rolled back).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import func, select

from tracker.cadence import parse_cadence
from tracker.clock import Clock, today
from tracker.extensions import db
from tracker.i18n import _, _l
from tracker.importing import PlanDraft, TaskDraft
from tracker.models import (
    Plan,
    PlanItem,
    PlanRevision,
    Task,
    TaskEvent,
    TaskEventAction,
    TaskStatus,
    User,
    WorkflowInstance,
    WorkflowSpec,
)
from tracker.services import deadlines, plans
from tracker.services.communes import ensure_unit
from tracker.services.plan_matching import match_rows
from tracker.services.workflows import (
    WorkflowServiceError,
    plan_context,
    year_occurrences,
)

FIRST_DATES = 3
_FIELDS = ("title", "time_text", "lead", "coordinating", "points", "evidence")
LABELS = {
    "title": _l("Nội dung"),
    "time_text": _l("Thời gian thực hiện"),
    "lead": _l("Đơn vị chủ trì"),
    "coordinating": _l("Đơn vị phối hợp"),
    "points": _l("Điểm chuẩn"),
    "evidence": _l("Sản phẩm"),
}


class AmendmentRefused(ValueError):
    """The revised version cannot be applied; the message says why, for users."""


@dataclass(frozen=True)
class FieldChange:
    name: str
    old: str
    new: str

    @property
    def label(self) -> str:
        return str(LABELS[self.name])


@dataclass
class RowDiff:
    kind: str  # "unchanged" | "changed" | "added" | "removed"
    item: PlanItem | None  # the plan's row (None: added)
    row: TaskDraft | None  # the revised document's row (None: removed)
    changes: list[FieldChange] = field(default_factory=list)
    first_dates: list[dt.date] = field(default_factory=list)  # the new phrase's next dates

    @property
    def ref(self) -> str:
        return self.row.ref if self.row is not None else (self.item.ref if self.item else "")

    @property
    def title(self) -> str:
        return self.row.title if self.row is not None else (self.item.title if self.item else "")


def _values(row: PlanItem | TaskDraft) -> dict[str, str]:
    return {
        "title": row.title,
        "time_text": row.time_text,
        "lead": row.lead_units[0] if row.lead_units else "",
        "coordinating": "; ".join(row.coordinating_units),
        "points": "" if row.points is None else f"{row.points:g}",
        "evidence": row.evidence or "",
    }


def _next_dates(plan: Plan, time_text: str, on: dt.date) -> list[dt.date]:
    ctx = plan_context(plan)
    cadence = parse_cadence(time_text, ctx)
    last = plan.period_to or plan.period_from
    window_end = dt.date(max(last, on.year), 12, 31)
    found = cadence.occurrences(dt.date(plan.period_from, 1, 1), window_end)
    return sorted({o.due_on for o in found if o.due_on and o.due_on >= on})[:FIRST_DATES]


def diff_plan(plan: Plan, draft: PlanDraft, on: dt.date) -> list[RowDiff]:
    """The plan's rows still in force against the revised document's rows."""
    items = plan.live_items
    diffs = []
    for i, j in match_rows(items, draft.tasks):
        item = items[i] if i is not None else None
        row = draft.tasks[j] if j is not None else None
        if item is None and row is not None:
            diffs.append(RowDiff("added", None, row,
                                 first_dates=_next_dates(plan, row.time_text, on)))
            continue
        if row is None:
            diffs.append(RowDiff("removed", item, None))
            continue
        assert item is not None
        old, new = _values(item), _values(row)
        changes = [FieldChange(n, old[n], new[n]) for n in _FIELDS if old[n] != new[n]]
        dates = _next_dates(plan, row.time_text, on) if old["time_text"] != new["time_text"] else []
        diffs.append(RowDiff("changed" if changes else "unchanged", item, row, changes, dates))
    return diffs


def counts(diffs: list[RowDiff]) -> dict[str, int]:
    return {kind: sum(1 for d in diffs if d.kind == kind)
            for kind in ("unchanged", "changed", "added", "removed")}


def document_name(draft: PlanDraft, filename: str) -> str:
    """How the revised document is named in history: its number, else its file."""
    return draft.number or filename


# --- applying ---------------------------------------------------------------------------


def amend_plan(plan: Plan, draft: PlanDraft, *, filename: str, digest: str, actor: User | None,
               clock: Clock) -> PlanRevision:
    """Apply the revised version to the plan (see the module's docstring). Flushes only."""
    if plan.withdrawn_at is not None:
        raise AmendmentRefused(_("Kế hoạch này đã bị thu hồi: không sửa đổi được nữa."))
    if digest in {plan.content_digest, *(r.content_digest for r in plan.revisions)}:
        raise AmendmentRefused(_("Bản sửa đổi này đã được áp dụng cho kế hoạch trước đó."))
    if not draft.tasks:
        raise AmendmentRefused(_("%(file)s: không đọc được nhiệm vụ nào trong bản sửa đổi.",
                                 file=filename))
    on = today(clock)
    diffs = diff_plan(plan, draft, on)
    name = document_name(draft, filename)
    try:
        with db.session.begin_nested():
            revision = _apply(plan, draft, diffs, filename, digest, name, actor, clock)
    except (plans.PlanStoreError, WorkflowServiceError, deadlines.DeadlineError) as error:
        raise AmendmentRefused(str(error)) from error
    return revision


def _apply(plan: Plan, draft: PlanDraft, diffs: list[RowDiff], filename: str, digest: str,
           name: str, actor: User | None, clock: Clock) -> PlanRevision:
    now = clock.now()
    lines: list[str] = []
    revision = PlanRevision(
        plan_id=plan.id, source_name=filename, number=draft.number, issued_on=draft.issued_on,
        title=draft.title or filename, content_digest=digest, amended_at=now,
        amended_by_id=actor.id if actor else None, summary={},
    )
    db.session.add(revision)
    plan.revisions.append(revision)
    db.session.flush()
    position = max((t.position for t in plan.tasks), default=0)
    changed: list[RowDiff] = []
    added: list[PlanItem] = []
    for diff in diffs:
        if diff.kind == "changed" and diff.item is not None and diff.row is not None:
            _update_item(diff.item, diff.row, plan)
            changed.append(diff)
            lines.append(_("Dòng %(ref)s: sửa %(fields)s.", ref=diff.ref,
                           fields=", ".join(c.label.lower() for c in diff.changes)))
        elif diff.kind == "added" and diff.row is not None:
            position += 1
            item = _new_item(diff.row, position)
            plan.tasks.append(item)
            added.append(item)
            lines.append(_("Dòng %(ref)s: thêm.", ref=diff.ref))
        elif diff.kind == "removed" and diff.item is not None:
            diff.item.removed_in_id = revision.id
            lines.append(_("Dòng %(ref)s: bỏ.", ref=diff.ref))
    db.session.flush()
    new_spec(plan, clock)
    instances = list(db.session.scalars(
        select(WorkflowInstance).where(WorkflowInstance.plan_id == plan.id)
        .order_by(WorkflowInstance.year)
    ))
    for diff in changed:
        assert diff.item is not None
        _follow_changes(diff, instances, name, actor, clock)
    for item in added:
        for instance in instances:
            table_tasks(instance, item, year_occurrences(plan, item, instance.year),
                        _("Thêm trong bản sửa đổi %(document)s.", document=name), clock)
    for diff in diffs:
        if diff.kind == "removed" and diff.item is not None:
            plans.cancel_open_tasks(
                select(Task).where(Task.plan_item_id == diff.item.id), actor,
                TaskEventAction.AMEND,
                _("Bỏ trong bản sửa đổi %(document)s.", document=name), clock,
            )
    revision.summary = counts(diffs) | {"lines": lines, "by": actor.full_name if actor else None}
    db.session.flush()
    return revision


def _update_item(item: PlanItem, row: TaskDraft, plan: Plan) -> None:
    item.ref, item.title, item.group = row.ref, row.title, row.group
    if item.time_text != row.time_text:
        cadence = parse_cadence(row.time_text, plan_context(plan))
        item.time_text, item.cadence_kind, item.rrule = row.time_text, str(cadence.kind), \
            cadence.rrule
    item.lead_units = list(row.lead_units)
    item.coordinating_units = list(row.coordinating_units)
    item.points, item.evidence = row.points, row.evidence


def _new_item(row: TaskDraft, position: int) -> PlanItem:
    return PlanItem(
        position=position, ref=row.ref, title=row.title, group=row.group,
        time_text=row.time_text, cadence_kind=str(row.cadence.kind), rrule=row.cadence.rrule,
        lead_units=list(row.lead_units), coordinating_units=list(row.coordinating_units),
        points=row.points, evidence=row.evidence, source_line=row.line,
    )


def new_spec(plan: Plan, clock: Clock) -> None:
    """The plan's process as amended: every year still to come starts from it."""
    latest = db.session.scalar(
        select(func.max(WorkflowSpec.created_at)).where(WorkflowSpec.plan_id == plan.id)
    )
    spec = plans.build_spec(plan, clock)
    if latest is not None and spec.created_at <= latest:
        # The newest spec is the one that runs; the clock may not have moved since the last.
        spec.created_at = latest + dt.timedelta(microseconds=1)
    db.session.flush()


def _open_tasks(item: PlanItem, instance: WorkflowInstance) -> dict[str, Task]:
    rows = db.session.scalars(
        select(Task).where(Task.plan_item_id == item.id, Task.year == instance.year,
                           Task.commune_id == instance.commune_id, Task.parent_id.is_(None))
        .order_by(Task.id)
    )
    return {t.occurrence_key: t for t in rows}


def _follow_changes(diff: RowDiff, instances: list[WorkflowInstance], name: str,
                    actor: User | None, clock: Clock) -> None:
    item = diff.item
    assert item is not None
    names = {c.name for c in diff.changes}
    note = _("Theo bản sửa đổi %(document)s: %(changes)s", document=name,
             changes="; ".join(f"{c.label}: “{c.old}” → “{c.new}”" for c in diff.changes))
    for instance in instances:
        tasks = _open_tasks(item, instance)
        wanted = {str(o["key"]): o for o in year_occurrences(item.plan, item, instance.year)}
        paired = _pair(tasks, wanted)
        for key, task in tasks.items():
            if not TaskStatus(task.status).is_open:
                continue  # done work stays as it was done
            _retitle(task, item, "lead" in names, clock)
            comment = note
            if "time_text" in names:
                if key not in paired:
                    plans.cancel_open_tasks(
                        select(Task).where((Task.id == task.id) | (Task.parent_id == task.id)),
                        actor, TaskEventAction.AMEND,
                        _("Bỏ trong bản sửa đổi %(document)s: thời gian thực hiện mới là "
                          "“%(phrase)s”.", document=name, phrase=item.time_text), clock)
                    continue
                comment = _move(task, wanted[paired[key]], note, clock)
            _event(task, actor, comment, clock)
        if "time_text" in names:
            used = set(paired.values())
            missing = [o for k, o in wanted.items() if k not in used]
            table_tasks(instance, item, missing,
                        _("Thêm trong bản sửa đổi %(document)s.", document=name), clock)


def _pair(tasks: dict[str, Task], wanted: dict[str, dict[str, object]]) -> dict[str, str]:
    """Which new occurrence each task becomes: the same key, else the rest in date order
    ("Quý II hằng năm" → "Quý III hằng năm": this year's one task moves to the new quarter)."""
    paired = {key: key for key in tasks if key in wanted}
    left_old = sorted((k for k in tasks if k not in paired),
                      key=lambda k: (tasks[k].due_on or dt.date.max, k))
    left_new = sorted((k for k in wanted if k not in paired.values()),
                      key=lambda k: (str(wanted[k].get("due_on") or "9999"), k))
    paired.update(zip(left_old, left_new, strict=False))
    return paired


def _retitle(task: Task, item: PlanItem, lead_changed: bool, clock: Clock) -> None:
    task.ref, task.title, task.group, task.points = item.ref, item.title, item.group, item.points
    for share in db.session.scalars(select(Task).where(Task.parent_id == task.id)):
        share.title, share.ref, share.group = item.title, item.ref, item.group
        share.sequence += 1
    if lead_changed and not task.is_split:
        unit = ensure_unit(task.commune, item.lead_units[0]) if item.lead_units else task.unit
        if unit.id != task.unit_id:
            task.unit_id, task.assignee_id = unit.id, None  # the point person was the old unit's
    task.sequence += 1
    task.updated_at = clock.now()


def _move(task: Task, occurrence: dict[str, object], note: str, clock: Clock) -> str:
    """Give an open task its new deadline; what happened, for its history."""
    due = occurrence.get("due_on")
    due_on = dt.date.fromisoformat(str(due)) if due else None
    if due_on is None or due_on == task.due_on:
        return note
    day = due_on.strftime("%d/%m/%Y")
    if task.is_overdue_on(today(clock)) or due_on < today(clock):
        return _("%(note)s. Hạn mới %(due)s không áp dụng: nhiệm vụ đã quá hạn hoặc hạn mới "
                 "đã qua.", note=note, due=day)
    targets = [task]
    if task.is_split:  # the container follows; its shares are the work
        targets += list(db.session.scalars(
            select(Task).where(Task.parent_id == task.id).order_by(Task.id)))
    before = task.due_on
    for target in targets:
        if TaskStatus(target.status).is_open:
            deadlines.move_deadline(target, due_on, clock)
    old = before.strftime("%d/%m/%Y") if before else _("chưa có")
    return _("%(note)s. Hạn %(old)s → %(new)s.", note=note, old=old, new=day)


def table_tasks(instance: WorkflowInstance, item: PlanItem, occurrences: list[dict[str, object]],
                comment: str, clock: Clock, actor: User | None = None) -> None:
    """Tasks for occurrences a started year's workflow does not have: on the table alone
    (rows a revision adds, and a cadence set by hand); ``comment`` opens their history."""
    now, on = clock.now(), today(clock)
    lead = item.lead_units[0] if item.lead_units else None
    unit = ensure_unit(instance.commune, lead) if lead else plans.focal_unit_of(instance.commune)
    for occurrence in occurrences:
        due = occurrence.get("due_on")
        due_on = dt.date.fromisoformat(str(due)) if due else None
        if due_on is not None and due_on < on:
            continue  # owed before the revision came: not work it asks for
        opens_on = dt.date.fromisoformat(str(occurrence["opens_on"]))
        if due_on is None:
            status = TaskStatus.NO_DEADLINE
        else:
            status = TaskStatus.NOT_DUE if opens_on > on else TaskStatus.IN_PROGRESS
        task = Task(
            instance_id=None, spiff_task_id=None, plan_id=item.plan_id, plan_item_id=item.id,
            commune_id=instance.commune_id, unit_id=unit.id, year=instance.year,
            occurrence_key=str(occurrence["key"]), ref=item.ref, title=item.title,
            group=item.group, opens_on=opens_on, due_on=due_on, status=str(status),
            points=item.points, created_at=now, updated_at=now, sequence=0,
        )
        db.session.add(task)
        db.session.flush()
        db.session.add(TaskEvent(task_id=task.id, actor_id=actor.id if actor else None, at=now,
                                 action=TaskEventAction.OPEN, to_status=str(status),
                                 comment=comment))


def _event(task: Task, actor: User | None, comment: str, clock: Clock) -> None:
    db.session.add(TaskEvent(task_id=task.id, actor_id=actor.id if actor else None,
                             at=clock.now(), action=TaskEventAction.AMEND, comment=comment))


def revisions_of(plan_ids: list[int]) -> dict[int, list[PlanRevision]]:
    """Each plan's revisions, oldest first (for the plans page)."""
    found: dict[int, list[PlanRevision]] = {}
    if plan_ids:
        for revision in db.session.scalars(
            select(PlanRevision).where(PlanRevision.plan_id.in_(plan_ids))
            .order_by(PlanRevision.amended_at, PlanRevision.id)
        ):
            found.setdefault(revision.plan_id, []).append(revision)
    return found
