"""``tracker tasks``: list rows of the task table.

    tracker tasks [--commune NAME] [--unit NAME] [--status S] [--json]
"""

from __future__ import annotations

import json

import click
from sqlalchemy import select

from tracker.cli.support import database_app
from tracker.extensions import db
from tracker.importing.units import unit_by_name
from tracker.models import Plan, Task, TaskStatus, Unit
from tracker.services.communes import commune_named


@click.command("tasks")
@click.option("--commune", "commune_name", help="Only this commune (any spelling).")
@click.option("--unit", "unit_name", help="Only tasks led by this unit (any spelling).")
@click.option("--status", type=click.Choice([s.value for s in TaskStatus]))
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
def tasks_command(commune_name: str | None, unit_name: str | None, status: str | None,
                  as_json: bool) -> None:
    """List task rows, by due date."""
    app = database_app({"SCHEDULER_ENABLED": False})
    with app.app_context():
        query = select(Task).join(Unit, Task.unit_id == Unit.id).join(Plan)
        if commune_name:
            commune = commune_named(commune_name)
            if commune is None:
                raise click.ClickException(f"no commune {commune_name!r} in the database")
            query = query.where(Task.commune_id == commune.id)
        if unit_name:
            known = unit_by_name(unit_name)
            name = known.name if known else unit_name.strip()
            if db.session.scalar(select(Unit.id).where(Unit.name == name).limit(1)) is None:
                raise click.ClickException(f"no unit {unit_name!r} in the database")
            query = query.where(Unit.name == name)
        if status:
            query = query.where(Task.status == status)
        query = query.order_by(Task.due_on.is_(None), Task.due_on, Task.commune_id, Task.id)
        rows = db.session.scalars(query).all()
        records = [_record(t) for t in rows]
    if as_json:
        click.echo(json.dumps(records, ensure_ascii=False, indent=2))
        return
    for r in records:
        click.echo(f"{r['due_on'] or '—':<10} {r['status']:<15} {r['commune']:<22} "
                   f"{r['plan']:<30} {r['ref']:<8} [{r['occurrence']}] {r['unit']}: "
                   f"{r['title'][:60]}")
    click.echo(f"{len(records)} tasks")


def _record(task: Task) -> dict[str, object]:
    return {
        "id": task.id,
        "commune": task.commune.name,
        "plan": task.plan.slug,
        "year": task.year,
        "ref": task.ref,
        "occurrence": task.occurrence_key,
        "title": task.title,
        "unit": task.unit.name,
        "status": task.status,
        "opens_on": task.opens_on.isoformat(),
        "due_on": task.due_on.isoformat() if task.due_on else None,
        "assignee": task.assignee.full_name if task.assignee else None,
        "sequence": task.sequence,
        "updated_at": task.updated_at.isoformat(),
    }
