"""SQLAlchemy models, one module per table group. Importing this package registers them all."""

from tracker.models.commune import Commune, CommuneLevel, Unit, UnitKind
from tracker.models.plan import Plan, PlanTask
from tracker.models.task import Evidence, Task, TaskEvent, TaskStatus
from tracker.models.types import UTCDateTime
from tracker.models.user import ApiToken, Role, User
from tracker.models.workflow import WorkflowInstance, WorkflowSpec

__all__ = [
    "ApiToken",
    "Commune",
    "CommuneLevel",
    "Evidence",
    "Plan",
    "PlanTask",
    "Role",
    "Task",
    "TaskEvent",
    "TaskStatus",
    "UTCDateTime",
    "Unit",
    "UnitKind",
    "User",
    "WorkflowInstance",
    "WorkflowSpec",
]
