"""``tracker db``: migrate the configured database."""

from __future__ import annotations

import click
from sqlalchemy.exc import IntegrityError

from tracker.app import create_app
from tracker.config import default_config
from tracker.extensions import db
from tracker.services.communes import load_register
from tracker.services.database import describe_url, upgrade_database


@click.group("db")
def db_command() -> None:
    """Database schema (Alembic migrations)."""


@db_command.command("upgrade")
def upgrade() -> None:
    """Create or migrate the database named by DATABASE_URL (default: var/tracker.sqlite3).

    Also loads the commune register: every commune of Hải Phòng gets its row and standard
    units, so the city roll-up lists all 114 from the start.
    """
    url = default_config()["SQLALCHEMY_DATABASE_URI"]
    upgrade_database(url)
    added = register_communes()
    click.echo(f"database at head: {describe_url(url)}")
    click.echo(f"commune register loaded ({added} new)")


def register_communes() -> int:
    """Load the commune register into the migrated database; another process may race it."""
    app = create_app({"SCHEDULER_ENABLED": False})
    with app.app_context():
        try:
            added = load_register()
            db.session.commit()
        except IntegrityError:  # another server loaded it at the same moment
            db.session.rollback()
            added = 0
        finally:
            db.session.remove()
            db.engine.dispose()
    return added
