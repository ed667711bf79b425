"""``tracker remind`` and the scheduler meet other writers without a traceback.

Before: ``tracker remind`` ignored the scheduler lease and died with a traceback when its
sweep collided with another sender; the same uncaught error ended a scheduler tick before
its remaining jobs (delivery) ran.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner
from flask import Flask
from sqlalchemy.exc import IntegrityError

from tests.reminders.conftest import make_people
from tests.reminders.helpers import add_task
from tracker.cli import main
from tracker.clock import SystemClock
from tracker.extensions import db
from tracker.models import Mail, SchedulerLease
from tracker.services import scheduler
from tracker.services.scheduler import LEASE_NAME, acquire_lease, run_tick

D = dt.date
ARGS = ["remind", "--now", "2026-05-04T09:00", "--json"]


@pytest.fixture
def due_task(app: Flask) -> None:
    p = make_people()
    add_task(p.commune, p.office, opens_on=D(2026, 4, 1), due_on=D(2026, 5, 11),
             assignee=p.officer, title="Rà soát thủ tục")
    db.session.commit()


def _mail_count() -> int:
    db.session.expire_all()
    return int(db.session.scalar(db.select(db.func.count(Mail.id))) or 0)


def test_remind_waits_for_the_lease_and_says_so(
    app: Flask, database_url: str, due_task: None
) -> None:
    assert acquire_lease("another-host:42", SystemClock(), dt.timedelta(minutes=5))
    db.session.remove()
    env = {"DATABASE_URL": database_url, "SMTP_HOST": ""}
    result = CliRunner().invoke(main, [*ARGS, "--wait", "1"], env=env)
    assert result.exit_code == 1
    assert "Bộ lập lịch another-host:42 đang chạy; chờ tối đa 1 giây" in result.stderr
    assert "vẫn đang chạy sau 1 giây; không gửi gì" in result.stderr
    assert "Traceback" not in result.output
    assert _mail_count() == 0
    # Once the scheduler is gone (its lease expired or released) the command runs.
    db.session.execute(db.delete(SchedulerLease))
    db.session.commit()
    db.session.remove()
    ran = CliRunner().invoke(main, ARGS, env=env)
    assert ran.exit_code == 0, ran.output
    assert len(json.loads(ran.stdout)) == 2
    assert db.session.get(SchedulerLease, LEASE_NAME) is None  # given back


def test_a_collision_is_retried(
    app: Flask, database_url: str, due_task: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = scheduler.run_reminder_sweep
    calls = []

    def collide_once(clock: object, dry_run: bool = False) -> object:
        calls.append(1)
        if len(calls) == 1:
            raise IntegrityError("INSERT INTO mail", {}, Exception("duplicate key"))
        return real(clock, dry_run=dry_run)  # type: ignore[arg-type]

    monkeypatch.setattr(scheduler, "run_reminder_sweep", collide_once)
    monkeypatch.setattr(scheduler, "JOB_RETRY_PAUSE_SECONDS", 0)
    db.session.remove()
    result = CliRunner().invoke(main, ARGS, env={"DATABASE_URL": database_url, "SMTP_HOST": ""})
    assert result.exit_code == 0, result.output
    assert len(calls) == 2 and _mail_count() == 2


def test_a_lasting_collision_is_one_line_not_a_traceback(
    app: Flask, database_url: str, due_task: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def always(*_args: object, **_kwargs: object) -> object:
        raise IntegrityError("INSERT INTO mail", {}, Exception("duplicate key"))

    monkeypatch.setattr(scheduler, "run_reminder_sweep", always)
    monkeypatch.setattr(scheduler, "JOB_RETRY_PAUSE_SECONDS", 0)
    db.session.remove()
    result = CliRunner().invoke(main, ARGS, env={"DATABASE_URL": database_url, "SMTP_HOST": ""})
    assert result.exit_code == 1
    assert "Việc reminders va chạm với thao tác khác nhiều lần" in result.stderr
    assert "Traceback" not in result.output
    assert _mail_count() == 0


def test_a_tick_survives_a_collision_and_runs_its_other_jobs(
    app: Flask, due_task: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    delivered = []

    def always(*_args: object, **_kwargs: object) -> object:
        raise IntegrityError("INSERT INTO mail", {}, Exception("duplicate key"))

    monkeypatch.setattr(scheduler, "run_reminder_sweep", always)
    monkeypatch.setattr(scheduler, "deliver_pending_mail", lambda clock: delivered.append(clock))
    monkeypatch.setattr(scheduler, "JOB_RETRY_PAUSE_SECONDS", 0)
    result = run_tick(app, "tick-test")
    assert result.is_leader and result.mails == []
    assert len(delivered) == 1  # the delivery job still ran after the sweep gave up
