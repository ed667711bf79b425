"""Thin blueprints: parse input, call one service, render."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Flask
from flask_babel import format_decimal, get_locale, refresh

from tracker.clock import VN_TZ, today
from tracker.extensions import get_clock
from tracker.i18n import format_date_short


def register_blueprints(app: Flask) -> None:
    """Every blueprint of the app, in one list."""
    from tracker.web import (
        access,
        admin,
        admin_units,  # noqa: F401  (its routes join admin.bp)
        api,
        assignments,
        auth,
        calendars,
        dashboards,
        deadlines,
        edge,
        errors,
        health,
        national,
        nav,
        outbox,
        plans,
        reports,
        request_log,
        reviews,
        tasks,
        tokens,
        transactions,
    )

    edge.register_converters(app)  # before any route: ids bounded to the database's range
    for blueprint in (
        auth.bp,
        tasks.bp,
        assignments.bp,
        plans.bp,
        reviews.bp,
        deadlines.bp,
        calendars.bp,
        calendars.legacy_bp,
        dashboards.bp,
        national.bp,
        reports.bp,
        api.bp,
        tokens.bp,
        outbox.bp,
        admin.bp,
        health.bp,
    ):
        app.register_blueprint(blueprint)
    auth.init_app(app)
    access.init_app(app)
    nav.init_app(app)
    request_log.init_app(app)
    register_template_helpers(app)
    edge.init_app(app)
    errors.register_error_pages(app)
    transactions.init_app(app)  # last: wraps every view registered above


def register_template_helpers(app: Flask) -> None:
    from tracker.services.deadlines import needs_deadline, pending_extension
    from tracker.services.task_lists import urgency
    from tracker.web.labels import event_label, role_label, section_label, status_label
    from tracker.web.system_comments import system_comment

    app.jinja_env.filters["datetime_short"] = format_datetime_short
    app.jinja_env.filters["filesize"] = format_filesize
    app.jinja_env.globals.update(
        status_label=status_label,
        section_label=section_label,
        role_label=role_label,
        event_label=event_label,
        task_urgency=urgency,
        needs_deadline=needs_deadline,
        pending_extension=pending_extension,
        system_comment=system_comment,
    )

    @app.before_request
    def fresh_locale() -> None:
        # Flask-Babel caches the locale on the app context, which outlives one request
        # when a caller (a test, a CLI command) holds an app context open.
        refresh()

    @app.context_processor
    def locale_and_today() -> dict[str, Any]:
        return {
            "current_locale": str(get_locale() or "vi"),
            "today": today(get_clock(app)),
            "endpoints": app.view_functions,
        }


def format_datetime_short(at: dt.datetime | None) -> str:
    """An instant in Hải Phòng time: "05/02/2026 14:30"."""
    if at is None:
        return ""
    local = at.astimezone(VN_TZ)
    return f"{format_date_short(local.date())} {local:%H:%M}"


def format_filesize(size: int) -> str:
    """A file's size in the page's language: "40 B", "12,5 KB", "3,2 MB" (not "0.0 KB")."""
    if size < 1024:
        return f"{size} B"
    for unit, scale in (("KB", 1024), ("MB", 1024 * 1024)):
        if size < scale * 1024 or unit == "MB":
            return f"{format_decimal(size / scale, format='#,##0.#')} {unit}"
    raise AssertionError("unreachable")
