"""``tracker accounts``: onboard a commune's people without a developer.

    tracker accounts import FILE              (CSV or .xlsx; nothing is loaded if a row is bad)
    tracker accounts list [--commune NAME]
    tracker accounts token USERNAME [--name LABEL]
"""

from __future__ import annotations

from pathlib import Path

import click
from sqlalchemy import func, select

from tracker.cli.support import database_app, enabled_province
from tracker.clock import SystemClock
from tracker.extensions import db
from tracker.models import User
from tracker.services.account_imports import AccountImportError, import_accounts
from tracker.services.api_tokens import TokenError, create_token
from tracker.services.communes import commune_named
from tracker.services.unit_of_work import unit_of_work


@click.group("accounts")
def accounts_command() -> None:
    """People's accounts: import from a spreadsheet, list, make an API token."""


@accounts_command.command("import")
@click.option("--province", "province_text", metavar="CODE",
              help="Import within this enabled province (code, codename or name): the "
                   "file's communes are its communes, and its Sở Nội vụ rows administer it "
                   "(default: Hải Phòng).")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
def import_command(province_text: str | None, file: Path) -> None:
    """Create or update the accounts of a CSV or .xlsx file.

    Columns (any order, English or Vietnamese headings): username (tên đăng nhập), full name
    (họ và tên), email, role (vai trò: Bộ Nội vụ, Sở Nội vụ, Chủ tịch, Phó Chủ tịch, Đầu
    mối, Trưởng phòng, Công chức), commune (xã, phường), unit (đơn vị). Every bad row is
    reported by its line and nothing is loaded; a new account's password is printed once.
    """
    clock = SystemClock()
    app = database_app({"SCHEDULER_ENABLED": False}, clock=clock)
    with app.app_context():
        province = enabled_province(province_text) if province_text is not None else None
        try:
            with unit_of_work():
                results = import_accounts(file, clock, province)
        except AccountImportError as error:
            for problem in error.problems:
                click.echo(f"error: {problem}", err=True)
            raise SystemExit(1) from error
        for result in results:
            user = result.user
            place = " · ".join(p for p in (user.commune.name if user.commune else None,
                                           user.unit.name if user.unit else None) if p)
            if result.created:
                click.echo(f"created {user.username} ({user.role}) {place}  "
                           f"password: {result.password}")
            else:
                click.echo(f"updated {user.username} ({user.role}) {place}")
        created = sum(1 for r in results if r.created)
        click.echo(f"{created} accounts created, {len(results) - created} updated", err=True)


@accounts_command.command("list")
@click.option("--commune", "commune_name", help="Only this commune's accounts (any spelling).")
def list_command(commune_name: str | None) -> None:
    """Print the accounts: username, role, commune, unit, email, enabled."""
    app = database_app({"SCHEDULER_ENABLED": False})
    with app.app_context():
        query = select(User).order_by(User.commune_id, User.unit_id, User.username)
        if commune_name is not None:
            commune = commune_named(commune_name)
            if commune is None:
                raise click.ClickException(f"no commune {commune_name!r} in the database")
            query = query.where(User.commune_id == commune.id)
        for user in db.session.scalars(query):
            state = "" if user.is_enabled else "  (disabled)"
            click.echo(f"{user.username:<32} {user.role:<14} "
                       f"{user.commune.name if user.commune else '-':<26} "
                       f"{user.unit.name if user.unit else '-':<36} {user.email}{state}")


@accounts_command.command("token")
@click.argument("username")
@click.option("--name", "label", default="tracker accounts token", show_default=True,
              help="A label for the token, shown on the person's token page.")
def token_command(username: str, label: str) -> None:
    """Make a new personal API token for USERNAME and print it (only this once)."""
    clock = SystemClock()
    app = database_app({"SCHEDULER_ENABLED": False}, clock=clock)
    with app.app_context():
        user = db.session.scalar(select(User).where(func.lower(User.username) == username.lower()))
        if user is None:
            raise click.ClickException(f"no account {username!r}")
        if not user.is_enabled:
            raise click.ClickException(f"the account {user.username!r} is disabled")
        try:
            with unit_of_work():
                _row, plaintext = create_token(user, label, clock.now())
        except TokenError as error:
            raise click.ClickException(str(error)) from error
        click.echo(plaintext)
