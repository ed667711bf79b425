"""A recurring deadline set by hand from the short form, read through the deadline engine."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask

from tests.factories import make_user
from tests.services.test_deadlines import UNREAD, _rows, _started
from tracker.clock import FixedClock, today
from tracker.extensions import db
from tracker.models import Role, Task, TaskStatus
from tracker.services import deadline_cadences, deadlines
from tracker.services.deadline_cadences import CadenceForm, parse_cadence_form
from tracker.services.rollover import start_due_years


def test_the_short_form_becomes_the_engines_phrase_and_bad_input_names_the_field() -> None:
    phrase = deadline_cadences.cadence_phrase
    assert phrase(parse_cadence_form("month", "25")) == "Ngày 25 hằng tháng"
    assert phrase(parse_cadence_form("quarter", 15)) == "Ngày 15 tháng cuối quý"
    assert phrase(parse_cadence_form("year", "15", "11")) == "Ngày 15/11 hằng năm"
    for args, field in [(("quarter", "31"), "Ngày: phải từ 1 đến 30"),
                        (("month", "0"), "Ngày: phải từ 1 đến 31"),
                        (("month", "mười"), "Ngày: “mười” không phải một số"),
                        (("year", "29", "2"), "Ngày: tháng 2 không có ngày 29"),
                        (("year", "5", "13"), "Tháng: phải từ 1 đến 12"),
                        (("year", "5", ""), "Tháng: chưa nhập"),
                        (("week", "5"), "Lặp lại")]:
        with pytest.raises(deadlines.DeadlineError, match=field):
            parse_cadence_form(*args)


def test_a_monthly_cadence_set_by_hand_makes_the_tasks_and_keeps_the_documents_phrase(
    app: Flask, clock: FixedClock
) -> None:
    instance = _started(clock, unread_row=0)
    task = next(t for t in _rows(instance) if t.plan_item.time_text == UNREAD)
    focal = make_user(Role.FOCAL_OFFICER, commune=task.commune)
    head = make_user(Role.UNIT_HEAD, commune=task.commune, unit=task.unit)
    form = CadenceForm("month", 25)
    with pytest.raises(deadlines.DeadlineError, match="không có quyền"):
        deadline_cadences.set_cadence(task, head, form, "x", clock)
    with pytest.raises(deadlines.DeadlineError, match="Lý do đặt hạn"):
        deadline_cadences.set_cadence(task, focal, form, " ", clock)
    created = deadline_cadences.set_cadence(task, focal, form, "Theo công văn 12/UBND", clock)
    item = task.plan_item
    assert (item.time_text, item.original_time_text) == ("Ngày 25 hằng tháng", UNREAD)
    assert item.cadence_kind == "monthly" and item.time_set_by_id == focal.id
    assert item.time_set_reason == "Theo công văn 12/UBND" and item.time_set_at is not None
    # The dateless task is cancelled with the reason; one task per month still ahead this year.
    db.session.refresh(task)
    assert task.status == TaskStatus.CANCELLED
    assert "Ngày 25 hằng tháng" in (task.events[-1].comment or "")
    on = today(clock)
    assert created and all(t.year == 2026 and t.due_on is not None and t.due_on >= on
                           for t in created)
    assert [t.due_on.month for t in created if t.due_on] == list(range(on.month, 13))
    assert all(t.unit_id == task.unit_id and t.status in (TaskStatus.NOT_DUE,
                                                          TaskStatus.IN_PROGRESS)
               for t in created)
    opened = created[0].events[0]
    assert "Theo công văn 12/UBND" in (opened.comment or "") and opened.actor_id == focal.id
    # No longer needing a deadline; a second cadence on the cancelled task is refused.
    assert not any(deadlines.needs_deadline(t) for t in created)
    with pytest.raises(deadlines.DeadlineError, match="chưa có hạn"):
        deadline_cadences.set_cadence(task, focal, form, "lại", clock)
    # The coming year starts from the plan's process as set: twelve monthly tasks.
    clock.set(dt.datetime(2027, 1, 2, 3, tzinfo=dt.UTC))
    start_due_years(clock)
    later = list(db.session.scalars(
        db.select(Task).where(Task.plan_item_id == item.id, Task.year == 2027)))
    assert sorted(t.due_on.month for t in later if t.due_on) == list(range(1, 13))
