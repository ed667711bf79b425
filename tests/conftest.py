"""Shared fixtures.

The database-backed suite runs on SQLite by default and on PostgreSQL (127.0.0.1:5432) with
``TRACKER_TEST_DATABASE=postgres`` — ``make test`` runs it both ways. Each run migrates a
database of its own with Alembic, so parallel runs never meet.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import tempfile
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from psycopg import sql
from werkzeug.serving import make_server

from tracker.clock import VN_TZ, FixedClock
from tracker.services.database import upgrade_database

pytest_plugins = ["tests.smtp"]  # the SMTP server fixtures: smtp_port, smtp_server

PG_ADMIN_DSN = os.environ.get("TRACKER_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"


def pytest_configure(config: pytest.Config) -> None:
    """Apps (and the commands tests run in subprocesses) that are given no SECRET_KEY keep
    their generated key in a folder of this run, not in the project's var/."""
    if "TRACKER_INSTANCE_DIR" not in os.environ:
        os.environ["TRACKER_INSTANCE_DIR"] = tempfile.mkdtemp(prefix="han-instance-")


def _test_backend() -> str:
    return os.environ.get("TRACKER_TEST_DATABASE", "sqlite")


def _pg_url(name: str) -> str:
    base = psycopg.conninfo.conninfo_to_dict(PG_ADMIN_DSN)
    host, port, user = base.get("host", "127.0.0.1"), base.get("port", "5432"), base.get("user")
    return f"postgresql+psycopg://{user}@{host}:{port}/{name}"


def create_pg_database() -> tuple[str, Callable[[], None]]:
    """A new, migrated PostgreSQL database; returns its SQLAlchemy URL and a dropper."""
    name = f"han_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = _pg_url(name)
    upgrade_database(url)

    def drop() -> None:
        from tracker.extensions import db

        with contextlib.suppress(RuntimeError):  # no app context: nothing to dispose
            db.engine.dispose()
        with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )

    return url, drop


@pytest.fixture(scope="session")
def database_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated database for the session: a SQLite file to copy, or a PostgreSQL URL."""
    if _test_backend() == "postgres":
        url, drop = create_pg_database()
        yield url
        drop()
    else:
        path = tmp_path_factory.mktemp("db") / "template.sqlite3"
        upgrade_database(f"sqlite:///{path}")
        yield str(path)


@pytest.fixture
def clock() -> FixedClock:
    """Monday 4 May 2026, 09:00 in Hải Phòng."""
    return FixedClock(dt.datetime(2026, 5, 4, 9, 0, tzinfo=VN_TZ))


@pytest.fixture
def database_url(database_template: str, tmp_path: Path) -> Iterator[str]:
    if _test_backend() == "postgres":
        yield database_template
        _truncate_all(database_template)
    else:
        path = tmp_path / "test.sqlite3"
        shutil.copyfile(database_template, path)
        yield f"sqlite:///{path}"


def _truncate_all(url: str) -> None:
    from tracker.extensions import db

    tables = [t.name for t in db.metadata.sorted_tables]
    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(
            sql.SQL("TRUNCATE {} RESTART IDENTITY CASCADE").format(
                sql.SQL(", ").join(sql.Identifier(t) for t in tables)
            )
        )


@pytest.fixture
def app_config(database_url: str, tmp_path: Path) -> dict[str, Any]:
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": "test-secret",
        "WTF_CSRF_ENABLED": False,
        "SCHEDULER_ENABLED": False,
        "UPLOAD_DIR": str(tmp_path / "uploads"),
        "ARCHIVE_DIR": str(tmp_path / "archive"),
        "WORKFLOW_DIR": str(tmp_path / "workflows"),
        "SMTP_HOST": "",
        "BASE_URL": "https://han.test",
    }


@pytest.fixture
def app(app_config: dict[str, Any], clock: FixedClock) -> Iterator[Flask]:
    from tracker import create_app
    from tracker.extensions import db

    application = create_app(app_config, clock=clock)
    with application.app_context():
        yield application
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    """The app behind werkzeug's real server in a thread: real sockets, real access log."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture
def seeds_dir() -> Path:
    return SEEDS_DIR


@pytest.fixture(scope="session")
def soffice(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Path], Path]:
    """Converts an office file to PDF with LibreOffice, headless: a file that needs repair
    does not convert. Missing LibreOffice skips, except under CI=true where it fails
    (``make test`` installs it: the office-deps step)."""
    import subprocess

    binary = shutil.which("soffice") or shutil.which("libreoffice")
    if binary is None:
        message = "LibreOffice (soffice) is not installed: make office-deps"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    profile = tmp_path_factory.mktemp("soffice-profile")

    def convert(path: Path) -> Path:
        outdir = path.parent / "pdf"
        outdir.mkdir(exist_ok=True)
        result = subprocess.run(
            [
                binary,
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(outdir),
                str(path),
            ],
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        pdf = outdir / (path.stem + ".pdf")
        assert result.returncode == 0 and pdf.exists(), result.stderr or result.stdout
        return pdf

    return convert


def pdf_text(pdf: Path) -> str:
    """The text of a PDF (poppler's pdftotext), for checking what LibreOffice rendered."""
    import subprocess

    tool = shutil.which("pdftotext")
    if tool is None:
        message = "poppler-utils (pdftotext) is not installed: make office-deps"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return subprocess.run(
        [tool, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
