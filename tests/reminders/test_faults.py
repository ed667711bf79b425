"""Nothing lost, nothing twice: SMTP outages, a scheduler down for a week, two schedulers."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests.conftest import create_pg_database
from tests.factories import make_user
from tests.reminders.conftest import make_people
from tests.reminders.helpers import add_task, at, days, tick
from tests.smtp import SmtpServer
from tracker import create_app
from tracker.clock import FixedClock
from tracker.extensions import db, get_clock
from tracker.models import Mail, MailStatus, Role
from tracker.services.mail import deliver_pending_mail
from tracker.services.scheduler import run_jobs, run_tick

D = dt.date


def _five_tasks_due_in_a_week(people: Any) -> None:
    for n in range(5):
        add_task(people.commune, people.office, opens_on=D(2026, 4, 1), due_on=D(2026, 5, 11),
                 assignee=people.officer, title=f"Việc số {n}")
    db.session.commit()


def test_smtp_refusing_then_recovering_delivers_every_mail_once(
    app: Flask, clock: FixedClock, smtp_port: int
) -> None:
    _five_tasks_due_in_a_week(make_people())
    server = SmtpServer(smtp_port)  # nothing listens yet: connections are refused

    tick(app, clock, at(D(2026, 5, 4), 9))
    rows = list(db.session.scalars(db.select(Mail)))
    assert len(rows) == 10  # five tasks × (assignee, unit head)
    assert {(r.status, r.attempts) for r in rows} == {(MailStatus.PENDING, 1)}
    assert all("Connection" in (r.last_error or "") for r in rows)

    clock.advance(dt.timedelta(seconds=30))  # before the backoff: no attempt
    deliver_pending_mail(clock)
    db.session.expire_all()
    assert {r.attempts for r in db.session.scalars(db.select(Mail))} == {1}

    clock.advance(dt.timedelta(minutes=1))
    deliver_pending_mail(clock)
    db.session.expire_all()
    assert {r.attempts for r in db.session.scalars(db.select(Mail))} == {2}

    server.start()
    try:
        clock.advance(dt.timedelta(minutes=5))
        tick(app, clock, clock.now())
        clock.advance(dt.timedelta(hours=1))
        tick(app, clock, clock.now())
    finally:
        server.stop()
    db.session.expire_all()
    rows = list(db.session.scalars(db.select(Mail)))
    assert {(r.status, r.attempts) for r in rows} == {(MailStatus.SENT, 3)}
    received = server.inbox.message_ids()
    assert sorted(received) == sorted(r.message_id for r in rows)
    assert len(set(received)) == len(received) == 10


def test_a_mail_is_given_up_after_the_last_attempt(
    app: Flask, clock: FixedClock, smtp_port: int
) -> None:
    app.config["MAIL_MAX_ATTEMPTS"] = 3
    _five_tasks_due_in_a_week(make_people())
    tick(app, clock, at(D(2026, 5, 4), 9))
    for _ in range(5):
        clock.advance(dt.timedelta(hours=1))
        deliver_pending_mail(clock)
    db.session.expire_all()
    rows = list(db.session.scalars(db.select(Mail)))
    assert {(r.status, r.attempts) for r in rows} == {(MailStatus.FAILED, 3)}
    assert all(r.next_attempt_at is None and r.last_error for r in rows)


def test_a_scheduler_down_for_a_week_sends_one_catch_up_per_task(
    app: Flask, clock: FixedClock, smtp_server: SmtpServer
) -> None:
    people = make_people()
    due = D(2026, 6, 10)
    for n in range(3):
        add_task(people.commune, people.office, opens_on=D(2026, 5, 20), due_on=due,
                 assignee=people.officer, title=f"Việc số {n}")
    make_user(Role.UNIT_HEAD, commune=people.commune, unit=people.office, email="pho@han.test")
    db.session.commit()
    for day in days(D(2026, 5, 18), D(2026, 6, 1)):
        tick(app, clock, at(day, 9))
    before = Counter(m.kind for m in db.session.scalars(db.select(Mail)))
    assert before == {"opening": 9}  # three tasks × (officer, two heads)

    # Down from 2/6 to 7/6: missed "7 days before" (3/6) and "3 days before" (7/6).
    result = tick(app, clock, at(D(2026, 6, 8), 9))
    catch_ups = [m for m in result.mails if m.kind == "catch_up"]
    assert len(result.mails) == len(catch_ups) == 9
    assert Counter(m.task for m in catch_ups) == {tid: 3 for tid in {m.task for m in catch_ups}}
    assert all(m.subject.startswith("[Hạn] Nhắc việc: Việc số") for m in catch_ups)
    rows = db.session.scalars(db.select(Mail).where(Mail.kind == "catch_up")).all()
    assert {r.step for r in rows} == {"due_soon.3"}

    # The ladder goes on as usual, and nothing missed is sent again.
    assert tick(app, clock, at(D(2026, 6, 8), 15)).mails == []
    assert {m.kind for m in tick(app, clock, at(D(2026, 6, 9), 9)).mails} == {"due_soon"}
    assert {m.kind for m in tick(app, clock, at(D(2026, 6, 10), 9)).mails} == {"due_today"}
    assert len(smtp_server.inbox.messages) == 9 * 4


def test_remind_twice_for_the_same_moment_sends_nothing_the_second_time(
    app: Flask, clock: FixedClock, smtp_server: SmtpServer
) -> None:
    _five_tasks_due_in_a_week(make_people())
    first = run_jobs(clock)
    assert len(first) == 10
    assert run_jobs(clock) == []
    assert len(smtp_server.inbox.messages) == 10


def _pg_app(url: str, smtp_port: int, clock: FixedClock) -> Flask:
    config = {
        "TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "test-secret",
        "SCHEDULER_ENABLED": False, "SMTP_HOST": "127.0.0.1", "SMTP_PORT": smtp_port,
        "SMTP_SECURITY": "none", "BASE_URL": "https://han.test",
    }
    return create_app(config, clock=clock)


@pytest.mark.postgres
@pytest.mark.parametrize("use_lease", [True, False], ids=["lease", "no-lease"])
def test_two_schedulers_on_one_postgres_database_send_no_duplicate(
    smtp_server: SmtpServer, use_lease: bool
) -> None:
    url, drop = create_pg_database()
    try:
        moment = at(D(2026, 5, 4), 9)
        apps = [_pg_app(url, smtp_server.port, FixedClock(moment)) for _ in range(2)]
        with apps[0].app_context():
            people = make_people()
            for n in range(20):
                add_task(people.commune, people.office, opens_on=D(2026, 4, 1),
                         due_on=D(2026, 5, 11), assignee=people.officer, title=f"Việc {n}")
            db.session.commit()
            db.session.remove()
        barrier = threading.Barrier(2)
        errors: list[BaseException] = []

        def run(app: Flask, holder: str) -> None:
            try:
                barrier.wait()
                for _ in range(5):
                    if use_lease:
                        run_tick(app, holder)
                    else:
                        with app.app_context():
                            run_jobs(get_clock(app))
                            db.session.remove()
            except BaseException as exc:  # reported below, in the main thread
                errors.append(exc)

        threads = [threading.Thread(target=run, args=(a, f"s{i}")) for i, a in enumerate(apps)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        with apps[0].app_context():
            rows = list(db.session.scalars(db.select(Mail)))
            assert len(rows) == 40
            assert {r.status for r in rows} == {MailStatus.SENT}
            db.session.remove()
        received = smtp_server.inbox.message_ids()
        assert len(received) == len(set(received)) == 40
    finally:
        for app in apps:
            with app.app_context():
                db.engine.dispose()
        drop()


@pytest.mark.postgres
def test_two_remind_processes_on_one_postgres_database_send_no_duplicate(
    smtp_server: SmtpServer,
) -> None:
    """Two real OS processes (`tracker remind`) racing on one database: every mail once."""
    url, drop = create_pg_database()
    moment = at(D(2026, 5, 4), 9)
    app = _pg_app(url, smtp_server.port, FixedClock(moment))
    try:
        with app.app_context():
            people = make_people()
            for n in range(20):
                add_task(people.commune, people.office, opens_on=D(2026, 4, 1),
                         due_on=D(2026, 5, 11), assignee=people.officer, title=f"Việc {n}")
            db.session.commit()
            db.session.remove()
        env = os.environ | {
            "DATABASE_URL": url, "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(smtp_server.port),
            "SMTP_SECURITY": "none", "BASE_URL": "https://han.test",
        }
        tracker = str(Path(sys.executable).with_name("tracker"))
        command = [tracker, "remind", "--now", moment.isoformat(), "--json"]
        processes = [
            subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for _ in range(2)
        ]
        outputs = [p.communicate(timeout=120) for p in processes]
        for process, (_out, err) in zip(processes, outputs, strict=True):
            assert process.returncode == 0, err.decode()
        reported = [json.loads(out) for out, _err in outputs]
        # Each mail is reported by exactly one of the two processes.
        assert sum(len(r) for r in reported) == 40
        with app.app_context():
            rows = list(db.session.scalars(db.select(Mail)))
            assert len(rows) == 40
            assert {r.status for r in rows} == {MailStatus.SENT}
            db.session.remove()
        received = smtp_server.inbox.message_ids()
        assert len(received) == len(set(received)) == 40
    finally:
        with app.app_context():
            db.engine.dispose()
        drop()
