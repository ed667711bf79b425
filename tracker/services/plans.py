"""Storing an imported plan: the Plan and PlanItem rows, and its BPMN spec.

``store_plan`` writes everything or nothing: the spec is generated and validated by the
engine before any row is flushed, so a plan that cannot run is never half-stored.
"""

from __future__ import annotations

from sqlalchemy import Select, func, select, update
from sqlalchemy.orm import selectinload

from tracker.clock import Clock
from tracker.extensions import db
from tracker.i18n import _
from tracker.importing import PlanDraft
from tracker.importing.unit_register import FOCAL_UNIT
from tracker.models import (
    Commune,
    Plan,
    PlanItem,
    Task,
    TaskEvent,
    TaskEventAction,
    TaskStatus,
    Unit,
    User,
    WorkflowInstance,
    WorkflowSpec,
)
from tracker.services.communes import CITY_KIND, ensure_city, ensure_commune, ensure_unit
from tracker.workflow import specs
from tracker.workflow.errors import WorkflowError
from tracker.workflow.generator import generate_bpmn
from tracker.workflow.plan import (
    CITY_FOCAL_UNIT,
    ProcessPlan,
    process_plan_from_draft,
    process_task_from,
)


class PlanStoreError(ValueError):
    """A plan that cannot be stored; the message says which and why."""


def store_plan(
    draft: PlanDraft, *, source_name: str, clock: Clock, imported_by: User | None = None,
    commune: Commune | None = None,
) -> Plan:
    """Store a draft as a plan of ``commune`` (default: the Hải Phòng commune the draft names,
    or the city), with its workflow spec."""
    if commune is None:
        commune = ensure_commune(draft.commune) if draft.commune else ensure_city()
    process = process_plan_from_draft(draft, None if commune.kind == CITY_KIND else commune.slug)
    if db.session.scalars(select(Plan).where(Plan.slug == process.slug)).first() is not None:
        raise PlanStoreError(
            _("%(source)s: kế hoạch “%(slug)s” đã được nhập trước đó.",
              source=source_name, slug=process.slug)
        )
    document = draft.to_json()
    month = document["issued_month"]
    plan = Plan(
        slug=process.slug,
        commune_id=commune.id,
        issuer=draft.issuer or commune.name,
        number=draft.number,
        issued_on=draft.issued_on,
        issued_month=month,
        title=draft.title or draft.source,
        period_from=draft.period.start,
        period_to=draft.period.end,
        open_ended=draft.period.open_ended,
        source_name=source_name,
        implements=document["implements"],
        targets=document["targets"],
        criteria=document["criteria"],
        warnings=document["warnings"],
        imported_at=clock.now(),
        imported_by_id=imported_by.id if imported_by else None,
    )
    for position, task in enumerate(draft.tasks, start=1):
        plan.tasks.append(
            PlanItem(
                position=position,
                ref=task.ref,
                title=task.title,
                group=task.group,
                time_text=task.time_text,
                cadence_kind=str(task.cadence.kind),
                rrule=task.cadence.rrule,
                lead_units=list(task.lead_units),
                coordinating_units=list(task.coordinating_units),
                points=task.points,
                evidence=task.evidence,
                source_line=task.line,
            )
        )
    # A savepoint: a plan whose BPMN the engine refuses leaves no rows behind.
    with db.session.begin_nested():
        db.session.add(plan)
        db.session.flush()
        build_spec(plan, clock)
    return plan


def withdraw_plan(plan: Plan, actor: User, reason: str | None, clock: Clock) -> list[Task]:
    """Withdraw (thu hồi) a plan: its open tasks are cancelled with the reason; done work and
    history stay; its timers fire no more and no further year starts. Flushes only."""
    text = (reason or "").strip()
    if not text:
        raise PlanStoreError(_("Lý do thu hồi: không được để trống."))
    if plan.withdrawn_at is not None:
        raise PlanStoreError(_("Kế hoạch này đã bị thu hồi trước đó."))
    now = clock.now()
    plan.withdrawn_at, plan.withdrawn_by_id, plan.withdraw_reason = now, actor.id, text
    cancelled = cancel_open_tasks(
        select(Task).where(Task.plan_id == plan.id), actor, TaskEventAction.WITHDRAW,
        _("Kế hoạch bị thu hồi: %(reason)s", reason=text), clock,
    )
    db.session.execute(
        update(WorkflowInstance).where(WorkflowInstance.plan_id == plan.id)
        .values(next_timer_at=None)
    )
    db.session.flush()
    return cancelled


def cancel_open_tasks(query: Select[tuple[Task]], actor: User | None, action: str,
                      comment: str, clock: Clock) -> list[Task]:
    """Cancel every open task the query finds, each with a history row saying why."""
    now = clock.now()
    cancelled = []
    for task in db.session.scalars(query.order_by(Task.id)):
        if not TaskStatus(task.status).is_open:
            continue
        before = task.status
        task.status = str(TaskStatus.CANCELLED)
        task.sequence += 1
        task.updated_at = now
        db.session.add(TaskEvent(task_id=task.id, actor_id=actor.id if actor else None, at=now,
                                 action=action, from_status=before,
                                 to_status=str(TaskStatus.CANCELLED), comment=comment))
        cancelled.append(task)
    db.session.flush()
    return cancelled


def commune_plans(commune_ids: list[int] | None) -> list[tuple[Plan, int]]:
    """Plans with their number of task rows, newest first; None: every commune's."""
    counts = (
        select(PlanItem.plan_id, func.count(PlanItem.id).label("n"))
        .group_by(PlanItem.plan_id).subquery()
    )
    query = (
        select(Plan, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.plan_id == Plan.id)
        .options(selectinload(Plan.commune), selectinload(Plan.imported_by))
        .order_by(Plan.commune_id, Plan.imported_at.desc(), Plan.id.desc())
    )
    if commune_ids is not None:
        query = query.where(Plan.commune_id.in_(commune_ids))
    return [(plan, int(n)) for plan, n in db.session.execute(query)]


def process_plan(plan: Plan) -> ProcessPlan:
    """The generator's view of a stored plan; the same as from the draft it came from."""
    focal = CITY_FOCAL_UNIT if plan.commune.kind == CITY_KIND else FOCAL_UNIT
    return ProcessPlan(
        slug=plan.slug,
        title=plan.title,
        issuer=plan.issuer,
        focal_unit=focal,
        tasks=tuple(
            process_task_from(t, position=t.position, focal_unit=focal) for t in plan.live_items
        ),
    )


def build_spec(plan: Plan, clock: Clock) -> WorkflowSpec:
    """Generate, validate and store (once by hash) the BPMN of a stored plan."""
    bpmn_xml = generate_bpmn(process_plan(plan))
    try:
        parsed = specs.validate_bpmn(bpmn_xml, f"{plan.slug}.bpmn")
    except WorkflowError as exc:
        raise PlanStoreError(str(exc)) from exc
    for task in plan.live_items:
        ensure_unit(plan.commune, task.lead_units[0] if task.lead_units else _focal(plan.commune))
    return store_spec(plan, bpmn_xml, parsed.process_id, clock)


def store_spec(plan: Plan, bpmn_xml: str, process_id: str, clock: Clock) -> WorkflowSpec:
    digest = specs.spec_hash(bpmn_xml)
    spec = db.session.get(WorkflowSpec, digest)
    if spec is None:
        spec = WorkflowSpec(hash=digest, plan_id=plan.id, process_id=process_id,
                            bpmn_xml=bpmn_xml, created_at=clock.now())
        db.session.add(spec)
        db.session.flush()
    return spec


def current_spec(plan: Plan) -> WorkflowSpec | None:
    """The plan's newest spec: what new instances start from."""
    return db.session.scalars(
        select(WorkflowSpec)
        .where(WorkflowSpec.plan_id == plan.id)
        .order_by(WorkflowSpec.created_at.desc())
    ).first()


def plan_by_slug(slug: str) -> Plan | None:
    return db.session.scalars(select(Plan).where(Plan.slug == slug)).first()


def focal_unit_of(commune: Commune) -> Unit:
    """The commune's focal unit (it takes a row that names no lead unit)."""
    return ensure_unit(commune, _focal(commune))


def _focal(commune: Commune) -> str:
    return CITY_FOCAL_UNIT if commune.kind == CITY_KIND else FOCAL_UNIT
