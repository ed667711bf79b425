"""What the API answers, as pydantic models: they serialize the responses and are the
OpenAPI document's ``components/schemas`` (tracker.web.api.openapi generates them from here).

A model's class name is its schema's name in the document. Each ``of`` builds the model from
the database rows, so a field is named, typed and filled in one place.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from flask import current_app, url_for
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from tracker import models
from tracker.models import ExtensionStatus, TaskEventAction, TaskStatus
from tracker.services import deadlines


def _in_utc(at: dt.datetime) -> dt.datetime:
    # Serialized as "…Z" whatever zone the database handed back.
    return at.astimezone(dt.UTC)


Instant = Annotated[dt.datetime, AfterValidator(_in_utc)]


class Schema(BaseModel):
    model_config = ConfigDict(use_enum_values=True)


class Ref(Schema):
    """A unit or commune as other answers name it (communes carry their slug)."""

    id: int
    name: str
    slug: str | None = Field(default=None, description="Communes only.")

    @classmethod
    def of_unit(cls, unit: models.Unit) -> Ref:
        return cls(id=unit.id, name=unit.name)

    @classmethod
    def of_commune(cls, commune: models.Commune) -> Ref:
        return cls(id=commune.id, name=commune.name, slug=commune.slug)


class Person(Schema):
    id: int
    full_name: str

    @classmethod
    def of(cls, user: models.User | None) -> Person | None:
        return cls(id=user.id, full_name=user.full_name) if user else None


class Task(Schema):
    id: int
    url: str = Field(
        description="The task's page at the configured public address.",
        json_schema_extra={"format": "uri"},
    )
    ref: str = Field(description="Row or section number as written.")
    title: str
    group: str | None = Field(description="Criteria group.")
    year: int
    occurrence_key: str
    status: TaskStatus = Field(
        description="Effective status: late work still in hand reads overdue."
    )
    stored_status: TaskStatus
    opens_on: dt.date
    due_on: dt.date | None
    days_overdue: int = Field(ge=0)
    points: float | None
    plan_id: int
    commune_id: int
    unit: Ref
    assignee: Person | None
    parent_id: int | None
    is_split: bool = Field(
        description="Split among units: a container that follows its shares (the rows whose "
        "parent_id is this id). Lists leave it out; it completes when its last share is "
        "approved."
    )
    submitted_at: Instant | None
    completed_at: Instant | None
    escalated_at: Instant | None
    updated_at: Instant
    original_due_on: dt.date | None = Field(
        description="The plan's deadline when the due date was corrected or extended."
    )
    needs_deadline: bool = Field(
        description="No deadline and the time phrase was not understood: the focal officer "
        "must set one (POST /tasks/{task_id}/deadline)."
    )

    @staticmethod
    def fields_of(task: models.Task, status: str, day: dt.date) -> dict[str, Any]:
        late = status == TaskStatus.OVERDUE and task.due_on is not None and task.due_on < day
        return {
            "id": task.id,
            # The configured public address, never the request's Host header.
            "url": current_app.config["BASE_URL"].rstrip("/")
            + url_for("tasks.task_detail", task_id=task.id),
            "ref": task.ref,
            "title": task.title,
            "group": task.group,
            "year": task.year,
            "occurrence_key": task.occurrence_key,
            "status": status,
            "stored_status": task.status,
            "opens_on": task.opens_on,
            "due_on": task.due_on,
            "days_overdue": (day - task.due_on).days if late and task.due_on else 0,
            "points": task.points,
            "plan_id": task.plan_id,
            "commune_id": task.commune_id,
            "unit": Ref.of_unit(task.unit),
            "assignee": Person.of(task.assignee),
            "parent_id": task.parent_id,
            "is_split": task.is_split,
            "submitted_at": task.submitted_at,
            "completed_at": task.completed_at,
            "escalated_at": task.escalated_at,
            "updated_at": task.updated_at,
            "original_due_on": task.original_due_on,
            "needs_deadline": deadlines.needs_deadline(task),
        }

    @classmethod
    def of(cls, task: models.Task, status: str, day: dt.date) -> Task:
        return cls(**cls.fields_of(task, status, day))

    @classmethod
    def as_of(cls, task: models.Task, day: dt.date) -> Task:
        """The task with its effective status on ``day``."""
        status = TaskStatus.OVERDUE if task.is_overdue_on(day) else task.status
        return cls.of(task, status, day)


class ExtensionRequest(Schema):
    id: int
    task_id: int
    status: ExtensionStatus
    current_due_on: dt.date
    requested_due_on: dt.date
    reason: str
    requested_by: Person | None
    requested_at: Instant
    decided_by: Person | None
    decided_at: Instant | None
    comment: str | None

    @classmethod
    def of(cls, row: models.ExtensionRequest) -> ExtensionRequest:
        return cls(
            id=row.id,
            task_id=row.task_id,
            status=ExtensionStatus(row.status),
            current_due_on=row.current_due_on,
            requested_due_on=row.requested_due_on,
            reason=row.reason,
            requested_by=Person.of(row.requested_by),
            requested_at=row.requested_at,
            decided_by=Person.of(row.decided_by),
            decided_at=row.decided_at,
            comment=row.decision_comment,
        )


class TaskEvent(Schema):
    at: Instant
    action: TaskEventAction
    actor: Person | None
    from_status: str | None
    to_status: str | None
    comment: str | None

    @classmethod
    def of(cls, event: models.TaskEvent) -> TaskEvent:
        return cls(
            at=event.at,
            action=TaskEventAction(event.action),
            actor=Person.of(event.actor),
            from_status=event.from_status,
            to_status=event.to_status,
            comment=event.comment,
        )


class PlanItem(Schema):
    """An annex row of a plan: what its tasks were made from."""

    id: int
    position: int
    ref: str
    title: str
    group: str | None
    time_text: str = Field(
        description="The time phrase the deadlines are read from: the document's, or the "
        "recurring deadline set by hand (then the document's is original_time_text)."
    )
    original_time_text: str | None = Field(
        description="The document's phrase when a recurring deadline was set by hand."
    )
    time_set_reason: str | None = Field(description="Why the deadline was set by hand.")
    cadence_kind: str
    rrule: str | None
    lead_units: list[str]
    coordinating_units: list[str]
    points: float | None
    evidence: str | None

    @classmethod
    def of(cls, row: models.PlanItem) -> PlanItem:
        return cls.model_validate(row, from_attributes=True)


class TaskDetail(Task):
    source: PlanItem
    history: list[TaskEvent]
    pending_extension_request: ExtensionRequest | None
    extension_requests: list[ExtensionRequest]

    @classmethod
    def of_task(cls, task: models.Task, day: dt.date, events: list[models.TaskEvent]) -> TaskDetail:
        status = TaskStatus.OVERDUE if task.is_overdue_on(day) else task.status
        pending = deadlines.pending_extension(task)
        return cls(
            **Task.fields_of(task, status, day),
            source=PlanItem.of(task.plan_item),
            history=[TaskEvent.of(e) for e in events],
            pending_extension_request=ExtensionRequest.of(pending) if pending else None,
            extension_requests=[ExtensionRequest.of(r) for r in task.extension_requests],
        )


class TaskPage(Schema):
    items: list[Task]
    total: int
    page: int
    per_page: int


class Plan(Schema):
    id: int
    slug: str
    number: str | None
    title: str
    issuer: str
    issued_on: dt.date | None
    issued_month: str | None
    period_from: int
    period_to: int | None
    open_ended: bool
    commune: Ref
    withdrawn_at: Instant | None
    withdraw_reason: str | None

    @staticmethod
    def fields_of(plan: models.Plan) -> dict[str, Any]:
        fields = {name: getattr(plan, name) for name in Plan.model_fields if name != "commune"}
        return {**fields, "commune": Ref.of_commune(plan.commune)}

    @classmethod
    def of(cls, plan: models.Plan) -> Plan:
        return cls(**cls.fields_of(plan))


class PlanDetail(Plan):
    tasks: list[PlanItem]
    warnings: list[Any]


class WithdrawnPlan(Plan):
    cancelled_task_ids: list[int]


class PlanList(Schema):
    items: list[Plan]


class ReminderResult(Schema):
    task_id: int
    queued: list[Annotated[str, Field(json_schema_extra={"format": "email"})]]


# Every answer model, in the order the document lists them.
# The answer models of this module, in the order the document lists them.
RESPONSES: tuple[type[Schema], ...] = (
    Ref,
    Person,
    Task,
    TaskDetail,
    TaskPage,
    ExtensionRequest,
    TaskEvent,
    PlanItem,
    Plan,
    PlanDetail,
    WithdrawnPlan,
    PlanList,
    ReminderResult,
)
