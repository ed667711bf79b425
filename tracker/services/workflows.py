"""Running plans: one workflow instance per (commune, plan, year), and the task table.

Every change goes load → refresh timers → act → save (optimistic locking) → sync the task
table. Task lists, dashboards and calendars read only the table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import aliased
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from tracker.cadence import Kind, PlanContext, parse_cadence
from tracker.clock import VN_TZ, Clock, local_date, today
from tracker.extensions import db
from tracker.i18n import _
from tracker.models import (
    Commune,
    Plan,
    PlanItem,
    Task,
    TaskEvent,
    TaskEventAction,
    TaskStatus,
    User,
    WorkflowInstance,
    WorkflowPart,
    WorkflowSpec,
)
from tracker.services.communes import ensure_unit
from tracker.services.plans import build_spec, current_spec
from tracker.services.task_times import TaskTimes
from tracker.workflow import engine, specs
from tracker.workflow.engine import OccurrenceState, Run
from tracker.workflow.errors import WorkflowStateError
from tracker.workflow.state import SERIALIZER_VERSION, SPIFF_VERSION, Part, needs_migration

_NO_DATES = {Kind.ON_DEMAND, Kind.UNKNOWN}


class WorkflowServiceError(ValueError):
    """A request the workflows cannot carry out; the message says why, in Vietnamese."""


class ConcurrentUpdateError(RuntimeError):
    """Someone else saved the same instance first. Roll the session back and retry."""

    def __init__(self) -> None:
        super().__init__(_("Người khác vừa thay đổi nhiệm vụ này, vui lòng thử lại."))


@dataclass(frozen=True)
class TaskChange:
    """A row of the task table whose status moved (or that was escalated) in a sync."""

    task: Task
    from_status: str | None
    to_status: str
    escalated: bool = False


@dataclass(frozen=True)
class Acted:
    """The user action a sync is recording, so its event names the actor and comment."""

    spiff_task_id: str
    action: TaskEventAction  # submit | approve | return | shares_approved (the system's)
    actor: User | None
    comment: str | None
    evidence_ids: tuple[int, ...] = ()


# --- occurrences ------------------------------------------------------------------------


def plan_context(plan: Plan) -> PlanContext:
    last = plan.period_to or plan.period_from
    month = None
    if plan.issued_month:
        year, mon = plan.issued_month.split("-")
        month = (int(year), int(mon))
    return PlanContext(
        issued_on=plan.issued_on,
        years=tuple(range(plan.period_from, last + 1)),
        open_ended=plan.open_ended,
        issued_month=month,
    )


def due_instant(due_on: dt.date) -> dt.datetime:
    """The end of the due day in Vietnam: the timer fires once that day has fully passed."""
    return dt.datetime.combine(due_on + dt.timedelta(days=1), dt.time(0), tzinfo=VN_TZ)


def year_occurrences(plan: Plan, plan_item: PlanItem, year: int) -> list[dict[str, Any]]:
    """The instance data for one plan item in one year, from the deadline engine.

    The instance for ``year`` holds the occurrences keyed by that year, wherever their
    due date falls: "Hằng năm" keyed 2028 is due 31/12/2028, a Sunday, so 02/01/2029 after
    the working-day shift, and still belongs to 2028 (and not to 2029).

    A task whose phrase yields no dates at all (on demand, or a phrase nobody can read)
    still gets one occurrence without a deadline, so it shows as "không thời hạn" instead
    of vanishing; a task with dates only in other years gets none this year.
    """
    ctx = plan_context(plan)
    cadence = parse_cadence(plan_item.time_text, ctx)
    # Shifts move a due date by days, never by a year: the neighbouring years cover them.
    found = cadence.occurrences(dt.date(year - 1, 1, 1), dt.date(year + 1, 12, 31))
    items = [
        engine.occurrence_data(
            o.key, o.opens_on, o.due_on, due_instant(o.due_on) if o.due_on else None
        )
        for o in found
        if o.key[:4] == str(year)
    ]
    if not items and cadence.kind in _NO_DATES:
        opens_on = max(dt.date(year, 1, 1), ctx.effective_issued_on)
        items = [engine.occurrence_data(str(year), opens_on, None, None)]
    return items


# --- instances --------------------------------------------------------------------------


def start_instance(plan: Plan, commune: Commune, year: int, clock: Clock) -> WorkflowInstance:
    """Start the plan's process for a commune and year, and fill the task table."""
    if plan.withdrawn_at is not None:
        raise WorkflowServiceError(
            _("Kế hoạch %(slug)s đã bị thu hồi: không khởi chạy thêm năm nào.", slug=plan.slug)
        )
    last = plan.period_to or plan.period_from
    if year < plan.period_from or (year > last and not plan.open_ended):
        raise WorkflowServiceError(
            _("Kế hoạch %(slug)s không áp dụng cho năm %(year)s.", slug=plan.slug, year=year)
        )
    existing = db.session.scalars(
        select(WorkflowInstance).where(
            WorkflowInstance.plan_id == plan.id,
            WorkflowInstance.commune_id == commune.id,
            WorkflowInstance.year == year,
        )
    ).first()
    if existing is not None:
        raise WorkflowServiceError(
            _("Kế hoạch %(slug)s đã được khởi chạy cho %(commune)s năm %(year)s.",
              slug=plan.slug, commune=commune.name, year=year)
        )
    spec_row = current_spec(plan) or build_spec(plan, clock)
    spec = specs.load_spec(spec_row.bpmn_xml, f"{plan.slug}.bpmn")
    occurrences = {t.position: year_occurrences(plan, t, year) for t in plan.live_items}
    run = Run.start(spec, occurrences, clock)
    saved = run.serialize()
    now = clock.now()
    instance = WorkflowInstance(
        plan_id=plan.id,
        commune_id=commune.id,
        year=year,
        spec_hash=spec_row.hash,
        state=saved.trunk,
        serializer_version=SERIALIZER_VERSION,
        spiff_version=SPIFF_VERSION,
        next_timer_at=_earliest(p.next_timer_at for p in saved.parts.values()),
        is_completed=run.is_completed,
        created_at=now,
        updated_at=now,
    )
    db.session.add(instance)
    db.session.flush()
    db.session.add_all(
        WorkflowPart(instance_id=instance.id, key=key, branch=part.branch, state=part.text,
                     next_timer_at=part.next_timer_at)
        for key, part in saved.parts.items()
    )
    sync_tasks(instance, run, clock)
    return instance


def _earliest(values: Iterable[dt.datetime | None]) -> dt.datetime | None:
    present = [v for v in values if v is not None]
    return min(present) if present else None


def _load_parts(instance: WorkflowInstance, occurrence_ids: list[str] | None, *,
                due_by: dt.datetime | None, whole: bool) -> dict[str, Part]:
    """The stored parts a run needs (see ``SavedState.select``), in one query."""
    part = WorkflowPart

    def picked(table: Any) -> list[Any]:
        found = []
        if occurrence_ids is not None:
            found.append(table.key.in_(occurrence_ids))
        if due_by is not None:
            found.append(table.next_timer_at <= due_by)
        return found

    if occurrence_ids is None and due_by is None:
        wanted = [part.key.is_not(None)]  # everything
    else:
        theirs = aliased(WorkflowPart)
        branches = select(theirs.branch).where(theirs.instance_id == instance.id,
                                               or_(*picked(theirs)))
        wanted = [*picked(part), part.key.in_(branches)]
        if whole:
            wanted.append(part.branch.is_(None))
    rows = db.session.scalars(
        select(part).where(part.instance_id == instance.id, or_(*wanted))
    )
    return {r.key: Part(r.branch, r.state, r.next_timer_at) for r in rows}


def load_run(instance: WorkflowInstance, clock: Clock,
             occurrence_ids: Iterable[str] | None = None, *, due_only: bool = False,
             whole: bool = False) -> Run:
    """The instance in memory, restored onto its cached spec.

    By default all of it. ``occurrence_ids`` or ``due_only`` restore only those
    occurrences (or those whose timer is due by the clock) and their branches; ``whole``
    adds every branch. What is not restored stays as stored.
    """
    # The spec is immutable per hash: once parsed, its XML need not be read again.
    spec = specs.cached_spec(instance.spec_hash)
    if spec is None:
        bpmn_xml = db.session.scalar(
            select(WorkflowSpec.bpmn_xml).where(WorkflowSpec.hash == instance.spec_hash)
        )
        if bpmn_xml is None:
            raise WorkflowServiceError(_("Không tìm thấy quy trình BPMN của kế hoạch."))
        spec = specs.load_spec(bpmn_xml, f"{instance.plan.slug}.bpmn")
    if needs_migration(instance.state):
        # A migration rewrites every part: restore (and so save) the whole instance once.
        occurrence_ids, due_only, whole = None, False, True
    if occurrence_ids is not None:
        occurrence_ids = list(occurrence_ids)
    elif due_only:
        occurrence_ids = []
    parts = _load_parts(instance, occurrence_ids, due_by=clock.now() if due_only else None,
                        whole=whole)
    return Run.restore(spec, instance.state, parts, clock)


def save_run(instance: WorkflowInstance, run: Run, clock: Clock) -> None:
    """Write the state back; a concurrent save of the same instance raises ConcurrentUpdateError.

    Only the trunk and the parts whose text changed are written. The version check is the
    instance UPDATE's WHERE clause, always issued and flushed before any part is written
    (so concurrent writers of an instance queue on its row, not on its parts); it holds on
    PostgreSQL across processes as well as in one SQLite file. After the error, roll the
    session back.
    """
    saved = run.serialize()
    others = db.session.scalar(
        select(func.min(WorkflowPart.next_timer_at)).where(
            WorkflowPart.instance_id == instance.id,
            WorkflowPart.key.not_in(list(saved.parts)),
        )
    )
    instance.state = saved.trunk
    flag_modified(instance, "state")  # bump the version even when the trunk is unchanged
    instance.serializer_version = SERIALIZER_VERSION
    instance.spiff_version = SPIFF_VERSION
    instance.next_timer_at = _earliest([others, *(p.next_timer_at for p in saved.parts.values())])
    instance.is_completed = run.is_completed
    instance.updated_at = clock.now()
    try:
        db.session.flush()  # the version check, before any part is written
    except StaleDataError as exc:
        raise ConcurrentUpdateError() from exc
    for key, part in saved.parts.items():
        stored = run.stored_parts.get(key)
        if stored is None:
            db.session.add(WorkflowPart(instance_id=instance.id, key=key, branch=part.branch,
                                        state=part.text, next_timer_at=part.next_timer_at))
        elif stored.text != part.text:
            db.session.execute(
                update(WorkflowPart)
                .where(WorkflowPart.instance_id == instance.id, WorkflowPart.key == key)
                .values(state=part.text, next_timer_at=part.next_timer_at)
            )
    db.session.flush()


def act(instance: WorkflowInstance, clock: Clock, occurrence_id: str,
        action: Callable[[Run], None], acted: Acted | None = None) -> list[TaskChange]:
    """Load → refresh timers → act on one occurrence → save → sync the task table.

    The run holds the trunk, the occurrence's branch and the occurrence. When the action
    finishes the branch's last occurrence, the plan's join needs every branch: it is done
    again on the whole top-level workflow (once per branch and year).
    """
    run = load_run(instance, clock, [occurrence_id])
    _run_action(run, action)
    if run.needs_whole_workflow:
        run = load_run(instance, clock, [occurrence_id], whole=True)
        _run_action(run, action)
    save_run(instance, run, clock)
    return sync_tasks(instance, run, clock, acted)


def _run_action(run: Run, action: Callable[[Run], None]) -> None:
    run.refresh()
    try:
        action(run)
    except WorkflowStateError as exc:
        raise WorkflowServiceError(_("Nhiệm vụ không ở bước có thể thực hiện thao tác này.")) \
            from exc


@dataclass(frozen=True)
class FiredTimer:
    instance_id: int
    commune: str
    plan: str
    ref: str
    occurrence_key: str
    to_status: str
    escalated: bool


def fire_due_timers(clock: Clock) -> list[FiredTimer]:
    """Fire every timer due by the clock. Idempotent: a fired timer never fires again.

    Only instances whose earliest pending timer has passed are loaded (``next_timer_at``),
    and of those only the occurrences whose timers are due, so an idle tick reads one
    indexed query and nothing else.
    """
    now = clock.now()
    due = db.session.scalars(
        select(WorkflowInstance)
        .join(Plan, Plan.id == WorkflowInstance.plan_id)
        .where(WorkflowInstance.next_timer_at <= now, WorkflowInstance.is_completed.is_(False),
               Plan.withdrawn_at.is_(None))  # a withdrawn plan's timers fire no more
        .order_by(WorkflowInstance.id)
    ).all()
    fired: list[FiredTimer] = []
    for instance in due:
        run = load_run(instance, clock, due_only=True)
        run.refresh()
        if run.needs_whole_workflow:
            run = load_run(instance, clock, due_only=True, whole=True)
            run.refresh()
        save_run(instance, run, clock)
        for change in sync_tasks(instance, run, clock):
            fired.append(
                FiredTimer(instance.id, instance.commune.name, instance.plan.slug,
                           change.task.ref, change.task.occurrence_key, change.to_status,
                           change.escalated)
            )
    return fired


# --- the task table ---------------------------------------------------------------------


def occurrence_status(state: OccurrenceState, on: dt.date) -> TaskStatus:
    """The status users see, from where the workflow stands and today's date."""
    if state.stage == "done":
        approved_on = local_date(state.approved_at) if state.approved_at else on
        late = state.due_on is not None and approved_on > state.due_on
        return TaskStatus.DONE_LATE if late else TaskStatus.DONE_ON_TIME
    if state.stage == "review":
        return TaskStatus.AWAITING_REVIEW
    if state.is_overdue:
        return TaskStatus.OVERDUE
    if state.is_returned:
        return TaskStatus.RETURNED
    if state.due_on is None:
        return TaskStatus.NO_DEADLINE
    if on < state.opens_on:
        return TaskStatus.NOT_DUE
    return TaskStatus.IN_PROGRESS


_SYSTEM_ACTIONS = {
    TaskStatus.OVERDUE: TaskEventAction.OVERDUE,
    TaskStatus.IN_PROGRESS: TaskEventAction.OPEN,
}


def sync_tasks(instance: WorkflowInstance, run: Run, clock: Clock,
               acted: Acted | None = None) -> list[TaskChange]:
    """Upsert one row per occurrence the run holds; record every transition as an event."""
    now = clock.now()
    on = today(clock)
    states = run.occurrences()
    positions = sorted({s.position for s in states})
    plan_items = {
        t.position: t
        for t in db.session.scalars(
            select(PlanItem).where(PlanItem.plan_id == instance.plan_id,
                                   PlanItem.position.in_(positions))
        )
    } if positions else {}
    rows = {
        row.spiff_task_id: row
        for row in db.session.scalars(
            select(Task).where(
                Task.instance_id == instance.id,
                Task.spiff_task_id.in_([s.id for s in states]),
            )
        )
    }
    units: dict[str, Any] = {}
    changes: list[TaskChange] = []
    times = TaskTimes(plan_context(instance.plan), instance.year)
    for state in states:
        plan_item = plan_items[state.position]
        status = str(occurrence_status(state, on))
        row = rows.get(state.id)
        if row is not None and row.status == str(TaskStatus.CANCELLED):
            continue  # withdrawn (or removed by an amendment): it stays cancelled
        if row is None:
            lead = plan_item.lead_units[0] if plan_item.lead_units else None
            key = lead or ""
            if key not in units:
                units[key] = ensure_unit(instance.commune, lead) if lead else _focal_unit(instance)
            row = Task(
                instance_id=instance.id, spiff_task_id=state.id, plan_id=instance.plan_id,
                plan_item_id=plan_item.id, commune_id=instance.commune_id,
                unit_id=units[key].id, year=instance.year, occurrence_key=state.key,
                ref=plan_item.ref, title=plan_item.title, group=plan_item.group,
                opens_on=state.opens_on, due_on=state.due_on, status=status,
                points=plan_item.points, created_at=now, updated_at=now, sequence=0,
            )
            db.session.add(row)
            db.session.flush()
            _event(row, "open", None, None, status, None, None, now)
            rows[state.id] = row
            before, is_new = status, True
        else:
            before, is_new = row.status, False
        window = (row.start_time, row.end_time)
        if is_new or row.due_on != state.due_on:  # its date comes from the phrase again
            window = times.of(plan_item.id, plan_item.time_text, state.key)
        if (row.due_on, row.title, row.status, row.start_time, row.end_time) != (
            state.due_on, plan_item.title, status, *window
        ):
            row.sequence += 1
            row.updated_at = now
        row.due_on, row.opens_on, row.title = state.due_on, state.opens_on, plan_item.title
        row.start_time, row.end_time = window
        row.status = status
        if state.stage == "done" and row.completed_at is None:
            row.completed_at = state.approved_at or now
        escalated = state.is_escalated and row.escalated_at is None
        if before != status:
            if acted is not None and acted.spiff_task_id == state.id:
                _acted_events(row, acted, before, status, now)
            else:
                action = _SYSTEM_ACTIONS.get(TaskStatus(status), TaskEventAction.SYNC)
                _event(row, action, None, before, status, None, None, now)
            changes.append(TaskChange(row, before, status, escalated))
        if escalated:
            row.escalated_at = now
            row.updated_at = now
            _event(row, TaskEventAction.ESCALATE, None, status, status,
                   _("Quá hạn: đã báo cáo Chủ tịch UBND."), None, now)
            if before == status:
                changes.append(TaskChange(row, before, status, True))
        is_acted = acted is not None and acted.spiff_task_id == state.id
        if is_acted and acted.action == TaskEventAction.SUBMIT:
            row.submitted_at = now
    db.session.flush()
    return changes


def _acted_events(row: Task, acted: Acted, before: str, after: str, now: dt.datetime) -> None:
    evidence = list(acted.evidence_ids)
    _event(row, acted.action, acted.actor, before, after, acted.comment,
           evidence[0] if evidence else None, now)
    for evidence_id in evidence[1:]:
        _event(row, TaskEventAction.ATTACH, acted.actor, None, None, None, evidence_id, now)


def _event(row: Task, action: TaskEventAction, actor: User | None, from_status: str | None,
           to_status: str | None, comment: str | None, evidence_id: int | None,
           at: dt.datetime) -> None:
    db.session.add(
        TaskEvent(task_id=row.id, actor_id=actor.id if actor else None, at=at, action=action,
                  from_status=from_status, to_status=to_status, comment=comment,
                  evidence_id=evidence_id)
    )


def _focal_unit(instance: WorkflowInstance) -> Any:
    focal = next((u for u in instance.commune.units if u.is_focal), None)
    if focal is None:
        raise WorkflowServiceError(
            _("%(commune)s chưa có đơn vị đầu mối.", commune=instance.commune.name)
        )
    return focal
