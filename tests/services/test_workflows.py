"""Workflow instances on a real database: a year of a commune, and optimistic locking."""

from __future__ import annotations

import datetime as dt
import json
import threading
from pathlib import Path

import pytest
from flask import Flask

from tests.conftest import create_pg_database
from tests.factories import make_commune, make_plan, make_plan_item, make_user
from tracker import create_app
from tracker.clock import VN_TZ, FixedClock
from tracker.extensions import db
from tracker.importing import read_plan
from tracker.models import Role, Task, TaskEvent, TaskStatus, WorkflowInstance
from tracker.services.occurrences import year_occurrences
from tracker.services.plans import store_plan
from tracker.services.tasks import approve_task, refresh_statuses, return_task, submit_task
from tracker.services.workflow_errors import ConcurrentUpdateError, WorkflowServiceError
from tracker.services.workflows import act, load_run, save_run, start_instance
from tracker.workflow.state import CURRENT, MIGRATIONS, Part, needs_migration

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
HOA_BINH = SEEDS / "000_96978fae4b697af7.txt"


def _start(clock: FixedClock) -> WorkflowInstance:
    plan = store_plan(read_plan(HOA_BINH), source_name=HOA_BINH.name, clock=clock)
    return start_instance(plan, plan.commune, 2026, clock)


def _rows(instance: WorkflowInstance) -> list[Task]:
    return list(db.session.scalars(
        db.select(Task).where(Task.instance_id == instance.id).order_by(Task.id)))


def _events(task: Task, action: str) -> list[TaskEvent]:
    return [e for e in task.events if e.action == action]


def test_start_fills_the_task_table_from_the_deadline_engine(
    app: Flask, clock: FixedClock
) -> None:
    instance = _start(clock)
    rows = _rows(instance)
    # One row per occurrence the deadline engine gives for 2026 ("Trước ngày 15/02" falls
    # before this plan was issued on 17/04/2026, so that task has none this year).
    expected_keys = sorted(
        (t.id, o["key"]) for t in instance.plan.tasks
        for o in year_occurrences(instance.plan, t, 2026)
    )
    assert sorted((r.plan_item_id, r.occurrence_key) for r in rows) == expected_keys
    assert len(expected_keys) >= len(instance.plan.tasks)
    assert instance.next_timer_at is not None
    assert instance.spiff_version and instance.serializer_version
    for row in rows:
        assert row.unit.name == (row.plan_item.lead_units or ["Phòng Văn hóa - Xã hội"])[0]
        expected = (TaskStatus.NO_DEADLINE if row.due_on is None else
                    TaskStatus.NOT_DUE if row.opens_on > dt.date(2026, 5, 4) else
                    TaskStatus.IN_PROGRESS)
        assert row.status == expected
        assert [e.action for e in row.events] == ["open"]
    with pytest.raises(WorkflowServiceError):
        start_instance(instance.plan, instance.commune, 2026, clock)


def test_an_instance_holds_the_occurrences_keyed_by_its_year(
    app: Flask, clock: FixedClock
) -> None:
    # 31/12/2028 is a Sunday: the occurrence keyed 2028 is due on 02/01/2029.
    plan = make_plan(make_commune(), period_from=2026, period_to=2030, open_ended=False)
    yearly = make_plan_item(plan, time_text="Hằng năm", cadence_kind="yearly", rrule=None)
    assert [(o["key"], o["due_on"]) for o in year_occurrences(plan, yearly, 2028)] == [
        ("2028", "2029-01-02")]
    assert [(o["key"], o["due_on"]) for o in year_occurrences(plan, yearly, 2029)] == [
        ("2029", "2029-12-31")]
    assert [o["key"] for o in year_occurrences(plan, yearly, 2027)] == ["2027"]
    instance = start_instance(plan, plan.commune, 2028, clock)
    assert [(r.occurrence_key, r.due_on) for r in _rows(instance)
            if r.plan_item_id == yearly.id] == [("2028", dt.date(2029, 1, 2))]


def test_a_year_of_a_commune(app: Flask, clock: FixedClock) -> None:
    instance = _start(clock)
    db.session.commit()
    later = [r for r in _rows(instance) if r.status == TaskStatus.NOT_DUE]
    work, late = later[0], later[-1]
    assert work.due_on and late.due_on
    head = make_user(Role.UNIT_HEAD, commune=instance.commune, unit=work.unit)
    late_head = make_user(Role.UNIT_HEAD, commune=instance.commune, unit=late.unit)
    focal = make_user(Role.FOCAL_OFFICER, commune=instance.commune)

    # The window opens on time.
    clock.set(dt.datetime.combine(work.opens_on, dt.time(7, 0), VN_TZ))
    refresh_statuses(clock)
    assert work.status == TaskStatus.IN_PROGRESS
    sequence = work.sequence

    # Submit, return with a comment, resubmit, approve.
    submit_task(work, head, "Đã gửi báo cáo", [], clock)
    assert work.status == TaskStatus.AWAITING_REVIEW and work.submitted_at == clock.now()
    return_task(work, focal, "Bổ sung số liệu quý II", clock)
    assert work.status == TaskStatus.RETURNED
    submit_task(work, head, "Đã bổ sung", [], clock)
    approve_task(work, focal, None, clock)
    assert work.status == TaskStatus.DONE_ON_TIME and work.completed_at == clock.now()
    assert work.sequence == sequence + 4
    history = [(e.action, e.from_status, e.to_status, e.actor_id, e.comment)
               for e in work.events][-4:]
    assert history == [
        ("submit", "in_progress", "awaiting_review", head.id, "Đã gửi báo cáo"),
        ("return", "awaiting_review", "returned", focal.id, "Bổ sung số liệu quý II"),
        ("submit", "returned", "awaiting_review", head.id, "Đã bổ sung"),
        ("approve", "awaiting_review", "done_on_time", focal.id, None),
    ]

    # A deadline passes: overdue and exactly one escalation, even across returns.
    clock.set(dt.datetime.combine(late.due_on + dt.timedelta(days=1), dt.time(0, 5), VN_TZ))
    report = refresh_statuses(clock)
    assert any(f.ref == late.ref and f.escalated for f in report.fired)
    assert late.status == TaskStatus.OVERDUE and late.escalated_at == clock.now()
    submit_task(late, late_head, "Nộp muộn", [], clock)
    return_task(late, focal, "Chưa đạt", clock)
    assert late.status == TaskStatus.OVERDUE  # returned, but still past its deadline
    clock.advance(dt.timedelta(days=2))
    refresh_statuses(clock)
    submit_task(late, late_head, "Nộp lại", [], clock)
    approve_task(late, focal, "Đạt", clock)
    assert late.status == TaskStatus.DONE_LATE
    assert len(_events(late, "escalate")) == 1 and len(_events(late, "overdue")) == 1
    db.session.commit()

    # Idempotent: ticking again changes nothing.
    before = db.session.scalar(db.select(db.func.count(TaskEvent.id)))
    assert refresh_statuses(clock).fired == []
    assert db.session.scalar(db.select(db.func.count(TaskEvent.id))) == before


def _two_submitters(app: Flask, clock: FixedClock, task_ids: list[int]) -> list[str]:
    """Two threads load the same instance, then both try to save."""
    barrier = threading.Barrier(2, timeout=20)
    outcomes: list[str] = []

    def work(task_id: int) -> None:
        with app.app_context():
            task = db.session.get(Task, task_id)
            instance = db.session.get(WorkflowInstance, task.instance_id)

            def step(run):  # type: ignore[no-untyped-def]
                barrier.wait()  # both have loaded version 1 before either saves
                run.submit(task.spiff_task_id)

            try:
                act(instance, clock, task.spiff_task_id, step)
                db.session.commit()
                outcomes.append("won")
            except ConcurrentUpdateError as error:
                db.session.rollback()
                outcomes.append(f"retry: {error}")
                instance = db.session.get(WorkflowInstance, task.instance_id)
                act(instance, clock, task.spiff_task_id, lambda run: run.submit(
                    task.spiff_task_id))
                db.session.commit()
            finally:
                db.session.remove()

    threads = [threading.Thread(target=work, args=(i,)) for i in task_ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return outcomes


def _concurrency(app: Flask, clock: FixedClock) -> None:
    with app.app_context():
        instance = _start(clock)
        ids = [r.id for r in _rows(instance) if r.status == TaskStatus.IN_PROGRESS][:2]
        db.session.commit()
        db.session.remove()
    assert len(ids) == 2
    outcomes = _two_submitters(app, clock, ids)
    assert sorted(o.split(":")[0] for o in outcomes) == ["retry", "won"]
    assert "vui lòng thử lại" in next(o for o in outcomes if o.startswith("retry"))
    with app.app_context():
        rows = [db.session.get(Task, i) for i in ids]
        assert [r.status for r in rows] == [TaskStatus.AWAITING_REVIEW] * 2  # nothing lost
        instance = db.session.get(WorkflowInstance, rows[0].instance_id)
        assert instance.version == 3
        db.session.remove()


def test_optimistic_locking_sqlite(app_config: dict[str, object], clock: FixedClock) -> None:
    application = create_app(app_config, clock=clock)
    _concurrency(application, clock)


@pytest.mark.postgres
def test_optimistic_locking_postgres(app_config: dict[str, object], clock: FixedClock) -> None:
    url, drop = create_pg_database()
    application = create_app({**app_config, "SQLALCHEMY_DATABASE_URI": url}, clock=clock)
    try:
        _concurrency(application, clock)
    finally:
        with application.app_context():
            db.engine.dispose()
        drop()



def test_a_state_that_needs_a_migration_is_restored_and_saved_whole(
    app: Flask, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    instance = _start(clock)
    header = json.loads(instance.state)
    header["serializer_version"] = "older"
    instance.state = json.dumps(header)

    def step(trunk: str, parts: dict[str, Part]) -> tuple[str, dict[str, Part]]:
        upgraded = json.loads(trunk)
        upgraded["serializer_version"] = CURRENT[1]
        return json.dumps(upgraded), parts

    monkeypatch.setitem(MIGRATIONS, (CURRENT[0], "older"), step)
    rows = _rows(instance)
    run = load_run(instance, clock, [rows[0].spiff_task_id])  # asks for one occurrence
    assert len(run.occurrences()) == len(rows)  # gets all of them, to migrate every part
    save_run(instance, run, clock)
    assert not needs_migration(instance.state)
