"""A recurring deadline set by hand from a short form (hằng tháng / hằng quý / hằng năm).

When the plan's time phrase was not understood, the focal officer may give the plan item a
cadence instead of one date: day N of each month, day N of the quarter's last month, or
day/month each year, with a reason. The form becomes the phrase the deadline engine reads
("Ngày 25 hằng tháng", "Ngày 15 tháng cuối quý", "Ngày 15/11 hằng năm"); it is read through
the engine and stored on the plan item (the document's own phrase kept in
``original_time_text``, with who, when and why). The dateless tasks the unknown phrase gave
are cancelled with the reason, and the cadence's occurrences become tasks for every year
already started (the way a plan amendment adds rows: :func:`plan_amendments.table_tasks`);
the plan's process is rebuilt so the years still to come start from it. Reminders,
calendars and roll-ups follow because they read tasks.

Services flush only; the request commits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from tracker.cadence import Kind, parse_cadence
from tracker.clock import Clock
from tracker.extensions import db
from tracker.i18n import _
from tracker.models import Task, TaskEventAction, User, WorkflowInstance
from tracker.services import plan_amendments, plans
from tracker.services.deadlines import DeadlineError, needs_deadline
from tracker.services.permissions import Action, can
from tracker.services.workflows import WorkflowServiceError, plan_context, year_occurrences

__all__ = ["EVERY", "CadenceForm", "cadence_phrase", "parse_cadence_form", "set_cadence"]

EVERY = ("month", "quarter", "year")
# The last day every month of the kind has: a day past it would mean different days.
_LAST_DAY = {"month": 31, "quarter": 30}


@dataclass(frozen=True)
class CadenceForm:
    every: str  # "month" | "quarter" | "year"
    day: int
    month: int | None = None  # only for "year"


def _number(value: object, field: str) -> int:
    text = str(value if value is not None else "").strip()
    if not text:
        raise DeadlineError(_("%(field)s: chưa nhập.", field=field))
    try:
        return int(text)
    except ValueError:
        raise DeadlineError(_("%(field)s: “%(value)s” không phải một số.", field=field,
                              value=text)) from None


def parse_cadence_form(every: object, day: object, month: object = None) -> CadenceForm:
    """The short form's values checked; a message naming the field otherwise."""
    kind = str(every or "").strip()
    if kind not in EVERY:
        raise DeadlineError(_("Lặp lại: hãy chọn hằng tháng, hằng quý hoặc hằng năm."))
    number = _number(day, _("Ngày"))
    if kind == "year":
        month_number = _number(month, _("Tháng"))
        if not 1 <= month_number <= 12:
            raise DeadlineError(_("Tháng: phải từ 1 đến 12."))
        try:
            dt.date(2026, month_number, number)  # a year that is not a leap year
        except ValueError:
            raise DeadlineError(_("Ngày: tháng %(month)d không có ngày %(day)d hằng năm.",
                                  month=month_number, day=number)) from None
        return CadenceForm(kind, number, month_number)
    last = _LAST_DAY[kind]
    if not 1 <= number <= last:
        if kind == "quarter":
            raise DeadlineError(_("Ngày: phải từ 1 đến %(last)d (tháng cuối quý 2 và 3 chỉ có "
                                  "30 ngày).", last=last))
        raise DeadlineError(_("Ngày: phải từ 1 đến %(last)d.", last=last))
    return CadenceForm(kind, number)


def cadence_phrase(form: CadenceForm) -> str:
    """The phrase the deadline engine reads (and a plan would have written)."""
    if form.every == "month":
        return f"Ngày {form.day} hằng tháng"
    if form.every == "quarter":
        return f"Ngày {form.day} tháng cuối quý"
    return f"Ngày {form.day}/{form.month} hằng năm"


def set_cadence(task: Task, actor: User, form: CadenceForm, reason: str | None,
                clock: Clock) -> list[Task]:
    """Give the task's plan item a recurring deadline by hand; returns the tasks created."""
    if not can(actor, Action.SET_DEADLINE, task):
        raise DeadlineError(_("Bạn không có quyền đặt hạn cho nhiệm vụ này."))
    text = (reason or "").strip()
    if not text:
        raise DeadlineError(_("%(field)s: không được để trống.", field=_("Lý do đặt hạn")))
    if not needs_deadline(task):
        raise DeadlineError(_("Lặp lại: chỉ đặt được cho nhiệm vụ chưa có hạn (thời gian "
                              "thực hiện chưa đọc được); hãy đặt hạn theo ngày."))
    item, plan = task.plan_item, task.plan
    phrase = cadence_phrase(form)
    cadence = parse_cadence(phrase, plan_context(plan))
    if cadence.kind == Kind.UNKNOWN or not cadence.rrule:
        raise DeadlineError(_("Lặp lại: “%(phrase)s” không đọc được thành hạn.", phrase=phrase))
    created_before = set(db.session.scalars(select(Task.id).where(Task.plan_item_id == item.id)))
    try:
        with db.session.begin_nested():
            if item.original_time_text is None:
                item.original_time_text = item.time_text
            item.time_text, item.cadence_kind, item.rrule = phrase, str(cadence.kind), \
                cadence.rrule
            item.time_set_by_id, item.time_set_at, item.time_set_reason = \
                actor.id, clock.now(), text
            db.session.flush()
            note = _("Đặt hạn lặp lại “%(phrase)s” (văn bản ghi “%(original)s”). Lý do: "
                     "%(reason)s", phrase=phrase, original=item.original_time_text, reason=text)
            plans.cancel_open_tasks(
                select(Task).where(Task.plan_item_id == item.id), actor,
                TaskEventAction.DEADLINE_SET, note, clock)
            plan_amendments.new_spec(plan, clock)
            instances = db.session.scalars(
                select(WorkflowInstance).where(WorkflowInstance.plan_id == plan.id)
                .order_by(WorkflowInstance.year))
            for instance in instances:
                plan_amendments.table_tasks(
                    instance, item, year_occurrences(plan, item, instance.year), note, clock,
                    actor)
            db.session.flush()
    except (plans.PlanStoreError, WorkflowServiceError) as error:
        raise DeadlineError(str(error)) from error
    return list(db.session.scalars(
        select(Task).where(Task.plan_item_id == item.id, Task.id.not_in(created_before))
        .order_by(Task.year, Task.due_on, Task.id)))
