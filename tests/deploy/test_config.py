"""Deployment settings: the connection pool and the reverse proxy, from the environment."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask import request

from tracker import create_app
from tracker.cli import main
from tracker.config import ConfigError, default_config, engine_options_for
from tracker.extensions import db


def test_pool_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DB_POOL_SIZE", "7")
    monkeypatch.setenv("DB_MAX_OVERFLOW", "3")
    monkeypatch.setenv("DB_POOL_RECYCLE_SECONDS", "600")
    options = default_config()["SQLALCHEMY_ENGINE_OPTIONS"]
    assert options == {"pool_pre_ping": True, "pool_recycle": 600, "pool_size": 7,
                       "max_overflow": 3, "pool_timeout": 30}
    # SQLite's pools take no sizes; PostgreSQL's take them all.
    assert engine_options_for("sqlite:///x.db", options) == {
        "pool_pre_ping": True, "pool_recycle": 600}
    assert engine_options_for("postgresql+psycopg://h/db", options) == options


def test_a_postgres_app_builds_its_pool_with_them(
    monkeypatch: pytest.MonkeyPatch, app_config: dict[str, Any]
) -> None:
    monkeypatch.setenv("DB_POOL_SIZE", "7")
    monkeypatch.setenv("DB_MAX_OVERFLOW", "3")
    app = create_app(app_config | {
        "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:1/none",
        "SQLALCHEMY_ENGINE_OPTIONS": default_config()["SQLALCHEMY_ENGINE_OPTIONS"],
    })
    with app.app_context():  # building the engine connects to nothing
        pool = db.engine.pool
        assert pool.size() == 7 and pool._max_overflow == 3  # type: ignore[attr-defined]
        assert pool._pre_ping is True  # type: ignore[attr-defined]
        db.engine.dispose()


def _echo_client(app_config: dict[str, Any]) -> Any:
    app = create_app(app_config)

    @app.get("/_echo")
    def echo() -> dict[str, str]:
        return {"addr": str(request.remote_addr), "scheme": request.scheme,
                "host": request.host}

    return app.test_client()


FORWARDED = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https",
             "X-Forwarded-Host": "han.haiphong.gov.vn"}


def test_behind_nginx_the_forwarded_headers_count(
    monkeypatch: pytest.MonkeyPatch, app_config: dict[str, Any]
) -> None:
    monkeypatch.setenv("TRACKER_PROXY_FIX", "1")
    config = app_config | {"PROXY_FIX": default_config()["PROXY_FIX"]}
    seen = _echo_client(config).get("/_echo", headers=FORWARDED).get_json()
    assert seen == {"addr": "203.0.113.9", "scheme": "https", "host": "han.haiphong.gov.vn"}


def test_without_a_proxy_a_client_cannot_forge_them(app_config: dict[str, Any]) -> None:
    assert default_config()["PROXY_FIX"] == {}
    seen = _echo_client(app_config).get("/_echo", headers=FORWARDED).get_json()
    assert seen == {"addr": "127.0.0.1", "scheme": "http", "host": "localhost"}


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("TRACKER_PROXY_FIX", "for=1,via=2", "TRACKER_PROXY_FIX: “via=2” is not NAME=HOPS"),
        ("LOG_FORMAT", "xml", "LOG_FORMAT: “xml” is neither text nor json"),
        ("MAIL_RETENTION_DAYS", "6 tháng",
         "MAIL_RETENTION_DAYS: “6 tháng” is not a whole number of days"),
    ],
)
def test_a_wrong_setting_is_one_line_naming_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, name: str, value: str, message: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=message):
        default_config()
    result = CliRunner().invoke(main, ["db", "backup", str(tmp_path / "x.dump")],
                                env={name: value})
    assert result.exit_code == 1 and "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: {message}"), result.output
    assert not (tmp_path / "x.dump").exists()
