"""The sweep skips communes where nothing came due, and that never changes a mail."""

from __future__ import annotations

import datetime as dt
import random

from flask import Flask
from sqlalchemy import delete, func, select

from tests.factories import make_user
from tests.reminders.conftest import make_people
from tests.reminders.helpers import add_task, at, tick
from tracker.clock import FixedClock
from tracker.extensions import db
from tracker.models import Mail, ReminderPolicy, ReminderSweep, Role, Task, TaskStatus
from tracker.services import reminders
from tracker.services.reminder_audience import load_communes

D = dt.date


def _swept(app: Flask, clock: FixedClock, moment: dt.datetime) -> set[int]:
    """The communes a scheduled sweep at ``moment`` would look at (nothing written)."""
    clock.set(moment)
    with app.app_context():
        due = set(reminders._communes_due(clock))
        db.session.rollback()
    return due


def test_an_idle_sweep_looks_at_no_commune(app: Flask, clock: FixedClock) -> None:
    first, second = make_people(), make_people("Xã Kiến Thụy")
    for p in (first, second):
        add_task(p.commune, p.office, opens_on=D(2026, 5, 1), due_on=D(2026, 5, 20))
    db.session.commit()
    ids = {first.commune.id, second.commune.id}

    assert tick(app, clock, at(D(2026, 5, 4), 9)).mails  # the day's mails go
    assert _swept(app, clock, at(D(2026, 5, 4), 9)) == set()  # the same moment again
    assert _swept(app, clock, at(D(2026, 5, 4), 9, 10)) == set()  # the next tick
    assert _swept(app, clock, at(D(2026, 5, 4), 23, 59)) == set()
    # Past midnight, before the send hour (7:00), the ladder day is still yesterday's.
    assert _swept(app, clock, at(D(2026, 5, 5), 0, 5)) == set()
    assert _swept(app, clock, at(D(2026, 5, 5), 7)) == ids  # the new ladder day
    assert _swept(app, clock, at(D(2026, 5, 3), 9)) == ids  # the clock went back


def test_a_change_makes_only_its_commune_looked_at_again(app: Flask, clock: FixedClock) -> None:
    first, second = make_people(), make_people("Xã Kiến Thụy")
    task = add_task(first.commune, first.office, opens_on=D(2026, 5, 1), due_on=D(2026, 5, 20))
    add_task(second.commune, second.office, opens_on=D(2026, 5, 1), due_on=D(2026, 5, 20))
    db.session.commit()
    moment = at(D(2026, 5, 4), 9)
    tick(app, clock, moment)

    # A task assigned at the very moment of the sweep (a fixed clock): its commune again.
    task = db.session.get(Task, task.id)
    task.assignee_id = first.officer.id
    task.updated_at = clock.now()
    db.session.commit()
    assert _swept(app, clock, moment) == {first.commune.id}
    result = tick(app, clock, moment)
    assert [m.to for m in result.mails] == [first.officer.email]  # the assignee's catch-up
    # That sweep saw the change: the next tick leaves both communes alone.
    later = moment + dt.timedelta(minutes=5)
    assert _swept(app, clock, later) == set()
    moment = later

    # A new unit head of the second commune: edits to people forget the commune's record.
    make_user(Role.UNIT_HEAD, commune=second.commune, unit=second.office, email="moi@han.test")
    db.session.commit()
    assert _swept(app, clock, moment) == {second.commune.id}
    assert "moi@han.test" in {m.to for m in tick(app, clock, moment).mails}

    # The policy: a later send hour.
    db.session.add(ReminderPolicy(commune_id=first.commune.id, send_hour=8))
    db.session.commit()
    assert _swept(app, clock, moment) == {first.commune.id}


def test_a_change_that_commits_after_the_sweep_is_looked_at(
    app: Flask, clock: FixedClock
) -> None:
    """A request stamps a task before a sweep reads it and commits after: the sweep did not
    see it, so a later tick looks again; one that the sweep did see is left alone."""
    first, second = make_people(), make_people("Xã Kiến Thụy")
    late = add_task(first.commune, first.office, opens_on=D(2026, 5, 1), due_on=D(2026, 5, 20))
    add_task(second.commune, second.office, opens_on=D(2026, 5, 1), due_on=D(2026, 5, 20))
    db.session.commit()
    moment = at(D(2026, 5, 4), 9)
    tick(app, clock, moment)  # opens both tasks: stamped at the sweep's moment, and seen

    late = db.session.get(Task, late.id)
    late.assignee_id = first.officer.id
    late.updated_at = moment - dt.timedelta(minutes=3)  # stamped before, committed after
    db.session.commit()
    later = moment + dt.timedelta(minutes=5)
    assert _swept(app, clock, later) == {first.commune.id}
    assert [m.to for m in tick(app, clock, later).mails] == [first.officer.email]
    assert _swept(app, clock, later + dt.timedelta(minutes=5)) == set()

    # Another change of the same row within the margin, again after the sweep.
    late = db.session.get(Task, late.id)
    late.sequence += 1
    late.updated_at = later - dt.timedelta(minutes=1)
    db.session.commit()
    assert _swept(app, clock, later + dt.timedelta(minutes=5)) == {first.commune.id}
    tick(app, clock, later + dt.timedelta(minutes=5))
    assert _swept(app, clock, later + dt.timedelta(minutes=10)) == set()


def test_a_rolled_back_edit_keeps_the_record(app: Flask, clock: FixedClock) -> None:
    p = make_people()
    add_task(p.commune, p.office, opens_on=D(2026, 5, 1), due_on=D(2026, 5, 20))
    db.session.commit()
    tick(app, clock, at(D(2026, 5, 4), 9))
    p.office_head.full_name = "Tên khác"
    db.session.flush()
    assert db.session.scalar(select(func.count()).select_from(ReminderSweep)) == 0
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(ReminderSweep)) == 1


def test_a_digest_hour_makes_its_commune_looked_at(app: Flask, clock: FixedClock) -> None:
    p = make_people()
    p.office_head.mail_mode = "digest"
    p.office_head.digest_hour = 15
    add_task(p.commune, p.office, opens_on=D(2026, 5, 1), due_on=D(2026, 5, 6))
    db.session.commit()
    tick(app, clock, at(D(2026, 5, 4), 9))
    assert _swept(app, clock, at(D(2026, 5, 4), 14, 55)) == set()
    assert _swept(app, clock, at(D(2026, 5, 4), 15, 5)) == {p.commune.id}
    assert [m.kind for m in tick(app, clock, at(D(2026, 5, 4), 15, 5)).mails] == ["daily_digest"]
    assert _swept(app, clock, at(D(2026, 5, 4), 16)) == set()


def _keys_of_a_full_sweep(clock: FixedClock) -> set[str]:
    """What a sweep that looked at every commune would queue now (rolled back)."""
    with db.session.begin_nested() as nested:
        db.session.execute(delete(ReminderSweep))
        keys = {m.dedupe_key for m in reminders.queue_due_mail(clock)}
        nested.rollback()
    return keys


def test_skipping_never_changes_what_is_queued(app: Flask, clock: FixedClock) -> None:
    """Three weeks of ticks every few hours with changes in between: at every tick the
    sweep queues exactly what a sweep of every commune would have queued."""
    rng = random.Random(16)
    communes = [make_people(), make_people("Xã Kiến Thụy"), make_people("Phường Đồ Sơn")]
    communes[1].office_head.mail_mode = "digest"
    communes[1].office_head.digest_hour = 11
    db.session.add(ReminderPolicy(commune_id=communes[2].commune.id, send_hour=13,
                                  escalation_days=[2, 5]))
    tasks = []
    for p in communes:
        for n in range(6):
            opens = D(2026, 5, 1) + dt.timedelta(days=rng.randrange(0, 15))
            due = opens + dt.timedelta(days=rng.randrange(0, 12))
            tasks.append(add_task(p.commune, rng.choice([p.office, p.focal_unit]),
                                  opens_on=opens, due_on=due, title=f"Việc {n}").id)
    db.session.commit()
    moment = at(D(2026, 5, 1), 0)
    queued = skipped = 0
    while moment < at(D(2026, 5, 22), 0):
        moment += dt.timedelta(hours=rng.choice([1, 2, 3, 5]), minutes=rng.randrange(60))
        clock.set(moment)
        if rng.random() < 0.3:  # someone assigns, submits, or the deadline moves
            task = db.session.get(Task, rng.choice(tasks))
            p = next(p for p in communes if p.commune.id == task.commune_id)
            change = rng.choice(["assign", "move", "submit"])
            if change == "assign":
                task.assignee_id = p.officer.id
            elif change == "move" and task.due_on is not None:
                task.due_on += dt.timedelta(days=3)
            elif task.status == TaskStatus.IN_PROGRESS:
                task.status = str(TaskStatus.AWAITING_REVIEW)
            task.updated_at = clock.now()
            db.session.commit()
        with app.app_context():
            skipped += len(reminders._communes_due(clock)) < len(communes)
            expected = _keys_of_a_full_sweep(clock)
            got = {m.dedupe_key for m in reminders.queue_due_mail(clock)}
            db.session.commit()
        assert got == expected, moment
        queued += len(got)
    assert queued > 30  # the scenario did send a lot: the comparison is not vacuous
    assert skipped > 50  # and most ticks did skip communes
    assert db.session.scalar(select(func.count()).select_from(Mail)) == queued


def test_load_communes_is_only_asked_for_what_is_due(
    app: Flask, clock: FixedClock, monkeypatch: object
) -> None:
    p = make_people()
    add_task(p.commune, p.office, opens_on=D(2026, 5, 1), due_on=D(2026, 5, 20))
    db.session.commit()
    tick(app, clock, at(D(2026, 5, 4), 9))
    asked: list[object] = []

    def spy(commune_ids: object = None, opened_by: object = None) -> object:
        asked.append(commune_ids)
        return load_communes(commune_ids, opened_by)  # type: ignore[arg-type]

    monkeypatch.setattr(reminders, "load_communes", spy)  # type: ignore[attr-defined]
    assert tick(app, clock, at(D(2026, 5, 4), 9, 5)).mails == []
    assert asked == [[]]
