"""The ``tracker`` command: one click group, one module per concept."""

from __future__ import annotations

from typing import Any

import click
from sqlalchemy.exc import OperationalError

from tracker.cli import accounts as accounts_cli
from tracker.cli import cadence, db
from tracker.cli import calendars as calendars_cli
from tracker.cli import importing as importing_cli
from tracker.cli import plans as plans_cli
from tracker.cli import provinces as provinces_cli
from tracker.cli import reminders as reminders_cli
from tracker.cli import tasks as tasks_cli
from tracker.cli import web as web_cli
from tracker.cli import workflow as workflow_cli
from tracker.config import ConfigError


class _Main(click.Group):
    """The command group; a database that cannot be reached, or a setting that cannot be
    used, is one line, not a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except OperationalError as error:
            from tracker.services.database import database_error_line

            raise click.ClickException(f"database: {database_error_line(error)}") from error
        except ConfigError as error:  # a setting of the environment it cannot start with
            raise click.ClickException(str(error)) from error


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Hạn — Vietnamese commune task and deadline tracker."""


main.add_command(accounts_cli.accounts_command)
main.add_command(cadence.cadence_command)
main.add_command(db.db_command)
main.add_command(provinces_cli.provinces_command)
main.add_command(importing_cli.import_plan_command)
main.add_command(plans_cli.plans_command)
main.add_command(reminders_cli.remind_command)
main.add_command(reminders_cli.scheduler_command)
main.add_command(calendars_cli.export_calendars_command)
main.add_command(workflow_cli.workflow_command)
main.add_command(tasks_cli.tasks_command)
main.add_command(web_cli.demo_command)
main.add_command(web_cli.serve_command)
