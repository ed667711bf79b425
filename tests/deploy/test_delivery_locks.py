"""Mail delivery shared by several deliverers on PostgreSQL: FOR UPDATE SKIP LOCKED.

A deliverer never waits for rows another one is claiming, and never sends them: each mail
reaches the SMTP server once, however many deliver at the same moment.
"""

from __future__ import annotations

import collections
import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import create_engine, select
from sqlalchemy.pool import NullPool

from tests.smtp import SmtpServer, free_port
from tracker.clock import FixedClock
from tracker.extensions import db
from tracker.models import Mail, MailStatus
from tracker.services.mail import DeliveryReport, deliver_pending_mail

pytestmark = [pytest.mark.pg_only, pytest.mark.postgres]


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer(free_port())
    server.start()
    yield server
    server.stop()


@pytest.fixture
def app_config(app_config: dict[str, Any], smtp: SmtpServer) -> dict[str, Any]:
    return app_config | {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": smtp.port,
                         "SMTP_SECURITY": "none", "MAIL_FROM": "Hạn <han@han.test>"}


def _queue(count: int, clock: FixedClock) -> set[str]:
    now = clock.now()
    ids = set()
    for n in range(count):
        message_id = f"<{uuid.uuid4().hex}@han.test>"
        ids.add(message_id)
        db.session.add(Mail(
            dedupe_key=f"manual:lock:{n}", address=f"nguoi{n}@han.test", kind="manual",
            step="lock", scheduled_on=now.date(), subject=f"Thư {n}", body_text="x",
            body_html="<p>x</p>", message_id=message_id, status=str(MailStatus.PENDING),
            attempts=0, next_attempt_at=now, created_at=now,
        ))
    db.session.commit()
    return ids


def _deliver_in_own_context(app: Flask) -> DeliveryReport:
    with app.app_context():
        try:
            return deliver_pending_mail()
        finally:
            db.session.remove()


def test_a_deliverer_skips_rows_another_is_claiming(
    app: Flask, clock: FixedClock, smtp: SmtpServer
) -> None:
    _queue(10, clock)
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"], poolclass=NullPool)
    with engine.connect() as other:
        # Another deliverer is in the middle of its claim of the four oldest rows.
        locked = list(other.scalars(
            select(Mail.id).order_by(Mail.id).limit(4).with_for_update()
        ))
        with ThreadPoolExecutor(max_workers=1) as pool:
            report = pool.submit(_deliver_in_own_context, app).result(timeout=60)
        assert report.sent == 6  # it did not wait for the locked rows, nor take them
        db.session.expire_all()
        statuses = dict(db.session.execute(select(Mail.id, Mail.status)).all())
        assert {i for i, s in statuses.items() if s == MailStatus.PENDING} == set(locked)
        other.rollback()
    engine.dispose()
    assert _deliver_in_own_context(app).sent == 4
    assert len(set(smtp.inbox.message_ids())) == len(smtp.inbox.message_ids()) == 10


def test_four_deliverers_at_once_send_every_mail_once(
    app: Flask, clock: FixedClock, smtp: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tracker.services.mail as mail_service

    monkeypatch.setattr(mail_service, "DELIVERY_BATCH", 15)  # several claims each
    queued = _queue(120, clock)
    start = threading.Barrier(4)

    def deliver_until_empty() -> int:
        start.wait(timeout=30)
        sent = 0
        while True:
            report = _deliver_in_own_context(app)
            if report.sent == 0:
                return sent
            sent += report.sent

    with ThreadPoolExecutor(max_workers=4) as pool:
        counts = list(pool.map(lambda _n: deliver_until_empty(), range(4)))
    assert sum(counts) == 120
    received = collections.Counter(smtp.inbox.message_ids())
    assert set(received) == queued and max(received.values()) == 1
