"""Who may see and do what. Pages, the API and calendar feeds all ask here.

Seeing is a query filter (another commune's or unit's task is simply not found: 404);
doing is :func:`can` (an action the role lacks: 403).
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import Select, false, select

from tracker.models import Role, Task, User
from tracker.services.scope import OVERSEERS, commune_ids, in_scope


class Action(StrEnum):
    VIEW = "view"
    COMMENT = "comment"
    UPLOAD_EVIDENCE = "upload_evidence"
    SUBMIT = "submit"
    REVIEW = "review"  # approve or return
    ASSIGN = "assign"  # assign to a unit / officer, split a collective task, reassign
    SEND_REMINDER = "send_reminder"
    IMPORT_PLAN = "import_plan"
    VIEW_COMMUNE_ROLLUP = "view_commune_rollup"
    VIEW_OVERDUE_BOARD = "view_overdue_board"
    VIEW_CITY_ROLLUP = "view_city_rollup"
    VIEW_NATIONAL_ROLLUP = "view_national_rollup"  # Bộ Nội vụ: every province's roll-up
    READ_OUTBOX = "read_outbox"
    REGISTER_LEVEL = "register_level"  # the commune's yearly level registration (Mức độ 1-4)
    RECORD_LEVEL = "record_level"  # the city's appraisal: level reached and score
    SET_DEADLINE = "set_deadline"  # give or correct a task's deadline, with a reason
    REQUEST_EXTENSION = "request_extension"  # the lead unit asks for more time (gia hạn)
    DECIDE_EXTENSION = "decide_extension"  # approve or refuse an extension request
    WITHDRAW_PLAN = "withdraw_plan"  # withdraw an imported plan: its open tasks are cancelled
    MANAGE_ACCOUNTS = "manage_accounts"  # a commune's units and accounts (onboarding)
    # The yearly self-assessment (tracker.services.scoring / assessments):
    VIEW_ASSESSMENT = "view_assessment"  # the scoring table and the Word report
    SELF_SCORE = "self_score"  # propose self-scores (lead unit's head; focal officer: any)
    COMPILE_ASSESSMENT = "compile_assessment"  # the focal officer hands it to the chairman
    APPROVE_ASSESSMENT = "approve_assessment"  # the chairman approves, or sends it back
    SUBMIT_ASSESSMENT = "submit_assessment"  # sent to the city; the commune can no longer edit
    APPRAISE_ASSESSMENT = "appraise_assessment"  # the city's scores per item, or returns it


COMMUNE_WIDE = {Role.CHAIRMAN, Role.VICE_CHAIRMAN, Role.FOCAL_OFFICER}

# role × action: the permission matrix (the README shows it; a test walks every route with it).
MATRIX: dict[Role, frozenset[Action]] = {
    # Read-only on communes' tasks; imports plans (the city's own, or for any commune).
    Role.CITY_ADMIN: frozenset(
        {
            Action.VIEW,
            Action.VIEW_COMMUNE_ROLLUP,
            Action.VIEW_CITY_ROLLUP,
            Action.READ_OUTBOX,
            Action.VIEW_OVERDUE_BOARD,
            Action.IMPORT_PLAN,
            Action.RECORD_LEVEL,
            Action.WITHDRAW_PLAN,
            Action.MANAGE_ACCOUNTS,
            Action.VIEW_ASSESSMENT,
            Action.APPRAISE_ASSESSMENT,
        }
    ),
    # Bộ Nội vụ: every province, read-only; it records, imports and sends nothing.
    Role.NATIONAL: frozenset(
        {
            Action.VIEW,
            Action.VIEW_COMMUNE_ROLLUP,
            Action.VIEW_CITY_ROLLUP,
            Action.VIEW_NATIONAL_ROLLUP,
            Action.VIEW_ASSESSMENT,
        }
    ),
    Role.CHAIRMAN: frozenset(
        {
            Action.VIEW,
            Action.COMMENT,
            Action.ASSIGN,
            Action.SEND_REMINDER,
            Action.VIEW_COMMUNE_ROLLUP,
            Action.VIEW_OVERDUE_BOARD,
            Action.READ_OUTBOX,
            Action.REGISTER_LEVEL,
            Action.DECIDE_EXTENSION,
            Action.VIEW_ASSESSMENT,
            Action.APPROVE_ASSESSMENT,
            Action.SUBMIT_ASSESSMENT,
        }
    ),
    Role.VICE_CHAIRMAN: frozenset(
        {
            Action.VIEW,
            Action.COMMENT,
            Action.ASSIGN,
            Action.SEND_REMINDER,
            Action.VIEW_COMMUNE_ROLLUP,
            Action.VIEW_OVERDUE_BOARD,
            Action.DECIDE_EXTENSION,
            Action.VIEW_ASSESSMENT,
        }
    ),
    Role.FOCAL_OFFICER: frozenset(
        {
            Action.VIEW,
            Action.COMMENT,
            Action.UPLOAD_EVIDENCE,
            Action.SUBMIT,
            Action.REVIEW,
            Action.ASSIGN,
            Action.SEND_REMINDER,
            Action.IMPORT_PLAN,
            Action.VIEW_COMMUNE_ROLLUP,
            Action.VIEW_OVERDUE_BOARD,
            Action.READ_OUTBOX,
            Action.REGISTER_LEVEL,
            Action.SET_DEADLINE,
            Action.WITHDRAW_PLAN,
            Action.VIEW_ASSESSMENT,
            Action.SELF_SCORE,
            Action.COMPILE_ASSESSMENT,
            Action.SUBMIT_ASSESSMENT,
        }
    ),
    Role.UNIT_HEAD: frozenset(
        {
            Action.VIEW,
            Action.COMMENT,
            Action.UPLOAD_EVIDENCE,
            Action.SUBMIT,
            Action.REQUEST_EXTENSION,
            Action.VIEW_ASSESSMENT,
            Action.SELF_SCORE,
        }
    ),
    Role.UNIT_STAFF: frozenset(
        {Action.VIEW, Action.COMMENT, Action.UPLOAD_EVIDENCE, Action.SUBMIT}
    ),
}


def role_of(user: User) -> Role:
    return Role(user.role)


def visible_tasks(user: User) -> Select[tuple[Task]]:
    """The tasks this person may see, as a query to refine further."""
    query = select(Task)
    role = role_of(user)
    if role is Role.NATIONAL:
        return query
    if role is Role.CITY_ADMIN:
        return query.where(Task.commune_id.in_(commune_ids(user)))
    if user.commune_id is None:
        return query.where(false())
    query = query.where(Task.commune_id == user.commune_id)
    if role in COMMUNE_WIDE:
        return query
    if role is Role.UNIT_HEAD:
        return query.where(Task.unit_id == user.unit_id) if user.unit_id else query.where(false())
    return query.where(Task.assignee_id == user.id)


def may_see(user: User, task: Task) -> bool:
    role = role_of(user)
    if role in OVERSEERS:
        return in_scope(user, task.commune)
    if task.commune_id != user.commune_id:
        return False
    if role in COMMUNE_WIDE:
        return True
    if role is Role.UNIT_HEAD:
        return user.unit_id is not None and task.unit_id == user.unit_id
    return task.assignee_id == user.id


def can(user: User, action: Action, task: Task | None = None) -> bool:
    """May this person do this action (on this task, which they must also be able to see)?"""
    if action not in MATRIX[role_of(user)]:
        return False
    return task is None or may_see(user, task)
