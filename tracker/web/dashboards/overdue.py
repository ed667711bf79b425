"""The chairman's overdue board and its "Nhắc ngay" button."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from tracker.clock import today
from tracker.extensions import get_clock
from tracker.i18n import _, occurrence_label
from tracker.models import Task
from tracker.services import dashboards, reminder_audience, reminders
from tracker.web.access import Action, current_account, requires, task_for
from tracker.web.dashboards.blueprint import bp, commune_or_picker, picker_choices
from tracker.web.dashboards.display import BUCKET_HEADINGS, BUCKET_LABELS
from tracker.web.transactions import discard


@bp.route("/bang-qua-han")
@requires(Action.VIEW_OVERDUE_BOARD)
def overdue_board() -> str:
    slug = request.args.get("xa", "").strip() or None
    commune = commune_or_picker(slug)
    board = None
    if commune is not None:
        board = dashboards.overdue_board(commune, today(get_clock(current_app)))
    return render_template(
        "dashboards/overdue.html",
        board=board,
        communes=picker_choices(),
        chosen=commune,
        buckets=[key for key, _first, _last in dashboards.AGE_BUCKETS],
        bucket_labels=BUCKET_LABELS,
        bucket_headings=BUCKET_HEADINGS,
    )


@bp.route("/bang-qua-han/nhac/<int:task_id>", methods=["POST"])
@requires(Action.SEND_REMINDER)
def send_reminder(task_id: int) -> Response:
    task = task_for(Action.SEND_REMINDER, task_id)
    try:
        queued = reminders.send_reminder_now(task, current_account(), get_clock(current_app))
    except reminders.ReminderRefused as error:
        discard()
        flash(str(error), "error")
        return redirect(url_for("tasks.task_detail", task_id=task.id))
    name = task_name(task)
    if queued:
        flash(
            _(
                "Đã gửi nhắc việc “%(task)s” tới %(names)s.",
                task=name,
                names=", ".join(sorted({mail.address for mail in queued})),
            ),
            "success",
        )
    elif not _reminder_recipients(task):
        flash(
            _(
                "Chưa gửi được nhắc việc “%(task)s”: việc chưa có người phụ trách, và %(unit)s "
                "chưa có trưởng phòng có thư điện tử. Hãy phân công hoặc chia việc trước.",
                task=name,
                unit=task.unit.name,
            ),
            "warning",
        )
    else:
        flash(
            _(
                "Việc “%(task)s” vừa được nhắc trong phút này; không gửi thêm thư.",
                task=name,
            ),
            "warning",
        )
    return redirect(url_for("dashboards.overdue_board") + f"#viec-{task.id}")


def task_name(task: Task) -> str:
    """A task as a message names it: its number, the start of its title and its occurrence —
    five tasks of a plan can share the number "4"."""
    title = task.title if len(task.title) <= 60 else task.title[:59].rstrip() + "…"
    label = occurrence_label(task.occurrence_key)
    return f"{task.ref}. {title}" + (f" ({label})" if label else "")


def _reminder_recipients(task: Task) -> list[str]:
    """The addresses a reminder of this task would go to (the point person, the unit heads)."""
    commune = reminder_audience.load_communes([task.commune_id])[0]
    return [
        person.email
        for person, _copy in reminder_audience.responsible(commune, task)
        if person.email
    ]
