"""``tracker demo`` builds the demo database; ``tracker serve`` serves the web app and scheduler."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import click
from sqlalchemy.engine import make_url
from waitress import create_server

from tracker.cli.support import checked_app, clock_from_option
from tracker.clock import today
from tracker.config import PROJECT_ROOT, default_config
from tracker.extensions import db
from tracker.i18n import format_date_short
from tracker.logs import configure_logging
from tracker.services.database import describe_url, upgrade_database
from tracker.services.demo import DEMO_PASSWORD, DemoAccount, DemoError, build_demo, demo_logins
from tracker.services.reminders import run_reminder_sweep
from tracker.services.scheduler import start_background_scheduler
from tracker.services.unit_of_work import unit_of_work

ROLE_NAMES = {
    "city_admin": "Sở Nội vụ",
    "chairman": "Chủ tịch",
    "vice_chairman": "Phó Chủ tịch",
    "focal_officer": "Đầu mối (VH-XH)",
    "unit_head": "Trưởng phòng",
    "unit_staff": "Công chức",
}


def _fresh_sqlite(url: str) -> None:
    """Delete the SQLite file (and its journals) so the demo starts from nothing."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return
    if parsed.database == ":memory:":
        return
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(parsed.database + suffix).unlink(missing_ok=True)


def _print_logins(accounts: list[DemoAccount]) -> None:
    if not accounts:
        return
    click.echo(f"Tài khoản demo (mật khẩu chung: {DEMO_PASSWORD}):")
    for account in accounts:
        place = " · ".join(p for p in (account.commune, account.unit) if p)
        role = ROLE_NAMES.get(str(account.role), str(account.role))
        click.echo(f"  {account.username:<48} {role:<16} {place}")


@click.command("demo")
@click.option(
    "--seeds",
    "seeds_dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=PROJECT_ROOT / "seeds",
    show_default=True,
    help="Folder with the seed plan documents.",
)
@click.option(
    "--now", "now_text", metavar="ISO_DATE", help="Build as of this day (default: today)."
)
def demo_command(seeds_dir: Path, now_text: str | None) -> None:
    """Build the demo in DATABASE_URL (SQLite: a fresh file) and exit."""
    clock = clock_from_option(now_text)
    url = default_config()["SQLALCHEMY_DATABASE_URI"]
    _fresh_sqlite(url)
    upgrade_database(url)
    app = checked_app({"SCHEDULER_ENABLED": False}, clock=clock)
    with app.app_context():
        try:
            with unit_of_work():
                report = build_demo(seeds_dir, clock)
        except DemoError as error:
            raise click.ClickException(str(error)) from error
        mails = run_reminder_sweep(clock)
        click.echo(f"Cơ sở dữ liệu demo: {describe_url(url)}")
        click.echo(f"Ngày: {format_date_short(today(clock))}")
        for plan in report.plans:
            click.echo(
                f"  {plan.commune.name:<24} {plan.number or '(chưa có số)':<14} "
                f"{len(plan.tasks):>3} nhiệm vụ  ({plan.source_name})"
            )
        click.echo(
            f"{report.task_count} việc, {report.overdue_count} quá hạn hôm nay; "
            f"{len(mails)} thư nhắc trong hộp thư đi."
        )
        _print_logins(report.accounts)
        db.session.remove()
        db.engine.dispose()


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--threads", default=8, show_default=True, type=int)
def serve_command(host: str, port: int, threads: int) -> None:
    """Serve the web app (waitress) with the reminder scheduler, on DATABASE_URL."""
    upgrade_database(default_config()["SQLALCHEMY_DATABASE_URI"])
    # Links in mails and calendar pages point at this server unless BASE_URL says otherwise
    # (a public address behind a proxy).
    app = checked_app(
        None if os.environ.get("BASE_URL") else {"BASE_URL": f"http://{host}:{port}"}
    )
    with app.app_context():
        accounts = demo_logins()
        db.session.remove()
    # Bind first: a port already in use is one line, and the address is printed only once
    # the server really listens there.
    try:  # waitress's own warnings, as waitress.serve() would, and one line per request
        configure_logging(str(app.config["LOG_FORMAT"]), level=logging.WARNING)
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    logging.getLogger("tracker.requests").setLevel(logging.INFO)  # one line per request
    try:
        server = create_server(app, host=host, port=port, threads=threads, ident="Han")
    except OSError as error:
        raise click.ClickException(
            f"cannot listen on {host}:{port}: {error.strerror or error}"
        ) from error
    start_background_scheduler(app)
    click.echo(f"Hạn đang chạy tại http://{host}:{port}/  (Ctrl+C để dừng)")
    _print_logins(accounts)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
