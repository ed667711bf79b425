"""The production WSGI entry point: ``gunicorn -c deploy/gunicorn.conf.py`` loads
``tracker.wsgi:create_wsgi_app()`` in every worker process.

A factory, not a module-level ``app``: nothing runs at import, and each forked worker
builds its own app, engine and connection pool (a pool must never cross a fork). The web
workers never run the scheduler: ``tracker scheduler`` is its own process (one leader across
hosts through the lease). Logs follow LOG_FORMAT (tracker.logs).
"""

from __future__ import annotations

import logging

from flask import Flask

from tracker.app import create_app
from tracker.config import default_config
from tracker.logs import configure_logging


def create_wsgi_app() -> Flask:
    configure_logging(str(default_config()["LOG_FORMAT"]))
    logging.getLogger("tracker.requests").setLevel(logging.INFO)
    return create_app({"SCHEDULER_ENABLED": False})
