"""One log line per request: method, path, status, how long the answer took, who, which.

Logged to the ``tracker.requests`` logger at INFO, so a deployment sees each request the way
a web server's access log shows it, behind any server (``tracker serve`` runs waitress, which
writes none). The duration is measured with a monotonic counter: it is an interval, never a
date, so it does not come from the injected clock.

The same fields go on the record (``extra``) for the JSON log format (tracker.logs), with the
signed-in user's id and a request id: the proxy's ``X-Request-ID`` when it sent a sane one
(nginx: ``$request_id``), else a new one; the response carries it back, so a user's report
of an error can be found in the log. Health probes (``/healthz``, ``/readyz``) are not logged.
"""

from __future__ import annotations

import logging
import re
import time
import uuid

from flask import Flask, Response, g, request

from tracker.web.health import QUIET_PATHS

logger = logging.getLogger("tracker.requests")
REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


def request_id() -> str:
    """This request's id (the proxy's, if well-formed, else a new one)."""
    found = g.get("request_id")
    if found is None:
        given = request.headers.get("X-Request-ID", "")
        found = given if REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        g.request_id = found
    return str(found)


def _user_id() -> int | None:
    # Flask-Login's cache of the loaded user: reading it never costs a query.
    user = g.get("_login_user")
    return getattr(user, "id", None) if getattr(user, "is_authenticated", False) else None


def init_app(app: Flask) -> None:
    @app.before_request
    def start_timer() -> None:
        g.request_started = time.perf_counter()
        request_id()

    @app.after_request
    def log_request(response: Response) -> Response:
        started = g.get("request_started")
        took = (time.perf_counter() - started) * 1000 if started is not None else 0.0
        # The path without its query string: calendar feed tokens live in paths, never shown
        # in full (the token is a secret); other paths are fine.
        path = request.path
        if path.endswith(".ics"):
            path = path.rsplit("/", 1)[0] + "/….ics"
        response.headers["X-Request-ID"] = request_id()
        if path in QUIET_PATHS:
            return response
        logger.info(
            "%s %s %d %.1f ms", request.method, path, response.status_code, took,
            extra={
                "method": request.method, "path": path, "status": response.status_code,
                "duration_ms": round(took, 1), "user_id": _user_id(),
                "request_id": request_id(),
            },
        )
        return response
