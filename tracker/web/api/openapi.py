"""The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json.

Nothing here describes a body or a parameter by hand: ``components/schemas`` is generated
from the pydantic models that serialize the answers (tracker.web.api.schemas) and read the
bodies (tracker.web.api.inputs), and the query parameters from the query models. What stays
declarative is the table of paths: which operation answers which model, with which errors.
"""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, jsonify
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from tracker.web.access import public
from tracker.web.api import inputs, rollup_schemas, schemas
from tracker.web.api.blueprint import bp
from tracker.web.edge import MAX_ID
from tracker.web.errors import Problem

REF = "#/components/schemas/{model}"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ERRORS = {
    400: "A parameter is not usable (the message names it).",
    401: "No session and no valid personal token.",
    403: "The role lacks the action.",
    404: "Not found, or not visible to this person.",
    405: "The method is not allowed here (the Allow header lists those that are).",
    409: "Refused in the task's state (a split task: act on its shares), or another "
    "session changed the same data first (reload and retry).",
    429: "Too many requests; Retry-After says when to try again.",
    503: "The database is busy with another writer; retry after Retry-After seconds.",
}


def component_schemas() -> dict[str, Any]:
    """Every answer and body model (and the enums they use), keyed by class name."""
    pairs: list[tuple[type[BaseModel], Any]] = [(Problem, "serialization")]
    answers = schemas.RESPONSES + rollup_schemas.RESPONSES
    pairs += [(model, "serialization") for model in answers]
    pairs += [(model, "validation") for model in inputs.BODIES]
    _keys, document = models_json_schema(pairs, ref_template=REF)
    return dict(document["$defs"])


def _ref(name: str) -> dict[str, str]:
    return {"$ref": REF.format(model=name)}


def _without_null(schema: dict[str, Any]) -> dict[str, Any]:
    # An optional query parameter is absent, never null.
    if "anyOf" in schema:
        kept = [s for s in schema["anyOf"] if s != {"type": "null"}]
        rest = {k: v for k, v in schema.items() if k != "anyOf"}
        return {**rest, **kept[0]} if len(kept) == 1 else {**rest, "anyOf": kept}
    return schema


def query_parameters(model: type[BaseModel]) -> list[dict[str, Any]]:
    """The query model's fields as OpenAPI parameters (never required: each has a default)."""
    schema = model.model_json_schema(ref_template=REF, mode="validation")
    parameters = []
    for name, field in schema["properties"].items():
        description = field.get("description", "")
        field = {k: v for k, v in field.items() if k not in {"title", "description"}}
        if field.get("default", "") is None:
            del field["default"]
        parameters.append(
            {
                "name": name,
                "in": "query",
                "required": False,
                "schema": _without_null(field),
                "description": description,
            }
        )
    return parameters


def _path(name: str, description: str) -> dict[str, Any]:
    schema = (
        {"type": "string"}
        if name == "slug"
        else {"type": "integer", "minimum": 1, "maximum": MAX_ID}
    )
    return {
        "name": name,
        "in": "path",
        "required": True,
        "schema": schema,
        "description": description,
    }


SLUG = _path("slug", "The commune's slug, e.g. phuong-hoa-binh.")
TASK_ID = _path("task_id", "The task's id.")
PLAN_ID = _path("plan_id", "The plan's id.")
REQUEST_ID = _path("request_id", "The request's id.")


def _json(description: str, schema: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ref(schema)}}}


def _file(description: str, mimetype: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {mimetype: {"schema": {"type": "string", "format": "binary"}}},
    }


def _errors(*codes: int) -> dict[str, Any]:
    return {
        str(code): {
            "description": ERRORS[code],
            "content": {"application/problem+json": {"schema": _ref("Problem")}},
        }
        for code in codes
    }


def _get(
    operation: str,
    summary: str,
    params: list[Any],
    answers: dict[str, Any],
    *errors: int,
    description: str = "",
) -> dict[str, Any]:
    body: dict[str, Any] = {"operationId": operation, "summary": summary}
    if description:
        body["description"] = description
    if params:
        body["parameters"] = params
    return {"get": {**body, "responses": {**answers, **_errors(*errors)}}}


def _post(
    operation: str,
    summary: str,
    params: list[Any],
    body: type[BaseModel] | None,
    answers: dict[str, Any],
    *errors: int,
    description: str = "",
) -> dict[str, Any]:
    operation_body: dict[str, Any] = {
        "operationId": operation,
        "summary": summary,
        "description": (description + " " if description else "")
        + "Session calls need the CSRF token; token calls do not.",
        "parameters": params,
    }
    if body is not None:
        operation_body["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": _ref(body.__name__)}},
        }
    return {"post": {**operation_body, "responses": {**answers, **_errors(*errors)}}}


def _step(operation: str, summary: str, ok: str, description: str = "") -> dict[str, Any]:
    return _post(
        operation,
        summary,
        [TASK_ID],
        inputs.CommentBody,
        {"200": _json(ok, "Task")},
        400,
        401,
        403,
        404,
        409,
        description=description,
    )


def paths() -> dict[str, Any]:
    year = query_parameters(inputs.YearQuery)
    filters = query_parameters(inputs.TaskFilters)
    return {
        "/tasks": _get(
            "listTasks",
            "Tasks this person may see, filtered, a page at a time",
            query_parameters(inputs.TaskListQuery),
            {"200": _json("One page of tasks.", "TaskPage")},
            400,
            401,
        ),
        "/tasks/{task_id}": _get(
            "getTask",
            "One task, its annex row and its history",
            [TASK_ID],
            {"200": _json("The task.", "TaskDetail")},
            401,
            404,
        ),
        "/tasks/{task_id}/submit": _step(
            "submitTask",
            "The lead unit submits its result for review",
            "The task, awaiting review.",
        ),
        "/tasks/{task_id}/return": _step(
            "returnTask",
            "The focal unit returns the result (comment required)",
            "The task, returned.",
        ),
        "/tasks/{task_id}/approve": _step(
            "approveTask", "The focal unit approves the result", "The task, done on time or late."
        ),
        "/tasks/{task_id}/deadline": _post(
            "setDeadline",
            "The focal officer sets or corrects this occurrence's deadline",
            [TASK_ID],
            inputs.SetDeadlineBody,
            {"200": _json("The task with its new deadline.", "Task")},
            400,
            401,
            403,
            404,
            409,
            description="Refused (409) once the deadline has passed. Either `due_on` (one "
            "date) or `cadence` (a recurring deadline for a task whose time phrase was not "
            "understood: the plan item gets it, the dateless task is cancelled, and the answer "
            "is the first of the tasks created).",
        ),
        "/tasks/{task_id}/extension-requests": _post(
            "requestExtension",
            "The lead unit's head asks for a later deadline (gia hạn)",
            [TASK_ID],
            inputs.DeadlineBody,
            {"201": _json("The request, pending.", "ExtensionRequest")},
            400,
            401,
            403,
            404,
            409,
            description="The chairman and vice-chairmen are told by mail.",
        ),
        "/extension-requests/{request_id}/decision": _post(
            "decideExtension",
            "The chairman or a vice-chairman approves or refuses",
            [REQUEST_ID],
            inputs.DecisionBody,
            {"200": _json("The request, decided.", "ExtensionRequest")},
            400,
            401,
            403,
            404,
            409,
            description="On approval the deadline moves; the requester is told by mail.",
        ),
        "/tasks/{task_id}/reminders": _post(
            "sendReminder",
            "Send a reminder about this task now",
            [TASK_ID],
            None,
            {
                "202": _json("Reminder mails queued.", "ReminderResult"),
                "200": _json("Nobody to remind, or reminded this minute.", "ReminderResult"),
            },
            401,
            403,
            404,
            409,
        ),
        "/plans": _get(
            "listPlans",
            "Plans of this person's commune (every plan for the city)",
            [],
            {"200": _json("The plans.", "PlanList")},
            401,
        ),
        "/plans/{plan_id}": _get(
            "getPlan",
            "One plan with its annex rows",
            [PLAN_ID],
            {"200": _json("The plan.", "PlanDetail")},
            401,
            404,
        ),
        "/plans/{plan_id}/withdraw": _post(
            "withdrawPlan",
            "Withdraw a plan: its open tasks are cancelled with the reason",
            [PLAN_ID],
            inputs.WithdrawBody,
            {"200": _json("The plan, withdrawn.", "WithdrawnPlan")},
            400,
            401,
            403,
            404,
            409,
        ),
        "/communes/{slug}/rollup": _get(
            "getCommuneRollup",
            "A commune's year per unit and criteria group",
            [SLUG, *year],
            {"200": _json("The roll-up.", "CommuneRollup")},
            400,
            401,
            403,
            404,
        ),
        "/communes/{slug}/overdue": _get(
            "getOverdueBoard",
            "A commune's overdue work by unit and age, escalations, this week",
            [SLUG],
            {"200": _json("The board.", "OverdueBoard")},
            401,
            403,
            404,
        ),
        "/rollups/city": _get(
            "getCityRollup",
            "Every commune's year against the city's targets",
            query_parameters(inputs.CityQuery),
            {"200": _json("The roll-up.", "CityRollup")},
            400,
            401,
            403,
            404,
        ),
        "/rollups/national": _get(
            "getNationalRollup",
            "Bộ Nội vụ: every enabled province's year against its own targets",
            query_parameters(inputs.YearQuery),
            {"200": _json("The roll-up.", "NationalRollup")},
            400,
            401,
            403,
        ),
        # The same tables and the self-assessment report as files (Excel, Word).
        "/tasks.xlsx": _get(
            "downloadTasks",
            "Every task of /tasks' filters as an Excel workbook",
            filters,
            {"200": _file("The workbook.", XLSX)},
            400,
            401,
        ),
        "/communes/{slug}/self-assessment.docx": _get(
            "downloadSelfAssessment",
            "The commune's self-assessment and scoring report (Word, NĐ 30/2020)",
            [SLUG, *year],
            {"200": _file("The report.", DOCX)},
            400,
            401,
            403,
            404,
            description="A plan without points reports progress per task instead.",
        ),
        "/communes/{slug}/rollup.xlsx": _get(
            "downloadCommuneRollup",
            "A commune's roll-up per unit and criteria group (Excel)",
            [SLUG, *year],
            {"200": _file("The workbook.", XLSX)},
            400,
            401,
            403,
            404,
        ),
        "/communes/{slug}/overdue.xlsx": _get(
            "downloadOverdueBoard",
            "A commune's overdue work and its count per unit (Excel)",
            [SLUG],
            {"200": _file("The workbook.", XLSX)},
            401,
            403,
            404,
        ),
        "/rollups/city.xlsx": _get(
            "downloadCityRollup",
            "Every commune of the city's roll-up, one row each (Excel)",
            query_parameters(inputs.ProvinceQuery),
            {"200": _file("The workbook.", XLSX)},
            400,
            401,
            403,
            404,
        ),
    }


def build_document(base_url: str) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Hạn API",
            "version": "1.0.0",
            "description": (
                "Tasks, plans and roll-ups of the “Chính quyền thân thiện” plans, with the "
                "same permissions as the web pages. Authenticate with a personal token "
                "(Authorization: Bearer han_…), created at /tai-khoan/khoa-api."
            ),
        },
        "servers": [{"url": base_url.rstrip("/") + "/api/v1"}],
        "security": [{"bearerToken": []}, {"session": []}],
        "paths": paths(),
        "components": {
            "schemas": component_schemas(),
            "securitySchemes": {
                "bearerToken": {"type": "http", "scheme": "bearer"},
                "session": {"type": "apiKey", "in": "cookie", "name": "session"},
            },
        },
    }


@bp.route("/openapi.json")
@public
def openapi_document() -> Response:
    return jsonify(build_document(current_app.config["BASE_URL"]))
