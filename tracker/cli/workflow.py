"""``tracker workflow``: build plans' BPMN, start instances, fire due timers.

    tracker workflow build [--out DIR] PLAN_FILE...
    tracker workflow start --plan SLUG --commune NAME --year YYYY
    tracker workflow tick [--now ISO_DATETIME]   (the years that came start, timers fire)

``build`` needs no database. ``start`` and ``tick`` open the app on DATABASE_URL and
commit once at the end.
"""

from __future__ import annotations

from pathlib import Path

import click

from tracker.cli.support import clock_from_option, database_app
from tracker.clock import Clock, SystemClock
from tracker.config import default_config
from tracker.extensions import db
from tracker.importing import PlanImportError, read_plan
from tracker.importing.communes import find_commune
from tracker.services.communes import CommuneError, ensure_commune
from tracker.services.plans import plan_by_slug
from tracker.services.tasks import refresh_statuses
from tracker.services.unit_of_work import unit_of_work
from tracker.services.workflow_errors import WorkflowServiceError
from tracker.services.workflows import start_instance
from tracker.workflow.errors import WorkflowError
from tracker.workflow.generator import generate_bpmn
from tracker.workflow.plan import process_plan_from_draft
from tracker.workflow.specs import validate_bpmn


@click.group("workflow")
def workflow_command() -> None:
    """Plans as BPMN workflows: build, start, tick."""


@workflow_command.command("build")
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False),
              help="Directory for the .bpmn files (default: workflows/).")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
def build(out_dir: Path | None, files: tuple[Path, ...]) -> None:
    """Write one validated .bpmn per plan document and print its path."""
    target = out_dir or Path(default_config()["WORKFLOW_DIR"])
    outputs: list[tuple[Path, str]] = []
    for path in files:
        try:
            draft = read_plan(path)
        except PlanImportError as error:
            raise click.ClickException(str(error)) from error
        found = (
            find_commune(draft.commune, province=draft.province.code)
            if draft.commune and draft.province
            else None
        )
        process = process_plan_from_draft(draft, found.slug if found else None)
        xml = generate_bpmn(process)
        out = target / f"{process.slug}.bpmn"
        try:
            validate_bpmn(xml, str(out))
        except WorkflowError as error:
            raise click.ClickException(f"{path}: {error}") from error
        outputs.append((out, xml))
    # Nothing is written unless every file built and validated.
    target.mkdir(parents=True, exist_ok=True)
    for out, xml in outputs:
        out.write_text(xml, encoding="utf-8")
        click.echo(str(out))


@workflow_command.command("start")
@click.option("--plan", "slug", required=True, help="The plan's slug (tracker tasks shows it).")
@click.option("--commune", "commune_name", required=True, help="Commune name, any spelling.")
@click.option("--year", type=int, required=True)
def start(slug: str, commune_name: str, year: int) -> None:
    """Start a plan's workflow for a commune and year."""
    clock: Clock = SystemClock()
    app = database_app({"SCHEDULER_ENABLED": False}, clock=clock)
    with app.app_context():
        plan = plan_by_slug(slug)
        if plan is None:
            raise click.ClickException(f"no plan with slug {slug!r}")
        try:
            with unit_of_work():
                commune = ensure_commune(commune_name)
                instance = start_instance(plan, commune, year, clock)
                count = len(instance_tasks(instance.id))
        except (CommuneError, WorkflowServiceError) as error:
            raise click.ClickException(str(error)) from error
        click.echo(f"started {plan.slug} for {commune.name} {year}: {count} tasks")


@workflow_command.command("tick")
@click.option("--now", "now_text", metavar="ISO_DATETIME",
              help="Act as if it were this instant (Vietnam time unless an offset is given).")
def tick(now_text: str | None) -> None:
    """Start the years that came, fire due timers, open due windows; print what changed.

    A plan's next year starts (its workflow instance, for its commune) once that year's
    first work window opens, at the latest on 1 January; running it again changes nothing.
    """
    clock = clock_from_option(now_text)
    app = database_app({"SCHEDULER_ENABLED": False}, clock=clock)
    with app.app_context():
        with unit_of_work():
            report = refresh_statuses(clock)
        for begun in report.started:
            instance = begun.instance
            click.echo(f"{instance.commune.name} {instance.plan.slug} {instance.year}: "
                       f"started, {begun.task_count} tasks")
        for fired in report.fired:
            note = " + escalated to the chairman" if fired.escalated else ""
            click.echo(f"{fired.commune} {fired.plan} {fired.ref} [{fired.occurrence_key}]: "
                       f"{fired.to_status}{note}")
        for task in report.opened:
            click.echo(f"{task.commune.name} {task.plan.slug} {task.ref} "
                       f"[{task.occurrence_key}]: window opened")
        for task in report.overdue:
            click.echo(f"{task.commune.name} {task.plan.slug} {task.ref} "
                       f"[{task.occurrence_key}]: overdue")
        click.echo(f"{len(report.started)} years started, "
                   f"{len(report.fired)} timers fired, {len(report.opened)} windows opened, "
                   f"{len(report.overdue)} shares overdue")


def instance_tasks(instance_id: int) -> list[int]:
    from tracker.models import Task

    return list(db.session.scalars(db.select(Task.id).where(Task.instance_id == instance_id)))
