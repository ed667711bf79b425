"""Error pages and API problems: one handler per kind of error, each rolling back first.

Every handler starts with the unit of work's rollback (``tracker.web.transactions``), so an
error page never meets a session whose flush failed (no PendingRollbackError) and nothing of
the failed request is committed. The API answers ``application/problem+json`` (RFC 9457)
with the HTTP headers of the error (``Allow`` on 405, ``Retry-After`` on 429/503).

Two writers meeting on the same row are not a server error: a unique-key clash or a stale
version (another session saved first) is 409 with a message saying to reload and retry; a
database busy with another writer is 503 with ``Retry-After``.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

from tracker.i18n import _
from tracker.services.database import is_busy
from tracker.services.workflow_errors import ConcurrentUpdateError
from tracker.web import expired_forms
from tracker.web.transactions import roll_back

log = logging.getLogger(__name__)

PROBLEM_MIMETYPE = "application/problem+json"
# Seconds a client should wait before retrying when the database is busy.
BUSY_RETRY_SECONDS = 2


def wants_json() -> bool:
    return request.path.startswith("/api/") or (request.accept_mimetypes.best == "application/json")


class Problem(BaseModel):
    """RFC 9457 problem details; error repeats detail (API version 1.0)."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    error: str


def problem(status: int, detail: str, **headers: str) -> Response:
    """An RFC 9457 problem; ``error`` repeats ``detail`` for clients of the first API version."""
    title = HTTP_STATUS_CODES.get(status, "Error")
    body = Problem(title=title, status=status, detail=str(detail), error=str(detail))
    response = jsonify(body.model_dump())
    response.status_code = status
    response.mimetype = PROBLEM_MIMETYPE
    response.headers.update(headers)
    return response


def conflict_message() -> str:
    return _("Người khác vừa thay đổi cùng dữ liệu này. Hãy tải lại trang và thử lại.")


def busy_message() -> str:
    return _("Hệ thống đang bận ghi dữ liệu khác. Hãy thử lại sau ít giây.")


def _page(status: int, message: str | None, error: HTTPException | None = None) -> Any:
    template = f"errors/{status}.html" if status in {400, 403, 404, 413} else "errors/other.html"
    if status == 409 or status == 429 or status == 503:
        template = "errors/400.html"  # shows the message
    return render_template(template, error=error or _Status(status), message=message), status


class _Status:
    """What the error templates read of an HTTPException (``code``), for our own statuses."""

    def __init__(self, code: int) -> None:
        self.code = code


def register_error_pages(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Any:
        roll_back()
        code = error.code or 500
        # Our own abort(400, description=_(…)) messages are shown; werkzeug's English defaults not.
        custom = error.description if error.description != type(error).description else None
        if isinstance(error, CSRFError):
            if not wants_json():
                kept = expired_forms.render_again()
                if kept is not None:
                    return kept
            custom = _(
                "Biểu mẫu đã hết hạn hoặc thiếu mã bảo vệ. Vui lòng tải lại trang và thử lại."
            )
        headers = {k: v for k, v in error.get_headers() if k.lower() != "content-type"}
        if wants_json():
            return problem(code, custom or error.name, **headers)
        body, status = _page(code, custom, error)
        return body, status, headers

    @app.errorhandler(ConcurrentUpdateError)
    @app.errorhandler(StaleDataError)
    @app.errorhandler(IntegrityError)
    def conflict(error: Exception) -> Any:
        roll_back()
        log.info("conflicting write on %s %s: %s", request.method, request.path, error)
        if wants_json():
            return problem(409, conflict_message())
        return _page(409, conflict_message())

    @app.errorhandler(OperationalError)
    def database_error(error: OperationalError) -> Any:
        roll_back()
        if not is_busy(error):
            log.exception("database error on %s %s", request.method, request.path)
            if wants_json():
                return problem(500, "Internal Server Error")
            return _page(500, None)
        retry = {"Retry-After": str(BUSY_RETRY_SECONDS)}
        if wants_json():
            return problem(503, busy_message(), **retry)
        body, status = _page(503, busy_message())
        return body, status, retry
