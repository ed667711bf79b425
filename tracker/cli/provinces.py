"""``tracker provinces``: switch provinces on (tenants) and set their targets.

tracker provinces list
tracker provinces enable CODE|NAME
tracker provinces target CODE|NAME YEAR REACH LEVEL4     (shares 0-1, e.g. 1.0 0.5)
"""

from __future__ import annotations

import click

from tracker.cli.support import database_app
from tracker.clock import SystemClock
from tracker.extensions import db
from tracker.services.provinces import (
    ProvinceError,
    enable_province,
    list_provinces,
    province_by_code,
    province_targets,
    register_province,
    set_target,
)


@click.group("provinces")
def provinces_command() -> None:
    """Provinces as tenants: list, enable, targets."""


@provinces_command.command("list")
def list_command() -> None:
    """Every province of the register: enabled or not, communes stored / in the register."""
    app = database_app({"SCHEDULER_ENABLED": False})
    with app.app_context():
        for row in list_provinces():
            state = "enabled" if row.province else "-"
            targets = province_targets(row.province) if row.province else None
            shown = (
                ", ".join(f"{y}: {a:.0%}/{b:.0%}" for y, (a, b) in sorted(targets.items()))
                if targets
                else ""
            )
            click.echo(
                f"{row.code:>3}  {row.codename:<14} {state:<8} "
                f"{row.commune_count:>4}/{row.register_count:<4} {row.name}"
                + (f"  targets {shown}" if shown else "")
            )


@provinces_command.command("enable")
@click.argument("province")
def enable_command(province: str) -> None:
    """Switch PROVINCE on (its code, codename or name): its communes come from the register."""
    clock = SystemClock()
    app = database_app({"SCHEDULER_ENABLED": False}, clock=clock)
    with app.app_context():
        try:
            row, added = enable_province(province, clock)
        except ProvinceError as error:
            db.session.rollback()
            raise click.ClickException(str(error)) from error
        db.session.commit()
        click.echo(f"{row.name} (code {row.code}) enabled: {added} new communes")


@provinces_command.command("target")
@click.argument("province")
@click.argument("year", type=int)
@click.argument("reach_standard", type=float)
@click.argument("level_4", type=float)
def target_command(province: str, year: int, reach_standard: float, level_4: float) -> None:
    """Set PROVINCE's target for YEAR: shares of communes reaching the standard and Mức độ 4."""
    app = database_app({"SCHEDULER_ENABLED": False})
    with app.app_context():
        try:
            found = register_province(province)
            row = province_by_code(found.code)
            if row is None:
                raise ProvinceError(
                    f"{found.name} is not enabled; run: tracker provinces enable {found.code}"
                )
            set_target(row, year, reach_standard, level_4)
        except ProvinceError as error:
            db.session.rollback()
            raise click.ClickException(str(error)) from error
        db.session.commit()
        click.echo(f"{row.name} {year}: reach {reach_standard:.0%}, Mức độ 4 {level_4:.0%}")
