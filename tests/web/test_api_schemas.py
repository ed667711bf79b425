"""The API's one source: the pydantic models validate input and generate the document."""

from __future__ import annotations

from flask.testing import FlaskClient

from tracker.services.city_rollups import CITY_SORT_COLUMNS
from tracker.web.api import inputs, rollup_schemas, schemas
from tracker.web.dashboards import CITY_COLUMNS


def test_every_model_is_a_component_of_the_document(client: FlaskClient) -> None:
    components = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    models = schemas.RESPONSES + rollup_schemas.RESPONSES + inputs.BODIES
    assert {model.__name__ for model in models} <= set(components)
    assert components["TaskStatus"]["enum"]  # the enums the models use come along


def test_the_city_sort_columns_come_from_the_rollup_service(client: FlaskClient) -> None:
    document = client.get("/api/v1/openapi.json").get_json()
    parameters = document["paths"]["/rollups/city"]["get"]["parameters"]
    sort = next(p for p in parameters if p["name"] == "sort")
    assert sort["schema"]["enum"] == list(CITY_SORT_COLUMNS)
    assert set(CITY_COLUMNS) == set(CITY_SORT_COLUMNS)  # every column has its header


def test_a_bad_body_field_is_named() -> None:
    try:
        inputs.DecisionBody.model_validate({"approve": "yes"})
    except ValueError as error:
        assert "approve" in str(error)
    else:
        raise AssertionError("a string is not true or false")
