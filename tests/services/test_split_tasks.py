"""A split collective task: the original is a container that follows its shares.

On a real seed plan (Hòa Bình's, ref 4 "Tổ chức thực hiện các tiêu chí…", lead "Các phòng
chuyên môn, các đơn vị liên quan" — the plan's own wording of every unit —, quarterly
check-ins): the second quarter is due 30/06/2026 and is overdue on
02/07/2026 when the focal officer splits it among three units.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.factories import make_user
from tests.web.conftest import login, page_text
from tracker.clock import VN_TZ, FixedClock
from tracker.extensions import db
from tracker.importing import read_plan
from tracker.models import (
    CalendarScope,
    Commune,
    Mail,
    MailKind,
    Role,
    Task,
    TaskEvent,
    TaskStatus,
    Unit,
    UnitKind,
    User,
    WorkflowInstance,
)
from tracker.services.assignments import (
    AssignmentError,
    assign_task,
    is_collective,
    split_task,
)
from tracker.services.calendars import FeedComponent, FeedSettings, FeedTarget, feed_tasks
from tracker.services.dashboards import overdue_board
from tracker.services.plans import store_plan
from tracker.services.reminders import ReminderRefused, queue_due_mail, send_reminder_now
from tracker.services.rollups import commune_rollup
from tracker.services.task_lists import TaskFilters, list_tasks, review_queue
from tracker.services.tasks import (
    TaskActionError,
    approve_task,
    refresh_statuses,
    return_task,
    submit_task,
)
from tracker.services.workflows import load_run, start_instance

SEED = Path(__file__).resolve().parents[2] / "seeds" / "000_96978fae4b697af7.txt"
SHARE_UNITS = ("Phòng Văn hóa - Xã hội", "Văn phòng HĐND và UBND", "Phòng Kinh tế - Hạ tầng")
WORDING = "Các phòng chuyên môn, các đơn vị liên quan"  # as the seed writes it
AFTER_DUE = dt.datetime(2026, 7, 2, 9, tzinfo=VN_TZ)
TODAY = AFTER_DUE.date()


class Scene:
    def __init__(self, clock: FixedClock) -> None:
        plan = store_plan(read_plan(SEED), source_name=SEED.name, clock=clock)
        self.commune: Commune = plan.commune
        self.instance = start_instance(plan, plan.commune, 2026, clock)
        clock.set(AFTER_DUE)
        refresh_statuses(clock)  # the deadline timer fires: overdue, escalated once
        self.original: Task = db.session.scalars(
            db.select(Task).where(
                Task.instance_id == self.instance.id,
                Task.ref == "4",
                Task.occurrence_key == "2026-Q2",
            )
        ).one()
        self.units: list[Unit] = [self._unit(name) for name in SHARE_UNITS]
        self.heads: list[User] = [
            make_user(Role.UNIT_HEAD, commune=self.commune, unit=u) for u in self.units
        ]
        self.focal = make_user(Role.FOCAL_OFFICER, commune=self.commune)
        self.chairman = make_user(Role.CHAIRMAN, commune=self.commune)

    def _unit(self, name: str) -> Unit:
        found = db.session.scalar(
            db.select(Unit).where(Unit.commune_id == self.commune.id, Unit.name == name)
        )
        if found is not None:
            return found
        unit = Unit(commune_id=self.commune.id, name=name, slug=f"u-{len(name)}-{name[:3]}",
                    kind="office", is_focal=False)
        db.session.add(unit)
        db.session.flush()
        return unit

    def split(self, clock: FixedClock) -> list[Task]:
        return split_task(
            self.original, unit_ids=[u.id for u in self.units], actor=self.focal, clock=clock
        )


@pytest.fixture
def scene(app: Flask, clock: FixedClock) -> Scene:
    return Scene(clock)


def _events(task: Task) -> list[TaskEvent]:
    return list(db.session.scalars(
        db.select(TaskEvent).where(TaskEvent.task_id == task.id).order_by(TaskEvent.id)
    ))


def _board_ids(scene: Scene) -> list[int]:
    return [item.task.id for item in overdue_board(scene.commune, TODAY).items]


def test_the_collective_lead_keeps_the_plans_wording_and_still_means_every_unit(
    scene: Scene, clock: FixedClock
) -> None:
    assert scene.original.unit.name == WORDING
    assert scene.original.unit.kind == UnitKind.COLLECTIVE
    assert is_collective(scene.original)
    shares = scene.split(clock)
    assert sorted(s.unit.name for s in shares) == sorted(SHARE_UNITS)
    assert all(s.title == scene.original.title for s in shares)


def test_the_board_counts_one_item_per_share_not_the_original(
    scene: Scene, clock: FixedClock
) -> None:
    assert scene.original.status == TaskStatus.OVERDUE
    before = _board_ids(scene)
    assert scene.original.id in before
    rollup_before = commune_rollup(scene.commune, 2026, TODAY).total

    shares = scene.split(clock)

    after = _board_ids(scene)
    of_item = [i for i in after if i == scene.original.id or i in {s.id for s in shares}]
    assert sorted(of_item) == sorted(s.id for s in shares)  # 3, not 4
    assert len(after) == len(before) - 1 + 3
    assert scene.original.is_split
    # The escalation list leaves the container out as well.
    board = overdue_board(scene.commune, TODAY)
    assert scene.original.id not in {e.task.id for e in board.escalations}
    # The roll-up counts the shares, not the original: totals and overdue agree with the board.
    rollup = commune_rollup(scene.commune, 2026, TODAY)
    assert rollup.total.total == rollup_before.total - 1 + 3
    assert rollup.total.overdue == rollup_before.overdue - 1 + 3 == board.total
    by_unit = {unit.name: counts for unit, counts in rollup.by_unit}
    assert WORDING not in by_unit or by_unit[WORDING].overdue == 0
    assert all(by_unit[name].overdue >= 1 for name in SHARE_UNITS)


def test_lists_calendars_and_the_review_queue_show_the_shares_only(
    scene: Scene, clock: FixedClock
) -> None:
    listing_before = list_tasks(scene.focal, TaskFilters(year=2026), TODAY)
    shares = scene.split(clock)
    listing = list_tasks(scene.focal, TaskFilters(year=2026), TODAY)
    listed = {t.id for tasks in listing.sections.values() for t in tasks}
    assert scene.original.id not in listed and {s.id for s in shares} <= listed
    assert listing.total == listing_before.total - 1 + 3
    assert listing.counts["overdue"] == listing_before.counts["overdue"] - 1 + 3

    target = FeedTarget(scope=CalendarScope.COMMUNE, name="Xã", slug="xa",
                        commune_id=scene.commune.id)
    settings = FeedSettings(base_url="https://han.example", uid_host="han.example")
    feed = {t.id for t in feed_tasks(target, scene.focal, FeedComponent.EVENT, clock.now(),
                                     settings)}
    assert scene.original.id not in feed and {s.id for s in shares} <= feed

    submit_task(shares[0], scene.heads[0], "Xong", [], clock)
    assert [t.id for t in review_queue(scene.focal)] == [shares[0].id]


def test_the_original_refuses_submit_review_assign_and_reminders(
    scene: Scene, clock: FixedClock
) -> None:
    scene.split(clock)
    original = scene.original
    events = len(_events(original))
    collective_head = make_user(Role.UNIT_HEAD, commune=scene.commune, unit=original.unit)
    with pytest.raises(TaskActionError, match=r"đã được chia cho .*Văn phòng HĐND và UBND"):
        submit_task(original, collective_head, "Xong", [], clock)
    with pytest.raises(TaskActionError, match="từng phần được chia"):
        submit_task(original, scene.focal, "Xong", [], clock)
    original.status = str(TaskStatus.AWAITING_REVIEW)  # even if it was waiting for review
    with pytest.raises(TaskActionError, match="từng phần được chia"):
        approve_task(original, scene.focal, None, clock)
    with pytest.raises(TaskActionError, match="từng phần được chia"):
        return_task(original, scene.focal, "Thiếu", clock)
    original.status = str(TaskStatus.OVERDUE)
    with pytest.raises(ReminderRefused, match="từng phần được chia"):
        send_reminder_now(original, scene.chairman, clock)
    with pytest.raises(AssignmentError, match="từng phần được chia"):
        assign_task(original, unit_id=scene.units[0].id, assignee_id=None, actor=scene.focal,
                    clock=clock)
    assert len(_events(original)) == events


def test_reminders_go_to_the_shares_units_only(scene: Scene, clock: FixedClock) -> None:
    shares = scene.split(clock)
    clock.set(AFTER_DUE + dt.timedelta(days=8))  # past the escalation steps, too
    mails = queue_due_mail(clock, [scene.commune.id])
    tasks = {m.task_id for m in mails if m.task_id is not None}
    assert scene.original.id not in tasks
    assert {s.id for s in shares} <= tasks
    escalated = {m.task_id for m in mails if m.kind == MailKind.ESCALATION}
    assert escalated == {s.id for s in shares}
    reminded = {(m.task_id, m.recipient_id) for m in mails if m.kind != MailKind.ESCALATION
                and m.task_id in {s.id for s in shares}}
    assert reminded == {(s.id, h.id) for s, h in zip(shares, scene.heads, strict=True)}
    # The manual reminder of a share reaches its unit.
    clock.set(AFTER_DUE + dt.timedelta(days=8, minutes=5))
    sent = send_reminder_now(shares[1], scene.chairman, clock)
    assert [m.recipient_id for m in sent] == [scene.heads[1].id]
    assert db.session.scalars(
        db.select(Mail).where(Mail.task_id == scene.original.id)
    ).all() == []


def test_approving_every_share_completes_the_original_in_its_workflow(
    scene: Scene, clock: FixedClock
) -> None:
    original = scene.original
    escalations = [e for e in _events(original) if e.action == "escalate"]
    assert len(escalations) == 1
    shares = scene.split(clock)
    for share, head in zip(shares, scene.heads, strict=True):
        submit_task(share, head, "Đã thực hiện", [], clock)
    # Returning one share keeps the others where they are.
    return_task(shares[0], scene.focal, "Thiếu minh chứng", clock)
    assert [s.status for s in shares] == ["returned", "awaiting_review", "awaiting_review"]
    approve_task(shares[1], scene.focal, None, clock)
    approve_task(shares[2], scene.focal, None, clock)
    assert TaskStatus(original.status).is_open  # one share still in hand
    clock.set(AFTER_DUE + dt.timedelta(days=3))
    submit_task(shares[0], scene.heads[0], "Bổ sung", [], clock)
    approve_task(shares[0], scene.focal, "Đạt", clock)

    # The last approval (05/07, after the due 30/06) completes the original, late.
    assert original.status == TaskStatus.DONE_LATE
    assert original.completed_at == clock.now()
    last = _events(original)[-1]
    assert (last.action, last.actor_id, last.to_status) == ("shares_approved", None, "done_late")
    assert "3 phần được chia" in (last.comment or "")
    # The workflow moved on: the occurrence is done in the instance, escalated only once.
    instance = db.session.get(WorkflowInstance, scene.instance.id)
    state = next(s for s in load_run(instance, clock).occurrences()
                 if s.id == original.spiff_task_id)
    assert state.stage == "done" and state.is_escalated
    assert len([e for e in _events(original) if e.action == "escalate"]) == 1
    # Done rows, still counted once per share.
    rollup = commune_rollup(scene.commune, 2026, TODAY)
    assert rollup.total.count("done_late") == 3
    # Splitting a finished container is refused.
    with pytest.raises(AssignmentError, match="đã kết thúc"):
        scene.split(clock)


def test_splitting_again_adds_units(scene: Scene, clock: FixedClock) -> None:
    first = split_task(scene.original, unit_ids=[scene.units[0].id], actor=scene.focal,
                       clock=clock)
    more = split_task(scene.original, unit_ids=[u.id for u in scene.units], actor=scene.focal,
                      clock=clock)
    assert len(first) == 1 and {s.unit_id for s in more} == {u.id for u in scene.units[1:]}
    approve_all = [*first, *more]
    for share in approve_all[:2]:
        share.status = str(TaskStatus.AWAITING_REVIEW)
        approve_task(share, scene.focal, None, clock)
    assert TaskStatus(scene.original.status).is_open  # the added unit's share is still open


def test_the_task_pages_point_at_the_shares(
    scene: Scene, client: FlaskClient, clock: FixedClock
) -> None:
    shares = scene.split(clock)
    db.session.commit()
    login(client, scene.focal)
    page = page_text(client.get(f"/viec/{scene.original.id}"))
    assert "Đã chia cho 3 đơn vị" in page
    assert all(f'/viec/{s.id}"' in page for s in shares)
    assert 'id="gui-duyet"' not in page and 'id="duyet"' not in page
    refused = client.post(f"/viec/{scene.original.id}/gui-duyet", follow_redirects=True)
    assert "từng phần được chia" in page_text(refused)
    client.post("/dang-xuat")
    login(client, scene.chairman)
    board = page_text(client.get("/bang-qua-han"))
    assert f"/bang-qua-han/nhac/{scene.original.id}" not in board
    assert all(f"/bang-qua-han/nhac/{s.id}" in board for s in shares)
    nudged = client.post(f"/bang-qua-han/nhac/{scene.original.id}", follow_redirects=True)
    assert "từng phần được chia" in page_text(nudged)
    api = client.post(f"/api/v1/tasks/{scene.original.id}/reminders")
    assert api.status_code == 409 and "từng phần được chia" in api.get_json()["error"]
    listed = client.get("/api/v1/tasks?year=2026&per_page=200").get_json()
    ids = {t["id"] for t in listed["items"]}
    assert scene.original.id not in ids and {s.id for s in shares} <= ids
    detail = client.get(f"/api/v1/tasks/{scene.original.id}").get_json()
    assert detail["is_split"] is True
