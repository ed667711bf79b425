"""``tracker db``: migrate, back up, restore and archive the configured database."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
from sqlalchemy.exc import IntegrityError

from tracker.app import create_app
from tracker.cli.support import clock_from_option, database_app
from tracker.config import default_config
from tracker.extensions import db
from tracker.i18n import _
from tracker.models import MailStatus
from tracker.services.archives import (
    ArchiveError,
    ArchiveResult,
    archive_dir,
    archive_mails,
    check_before,
    count_archivable,
    retention_cutoff,
)
from tracker.services.backups import BackupError, backup_database, restore_database
from tracker.services.communes import load_register
from tracker.services.database import describe_url, upgrade_database
from tracker.services.unit_of_work import unit_of_work


@click.group("db")
def db_command() -> None:
    """Database schema (Alembic migrations), backups, archiving of old mail."""


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


@db_command.command("archive")
@click.option("--dry-run", is_flag=True,
              help="Count what would be archived; write and delete nothing.")
@click.option("--before", "before", metavar="YYYY-MM-DD", type=click.DateTime(["%Y-%m-%d"]),
              help="Archive the mails of Vietnam days before this date instead of those older "
                   "than MAIL_RETENTION_DAYS (it must be at least 7 days ago).")
@click.option("--now", "now_text", metavar="ISO_DATETIME",
              help="Run as of this moment (Vietnam time unless an offset is given).")
def archive(dry_run: bool, before: dt.datetime | None, now_text: str | None) -> None:
    """Move old finished mails out of the database into a file in ARCHIVE_DIR.

    A mail goes when it was sent, failed for good or held in the outbox more than
    MAIL_RETENTION_DAYS (180) Vietnam days ago, and its task is done or cancelled, or it has
    none (a digest): the mails of an open task keep guarding it against repeated reminders.
    They are written to ARCHIVE_DIR/mail-YYYY-MM-DD.jsonl.gz (gzip, one JSON object per line,
    every column; never overwritten) and deleted once the file is safely on disk. The
    scheduler does this by itself once a day.
    """
    clock = clock_from_option(now_text)
    app = database_app({"SCHEDULER_ENABLED": False}, clock=clock)
    with app.app_context():
        try:
            try:
                cutoff = (check_before(before.date(), clock) if before is not None
                          else retention_cutoff(clock))
            except ArchiveError as error:
                if before is None:
                    raise
                raise click.BadParameter(str(error), param_hint="'--before'") from None
            if dry_run:
                result = count_archivable(cutoff)
            else:
                with unit_of_work():
                    result = archive_mails(cutoff, archive_dir(), clock)
        except ArchiveError as error:
            raise click.ClickException(str(error)) from None
        finally:
            db.session.remove()
            db.engine.dispose()
    _print_archive(result, dry_run=dry_run)


def _print_archive(result: ArchiveResult, *, dry_run: bool) -> None:
    day = result.before.isoformat()
    if not result.total:
        click.echo(_("Không có thư nào trước ngày %(day)s cần lưu trữ.", day=day))
        return
    if dry_run:
        click.echo(_("Chạy thử: %(count)s thư trước ngày %(day)s sẽ được lưu trữ (không ghi, "
                     "không xóa gì):", count=result.total, day=day))
    else:
        click.echo(_("Đã lưu trữ %(count)s thư trước ngày %(day)s:", count=result.total, day=day))
    labels = {MailStatus.SENT: _("Đã gửi"), MailStatus.FAILED: _("Gửi không được"),
              MailStatus.HELD: _("Lưu trong hộp thư đi")}
    for status, label in labels.items():
        if result.counts.get(status):
            click.echo(f"  {label} ({status}): {result.counts[status]}")
    if result.path is not None:
        click.echo(_("Tệp: %(path)s (%(size)s byte)", path=str(result.path), size=result.size))
