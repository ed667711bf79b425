"""What the database commands share: the ``--now`` clock and an app on a checked database.

A command that reads or writes the database first checks that ``DATABASE_URL`` names a
database that exists and is migrated, so a wrong or empty database is one clear line and a
non-zero exit, never a traceback (and a mistyped SQLite path is not created empty).
"""

from __future__ import annotations

from typing import Any

import click
from flask import Flask

from tracker.app import create_app
from tracker.clock import Clock, SystemClock, parse_now
from tracker.config import ConfigError, default_config
from tracker.models import Province
from tracker.services.database import DatabaseNotReady, check_database
from tracker.services.provinces import ProvinceError, province_by_code, register_province


def clock_from_option(now_text: str | None, param_hint: str = "--now") -> Clock:
    """The wall clock, or the fixed moment given to ``--now``.

    An empty ``--now ""`` (an unset shell variable) is an error, not the wall clock: running
    the reminders as of the real moment by accident would send real mails.
    """
    if now_text is None:
        return SystemClock()
    try:
        return parse_now(now_text)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint=param_hint) from error


def database_app(config: dict[str, Any] | None = None, *, clock: Clock | None = None) -> Flask:
    """The app on the configured database, after checking that the database is ready."""
    url = (config or {}).get("SQLALCHEMY_DATABASE_URI") or default_config()[
        "SQLALCHEMY_DATABASE_URI"
    ]
    try:
        check_database(url)
    except DatabaseNotReady as error:
        raise click.ClickException(str(error)) from error
    return checked_app(config, clock=clock)


def checked_app(config: dict[str, Any] | None = None, *, clock: Clock | None = None) -> Flask:
    """The app, with a setting it cannot start with as one clear line (never a traceback)."""
    try:
        return create_app(config, clock=clock)
    except ConfigError as error:
        raise click.ClickException(str(error)) from error


def enabled_province(text: str, param_hint: str = "--province") -> Province:
    """The enabled province ``--province`` names (code, codename or name); a usage error
    otherwise. Call inside the app context."""
    try:
        found = register_province(text)
    except ProvinceError as error:
        raise click.BadParameter(str(error), param_hint=param_hint) from error
    province = province_by_code(found.code)
    if province is None:
        raise click.BadParameter(
            f"{found.full_name} is not enabled (tracker provinces enable {found.codename})",
            param_hint=param_hint)
    return province
