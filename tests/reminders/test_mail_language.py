"""Reminder mail is written in its recipient's language, the lead sentence included."""

from __future__ import annotations

import datetime as dt

from flask import Flask

from tests.reminders.conftest import make_people
from tests.reminders.helpers import add_task, at, tick
from tracker.clock import FixedClock
from tracker.extensions import db
from tracker.models import Mail, ReminderPolicy

D = dt.date


def test_reminder_lead_follows_the_recipients_language(app: Flask, clock: FixedClock) -> None:
    p = make_people()
    p.officer.locale = "en"  # the office head keeps Vietnamese
    add_task(p.commune, p.office, opens_on=D(2026, 5, 4), due_on=D(2026, 5, 5),
             assignee=p.officer, title="Rà soát thủ tục hành chính")
    db.session.commit()
    tick(app, clock, at(D(2026, 5, 4), 9))
    mails = {m.address: m for m in db.session.scalars(db.select(Mail))}

    english = mails["congchuc@han.test"]
    assert english.kind == "opening"
    for body in (english.body_text, english.body_html):
        assert "It is time to start the task below; it is due in 1 day." in body
        assert "dưới đây" not in body
    assert "Task: Rà soát thủ tục hành chính" in english.body_text

    vietnamese = mails["vanphong@han.test"]
    for body in (vietnamese.body_text, vietnamese.body_html):
        assert "Đã đến lúc bắt đầu việc dưới đây; còn 1 ngày đến hạn." in body
    assert "Việc: Rà soát thủ tục hành chính" in vietnamese.body_text


def test_english_escalation_one_day_overdue_says_day_not_days(
    app: Flask, clock: FixedClock
) -> None:
    """Day counts are plural forms (ngettext): English says "1 day", "3 days"."""
    p = make_people()
    p.chairman.locale = "en"
    db.session.add(ReminderPolicy(commune_id=p.commune.id, escalation_days=[1, 3]))
    add_task(p.commune, p.office, opens_on=D(2026, 5, 4), due_on=D(2026, 5, 5),
             assignee=p.officer, title="Rà soát thủ tục hành chính")
    db.session.commit()
    tick(app, clock, at(D(2026, 5, 6), 9))
    tick(app, clock, at(D(2026, 5, 8), 9))
    escalations = {
        m.step: m
        for m in db.session.scalars(db.select(Mail).where(Mail.kind == "escalation"))
        if m.address == "chutich@han.test"
    }

    one = escalations["1"]
    assert "1 day overdue, direction needed" in one.subject
    for body in (one.body_text, one.body_html):
        assert "is 1 day overdue and not done" in body
        assert "1 days" not in body
    assert "1 days" not in one.subject
    three = escalations["3"]
    assert "3 days overdue, direction needed" in three.subject
    assert "is 3 days overdue and not done" in three.body_text


def test_an_escalation_lists_the_reminder_sent_in_the_same_sweep(
    app: Flask, clock: FixedClock
) -> None:
    """The overdue mail to the assignee goes out in the sweep that escalates: the chairman is
    told of it, not "no reminder was sent"."""
    p = make_people()
    db.session.add(ReminderPolicy(commune_id=p.commune.id, escalation_days=[1]))
    add_task(p.commune, p.office, opens_on=D(2026, 5, 4), due_on=D(2026, 5, 5),
             assignee=p.officer, title="Rà soát thủ tục hành chính")
    db.session.commit()
    tick(app, clock, at(D(2026, 5, 6), 9))
    reminders = db.session.scalars(
        db.select(Mail).where(Mail.kind != "escalation", Mail.address == "congchuc@han.test")
    ).all()
    assert reminders, "the assignee is reminded in this sweep"
    escalation = db.session.scalars(
        db.select(Mail).where(Mail.kind == "escalation", Mail.address == "chutich@han.test")
    ).one()
    for body in (escalation.body_text, escalation.body_html):
        assert "Chưa có thư nhắc nào" not in body
        assert "congchuc@han.test" in body


def test_mail_addresses_people_as_comrade_not_you(app: Flask, clock: FixedClock) -> None:
    """Official mail says "đồng chí", never "bạn"."""
    p = make_people()
    add_task(p.commune, p.office, opens_on=D(2026, 5, 4), due_on=D(2026, 5, 5),
             assignee=p.officer, title="Rà soát thủ tục hành chính")
    db.session.commit()
    tick(app, clock, at(D(2026, 5, 4), 9))
    mails = db.session.scalars(db.select(Mail)).all()
    assert mails
    for mail in mails:
        assert "Kính gửi đồng chí" in mail.body_text
        assert " bạn " not in mail.body_text and " bạn." not in mail.body_text


def test_html_mail_escapes_what_people_typed_once(app: Flask, clock: FixedClock) -> None:
    """A title with markup characters, in a sentence's placeholder and in a table cell: shown
    as typed, escaped exactly once (not raw, not "&amp;amp;"), in both languages; the web
    pages' templates still translate per request afterwards."""
    p = make_people()
    p.officer.locale = "en"
    p.office.name = "Phòng <Văn> & phòng"
    add_task(p.commune, p.office, opens_on=D(2026, 4, 1), due_on=D(2026, 4, 20),
             assignee=p.officer, title="Rà soát <b>thủ tục</b> & niêm yết")
    db.session.commit()
    tick(app, clock, at(D(2026, 5, 4), 9))  # overdue: reminders, then the escalation
    mails = list(db.session.scalars(db.select(Mail)))
    assert {"escalation", "weekly_digest"} < {m.kind for m in mails}
    for mail in mails:
        if mail.kind == "weekly_digest":
            continue
        assert "Rà soát &lt;b&gt;thủ tục&lt;/b&gt; &amp; niêm yết" in mail.body_html
        assert "<b>thủ tục</b>" not in mail.body_html and "&amp;amp;" not in mail.body_html
        assert "Rà soát <b>thủ tục</b> & niêm yết" in mail.body_text
    escalation = next(m for m in mails if m.kind == "escalation")
    assert "Phòng &lt;Văn&gt; &amp; phòng" in escalation.body_html
    english = next(m for m in mails if m.address == p.officer.email)
    assert "Task:" in english.body_text and "Dear" in english.body_text
    vietnamese = next(m for m in mails if m.address == p.office_head.email)
    assert "Kính gửi" in vietnamese.body_text
    client = app.test_client()
    assert "Đăng nhập" in client.get("/dang-nhap").get_data(as_text=True)
