"""Task use cases: explicit errors, evidence in the history, shares without an instance."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from flask import Flask

from tests.factories import make_commune, make_plan, make_task, make_user, unit_named
from tracker.clock import VN_TZ, FixedClock
from tracker.extensions import db
from tracker.importing import read_plan
from tracker.models import Evidence, Role, Task, TaskStatus
from tracker.services.plans import store_plan
from tracker.services.tasks import (
    TaskActionError,
    approve_task,
    refresh_statuses,
    return_task,
    submit_task,
)
from tracker.services.workflows import start_instance

SEED = Path(__file__).resolve().parents[2] / "seeds" / "000_96978fae4b697af7.txt"


def _in_progress_task(clock: FixedClock) -> Task:
    plan = store_plan(read_plan(SEED), source_name=SEED.name, clock=clock)
    instance = start_instance(plan, plan.commune, 2026, clock)
    return next(t for t in db.session.scalars(
        db.select(Task).where(Task.instance_id == instance.id).order_by(Task.id))
        if t.status == TaskStatus.IN_PROGRESS)


def _evidence(task: Task, user_id: int, n: int) -> Evidence:
    evidence = Evidence(task_id=task.id, original_name=f"bao-cao-{n}.pdf",
                        stored_name=f"stored-{task.id}-{n}", content_type="application/pdf",
                        size=10, sha256="0" * 64, uploaded_by_id=user_id,
                        uploaded_at=dt.datetime(2026, 5, 4, 2, tzinfo=dt.UTC))
    db.session.add(evidence)
    db.session.flush()
    return evidence


def test_errors_are_explicit_and_change_nothing(app: Flask, clock: FixedClock) -> None:
    task = _in_progress_task(clock)
    head = make_user(Role.UNIT_HEAD, commune=task.commune, unit=task.unit)
    stranger = make_user(Role.UNIT_HEAD, commune=make_commune())
    focal = make_user(Role.FOCAL_OFFICER, commune=task.commune)
    with pytest.raises(TaskActionError, match="không có quyền"):
        submit_task(task, stranger, None, [], clock)
    with pytest.raises(TaskActionError, match="chờ duyệt"):
        approve_task(task, focal, None, clock)
    with pytest.raises(TaskActionError, match="không có quyền duyệt"):
        approve_task(task, head, None, clock)
    foreign = _evidence(
        db.session.scalars(db.select(Task).where(Task.id != task.id)).first(), head.id, 9)
    with pytest.raises(TaskActionError, match=f"Minh chứng số {foreign.id}"):
        submit_task(task, head, None, [foreign.id], clock)
    assert task.status == TaskStatus.IN_PROGRESS and len(task.events) == 1
    submit_task(task, head, "Xong", [], clock)
    with pytest.raises(TaskActionError, match="ý kiến"):
        return_task(task, focal, "   ", clock)
    assert task.status == TaskStatus.AWAITING_REVIEW


def test_evidence_goes_into_the_history(app: Flask, clock: FixedClock) -> None:
    task = _in_progress_task(clock)
    head = make_user(Role.UNIT_HEAD, commune=task.commune, unit=task.unit)
    first, second = _evidence(task, head.id, 1), _evidence(task, head.id, 2)
    submit_task(task, head, "Kèm minh chứng", [first.id, second.id], clock)
    submit_event, attach = task.events[-2:]
    assert (submit_event.action, submit_event.evidence_id) == ("submit", first.id)
    assert (attach.action, attach.evidence_id, attach.actor_id) == ("attach", second.id, head.id)


def test_a_share_without_instance_follows_the_same_statuses(
    app: Flask, clock: FixedClock
) -> None:
    commune = make_commune()
    plan = make_plan(commune)
    office = unit_named(commune, "Văn phòng HĐND và UBND")
    share = make_task(plan.tasks[0], office, status=str(TaskStatus.NOT_DUE),
                      due_on=dt.date(2026, 6, 1))
    share.opens_on = dt.date(2026, 5, 10)
    head = make_user(Role.UNIT_HEAD, commune=commune, unit=office)
    focal = make_user(Role.FOCAL_OFFICER, commune=commune)

    clock.set(dt.datetime(2026, 5, 10, 8, tzinfo=VN_TZ))
    assert refresh_statuses(clock).opened == [share]
    assert share.status == TaskStatus.IN_PROGRESS
    clock.set(dt.datetime(2026, 6, 2, 8, tzinfo=VN_TZ))
    assert refresh_statuses(clock).overdue == [share]
    submit_task(share, head, None, [], clock)
    return_task(share, focal, "Thiếu ảnh", clock)
    assert share.status == TaskStatus.RETURNED
    submit_task(share, head, None, [], clock)
    approve_task(share, focal, None, clock)
    assert share.status == TaskStatus.DONE_LATE
    assert [e.action for e in share.events] == [
        "open", "overdue", "submit", "return", "submit", "approve"]
