"""Running plans: one workflow instance per (commune, plan, year).

Every change goes load → refresh timers → act → save (optimistic locking) → sync the task
table (:mod:`tracker.services.task_sync`). The occurrences an instance starts with come from
:mod:`tracker.services.occurrences`.
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

from tracker.clock import Clock
from tracker.extensions import db
from tracker.i18n import _
from tracker.models import Commune, Plan, WorkflowInstance, WorkflowPart, WorkflowSpec
from tracker.services.occurrences import due_instant, plan_context, year_occurrences
from tracker.services.plans import build_spec, current_spec
from tracker.services.task_sync import Acted, TaskChange, sync_tasks
from tracker.services.workflow_errors import ConcurrentUpdateError, WorkflowServiceError
from tracker.workflow import specs, state
from tracker.workflow.engine import Run
from tracker.workflow.errors import WorkflowStateError

# The errors, and what callers (deadlines, amendments) have long imported from here.
__all__ = [
    "ConcurrentUpdateError",
    "FiredTimer",
    "WorkflowServiceError",
    "act",
    "due_instant",
    "fire_due_timers",
    "load_run",
    "plan_context",
    "save_run",
    "start_instance",
    "year_occurrences",
]


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
        serializer_version=state.SERIALIZER_VERSION,
        spiff_version=state.SPIFF_VERSION,
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
                due_by: dt.datetime | None, whole: bool) -> dict[str, state.Part]:
    """The stored parts a run needs (see ``state.SavedState.select``), in one query."""
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
    return {r.key: state.Part(r.branch, r.state, r.next_timer_at) for r in rows}


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
    if state.needs_migration(instance.state):
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
    instance.serializer_version = state.SERIALIZER_VERSION
    instance.spiff_version = state.SPIFF_VERSION
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
