"""Digest instead of a flood: a person's daily digest and the chairman's weekly digest."""

from __future__ import annotations

import datetime as dt

from flask import Flask

from tests.reminders.conftest import make_people
from tests.reminders.helpers import add_task, at, tick
from tests.smtp import SmtpServer
from tracker.clock import FixedClock
from tracker.extensions import db
from tracker.models import Mail, Task, TaskStatus

D = dt.date


def test_the_daily_digest_groups_a_persons_tasks_at_their_hour(
    app: Flask, clock: FixedClock, smtp_server: SmtpServer
) -> None:
    p = make_people()
    p.office_head.mail_mode = "digest"
    p.office_head.digest_hour = 8
    day = D(2026, 5, 4)

    def task(title: str, opens: dt.date, due: dt.date, **kw: object) -> int:
        return add_task(p.commune, p.office, opens_on=opens, due_on=due, title=title, **kw).id

    task("Quá hạn", D(2026, 4, 1), D(2026, 4, 30), assignee=p.officer)
    task("Hôm nay", D(2026, 4, 1), day, assignee=p.officer)
    task("Trong tuần", D(2026, 4, 1), D(2026, 5, 9))
    task("Xa", D(2026, 6, 1), D(2026, 6, 30))  # window not open: not in the digest
    returned = task("Bị trả lại", D(2026, 4, 1), D(2026, 5, 20))
    add_task(p.commune, p.focal_unit, opens_on=day, due_on=D(2026, 6, 30), title="Phối hợp",
             coordinating=["Văn phòng HĐND và UBND"])
    db.session.get(Task, returned).status = str(TaskStatus.RETURNED)
    db.session.commit()

    early = tick(app, clock, at(day, 7, 30))
    assert all(m.to != p.office_head.email for m in early.mails)  # no ladder mail, no digest yet
    assert any(m.to == p.officer.email for m in early.mails)  # the instant person is reminded

    result = tick(app, clock, at(day, 8, 5))
    [digest] = [m for m in result.mails if m.to == p.office_head.email]
    assert digest.kind == "daily_digest"
    row = db.session.scalars(db.select(Mail).where(Mail.kind == "daily_digest")).one()
    text = row.body_text
    sections = ["Bị trả lại, cần bổ sung (1)", "Quá hạn (1)", "Đến hạn hôm nay (1)",
                "Đến hạn trong 7 ngày tới (1)", "Phối hợp thực hiện, mới mở (1)"]
    positions = [text.index(s) for s in sections]
    assert positions == sorted(positions)
    for title, section in [("Bị trả lại", 0), ("Quá hạn", 1), ("Hôm nay", 2),
                           ("Trong tuần", 3), ("Phối hợp", 4)]:
        at_ = text.index(f"- {title} —")
        assert positions[section] < at_ < [*positions, len(text)][section + 1]
    assert "- Xa —" not in text
    assert "https://han.test/viec/" in text
    assert "Mới mở" not in text.replace("Phối hợp thực hiện, mới mở", "")

    assert tick(app, clock, at(day, 16)).mails == []  # one digest a day
    later = tick(app, clock, at(day + dt.timedelta(days=1), 8, 0))
    assert [m.kind for m in later.mails if m.to == p.office_head.email] == ["daily_digest"]
    assert len(smtp_server.inbox.to(p.office_head.email)) == 2


def test_the_weekly_digest_lists_overdue_tasks_by_unit(
    app: Flask, clock: FixedClock, smtp_server: SmtpServer
) -> None:
    p = make_people()
    for n, unit in enumerate([p.office, p.office, p.focal_unit]):
        add_task(p.commune, unit, opens_on=D(2026, 4, 1), due_on=D(2026, 4, 20 + n),
                 title=f"Trễ {n}")
    add_task(p.commune, p.office, opens_on=D(2026, 4, 1), due_on=D(2026, 5, 30), title="Chưa")
    db.session.commit()

    result = tick(app, clock, at(D(2026, 5, 4), 9))  # a Monday
    [weekly] = [m for m in result.mails if m.kind == "weekly_digest"]
    assert weekly.to == p.chairman.email
    row = db.session.scalars(db.select(Mail).where(Mail.kind == "weekly_digest")).one()
    assert row.step == "2026-W19"
    office_at = row.body_text.index("== Văn phòng HĐND và UBND (2) ==")
    focal_at = row.body_text.index("== Phòng Văn hóa - Xã hội (1) ==")
    assert office_at < focal_at  # the unit with most overdue first
    assert "Chưa" not in row.body_text
    [message] = [m for m in smtp_server.inbox.to(p.chairman.email)
                 if str(m["Message-ID"]).strip() == row.message_id]
    assert str(message["List-Unsubscribe"]).strip().startswith("<https://han.test/thu/huy-nhan/")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # Escalations are not optional: no unsubscribe link.
    assert all("List-Unsubscribe" not in m for m in smtp_server.inbox.to(p.chairman.email)
               if m is not message)
    later = tick(app, clock, at(D(2026, 5, 6), 9)).mails
    assert "weekly_digest" not in {m.kind for m in later}  # once a week
