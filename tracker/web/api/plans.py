"""The API's plans: the list, one plan with its annex rows, and withdrawal."""

from __future__ import annotations

from flask import Response, current_app

from tracker.extensions import get_clock
from tracker.services import api as api_service
from tracker.services import plans as plan_service
from tracker.web.access import Action, current_account, requires
from tracker.web.api import schemas
from tracker.web.api.blueprint import answer, bp
from tracker.web.api.inputs import WithdrawBody, read_body
from tracker.web.errors import problem
from tracker.web.transactions import discard


@bp.route("/plans")
@requires(Action.VIEW)
def list_plans() -> Response:
    plans = api_service.visible_plans(current_account())
    return answer(schemas.PlanList(items=[schemas.Plan.of(p) for p in plans]))


@bp.route("/plans/<int:plan_id>")
@requires(Action.VIEW)
def get_plan(plan_id: int) -> Response:
    plan = api_service.find_visible_plan(current_account(), plan_id)
    if plan is None:
        return problem(404, "no such plan")
    return answer(
        schemas.PlanDetail(
            **schemas.Plan.fields_of(plan),
            tasks=[schemas.PlanItem.of(row) for row in plan.tasks],
            warnings=plan.warnings,
        )
    )


@bp.route("/plans/<int:plan_id>/withdraw", methods=["POST"])
@requires(Action.WITHDRAW_PLAN)
def withdraw_plan(plan_id: int) -> Response:
    plan = api_service.find_visible_plan(current_account(), plan_id)
    if plan is None:
        return problem(404, "no such plan")
    body = read_body(WithdrawBody)
    try:
        cancelled = plan_service.withdraw_plan(
            plan, current_account(), body.reason, get_clock(current_app)
        )
    except plan_service.PlanStoreError as error:
        discard()
        return problem(409, str(error))
    return answer(
        schemas.WithdrawnPlan(
            **schemas.Plan.fields_of(plan), cancelled_task_ids=[t.id for t in cancelled]
        )
    )
