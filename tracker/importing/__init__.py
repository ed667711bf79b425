"""Plan import: Vietnamese plan documents (.txt, .docx) → structured plan drafts.

Pure: no Flask, no database. ``read_plan(path)`` returns a :class:`PlanDraft` or raises
:class:`PlanImportError` with a message naming the file and why; never a partial result.
Warnings and errors are Vietnamese templates from :mod:`tracker.importing.messages` with
their parameters, so that the web layer can show them translated.
"""

from tracker.importing import messages
from tracker.importing.model import (
    CitedDocument,
    CriterionNode,
    ImportWarning,
    Period,
    PlanDraft,
    PlanImportError,
    Target,
    TaskDraft,
)
from tracker.importing.reader import read_plan, read_plan_bytes

__all__ = [
    "CitedDocument",
    "CriterionNode",
    "ImportWarning",
    "Period",
    "PlanDraft",
    "PlanImportError",
    "Target",
    "TaskDraft",
    "messages",
    "read_plan",
    "read_plan_bytes",
]
