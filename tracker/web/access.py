"""Route guards: every view declares the action it needs, and tasks load only if visible.

``@requires(Action.X)`` sends anonymous visitors to the login page (401 for the API) and
answers 403 when the role lacks the action (tracker.services.permissions.MATRIX). Views that
load a task use :func:`task_or_404`: another commune's or unit's task is simply not found.
Every route carries ``required_action`` or ``is_public`` so a test can walk the URL map.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import Flask, abort, current_app
from flask_login import current_user

from tracker.models import Task, User
from tracker.services.permissions import MATRIX, Action, can, role_of
from tracker.services.task_lists import find_visible_task

F = TypeVar("F", bound=Callable[..., Any])

__all__ = [
    "Action",
    "current_account",
    "is_public",
    "public",
    "required_action",
    "requires",
    "role_may",
    "task_for",
    "task_or_404",
]


def requires(action: Action) -> Callable[[F], F]:
    """Log-in required, and the role must hold ``action`` (else 403)."""

    def decorate(view: F) -> F:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]
            if not role_may(action):
                abort(403)
            return view(*args, **kwargs)

        guarded.required_action = action  # type: ignore[attr-defined]
        return cast(F, guarded)

    return decorate


def public(view: F) -> F:
    """Marks a view that anyone may open (login, language switch, health)."""
    view.is_public = True  # type: ignore[attr-defined]
    return view


def required_action(view: Callable[..., Any]) -> Action | None:
    return getattr(view, "required_action", None)


def is_public(view: Callable[..., Any]) -> bool:
    return bool(getattr(view, "is_public", False))


def current_account() -> User:
    """The signed-in person as the model object (not the proxy)."""
    return cast(User, current_user._get_current_object())  # type: ignore[attr-defined]


def role_may(action: Action) -> bool:
    """Does the signed-in person's role hold this action (ignoring any task)?"""
    if not current_user.is_authenticated:
        return False
    return action in MATRIX[role_of(current_account())]


def task_or_404(task_id: int) -> Task:
    """The task if the signed-in person may see it; otherwise 404, never a hint it exists."""
    task = find_visible_task(current_account(), task_id)
    if task is None:
        abort(404)
    return task


def task_for(action: Action, task_id: int) -> Task:
    """The task for an action on it: 404 if invisible, 403 if the action is not allowed."""
    task = task_or_404(task_id)
    if not can(current_account(), action, task):
        abort(403)
    return task


def init_app(app: Flask) -> None:
    """Templates ask ``may('assign')`` to decide which links and buttons to show."""

    def may(action: str, task: Task | None = None) -> bool:
        if not current_user.is_authenticated:
            return False
        return can(current_account(), Action(action), task)

    app.jinja_env.globals["may"] = may
    app.jinja_env.globals["Action"] = Action
