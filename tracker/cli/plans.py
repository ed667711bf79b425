"""``tracker plans import``: store plans and start their workflows, as the web import does.

    tracker plans import FILE... [--province CODE] [--commune NAME] [--now ISO_DATETIME]
    tracker plans import FILE --amend PLAN [--now ISO_DATETIME]

The same service as the import page's confirmation (tracker.services.plan_imports): the
commune the document names (or ``--commune``), the same warnings, the same refusals. Each
file is stored or refused on its own; the exit status is 1 when any was refused.

The province is the one the document names (its title block or place-and-date line), else
Hải Phòng; ``--province CODE`` (code, codename or name of an enabled province) imports in
that province instead, as a Sở Nội vụ of it would: a commune name the document leaves to
the reader ("Tiên Yên", a xã of Tuyên Quang and of Quảng Ninh) is looked up there first,
``--commune`` is one of its communes, and a document of another province's commune is
refused.

``--amend PLAN`` (the plan's number, slug or id) applies FILE as the plan's revised version
(kế hoạch sửa đổi, bổ sung), as the plans page's "Nhập bản sửa đổi" does: the diff is printed
(one line per row changed, added or removed), then applied.
"""

from __future__ import annotations

from pathlib import Path

import click
from sqlalchemy import or_, select

from tracker.cli.support import clock_from_option, database_app, enabled_province
from tracker.clock import Clock, today
from tracker.extensions import db
from tracker.models import Plan
from tracker.services import import_communes, plan_amendments, plan_imports
from tracker.services.unit_of_work import unit_of_work


@click.group("plans")
def plans_command() -> None:
    """Plans in the database: import them."""


@plans_command.command("import")
@click.option("--province", "province_text", metavar="CODE",
              help="Import in this enabled province (code, codename or name), as its Sở Nội "
                   "vụ would: where a commune name the document does not place is looked "
                   "up first, and where --commune is (default: the province the document "
                   "names, else Hải Phòng).")
@click.option("--commune", "commune_name",
              help="The commune the plans are for (default: the one each document names).")
@click.option("--now", "now_text", metavar="ISO_DATETIME",
              help="Import as of this moment (Vietnam time unless an offset is given).")
@click.option("--amend", "amend_text", metavar="PLAN",
              help="Apply the file as the revised version of this plan (number, slug or id).")
@click.argument("files", nargs=-1, required=True,
                type=click.Path(path_type=Path, dir_okay=False))
def import_command(province_text: str | None, commune_name: str | None, now_text: str | None,
                   amend_text: str | None, files: tuple[Path, ...]) -> None:
    """Store plan documents (.txt, .docx) and start their workflows for the years that came.

    A plan for a later period is stored now and starts when its first year comes.
    """
    clock = clock_from_option(now_text)
    app = database_app({"SCHEDULER_ENABLED": False}, clock=clock)
    refused = False
    with app.app_context():
        upload_dir = Path(app.config["UPLOAD_DIR"])
        province = enabled_province(province_text) if province_text is not None else None
        if amend_text is not None:
            if len(files) != 1 or commune_name or province_text:
                raise click.UsageError(
                    "--amend takes exactly one FILE and no --commune or --province.")
            _amend(amend_text, files[0], upload_dir, clock)
            return
        for path in files:
            unsure = False
            try:
                data = path.read_bytes()
            except OSError as error:
                refused = True
                click.echo(f"error: {path}: {error.strerror or error}", err=True)
                continue
            try:
                with unit_of_work():
                    pending = plan_imports.read_upload(data, path.name, upload_dir,
                                                       province=province)
                    unsure = plan_imports.unsure_commune(pending.draft) is not None
                    try:
                        scope = plan_imports.import_scope(pending.draft, None, province)
                        commune = commune_name or import_communes.suggested_commune(
                            pending.draft, scope)
                        # The operator's explicit --commune is the override (with its reason).
                        override = "--commune" if commune_name else None
                        plan, instances = plan_imports.confirm_import(
                            pending, commune_name=commune, actor=None, clock=clock,
                            override_reason=override, province=scope)
                    finally:
                        plan_imports.discard_pending(pending.token, upload_dir)
            except plan_imports.PlanImportRefused as error:
                refused = True
                message = str(error)
                named = message.startswith(f"{path.name}:")
                click.echo(f"error: {message}" if named else f"error: {path}: {message}",
                           err=True)
                if unsure and province is None and commune_name is None:
                    click.echo("  (name the province with --province CODE, or the commune "
                               "with --commune NAME)", err=True)
                continue
            years = ", ".join(str(i.year) for i in instances) or "none yet"
            click.echo(f"{path}: {plan.slug} for {plan.commune.name}, {len(plan.tasks)} tasks, "
                       f"workflows started: {years}")
            for warning in pending.draft.warnings:
                click.echo(f"  ! line {warning.line}: {plan_imports.warning_text(warning)}")
    if refused:
        raise SystemExit(1)


def _amend(plan_text: str, path: Path, upload_dir: Path, clock: Clock) -> None:
    plan = _find_plan(plan_text)
    try:
        data = path.read_bytes()
    except OSError as error:
        click.echo(f"error: {path}: {error.strerror or error}", err=True)
        raise SystemExit(1) from error
    try:
        with unit_of_work():
            pending = plan_imports.read_upload(data, path.name, upload_dir)
            try:
                for diff in plan_amendments.diff_plan(plan, pending.draft, today(clock)):
                    if diff.kind == "unchanged":
                        continue
                    changes = "; ".join(f"{c.label}: {c.old} -> {c.new}" for c in diff.changes)
                    click.echo(f"  {diff.kind} {diff.ref}: {diff.title[:70]}"
                               + (f" ({changes})" if changes else ""))
                revision = plan_imports.confirm_amendment(pending, plan, actor=None, clock=clock)
            finally:
                plan_imports.discard_pending(pending.token, upload_dir)
    except plan_imports.PlanImportRefused as error:
        click.echo(f"error: {path}: {error}", err=True)
        raise SystemExit(1) from error
    summary = revision.summary
    click.echo(f"{path}: amended {plan.slug}: {summary['changed']} changed, "
               f"{summary['added']} added, {summary['removed']} removed, "
               f"{summary['unchanged']} unchanged")


def _find_plan(text: str) -> Plan:
    query = select(Plan).where(or_(Plan.slug == text, Plan.number == text))
    if text.isdigit():
        query = select(Plan).where(or_(Plan.id == int(text), Plan.slug == text))
    found = db.session.scalars(query.order_by(Plan.id)).all()
    if len(found) != 1:
        what = "no plan" if not found else f"{len(found)} plans"
        click.echo(f"error: --amend {text}: {what} with this number, slug or id", err=True)
        raise SystemExit(1)
    return found[0]
