"""Shares of a split task are locked like workflow tasks: of two sessions, one wins.

Each race reads the share in this test's session, lets a second session (its own app
context, its own connection) act on it and commit, then acts on the stale copy: before the
optimistic lock both actions went through (an approved-and-returned share, two submit events,
the original completed while its share ended "returned").
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask

from tests.services.test_split_tasks import Scene, scene  # noqa: F401  (the fixture)
from tracker.clock import FixedClock
from tracker.extensions import db
from tracker.models import Task, TaskEvent, TaskStatus, User
from tracker.services.tasks import (
    ConcurrentUpdateError,
    approve_task,
    return_task,
    submit_task,
)


def _in_other_session(app: Flask, action: Callable[[Task, User], object], task_id: int,
                      user_id: int) -> None:
    with app.app_context():
        try:
            action(db.session.get(Task, task_id), db.session.get(User, user_id))
            db.session.commit()
        finally:
            db.session.remove()


def _events(task_id: int, action: str) -> int:
    return len(db.session.scalars(
        db.select(TaskEvent).where(TaskEvent.task_id == task_id, TaskEvent.action == action)
    ).all())


def _submitted_shares(scene: Scene, clock: FixedClock) -> list[Task]:  # noqa: F811
    shares = scene.split(clock)
    for share, head in zip(shares, scene.heads, strict=True):
        submit_task(share, head, "Đã thực hiện", [], clock)
    db.session.commit()
    return shares


def test_approve_and_return_of_the_same_share_one_wins(
    app: Flask, scene: Scene, clock: FixedClock  # noqa: F811
) -> None:
    shares = _submitted_shares(scene, clock)
    for share in shares[1:]:
        approve_task(share, scene.focal, None, clock)
    db.session.commit()
    last = shares[0]
    assert last.status == TaskStatus.AWAITING_REVIEW  # read here, before the other session
    _in_other_session(
        app, lambda t, u: return_task(t, u, "Thiếu minh chứng", clock), last.id, scene.focal.id
    )
    with pytest.raises(ConcurrentUpdateError, match="vừa thay đổi"):
        approve_task(last, scene.focal, None, clock)
    db.session.rollback()
    db.session.expire_all()
    assert db.session.get(Task, last.id).status == TaskStatus.RETURNED
    assert _events(last.id, "approve") == 0
    # The original does not complete while one of its shares is returned.
    assert TaskStatus(db.session.get(Task, scene.original.id).status).is_open


def test_two_submits_of_one_share_give_one_submit_event(
    app: Flask, scene: Scene, clock: FixedClock  # noqa: F811
) -> None:
    shares = scene.split(clock)
    db.session.commit()
    share, head = shares[0], scene.heads[0]
    assert TaskStatus(share.status).is_open
    _in_other_session(app, lambda t, u: submit_task(t, u, "Lần một", [], clock), share.id,
                      head.id)
    with pytest.raises(ConcurrentUpdateError):
        submit_task(share, head, "Lần hai", [], clock)
    db.session.rollback()
    assert _events(share.id, "submit") == 1


def test_the_web_says_so_in_vietnamese(
    app: Flask, scene: Scene, clock: FixedClock  # noqa: F811
) -> None:
    from tests.web.conftest import login, page_text

    shares = _submitted_shares(scene, clock)
    client = app.test_client()
    login(client, scene.focal)
    share = db.session.get(Task, shares[0].id)
    _in_other_session(
        app, lambda t, u: return_task(t, u, "Thiếu", clock), share.id, scene.focal.id
    )
    # This session still holds the share as awaiting review (its identity map is stale).
    assert share.status == TaskStatus.AWAITING_REVIEW
    response = client.post(f"/viec/{share.id}/duyet", follow_redirects=True)
    assert response.status_code == 200
    assert "Người khác vừa thay đổi nhiệm vụ này" in page_text(response)
    db.session.expire_all()
    assert db.session.get(Task, share.id).status == TaskStatus.RETURNED
