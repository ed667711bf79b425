"""Deadlines set by hand, corrected, and extended — through the running workflow."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from flask import Flask

from tests.factories import make_user
from tracker.cadence import parse_cadence
from tracker.clock import FixedClock
from tracker.extensions import db
from tracker.importing import read_plan
from tracker.models import ExtensionStatus, Mail, Role, Task, TaskStatus, WorkflowInstance
from tracker.services import deadlines
from tracker.services.occurrences import plan_context
from tracker.services.plans import store_plan
from tracker.services.tasks import refresh_statuses
from tracker.services.workflows import start_instance

SEED = Path(__file__).resolve().parents[2] / "seeds" / "000_96978fae4b697af7.txt"
UNREAD = "Trong vòng 15 ngày kể từ khi có hướng dẫn"


def _started(clock: FixedClock, unread_row: int | None = None) -> WorkflowInstance:
    draft = read_plan(SEED)
    plan = store_plan(draft, source_name=SEED.name, clock=clock)
    if unread_row is not None:
        row = plan.tasks[unread_row]
        row.time_text = UNREAD
        row.cadence_kind = str(parse_cadence(UNREAD, plan_context(plan)).kind)
        row.rrule = None
        db.session.flush()
    return start_instance(plan, plan.commune, 2026, clock)


def _rows(instance: WorkflowInstance) -> list[Task]:
    return list(db.session.scalars(
        db.select(Task).where(Task.instance_id == instance.id).order_by(Task.id)))


def test_a_task_whose_phrase_was_not_understood_gets_a_deadline_by_hand(
    app: Flask, clock: FixedClock
) -> None:
    instance = _started(clock, unread_row=0)
    task = next(t for t in _rows(instance) if t.plan_item.time_text == UNREAD)
    assert task.due_on is None and task.status == TaskStatus.NO_DEADLINE
    assert deadlines.needs_deadline(task)
    focal = make_user(Role.FOCAL_OFFICER, commune=task.commune)
    head = make_user(Role.UNIT_HEAD, commune=task.commune, unit=task.unit)
    with pytest.raises(deadlines.DeadlineError, match="không có quyền"):
        deadlines.set_deadline(task, head, dt.date(2026, 5, 20), "x", clock)
    with pytest.raises(deadlines.DeadlineError, match="Lý do đặt hạn"):
        deadlines.set_deadline(task, focal, dt.date(2026, 5, 20), "  ", clock)
    with pytest.raises(deadlines.DeadlineError, match="trước hôm nay"):
        deadlines.set_deadline(task, focal, dt.date(2026, 5, 1), "Theo công văn", clock)
    sequence = task.sequence
    deadlines.set_deadline(task, focal, dt.date(2026, 5, 20), "Theo công văn 12/UBND", clock)
    assert task.due_on == dt.date(2026, 5, 20) and task.original_due_on is None
    assert task.status == TaskStatus.IN_PROGRESS and task.sequence > sequence
    assert not deadlines.needs_deadline(task)
    assert any(e.action == "deadline_set" and "Theo công văn 12/UBND" in (e.comment or "")
               for e in task.events)
    # The workflow's deadline timer now reads the new date: it fires after 20/05.
    assert instance.next_timer_at is not None
    clock.set(dt.datetime(2026, 5, 21, 2, tzinfo=dt.UTC))
    refresh_statuses(clock)
    db.session.refresh(task)
    assert task.status == TaskStatus.OVERDUE
    with pytest.raises(deadlines.DeadlineError, match="quá hạn"):
        deadlines.set_deadline(task, focal, dt.date(2026, 6, 30), "Muộn", clock)


def test_an_extension_refused_then_asked_again_and_approved(
    app: Flask, clock: FixedClock
) -> None:
    instance = _started(clock)
    task = next(t for t in _rows(instance)
                if t.due_on is not None and t.status == TaskStatus.IN_PROGRESS)
    commune = task.commune
    head = make_user(Role.UNIT_HEAD, commune=commune, unit=task.unit, email="truong@x.vn")
    chairman = make_user(Role.CHAIRMAN, commune=commune, email="ct@x.vn")
    vice = make_user(Role.VICE_CHAIRMAN, commune=commune, email="pct@x.vn")
    focal = make_user(Role.FOCAL_OFFICER, commune=commune)
    original = task.due_on
    assert original is not None
    later = original + dt.timedelta(days=30)
    with pytest.raises(deadlines.DeadlineError, match="không có quyền xin gia hạn"):
        deadlines.request_extension(task, focal, later, "Chưa kịp", clock)
    with pytest.raises(deadlines.DeadlineError, match="phải sau hạn hiện tại"):
        deadlines.request_extension(task, head, original, "Chưa kịp", clock)
    first = deadlines.request_extension(task, head, later, "Chờ kinh phí", clock)
    assert first.status == ExtensionStatus.PENDING
    assert deadlines.pending_extension(task) is first
    with pytest.raises(deadlines.DeadlineError, match="đang chờ"):
        deadlines.request_extension(task, head, later, "Lần nữa", clock)
    asked = db.session.scalars(db.select(Mail).where(Mail.step == f"{first.id}-asked")).all()
    assert sorted(m.address for m in asked) == ["ct@x.vn", "pct@x.vn"]
    with pytest.raises(deadlines.DeadlineError, match="không có quyền quyết định"):
        deadlines.decide_extension(first, focal, True, None, clock)
    with pytest.raises(deadlines.DeadlineError, match="lý do không đồng ý"):
        deadlines.decide_extension(first, chairman, False, "", clock)
    deadlines.decide_extension(first, chairman, False, "Phải làm đúng hạn", clock)
    assert first.status == ExtensionStatus.REFUSED and task.due_on == original
    told = db.session.scalars(db.select(Mail).where(Mail.step == f"{first.id}-decided")).one()
    assert told.address == "truong@x.vn" and "Không đồng ý" in told.subject
    second = deadlines.request_extension(task, head, later, "Đã có kinh phí, cần thêm thời gian",
                                         clock)
    sequence = task.sequence
    deadlines.decide_extension(second, vice, True, "Đồng ý", clock)
    assert second.status == ExtensionStatus.APPROVED
    assert (task.due_on, task.original_due_on) == (later, original)
    assert task.sequence > sequence
    assert "Đã đồng ý gia hạn" in db.session.scalars(
        db.select(Mail.subject).where(Mail.step == f"{second.id}-decided")).one()
    # The old deadline passes without the timer firing; the new one fires.
    clock.set(dt.datetime.combine(original + dt.timedelta(days=2), dt.time(3), tzinfo=dt.UTC))
    refresh_statuses(clock)
    db.session.refresh(task)
    assert task.status == TaskStatus.IN_PROGRESS
    clock.set(dt.datetime.combine(later + dt.timedelta(days=2), dt.time(3), tzinfo=dt.UTC))
    refresh_statuses(clock)
    db.session.refresh(task)
    assert task.status == TaskStatus.OVERDUE
