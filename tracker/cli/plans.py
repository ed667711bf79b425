"""``tracker plans import``: store plans and start their workflows, as the web import does.

    tracker plans import FILE... [--commune NAME] [--now ISO_DATETIME]

The same service as the import page's confirmation (tracker.services.plan_imports): the
commune the document names (or ``--commune``), the same warnings, the same refusals. Each
file is stored or refused on its own; the exit status is 1 when any was refused.
"""

from __future__ import annotations

from pathlib import Path

import click

from tracker.cli.support import clock_from_option, database_app
from tracker.services import plan_imports
from tracker.services.unit_of_work import unit_of_work


@click.group("plans")
def plans_command() -> None:
    """Plans in the database: import them."""


@plans_command.command("import")
@click.option("--commune", "commune_name",
              help="The commune the plans are for (default: the one each document names).")
@click.option("--now", "now_text", metavar="ISO_DATETIME",
              help="Import as of this moment (Vietnam time unless an offset is given).")
@click.argument("files", nargs=-1, required=True,
                type=click.Path(path_type=Path, dir_okay=False))
def import_command(commune_name: str | None, now_text: str | None,
                   files: tuple[Path, ...]) -> None:
    """Store plan documents (.txt, .docx) and start their workflows for the years that came.

    A plan for a later period is stored now and starts when its first year comes.
    """
    clock = clock_from_option(now_text)
    app = database_app({"SCHEDULER_ENABLED": False}, clock=clock)
    refused = False
    with app.app_context():
        upload_dir = Path(app.config["UPLOAD_DIR"])
        for path in files:
            try:
                data = path.read_bytes()
            except OSError as error:
                refused = True
                click.echo(f"error: {path}: {error.strerror or error}", err=True)
                continue
            try:
                with unit_of_work():
                    pending = plan_imports.read_upload(data, path.name, upload_dir)
                    try:
                        commune = commune_name or plan_imports.suggested_commune(pending.draft)
                        # The operator's explicit --commune is the override (with its reason).
                        override = "--commune" if commune_name else None
                        plan, instances = plan_imports.confirm_import(
                            pending, commune_name=commune, actor=None, clock=clock,
                            override_reason=override)
                    finally:
                        plan_imports.discard_pending(pending.token, upload_dir)
            except plan_imports.PlanImportRefused as error:
                refused = True
                message = str(error)
                named = message.startswith(f"{path.name}:")
                click.echo(f"error: {message}" if named else f"error: {path}: {message}",
                           err=True)
                continue
            years = ", ".join(str(i.year) for i in instances) or "none yet"
            click.echo(f"{path}: {plan.slug} for {plan.commune.name}, {len(plan.tasks)} tasks, "
                       f"workflows started: {years}")
            for warning in pending.draft.warnings:
                click.echo(f"  ! line {warning.line}: {plan_imports.warning_text(warning)}")
    if refused:
        raise SystemExit(1)
