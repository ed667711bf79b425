"""One log line per request: method, path, status and how long the answer took.

Logged to the ``tracker.requests`` logger at INFO, so a deployment sees each request the way
a web server's access log shows it, behind any server (``tracker serve`` runs waitress, which
writes none). The duration is measured with a monotonic counter: it is an interval, never a
date, so it does not come from the injected clock.
"""

from __future__ import annotations

import logging
import time

from flask import Flask, Response, g, request

logger = logging.getLogger("tracker.requests")


def init_app(app: Flask) -> None:
    @app.before_request
    def start_timer() -> None:
        g.request_started = time.perf_counter()

    @app.after_request
    def log_request(response: Response) -> Response:
        started = g.get("request_started")
        took = (time.perf_counter() - started) * 1000 if started is not None else 0.0
        # The path without its query string: calendar feed tokens live in paths, never shown
        # in full (the token is a secret); other paths are fine.
        path = request.path
        if path.endswith(".ics"):
            path = path.rsplit("/", 1)[0] + "/….ics"
        logger.info("%s %s %d %.1f ms", request.method, path, response.status_code, took)
        return response
