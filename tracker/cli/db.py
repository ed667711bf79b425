"""``tracker db``: migrate the configured database."""

from __future__ import annotations

import click

from tracker.config import default_config
from tracker.services.database import describe_url, upgrade_database


@click.group("db")
def db_command() -> None:
    """Database schema (Alembic migrations)."""


@db_command.command("upgrade")
def upgrade() -> None:
    """Create or migrate the database named by DATABASE_URL (default: var/tracker.sqlite3)."""
    url = default_config()["SQLALCHEMY_DATABASE_URI"]
    upgrade_database(url)
    click.echo(f"database at head: {describe_url(url)}")
