"""SQLAlchemy models, one module per table group. Importing this package registers them all."""

from tracker.models.calendar import CalendarScope, CalendarToken
from tracker.models.commune import Commune, CommuneLevel, Unit, UnitKind
from tracker.models.mail import (
    JobRun,
    Mail,
    MailKind,
    MailStatus,
    ReminderPolicy,
    ReminderSweep,
    SchedulerLease,
)
from tracker.models.plan import Plan, PlanItem, PlanRevision
from tracker.models.province import Province, ProvinceTarget
from tracker.models.scoring import AssessmentStatus, CriterionScore, SelfAssessment
from tracker.models.security import LoginFailure, LoginSession
from tracker.models.tally import TaskTally
from tracker.models.task import (
    DONE_STATUSES,
    FINISHED_STATUSES,
    LATE_UNMARKED_STATUSES,
    SUBMITTABLE_STATUSES,
    WORKING_STATUSES,
    Evidence,
    ExtensionRequest,
    ExtensionStatus,
    Task,
    TaskEvent,
    TaskEventAction,
    TaskStatus,
    is_work,
)
from tracker.models.types import UTCDateTime
from tracker.models.user import ApiToken, Role, User
from tracker.models.workflow import WorkflowInstance, WorkflowPart, WorkflowSpec

__all__ = [
    "DONE_STATUSES",
    "FINISHED_STATUSES",
    "LATE_UNMARKED_STATUSES",
    "SUBMITTABLE_STATUSES",
    "WORKING_STATUSES",
    "ApiToken",
    "AssessmentStatus",
    "CalendarScope",
    "CalendarToken",
    "Commune",
    "CommuneLevel",
    "CriterionScore",
    "Evidence",
    "ExtensionRequest",
    "ExtensionStatus",
    "JobRun",
    "LoginFailure",
    "LoginSession",
    "Mail",
    "MailKind",
    "MailStatus",
    "Plan",
    "PlanItem",
    "PlanRevision",
    "Province",
    "ProvinceTarget",
    "ReminderPolicy",
    "ReminderSweep",
    "Role",
    "SchedulerLease",
    "SelfAssessment",
    "Task",
    "TaskEvent",
    "TaskEventAction",
    "TaskStatus",
    "TaskTally",
    "UTCDateTime",
    "Unit",
    "UnitKind",
    "User",
    "WorkflowInstance",
    "WorkflowPart",
    "WorkflowSpec",
    "is_work",
]
