"""One unit of work per request: commit once on success, roll back on any error, then mail.

Every view runs inside :func:`in_unit_of_work` (wrapped once, when the blueprints are
registered). Services only add and flush; when the view returns a response below 400 the
session is committed here — inside Flask's dispatch, so an error of the commit itself (a
unique-key clash, a stale version, a locked database) reaches the error handlers in
``tracker.web.errors`` like any other error, and they roll back before rendering. A view
that refuses something after a service has flushed calls :func:`discard`; a refusal that must
still be recorded (a failed login attempt) calls :func:`keep`.

After the commit, the mails the request queued (and only those: ``mail.take_queued_ids``)
are delivered by a background worker (:class:`MailDispatcher`), never on the request thread,
so an SMTP timeout never holds a page. Other work that must wait for the commit (removing a
temporary file) is registered with :func:`after_commit`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from functools import wraps
from typing import Any

from flask import Flask, current_app, g

from tracker.extensions import db
from tracker.services import mail as mail_service

log = logging.getLogger(__name__)

__all__ = ["MailDispatcher", "after_commit", "discard", "in_unit_of_work", "keep"]


def discard() -> None:
    """Roll back what this request flushed so far; nothing of it will be committed."""
    db.session.rollback()
    mail_service.take_queued_ids()
    g.unit_of_work_discarded = True
    g.pop("unit_of_work_callbacks", None)


def keep() -> None:
    """Commit this request's work even though the response is a refusal (4xx)."""
    g.unit_of_work_keep = True


def after_commit(callback: Callable[[], None]) -> None:
    """Run ``callback`` once this request's work is committed (never after a rollback)."""
    g.setdefault("unit_of_work_callbacks", []).append(callback)


def roll_back() -> None:
    """The error path: forget everything the request did (safe to call twice)."""
    db.session.rollback()
    mail_service.take_queued_ids()
    g.pop("unit_of_work_callbacks", None)


def finish(status: int) -> None:
    """Commit (success) or roll back (refusal), then run what waited for the commit."""
    if g.pop("unit_of_work_discarded", False):
        db.session.rollback()
        return
    if status >= 400 and not g.pop("unit_of_work_keep", False):
        roll_back()
        return
    db.session.commit()
    queued = mail_service.take_queued_ids()
    for callback in g.pop("unit_of_work_callbacks", []):
        callback()
    if queued:
        dispatcher(current_app).deliver(queued)


def in_unit_of_work(view: Callable[..., Any]) -> Callable[..., Any]:
    """The view, with its response committed or rolled back (attributes kept for the guards)."""

    @wraps(view)
    def run(*args: Any, **kwargs: Any) -> Any:
        response = current_app.make_response(view(*args, **kwargs))
        finish(response.status_code)
        return response

    return run


class MailDispatcher:
    """Delivers the mails a request queued, after its commit, on one background thread."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="han-mail")
        self._pending: list[Future[None]] = []

    def deliver(self, mail_ids: Sequence[int]) -> None:
        self._pending = [f for f in self._pending if not f.done()]
        self._pending.append(self._executor.submit(self._run, list(mail_ids)))

    def _run(self, mail_ids: list[int]) -> None:
        with self.app.app_context():
            try:
                mail_service.deliver_mail(mail_ids)
            except Exception:  # the scheduler retries what is still pending
                log.exception("delivery of mails %s failed; the scheduler will retry", mail_ids)
                db.session.rollback()
            finally:
                db.session.remove()

    def wait(self, timeout: float = 30.0) -> None:
        """Until every delivery handed over so far has finished (tests, shutdown)."""
        wait(list(self._pending), timeout=timeout)


def dispatcher(app: Flask) -> MailDispatcher:
    found: MailDispatcher = app.extensions["tracker.mail_dispatcher"]
    return found


def init_app(app: Flask) -> None:
    """Wrap every view registered so far; start the mail dispatcher."""
    app.extensions["tracker.mail_dispatcher"] = MailDispatcher(app)
    for endpoint, view in list(app.view_functions.items()):
        app.view_functions[endpoint] = in_unit_of_work(view)
