"""Log lines: readable text by default, one JSON object per line when configured.

``LOG_FORMAT=json`` (or ``TRACKER_LOG_FORMAT``) is for a deployment whose logs go to
journald, Loki or ELK: every line is an object with ``ts`` (UTC), ``level``, ``logger``,
``message`` and the record's own fields — a request's ``method``, ``path``, ``status``,
``duration_ms``, ``user_id`` and ``request_id`` (tracker.web.request_log), a job's ``job``
and ``duration_ms`` (tracker.services.scheduler). The standard library's logging does it
all with a small formatter; python-json-logger would add a dependency for these 40 lines.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys
from typing import Any

# The attributes every LogRecord has; anything else on a record came from ``extra=``.
_STANDARD = frozenset(
    vars(logging.LogRecord("", 0, "", 0, "", None, None)).keys() | {"message", "asctime"}
)
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class JsonFormatter(logging.Formatter):
    """One JSON object per record, on one line (non-ASCII kept readable)."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def formatter(log_format: str) -> logging.Formatter:
    if log_format == "json":
        return JsonFormatter()
    if log_format == "text":
        return logging.Formatter(TEXT_FORMAT)
    raise ValueError(f"LOG_FORMAT: “{log_format}” is neither text nor json")


def configure_logging(log_format: str, level: int = logging.INFO) -> None:
    """One handler on the root logger, writing to stderr (journald catches it) in the format.

    Called by the process owners (``tracker serve``, ``tracker scheduler``, the WSGI module),
    never at import. Calling it again replaces the handler instead of doubling each line.
    """
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "is_tracker_handler", False):
            root.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter(log_format))
    handler.is_tracker_handler = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    # Their chatter: APScheduler's per-run lines, Alembic's per-check lines (every /readyz).
    for noisy in ("apscheduler", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
