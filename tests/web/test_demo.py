"""The demo builder and the ``tracker demo`` / ``tracker serve`` commands."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from tracker.cli import main
from tracker.extensions import db, get_clock
from tracker.models import Plan, Role, User
from tracker.services.demo import DEMO_PASSWORD, DemoError, build_demo


def test_demo_imports_every_seed_and_makes_accounts(
    app: Flask, client: FlaskClient, seeds_dir: Path
) -> None:
    report = build_demo(seeds_dir, get_clock(app))
    db.session.commit()
    communes = sorted(p.commune.name for p in db.session.query(Plan))
    assert communes == [
        "Phường Bạch Đằng",
        "Phường Hòa Bình",
        "Thành phố Hải Phòng",
        "Xã Phú Thái",
        "Xã Vĩnh Bảo",
    ]
    roles = {a.role for a in report.accounts}
    assert roles == set(Role)
    assert report.overdue_count > 0  # as of 04/05/2026 some deadlines have passed
    staff = db.session.query(User).filter_by(username="congchuc.hoabinh").one()
    response = client.post(
        "/dang-nhap", data={"username": "chutich.hoabinh", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert staff.unit is not None
    with pytest.raises(DemoError, match="not empty"):
        build_demo(seeds_dir, get_clock(app))


def test_demo_command_builds_a_fresh_sqlite_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    monkeypatch.setenv("UPLOAD_DIR", str(tmp_path / "uploads"))
    monkeypatch.setenv("SMTP_HOST", "")
    runner = CliRunner()
    first = runner.invoke(main, ["demo", "--now", "2026-05-04"])
    assert first.exit_code == 0, first.output
    assert "chutich.hoabinh" in first.output and f"mật khẩu chung: {DEMO_PASSWORD}" in first.output
    assert "102/KH-UBND" in first.output
    # Run again: the file is recreated, not appended to.
    second = runner.invoke(main, ["demo", "--now", "2026-05-04"])
    assert second.exit_code == 0, second.output
