"""Pending plan imports belong to their uploader and are swept when abandoned.

Before: the preview's token let anyone with the import right confirm or cancel another
person's upload, and uploads left at the preview (up to 20 MB each) were never removed.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from tests.factories import make_user
from tests.web.conftest import login, page_text
from tests.web.test_plans import _focal_officer_of_hoa_binh, _token, _upload
from tracker.clock import FixedClock
from tracker.extensions import db
from tracker.models import Plan, Role
from tracker.services.scheduler import run_jobs


def _pending_files(app: Flask) -> list[Path]:
    folder = Path(app.config["UPLOAD_DIR"]) / "imports"
    return sorted(folder.glob("*")) if folder.is_dir() else []


def test_another_person_cannot_confirm_or_cancel_my_upload(
    app: Flask, client: FlaskClient, seeds_dir: Path
) -> None:
    owner = _focal_officer_of_hoa_binh()
    admin = make_user(Role.CITY_ADMIN, username="so-noi-vu")
    db.session.commit()
    login(client, owner)
    token = _token(page_text(_upload(client, next(seeds_dir.glob("*.txt")))))
    client.post("/dang-xuat")
    login(client, admin)
    for action in ("confirm", "cancel"):
        response = client.post(
            "/ke-hoach/xac-nhan",
            data={"token": token, "commune": "Phường Hòa Bình", "action": action},
        )
        assert response.status_code == 400
        assert "Tệp đã tải lên không còn" in page_text(response)
    assert db.session.scalar(db.select(db.func.count(Plan.id))) == 0
    assert len(_pending_files(app)) == 2  # still there for its owner


def test_abandoned_uploads_are_swept(
    app: Flask, client: FlaskClient, seeds_dir: Path, clock: FixedClock
) -> None:
    login(client, _focal_officer_of_hoa_binh())
    _upload(client, next(seeds_dir.glob("*.txt")))
    assert len(_pending_files(app)) == 2
    clock.set(clock.now() + dt.timedelta(hours=23))
    run_jobs(clock)
    assert len(_pending_files(app)) == 2  # within the day: kept for the preview
    clock.set(clock.now() + dt.timedelta(hours=2))
    run_jobs(clock)
    assert _pending_files(app) == []
