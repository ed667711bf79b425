"""Every route of the app, walked with every role, against the permission matrix.

Each view declares its action (``@requires(Action.X)``) or is marked public. For each role:
an action outside MATRIX[role] answers 403; an action inside it never does (nor 5xx).
Anonymous visitors are sent to the login page (401 under /api/). Another commune's task is
404 for every commune-bound role.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from tests.web.conftest import World, login
from tracker.extensions import db
from tracker.models import Evidence, Role, Task
from tracker.services.permissions import MATRIX
from tracker.web.access import is_public, required_action

PDF = b"%PDF-1.4\n%%EOF\n"
# Routes that are not views of ours.
SKIPPED = {"static"}


def _rules(app: Flask) -> list[Rule]:
    return sorted(
        (r for r in app.url_map.iter_rules() if r.endpoint not in SKIPPED),
        key=lambda r: r.rule,
    )


def _task_for(world: World, role: Role) -> Task:
    """A task this role may see: the staff member's own, else the focal unit's."""
    return world.office_task if role is Role.UNIT_STAFF else world.overdue


def _values(rule: Rule, world: World, task: Task, evidence: Evidence) -> dict[str, Any]:
    known: dict[str, Any] = {
        "task_id": task.id,
        "evidence_id": evidence.id,
        "plan_id": world.plan.id,
        "slug": world.home.slug,
        "lang": "vi",
        "token_id": 1,
        "token": "khong-co-that",
        "filename": "han.css",
        "mail_id": 1,
        "request_id": 1,
        "user_id": world.users[Role.UNIT_STAFF].id,
        "unit_id": world.office.id,
    }
    missing = rule.arguments - known.keys()
    assert not missing, f"{rule.rule}: teach the walker a value for {missing}"
    return {name: known[name] for name in rule.arguments}


def _url(app: Flask, endpoint: str, values: dict[str, Any]) -> str:
    return app.url_map.bind("localhost").build(endpoint, values)


def _call(client: FlaskClient, rule: Rule, url: str) -> list[tuple[str, int]]:
    answers = []
    methods = sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})
    for method in methods:
        response = client.open(url, method=method, data={})
        answers.append((method, response.status_code))
    return answers


def test_every_route_declares_its_action_or_is_public(app: Flask) -> None:
    undeclared = [
        r.rule
        for r in _rules(app)
        if required_action(app.view_functions[r.endpoint]) is None
        and not is_public(app.view_functions[r.endpoint])
    ]
    assert undeclared == []


@pytest.mark.parametrize("role", list(Role))
def test_every_route_against_the_matrix(
    app: Flask, client: FlaskClient, world: World, role: Role
) -> None:
    user = world.users[role]
    task = _task_for(world, role)
    evidence = Evidence(
        task_id=task.id,
        original_name="a.pdf",
        stored_name="0" * 40,
        content_type="application/pdf",
        size=len(PDF),
        sha256="0" * 64,
        uploaded_by_id=user.id,
        uploaded_at=task.created_at,
    )
    db.session.add(evidence)
    db.session.commit()
    login(client, user)
    allowed = MATRIX[role]
    problems = []
    checked = 0
    for rule in _rules(app):
        view = app.view_functions[rule.endpoint]
        action = required_action(view)
        if rule.endpoint in {"auth.logout"}:
            continue  # would end the walk's session; covered in test_auth
        url = _url(app, rule.endpoint, _values(rule, world, task, evidence))
        for method, status in _call(client, rule, url):
            checked += 1
            if action is not None and action not in allowed:
                if status != 403:
                    problems.append(f"{method} {url}: {status}, expected 403 ({action})")
            elif status == 403 or status >= 500:
                problems.append(f"{method} {url}: {status}, expected access ({action})")
    assert checked > 20
    assert problems == []


def test_anonymous_visitors_are_sent_to_log_in(
    app: Flask, client: FlaskClient, world: World
) -> None:
    task, evidence_holder = world.overdue, world.users[Role.UNIT_HEAD]
    evidence = Evidence(
        task_id=task.id,
        original_name="a.pdf",
        stored_name="1" * 40,
        content_type="application/pdf",
        size=1,
        sha256="0" * 64,
        uploaded_by_id=evidence_holder.id,
        uploaded_at=task.created_at,
    )
    db.session.add(evidence)
    db.session.commit()
    for rule in _rules(app):
        view = app.view_functions[rule.endpoint]
        if is_public(view):
            continue
        url = _url(app, rule.endpoint, _values(rule, world, task, evidence))
        for method, status in _call(client, rule, url):
            expected = {401} if rule.rule.startswith("/api/") else {302}
            assert status in expected, f"{method} {url}: {status}"


@pytest.mark.parametrize(
    "role", [Role.CHAIRMAN, Role.VICE_CHAIRMAN, Role.FOCAL_OFFICER, Role.UNIT_HEAD]
)
def test_another_communes_task_is_404_on_every_task_route(
    app: Flask, client: FlaskClient, world: World, role: Role
) -> None:
    login(client, world.users[role])
    allowed = MATRIX[role]
    for rule in _rules(app):
        if "task_id" not in rule.arguments:
            continue
        action = required_action(app.view_functions[rule.endpoint])
        if action not in allowed:
            continue
        url = _url(app, rule.endpoint, {"task_id": world.foreign.id})
        for method, status in _call(client, rule, url):
            assert status == 404, f"{role}: {method} {url}: {status}"


def test_upload_route_is_walked_with_a_file_too(client: FlaskClient, world: World) -> None:
    """The walker posts empty forms; one real upload shows the allowed path is not a 403."""
    login(client, world.users[Role.UNIT_HEAD])
    response = client.post(
        f"/viec/{world.overdue.id}/minh-chung",
        data={"file": (io.BytesIO(PDF), "a.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
