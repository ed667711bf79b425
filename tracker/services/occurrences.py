"""A plan item's occurrences in one year, as a workflow instance holds them.

The deadline engine (:mod:`tracker.cadence`) reads the item's phrase in the plan's context;
each occurrence becomes one item of the instance data, with the instant its deadline timer
fires.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tracker.cadence import Kind, PlanContext, parse_cadence
from tracker.clock import VN_TZ
from tracker.models import Plan, PlanItem
from tracker.workflow.engine import occurrence_data

__all__ = ["due_instant", "plan_context", "year_occurrences"]

_NO_DATES = {Kind.ON_DEMAND, Kind.UNKNOWN}


def plan_context(plan: Plan) -> PlanContext:
    last = plan.period_to or plan.period_from
    month = None
    if plan.issued_month:
        year, mon = plan.issued_month.split("-")
        month = (int(year), int(mon))
    return PlanContext(
        issued_on=plan.issued_on,
        years=tuple(range(plan.period_from, last + 1)),
        open_ended=plan.open_ended,
        issued_month=month,
    )


def due_instant(due_on: dt.date) -> dt.datetime:
    """The end of the due day in Vietnam: the timer fires once that day has fully passed."""
    return dt.datetime.combine(due_on + dt.timedelta(days=1), dt.time(0), tzinfo=VN_TZ)


def year_occurrences(plan: Plan, plan_item: PlanItem, year: int) -> list[dict[str, Any]]:
    """The instance data for one plan item in one year, from the deadline engine.

    The instance for ``year`` holds the occurrences keyed by that year, wherever their
    due date falls: "Hằng năm" keyed 2028 is due 31/12/2028, a Sunday, so 02/01/2029 after
    the working-day shift, and still belongs to 2028 (and not to 2029).

    A task whose phrase yields no dates at all (on demand, or a phrase nobody can read)
    still gets one occurrence without a deadline, so it shows as "không thời hạn" instead
    of vanishing; a task with dates only in other years gets none this year.
    """
    ctx = plan_context(plan)
    cadence = parse_cadence(plan_item.time_text, ctx)
    # Shifts move a due date by days, never by a year: the neighbouring years cover them.
    found = cadence.occurrences(dt.date(year - 1, 1, 1), dt.date(year + 1, 12, 31))
    items = [
        occurrence_data(
            o.key, o.opens_on, o.due_on, due_instant(o.due_on) if o.due_on else None
        )
        for o in found
        if o.key[:4] == str(year)
    ]
    if not items and cadence.kind in _NO_DATES:
        opens_on = max(dt.date(year, 1, 1), ctx.effective_issued_on)
        items = [occurrence_data(str(year), opens_on, None, None)]
    return items
