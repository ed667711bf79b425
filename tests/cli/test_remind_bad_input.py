"""``tracker remind``'s own options: bad values are usage errors that write nothing."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from flask import Flask

from tracker.cli import main
from tracker.extensions import db
from tracker.models import Mail, SchedulerLease


@pytest.mark.parametrize("value", ["-1", "soon", "", "1e3", "\x00"])
def test_a_bad_wait_is_a_usage_error(app: Flask, database_url: str, value: str) -> None:
    result = CliRunner().invoke(
        main, ["remind", "--now", "2026-05-04T09:00", "--wait", value],
        env={"DATABASE_URL": database_url, "SMTP_HOST": ""},
    )
    assert result.exit_code == 2, result.output
    assert "Invalid value for '--wait'" in result.stderr
    assert "Traceback" not in result.output
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count(Mail.id))) == 0
    assert db.session.scalar(db.select(db.func.count(SchedulerLease.name))) == 0
