"""A sweep that queues many mails at once (on PostgreSQL their ids come from the sequence in
one query and the rows go as one prepared INSERT): the same rows, delivered once each, and
the sweep's summary read in bulk."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from sqlalchemy import func, select

from tests.reminders.conftest import make_people
from tests.reminders.helpers import add_task, at, tick
from tests.smtp import SmtpServer
from tracker.clock import FixedClock
from tracker.extensions import db
from tracker.models import Mail, MailStatus
from tracker.services import mail as mail_service
from tracker.services import reminders

D = dt.date
TASKS = mail_service.NUMBER_AT_LEAST + 20


def test_a_sweep_of_many_mails_queues_and_sends_each_once(
    app: Flask, clock: FixedClock, smtp_server: SmtpServer
) -> None:
    p = make_people()
    tasks = [
        add_task(p.commune, p.office, opens_on=D(2026, 5, 1), due_on=D(2026, 5, 20),
                 title=f"Việc số {n} & <kiểm tra>")
        for n in range(TASKS)
    ]
    db.session.commit()

    result = tick(app, clock, at(D(2026, 5, 4), 9))

    rows = db.session.scalars(select(Mail).order_by(Mail.id)).all()
    assert len(rows) == len(result.mails) >= TASKS  # the office's head, for every task
    assert len({r.id for r in rows}) == len(rows)
    assert {r.status for r in rows} == {MailStatus.SENT}
    assert len(smtp_server.inbox.messages) == len(rows)  # each sent once
    assert sorted(smtp_server.inbox.message_ids()) == sorted(r.message_id for r in rows)
    by_task = {s.task: s for s in result.mails}
    for task in tasks:
        summary = by_task[task.id]
        assert (summary.unit, summary.due, summary.commune) == (
            p.office.name, "2026-05-20", p.commune.name)
    # The rows are stored ones: their relations load, and a later sweep adds nothing.
    assert rows[0].task is not None and rows[0].task.title.startswith("Việc số")
    assert "&amp; &lt;kiểm tra&gt;" in rows[0].body_html
    assert tick(app, clock, at(D(2026, 5, 4), 9, 30)).mails == []
    assert db.session.scalar(select(func.count()).select_from(Mail)) == len(rows)


def test_queued_rows_are_in_the_session_as_stored(app: Flask, clock: FixedClock) -> None:
    """What queue_due_mail returns is usable in the same unit of work (ids, relations)."""
    p = make_people()
    for n in range(TASKS):
        add_task(p.commune, p.office, opens_on=D(2026, 5, 1), due_on=D(2026, 5, 20),
                 title=f"Việc {n}")
    db.session.commit()
    clock.set(at(D(2026, 5, 4), 9))

    rows = reminders.queue_due_mail(clock)

    assert len(rows) >= TASKS and all(r.id is not None for r in rows)
    assert all(r in db.session for r in rows)
    assert rows[-1].recipient is not None and rows[-1].recipient.email == rows[-1].address
    found = db.session.scalars(select(Mail).where(Mail.id == rows[-1].id)).one()
    assert found is rows[-1]  # one object per row in the session
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Mail)) == 0
