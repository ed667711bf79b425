"""The two ways the workflow package refuses: a process it cannot run, an action out of turn."""

from __future__ import annotations

__all__ = ["WorkflowError", "WorkflowStateError"]


class WorkflowError(Exception):
    """A BPMN document the engine cannot run; the message names the file and line."""


class WorkflowStateError(Exception):
    """An action the workflow is not waiting for (submit twice, review before submit…)."""
