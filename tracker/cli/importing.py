"""``tracker import-plan``: read plan documents and show what would be imported.

Never writes to the database. Exit status 0 when every file was read (warnings included),
2 when a file cannot be read or holds no recognisable plan; each such file gets one line
on stderr naming it and saying why.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click

from tracker.i18n import format_date_short
from tracker.importing import PlanDraft, PlanImportError, read_plan
from tracker.importing.communes import HAI_PHONG_CODE, find_province


def _parse_window(value: str | None) -> tuple[dt.date, dt.date] | None:
    if value is None:
        return None
    try:
        start_text, end_text = value.split(":")
        start, end = dt.date.fromisoformat(start_text), dt.date.fromisoformat(end_text)
    except ValueError as error:
        raise click.BadParameter("expected FROM:TO as YYYY-MM-DD:YYYY-MM-DD") from error
    if end < start:
        raise click.BadParameter("the window ends before it starts")
    return start, end


def _elsewhere(draft: PlanDraft) -> bool:
    """Whether the plan is of a province other than Hải Phòng (the summary then names it)."""
    return draft.province is not None and draft.province.code != HAI_PHONG_CODE


def _summary(draft: PlanDraft, window: tuple[dt.date, dt.date] | None) -> str:
    data = draft.to_json(*(window or (None, None)))
    issued = format_date_short(draft.issued_on) or "—"
    period = f"{draft.period.start}–{draft.period.end}"
    if draft.period.open_ended:
        period += "+"
    lines = [
        f"{draft.source}: {draft.document_type or '?'} {draft.number or '(no number)'} "
        f"of {issued}, {draft.issuer or 'unknown issuer'}"
        + (f" ({draft.province.full_name})" if _elsewhere(draft) else "") + f", {period}",
        f"  {draft.title or '(no title)'}",
        f"  {len(draft.tasks)} tasks, {len(draft.targets)} targets, "
        f"{len(draft.implements)} cited documents, {len(draft.warnings)} warnings",
    ]
    for task in data["tasks"]:
        due = ", ".join(task["due_dates"][:3]) + (" …" if len(task["due_dates"]) > 3 else "")
        lead = "; ".join(task["lead_units"]) or "?"
        lines.append(
            f"  {task['ref']:<10} {task['cadence']['text'][:28]:<28} {lead[:40]:<40} {due}"
        )
    lines.extend(f"  ! line {w.line}: {w.message}" for w in draft.warnings)
    return "\n".join(lines)


@click.command("import-plan")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array, one object per file.")
@click.option(
    "--window",
    metavar="FROM:TO",
    help="Due dates between these ISO dates (default: each plan's own years).",
)
@click.option(
    "--province",
    "province_text",
    metavar="CODE",
    help="Look for a commune the document does not place in a province in this one first "
    "(code, codename or name; default: Hải Phòng).",
)
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
def import_plan_command(
    as_json: bool, window: str | None, province_text: str | None, files: tuple[Path, ...]
) -> None:
    """Read plan documents (.txt, .docx, .doc, .pdf) and print the plans they hold."""
    span = _parse_window(window)
    province = find_province(province_text) if province_text is not None else None
    if province_text is not None and province is None:
        raise click.BadParameter(f"no province {province_text!r} in the register",
                                 param_hint="--province")
    drafts: list[PlanDraft] = []
    failed = False
    for path in files:
        try:
            drafts.append(read_plan(path, province=province.code if province else None))
        except PlanImportError as error:
            failed = True
            click.echo(f"error: {error}", err=True)
    if as_json:
        payload = [d.to_json(*(span or (None, None))) for d in drafts]
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    elif drafts:  # a run where every file failed prints nothing on stdout
        click.echo("\n\n".join(_summary(d, span) for d in drafts))
    if failed:
        raise SystemExit(2)
