"""A simulated year of one commune: exactly the mails the ladder promises, delivered once.

The scheduler also archives (services.archives) at its first tick of each day: by December
the mails of the first half-year of finished tasks and digests are in ARCHIVE_DIR, and the
year's count is the table's rows plus the archived ones — none sent twice.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
from collections import Counter
from pathlib import Path

from flask import Flask

from tests.reminders.conftest import make_people
from tests.reminders.helpers import add_task, at, days, mail_counts, set_status, tick
from tests.smtp import SmtpServer
from tracker.clock import FixedClock
from tracker.extensions import db
from tracker.models import Mail, MailStatus, Task, TaskEvent, TaskStatus

D = dt.date


def test_a_year_of_reminders(app: Flask, clock: FixedClock, smtp_server: SmtpServer) -> None:
    p = make_people()
    officer, head, focal, chairman, coordinator = (
        p.officer.email, p.office_head.email, p.focal_head.email, p.chairman.email,
        p.coordinator.email,
    )
    # A: "Trước ngày 15/11": a point deadline, announced 30 days ahead; done on 12/11.
    task_a = add_task(p.commune, p.office, opens_on=D(2026, 11, 14), due_on=D(2026, 11, 14),
                      assignee=p.officer, coordinating=["Trung tâm Phục vụ hành chính công"])
    # B: "Tháng 12": the window is December; never done in the year.
    task_b = add_task(p.commune, p.office, opens_on=D(2026, 12, 1), due_on=D(2026, 12, 31),
                      assignee=p.officer)
    # C: "Quý I": due 31/3, never done: overdue all year, escalated three times.
    task_c = add_task(p.commune, p.office, opens_on=D(2026, 1, 1), due_on=D(2026, 3, 31),
                      assignee=p.officer)
    # D: the focal unit's own task, nobody assigned, done five days late.
    task_d = add_task(p.commune, p.focal_unit, opens_on=D(2026, 6, 1), due_on=D(2026, 6, 15))
    db.session.commit()
    ids = {"a": task_a.id, "b": task_b.id, "c": task_c.id, "d": task_d.id}

    for day in days(D(2026, 1, 1), D(2026, 12, 31)):
        tick(app, clock, at(day, 6, 30))  # before the send hour: yesterday's, already sent
        tick(app, clock, at(day, 17, 0))
        if day == D(2026, 6, 18):
            set_status(ids["d"], TaskStatus.DONE_LATE)
        if day == D(2026, 11, 12):
            set_status(ids["a"], TaskStatus.DONE_ON_TIME)

    overdue_c = len(range(7, (D(2026, 12, 31) - D(2026, 3, 31)).days + 1, 7))
    mondays = sum(1 for d in days(D(2026, 4, 1), D(2026, 12, 31)) if d.weekday() == 0)
    ladder = {
        ("opening", 3), ("due_soon", 2 + 3 + 3), ("due_today", 2), ("overdue", overdue_c),
    }
    expected: Counter[tuple[str, str]] = Counter()
    for kind, n in ladder:
        expected[(kind, officer)] = n
        expected[(kind, head)] = n
    expected[("coordination", coordinator)] = 1
    expected[("opening", focal)] = 1
    expected[("due_soon", focal)] = 3
    expected[("due_today", focal)] = 1
    expected[("escalation", focal)] = 3
    expected[("escalation", chairman)] = 3
    expected[("weekly_digest", chairman)] = mondays
    archived = []
    for path in sorted(Path(app.config["ARCHIVE_DIR"]).glob("mail-*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as lines:
            archived += [json.loads(line) for line in lines]
    assert {r["task_id"] for r in archived} == {ids["d"], None}  # done D, digests; never open C
    assert mail_counts() + Counter((r["kind"], r["address"]) for r in archived) == expected

    # Every row went out exactly once over real SMTP.
    rows = list(db.session.scalars(db.select(Mail)))
    assert {r.status for r in rows} | {r["status"] for r in archived} == {MailStatus.SENT}
    received = smtp_server.inbox.message_ids()
    assert len(received) == len(rows) + len(archived) == len(set(received))
    assert sorted(received) == sorted([r.message_id for r in rows]
                                      + [r["message_id"] for r in archived])

    # Escalations: once per step, each with the history of reminders already sent.
    steps = Counter(
        (m.step, m.scheduled_on) for m in rows if m.kind == "escalation" and m.address == chairman
    )
    assert steps == Counter({("7", D(2026, 4, 7)): 1, ("30", D(2026, 4, 30)): 1,
                             ("60", D(2026, 5, 30)): 1})
    last = next(m for m in rows if m.kind == "escalation" and m.step == "60"
                and m.address == chairman)
    assert "Các lần đã nhắc" in last.body_text
    assert last.body_text.count(officer) == 1 + 3 + 1 + 8  # opening, 3 before, due, 8 overdue
    events = db.session.scalars(
        db.select(TaskEvent).where(TaskEvent.task_id == ids["c"], TaskEvent.action == "escalate")
    ).all()
    assert len(events) == 3
    assert db.session.get(Task, ids["c"]).escalated_at is not None
