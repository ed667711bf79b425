"""``tracker remind``: the command-line contract."""

from __future__ import annotations

import datetime as dt
import json

from click.testing import CliRunner
from flask import Flask

from tests.reminders.conftest import make_people
from tests.reminders.helpers import add_task
from tracker.cli import main
from tracker.extensions import db
from tracker.models import Mail

D = dt.date


def test_remind_twice_for_the_same_moment(app: Flask, database_url: str) -> None:
    p = make_people()
    task = add_task(p.commune, p.office, opens_on=D(2026, 4, 1), due_on=D(2026, 5, 11),
                    assignee=p.officer, title="Rà soát thủ tục")
    db.session.commit()
    emails = sorted([p.officer.email, p.office_head.email])
    task_id = task.id
    db.session.remove()
    env = {"DATABASE_URL": database_url, "SMTP_HOST": ""}
    runner = CliRunner()
    args = ["remind", "--now", "2026-05-04T09:00", "--json"]

    dry = runner.invoke(main, [*args, "--dry-run"], env=env)
    assert dry.exit_code == 0, dry.output
    assert len(json.loads(dry.stdout)) == 2
    assert db.session.scalar(db.select(db.func.count(Mail.id))) == 0

    first = runner.invoke(main, args, env=env)
    assert first.exit_code == 0, first.output
    mails = json.loads(first.stdout)
    assert sorted(m["to"] for m in mails) == emails
    assert mails[0] == {
        "to": mails[0]["to"], "kind": "due_soon", "task": task_id, "commune": "Phường Hòa Bình",
        "unit": "Văn phòng HĐND và UBND", "due": "2026-05-11",
        "subject": "[Hạn] Còn 7 ngày: Rà soát thủ tục (hạn 11/05/2026)",
    }
    second = runner.invoke(main, args, env=env)
    assert second.exit_code == 0, second.output
    assert json.loads(second.stdout) == []
    assert db.session.scalar(db.select(db.func.count(Mail.id))) == 2
