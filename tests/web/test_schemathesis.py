"""The API against its own OpenAPI document, fuzzed by schemathesis with every role's token.

Each generated request (valid and invalid ids, pages, years, strings with NUL…) is sent
with a personal token of each role; every answer must be no server error, have a status
code and content type the document lists, and a body matching its schema. Bounded by
``max_examples`` so it runs in about a minute; before the hardening of issue 14 this found
hundreds of 500s (huge ids, pages, NUL bytes) and undocumented answers.
"""

from __future__ import annotations

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, Phase, settings
from schemathesis import checks

from tests.web.conftest import World
from tests.web.test_api import bearer, token_for
from tracker.clock import FixedClock
from tracker.extensions import db
from tracker.models import Role

CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]


@pytest.fixture
def api_schema(app: Flask, world: World) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


@pytest.fixture
def tokens(world: World, clock: FixedClock) -> dict[Role, str]:
    made = {role: token_for(user, clock) for role, user in world.users.items()}
    db.session.commit()
    return made


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_the_api_keeps_its_document(case: schemathesis.Case, tokens: dict[Role, str]) -> None:
    for token in tokens.values():
        case.call_and_validate(headers=bearer(token), checks=CHECKS)
