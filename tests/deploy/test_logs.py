"""Structured logs: one JSON object per request (and per job) when LOG_FORMAT=json."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
from flask.testing import FlaskClient

from tests.factories import make_commune, make_user
from tests.web.conftest import login
from tracker.extensions import db
from tracker.logs import JsonFormatter, configure_logging, formatter
from tracker.models import Role


@pytest.fixture
def json_lines() -> Iterator[io.StringIO]:
    """The request log, as the JSON formatter writes it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("tracker.requests")
    logger.addHandler(handler)
    old_level = logger.level
    logger.setLevel(logging.INFO)
    yield stream
    logger.removeHandler(handler)
    logger.setLevel(old_level)


def _entries(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_a_request_is_one_json_line_with_its_fields(
    client: FlaskClient, json_lines: io.StringIO
) -> None:
    response = client.get("/dang-nhap", headers={"X-Request-ID": "nginx-4f2a9c1e77"})
    assert response.headers["X-Request-ID"] == "nginx-4f2a9c1e77"
    [entry] = _entries(json_lines)
    assert entry["logger"] == "tracker.requests" and entry["level"] == "INFO"
    assert entry["method"] == "GET" and entry["path"] == "/dang-nhap" and entry["status"] == 200
    assert isinstance(entry["duration_ms"], float) and entry["duration_ms"] >= 0
    assert entry["user_id"] is None
    assert entry["request_id"] == "nginx-4f2a9c1e77"
    assert str(entry["ts"]).endswith("+00:00")


def test_the_signed_in_user_and_a_fresh_request_id(
    client: FlaskClient, json_lines: io.StringIO
) -> None:
    user = make_user(Role.CHAIRMAN, commune=make_commune("Phường Hòa Bình"))
    db.session.commit()
    login(client, user)
    json_lines.truncate(0)
    json_lines.seek(0)
    # A header that is not a sane id (spaces, too long) is replaced by one of our own.
    response = client.get("/viec", headers={"X-Request-ID": "x y" * 40})
    entry = _entries(json_lines)[-1]
    assert entry["user_id"] == user.id
    assert entry["request_id"] == response.headers["X-Request-ID"]
    assert len(str(entry["request_id"])) == 32


def test_text_is_the_default_and_a_wrong_format_is_named() -> None:
    record = logging.LogRecord("tracker.x", logging.INFO, __file__, 1, "xin chào %s", ("bạn",),
                               None)
    assert formatter("text").format(record).endswith("INFO tracker.x: xin chào bạn")
    with pytest.raises(ValueError, match="LOG_FORMAT: “xml” is neither text nor json"):
        formatter("xml")


def test_configure_logging_twice_keeps_one_handler() -> None:
    root = logging.getLogger()
    before = list(root.handlers)
    old_level = root.level
    try:
        configure_logging("json")
        configure_logging("json")
        ours = [h for h in root.handlers if getattr(h, "is_tracker_handler", False)]
        assert len(ours) == 1 and isinstance(ours[0].formatter, JsonFormatter)
    finally:
        for handler in list(root.handlers):
            if handler not in before:
                root.removeHandler(handler)
        root.setLevel(old_level)
