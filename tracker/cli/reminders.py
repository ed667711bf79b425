"""``tracker remind`` runs every scheduled job once; ``tracker scheduler`` runs them forever."""

from __future__ import annotations

import json
import logging
import signal
import sys
from typing import Any

import click

from tracker.cli.support import clock_from_option, database_app
from tracker.clock import SystemClock
from tracker.extensions import db
from tracker.i18n import _
from tracker.logs import configure_logging
from tracker.services.reminders import MailSummary
from tracker.services.scheduler import (
    JobsIncomplete,
    LeaseBusy,
    run_scheduler_forever,
    run_with_lease,
)


@click.command("remind")
@click.option("--now", "now_text", metavar="ISO_DATETIME",
              help="Run as of this moment (Vietnam time unless an offset is given).")
@click.option("--dry-run", is_flag=True, help="Print the mails that would go; change nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of the mails.")
@click.option("--wait", "wait_seconds", default=60, show_default=True, type=click.IntRange(0),
              help="Seconds to wait for a running scheduler to give up the lease.")
def remind_command(now_text: str | None, dry_run: bool, as_json: bool, wait_seconds: int) -> None:
    """Send the reminders, digests and escalations due now, once (DATABASE_URL).

    Takes the scheduler lease first (waiting up to --wait seconds while a scheduler holds
    it), so it never sends alongside a scheduler. Running it twice for the same moment sends
    nothing the second time.
    """
    clock = clock_from_option(now_text)
    app = database_app({"SCHEDULER_ENABLED": False}, clock=clock)

    def waiting(holder: str) -> None:
        click.echo(_("Bộ lập lịch %(holder)s đang chạy; chờ tối đa %(seconds)d giây…",
                     holder=holder, seconds=wait_seconds), err=True)

    with app.app_context():
        try:
            mails = run_with_lease(clock, SystemClock(), wait_seconds=wait_seconds,
                                   on_wait=waiting, dry_run=dry_run)
        except LeaseBusy as busy:
            raise click.ClickException(
                _("Bộ lập lịch %(holder)s vẫn đang chạy sau %(seconds)d giây; không gửi gì. "
                  "Hãy chạy lại sau, hoặc tăng --wait.", holder=busy.holder, seconds=wait_seconds)
            ) from None
        except JobsIncomplete as incomplete:
            _print(incomplete.mails, as_json=as_json, dry_run=dry_run)
            raise click.ClickException(
                _("Việc %(jobs)s va chạm với thao tác khác nhiều lần; lần chạy sau sẽ làm tiếp.",
                  jobs=", ".join(incomplete.failed))
            ) from None
        else:
            _print(mails, as_json=as_json, dry_run=dry_run)
        finally:
            db.session.remove()
            db.engine.dispose()


def _print(mails: list[MailSummary], *, as_json: bool, dry_run: bool) -> None:
    if as_json:
        click.echo(json.dumps([m.as_json() for m in mails], ensure_ascii=False, indent=2))
        return
    for mail in mails:
        click.echo(f"{mail.kind:<14} {mail.to:<32} {mail.status:<8} {mail.subject}")
    if dry_run:
        click.echo(_("%(count)s thư sẽ được gửi (chạy thử, không lưu gì)", count=len(mails)),
                   err=True)
    else:
        click.echo(_("%(count)s thư đã xếp hàng gửi", count=len(mails)), err=True)


@click.command("scheduler")
def scheduler_command() -> None:
    """Run the scheduler in the foreground (only one is ever active per database)."""
    app = database_app()

    def stop(*_args: Any) -> None:
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    # Its log is what an operator watches: who holds the lease, what each tick did.
    try:
        configure_logging(str(app.config["LOG_FORMAT"]), level=logging.INFO)
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    click.echo("scheduler started; Ctrl+C to stop", err=True)
    run_scheduler_forever(app)
