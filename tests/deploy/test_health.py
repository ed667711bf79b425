"""/healthz and /readyz: public, JSON, no cookie, not in the request log; 503 with a reason."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.conftest import _pg_url
from tracker import create_app


def test_healthz_answers_without_a_session(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers


def test_readyz_is_ok_on_a_migrated_database(client: FlaskClient) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
    assert "Set-Cookie" not in response.headers


def _client_on(url: str, tmp_path: Path, app_config: dict[str, Any]) -> FlaskClient:
    app = create_app(app_config | {"SQLALCHEMY_DATABASE_URI": url})
    return app.test_client()


def test_readyz_names_a_database_without_the_schema(
    tmp_path: Path, app_config: dict[str, Any]
) -> None:
    empty = tmp_path / "empty.sqlite3"
    empty.touch()
    client = _client_on(f"sqlite:///{empty}", tmp_path, app_config)
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "unavailable"
    assert "schema at nothing" in body["reason"] and "tracker db upgrade" in body["reason"]
    assert client.get("/healthz").status_code == 200  # alive all the same


def test_readyz_names_an_unreachable_database(
    tmp_path: Path, app_config: dict[str, Any]
) -> None:
    url = _pg_url("han_nowhere").replace("@127.0.0.1:5432/", "@127.0.0.1:1/")
    response = _client_on(url, tmp_path, app_config).get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["reason"].startswith("database unreachable: ")


def test_probes_stay_out_of_the_request_log(
    client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="tracker.requests"):
        client.get("/healthz")
        client.get("/readyz")
        client.get("/dang-nhap")
    logged = [r.getMessage() for r in caplog.records if r.name == "tracker.requests"]
    assert len(logged) == 1 and logged[0].startswith("GET /dang-nhap 200 ")
