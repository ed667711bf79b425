"""Amending a plan by its revised version: rows matched, done work kept, deadlines followed."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask

from tests.factories import make_commune, make_user, unit_named
from tests.plan_texts import original_plan, revised_plan
from tracker.clock import FixedClock
from tracker.extensions import db
from tracker.importing import read_plan_bytes
from tracker.models import (
    Plan,
    PlanItem,
    PlanRevision,
    Role,
    Task,
    TaskStatus,
    User,
    WorkflowInstance,
)
from tracker.services import plan_amendments, plan_imports, tasks
from tracker.services.plan_matching import copy_share, match_rows
from tracker.services.rollover import start_due_years
from tracker.services.workflows import start_instance
from tracker.workflow import specs
from tracker.workflow.errors import WorkflowError


def _officer() -> User:
    commune = make_commune("Phường Hòa Bình")
    return make_user(Role.FOCAL_OFFICER, commune=commune,
                     unit=unit_named(commune, "Phòng Văn hóa - Xã hội"))


def _imported(clock: FixedClock, officer: User) -> Plan:
    draft = read_plan_bytes(original_plan(), "ke-hoach-21.txt")
    plan = plan_imports.plans.store_plan(draft, source_name="ke-hoach-21.txt", clock=clock,
                                         imported_by=officer)
    plan.content_digest = plan_imports.content_digest(draft)
    start_instance(plan, plan.commune, 2026, clock)
    return plan


def _task(plan: Plan, ref: str, year: int = 2026) -> Task:
    return db.session.scalars(
        db.select(Task).join(PlanItem).where(Task.plan_id == plan.id, PlanItem.ref == ref,
                                             Task.year == year, PlanItem.removed_in_id.is_(None))
        .order_by(Task.id)).first() or db.session.scalars(
        db.select(Task).join(PlanItem).where(Task.plan_id == plan.id, PlanItem.ref == ref,
                                             Task.year == year).order_by(Task.id)).one()


def test_rows_are_matched_by_number_and_title() -> None:
    old = read_plan_bytes(original_plan(), "a.txt").tasks
    new = read_plan_bytes(revised_plan(), "b.txt").tasks
    assert match_rows(old, new) == [(0, 0), (1, 1), (2, 2), (3, None), (None, 3)]
    # A row inserted above: numbers move, titles still find their rows.
    shifted = [new[3], *new[:3]]
    assert match_rows(old, shifted)[:3] == [(0, 1), (1, 2), (2, 3)]
    assert copy_share([t.title for t in old], [t.title for t in new]) == 0.75


def test_the_revised_version_amends_the_plan(app: Flask, clock: FixedClock) -> None:
    officer = _officer()
    plan = _imported(clock, officer)
    first = _task(plan, "1")
    head = make_user(Role.UNIT_HEAD, commune=plan.commune, unit=first.unit)
    tasks.submit_task(first, head, "Đã tuyên truyền", [], clock)
    tasks.approve_task(first, officer, None, clock)
    assert first.status == TaskStatus.DONE_ON_TIME
    second, removed = _task(plan, "2"), _task(plan, "4")
    assert second.due_on == dt.date(2026, 6, 30) and removed.status == TaskStatus.NOT_DUE

    revised = read_plan_bytes(revised_plan(), "ke-hoach-35.txt")
    assert plan_imports.revision_candidate(revised, "Phường Hòa Bình") is plan
    diffs = plan_amendments.diff_plan(plan, revised, dt.date(2026, 5, 4))
    assert [d.kind for d in diffs] == ["changed", "changed", "unchanged", "removed", "added"]
    assert [c.name for c in diffs[1].changes] == ["time_text"]
    assert diffs[1].first_dates[0] == dt.date(2026, 9, 30)
    assert db.session.query(PlanRevision).count() == 0  # a diff stores nothing

    revision = plan_amendments.amend_plan(
        plan, revised, filename="ke-hoach-35.txt",
        digest=plan_imports.content_digest(revised), actor=officer, clock=clock)
    assert revision.summary["changed"] == 2 and revision.summary["added"] == 1
    assert revision.number == "35/KH-UBND" and revision.amended_by_id == officer.id
    # Done work stays as done, under the title it was done with.
    db.session.refresh(first)
    assert first.status == TaskStatus.DONE_ON_TIME and "sâu rộng" not in first.title
    # The changed phrase moved the open task's deadline through its workflow.
    db.session.refresh(second)
    assert (second.due_on, second.original_due_on) == (dt.date(2026, 9, 30), dt.date(2026, 6, 30))
    assert any(e.action == "amend" and "30/06/2026 → 30/09/2026" in (e.comment or "")
               for e in second.events)
    instance = db.session.get(WorkflowInstance, second.instance_id)
    assert instance is not None
    # The removed row's open task is cancelled with the reason; the row stays, marked.
    db.session.refresh(removed)
    assert removed.status == TaskStatus.CANCELLED
    assert "Bỏ trong bản sửa đổi 35/KH-UBND" in (removed.events[-1].comment or "")
    assert removed.plan_item.removed_in_id == revision.id
    # The added row has this year's task (on the table) and the new process for 2027.
    added = _task(plan, "4")
    assert added.plan_item.removed_in_id is None and added.instance_id is None
    assert added.due_on == dt.date(2026, 11, 2) and added.status == TaskStatus.NOT_DUE
    clock.set(dt.datetime(2027, 1, 2, 3, tzinfo=dt.UTC))
    start_due_years(clock)
    later = {t.plan_item.ref: t for t in db.session.scalars(
        db.select(Task).where(Task.plan_id == plan.id, Task.year == 2027))}
    assert sorted(later) == ["1", "2", "3", "4"]
    assert "sâu rộng" in later["1"].title and later["2"].due_on == dt.date(2027, 9, 30)
    assert later["4"].plan_item_id == added.plan_item_id
    # The same revision a second time is refused, and found as a duplicate in the preview.
    with pytest.raises(plan_amendments.AmendmentRefused, match="đã được áp dụng"):
        plan_amendments.amend_plan(plan, revised, filename="x.txt",
                                   digest=plan_imports.content_digest(revised), actor=officer,
                                   clock=clock)
    duplicate = plan_imports.find_duplicate(revised, "Phường Hòa Bình")
    assert duplicate is not None and duplicate.plan is plan


def test_an_error_leaves_nothing_half_written(app: Flask, clock: FixedClock,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    officer = _officer()
    plan = _imported(clock, officer)
    plan.withdrawn_at = clock.now()
    revised = read_plan_bytes(revised_plan(), "b.txt")
    with pytest.raises(plan_amendments.AmendmentRefused, match="thu hồi"):
        plan_amendments.amend_plan(plan, revised, filename="b.txt", digest="x", actor=officer,
                                   clock=clock)
    plan.withdrawn_at = None
    # The engine refuses the amended process after the rows were written: all of it goes.
    def refuse(xml: str, name: str) -> object:
        raise WorkflowError(f"{name}: quy trình không hợp lệ")

    monkeypatch.setattr(specs, "validate_bpmn", refuse)
    before = db.session.query(PlanItem).count()
    with pytest.raises(plan_amendments.AmendmentRefused, match="quy trình không hợp lệ"):
        plan_amendments.amend_plan(plan, revised, filename="b.txt", digest="y", actor=officer,
                                   clock=clock)
    assert db.session.query(PlanItem).count() == before
    assert db.session.query(PlanRevision).count() == 0
    assert db.session.scalars(db.select(Task.status).join(PlanItem)
                              .where(PlanItem.ref == "4")).one() == TaskStatus.NOT_DUE


def test_a_reworded_copy_is_a_duplicate(app: Flask, clock: FixedClock) -> None:
    officer = _officer()
    plan = _imported(clock, officer)
    copy = read_plan_bytes(original_plan(), "copy.txt")
    copy.number = "99/KH-UBND"
    for task in copy.tasks:
        task.title = task.title.replace("các", "những")
    duplicate = plan_imports.find_duplicate(copy, "Phường Hòa Bình")
    assert duplicate is not None and duplicate.plan is plan and duplicate.same_text
    assert plan_imports.revision_candidate(copy, "Phường Hòa Bình") is None
