"""``tracker db``: migrate, back up and restore the configured database."""

from __future__ import annotations

from pathlib import Path

import click
from sqlalchemy.exc import IntegrityError

from tracker.app import create_app
from tracker.config import default_config
from tracker.extensions import db
from tracker.services.backups import BackupError, backup_database, restore_database
from tracker.services.communes import load_register
from tracker.services.database import describe_url, upgrade_database
from tracker.services.unit_of_work import unit_of_work


@click.group("db")
def db_command() -> None:
    """Database schema (Alembic migrations), backups."""


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
            with unit_of_work():
                added = load_register()
        except IntegrityError:  # another server loaded it at the same moment
            added = 0
        finally:
            db.session.remove()
            db.engine.dispose()
    return added


@db_command.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup(path: Path) -> None:
    """Back the database of DATABASE_URL up into the new file PATH.

    PostgreSQL: pg_dump's custom format; SQLite: a copy made with SQLite's backup API. Safe
    while the app runs.
    """
    url = default_config()["SQLALCHEMY_DATABASE_URI"]
    try:
        result = backup_database(url, path)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"backup of {result.database}: {result.path} ({result.size:,} bytes)")


@db_command.command("restore")
@click.argument("path", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--yes", is_flag=True, help="Replace the database without asking.")
def restore(path: Path, yes: bool) -> None:
    """Replace the content of DATABASE_URL's database with the backup in PATH.

    Stop the web and scheduler services first; run `tracker db upgrade` after restoring an
    older backup.
    """
    url = default_config()["SQLALCHEMY_DATABASE_URI"]
    if not yes:
        click.confirm(f"Replace everything in {describe_url(url)} with {path}?", abort=True)
    try:
        result = restore_database(url, path)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"restored {result.path} into {result.database}")
