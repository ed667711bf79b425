"""The task table kept in step with the workflow instances.

After every change to an instance (start, action, fired timer), :func:`sync_tasks` writes
one row per occurrence the run holds, with the status users see, and records each
transition as a :class:`~tracker.models.TaskEvent`. Task lists, dashboards and calendars
read only the table.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from tracker.clock import Clock, local_date, today
from tracker.extensions import db
from tracker.i18n import _
from tracker.models import (
    PlanItem,
    Task,
    TaskEvent,
    TaskEventAction,
    TaskStatus,
    User,
    WorkflowInstance,
)
from tracker.services.communes import ensure_unit
from tracker.services.occurrences import plan_context
from tracker.services.task_times import TaskTimes
from tracker.services.workflow_errors import WorkflowServiceError
from tracker.workflow.engine import OccurrenceState, Run

__all__ = ["Acted", "TaskChange", "occurrence_status", "sync_tasks"]


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
