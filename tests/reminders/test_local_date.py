"""Mails are dated in Hải Phòng: between 00:00 and 07:00 Vietnam time it is already tomorrow in
every text, subject and "days overdue" (UTC is still on the day before)."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from click.testing import CliRunner
from flask import Flask

from tests.reminders.conftest import make_people
from tests.reminders.helpers import add_task, at
from tracker.cli import main
from tracker.clock import FixedClock
from tracker.extensions import db
from tracker.models import Mail, MailKind
from tracker.services.reminders import run_reminder_sweep

D = dt.date
DAYS_LATE = re.compile(r"quá hạn (\d+) ngày", re.IGNORECASE)


@pytest.mark.parametrize("hour, minute", [(0, 30), (3, 19), (6, 59)])
def test_before_the_send_hour_mails_count_from_the_vietnam_date(
    app: Flask, clock: FixedClock, hour: int, minute: int
) -> None:
    p = make_people()
    due = D(2026, 9, 30)
    add_task(p.commune, p.office, opens_on=D(2026, 7, 1), due_on=due, assignee=p.officer)
    soon = add_task(p.commune, p.office, opens_on=D(2026, 12, 1), due_on=D(2026, 12, 31),
                    assignee=p.officer)
    db.session.commit()
    moment = at(D(2026, 12, 2), hour, minute)
    assert moment.astimezone(dt.UTC).date() == D(2026, 12, 1)  # UTC is a day behind
    clock.set(moment)
    run_reminder_sweep(clock)
    rows = list(db.session.scalars(db.select(Mail)))
    assert rows
    expected_late = (D(2026, 12, 2) - due).days  # 63
    seen_late = 0
    for row in rows:
        assert row.scheduled_on == D(2026, 12, 2), (row.kind, row.subject)
        for text in (row.subject, row.body_text):
            for number in DAYS_LATE.findall(text):
                assert int(number) == expected_late, (row.kind, text)
                seen_late += 1
        if row.task_id == soon.id and row.kind != MailKind.ESCALATION:
            # 29 days left from 02/12 to 31/12, never 30 (that would be counting from 01/12).
            assert "30 ngày" not in row.body_text and "29 ngày" in row.body_text, row.body_text
    assert seen_late > 0


def test_after_midnight_the_due_today_step_is_not_repeated_as_today(
    app: Flask, clock: FixedClock
) -> None:
    # Due 01/12: its due-today mail went at 07:00 on 01/12; at 00:30 on 02/12 nothing says
    # "hôm nay" about it any more, and a step still unsent is a catch-up dated 02/12.
    p = make_people()
    add_task(p.commune, p.office, opens_on=D(2026, 11, 1), due_on=D(2026, 12, 1),
             assignee=p.officer)
    db.session.commit()
    clock.set(at(D(2026, 12, 2), 0, 30))
    run_reminder_sweep(clock)
    rows = list(db.session.scalars(db.select(Mail)))
    assert rows and {r.kind for r in rows} == {MailKind.CATCH_UP}
    for row in rows:
        assert "Hôm nay" not in row.subject
        assert "quá hạn 1 ngày" in row.body_text


def test_remind_json_counts_days_overdue_from_the_vietnam_date(
    app: Flask, database_url: str
) -> None:
    p = make_people()
    due = D(2026, 9, 30)
    add_task(p.commune, p.office, opens_on=D(2026, 7, 1), due_on=due, assignee=p.officer)
    db.session.commit()
    result = CliRunner().invoke(main, ["remind", "--now", "2026-12-02T03:19:00+07:00", "--json"],
                                env={"DATABASE_URL": database_url})
    assert result.exit_code == 0, result.output
    mails = json.loads(result.stdout)
    numbers = [int(n) for m in mails for n in DAYS_LATE.findall(m["subject"])]
    assert numbers and set(numbers) == {63}
