"""What the workflow services refuse: a request they cannot carry out, a lost race."""

from __future__ import annotations

from tracker.i18n import _

__all__ = ["ConcurrentUpdateError", "WorkflowServiceError"]


class WorkflowServiceError(ValueError):
    """A request the workflows cannot carry out; the message says why, in Vietnamese."""


class ConcurrentUpdateError(RuntimeError):
    """Someone else saved the same instance first. Roll the session back and retry."""

    def __init__(self) -> None:
        super().__init__(_("Người khác vừa thay đổi nhiệm vụ này, vui lòng thử lại."))
