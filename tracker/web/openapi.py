"""The OpenAPI 3.1 description of /api/v1 (served at /api/v1/openapi.json, validated in tests)."""

from __future__ import annotations

from typing import Any

from tracker.models import TaskEventAction, TaskStatus
from tracker.web.edge import MAX_ID, MAX_PAGE, MAX_YEAR, MIN_YEAR

STATUSES = [s.value for s in TaskStatus]


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(schema_type: str, **extra: Any) -> dict[str, Any]:
    return {"type": [schema_type, "null"], **extra}


def _ok(description: str, schema: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ref(schema)}}}


# The bounds the API checks (tracker.web.edge): ids are PostgreSQL integers.
ID = {"type": "integer", "minimum": 1, "maximum": MAX_ID}


def _problem(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/problem+json": {"schema": _ref("Problem")}},
    }


def _errors(*codes: int) -> dict[str, Any]:
    text = {
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
    return {str(c): _problem(text[c]) for c in codes}


def _param(name: str, where: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": where,
        "required": where == "path",
        "schema": schema,
        "description": description,
    }


YEAR = _param(
    "year",
    "query",
    {"type": "integer", "minimum": MIN_YEAR, "maximum": MAX_YEAR},
    "The plan year; default: this year (Vietnam time).",
)
SLUG = _param("slug", "path", {"type": "string"}, "The commune's slug, e.g. phuong-hoa-binh.")

SCHEMAS: dict[str, Any] = {
    "Problem": {
        "type": "object",
        "description": "RFC 9457 problem details; error repeats detail (API version 1.0).",
        "required": ["status", "error"],
        "properties": {
            "type": {"type": "string"},
            "title": {"type": "string"},
            "status": {"type": "integer"},
            "detail": {"type": "string"},
            "error": {"type": "string"},
        },
    },
    "Ref": {
        "type": "object",
        "required": ["id", "name"],
        "properties": {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "slug": {"type": "string"},
        },
    },
    "Person": {
        "type": ["object", "null"],
        "required": ["id", "full_name"],
        "properties": {"id": {"type": "integer"}, "full_name": {"type": "string"}},
    },
    "Task": {
        "type": "object",
        "required": ["id", "ref", "title", "year", "status", "due_on", "unit"],
        "properties": {
            "id": {"type": "integer"},
            "url": {"type": "string", "format": "uri"},
            "ref": {"type": "string", "description": "Row or section number as written."},
            "title": {"type": "string"},
            "group": _nullable("string", description="Criteria group."),
            "year": {"type": "integer"},
            "occurrence_key": {"type": "string"},
            "status": {
                "enum": STATUSES,
                "description": "Effective status: late work still in hand reads overdue.",
            },
            "stored_status": {"enum": STATUSES},
            "opens_on": {"type": "string", "format": "date"},
            "due_on": _nullable("string", format="date"),
            "days_overdue": {"type": "integer", "minimum": 0},
            "points": _nullable("number"),
            "plan_id": {"type": "integer"},
            "commune_id": {"type": "integer"},
            "unit": _ref("Ref"),
            "assignee": _ref("Person"),
            "parent_id": _nullable("integer"),
            "is_split": {
                "type": "boolean",
                "description": "Split among units: a container that follows its shares (the "
                "rows whose parent_id is this id). Lists leave it out; it completes when its "
                "last share is approved.",
            },
            "submitted_at": _nullable("string", format="date-time"),
            "completed_at": _nullable("string", format="date-time"),
            "escalated_at": _nullable("string", format="date-time"),
            "updated_at": {"type": "string", "format": "date-time"},
            "original_due_on": _nullable(
                "string", format="date",
                description="The plan's deadline when the due date was corrected or extended.",
            ),
            "needs_deadline": {
                "type": "boolean",
                "description": "No deadline and the time phrase was not understood: the focal "
                "officer must set one (POST /tasks/{task_id}/deadline).",
            },
        },
    },
    "ExtensionRequest": {
        "type": "object",
        "required": ["id", "task_id", "status", "current_due_on", "requested_due_on", "reason"],
        "properties": {
            "id": {"type": "integer"},
            "task_id": {"type": "integer"},
            "status": {"enum": ["pending", "approved", "refused"]},
            "current_due_on": {"type": "string", "format": "date"},
            "requested_due_on": {"type": "string", "format": "date"},
            "reason": {"type": "string"},
            "requested_by": _ref("Person"),
            "requested_at": {"type": "string", "format": "date-time"},
            "decided_by": _ref("Person"),
            "decided_at": _nullable("string", format="date-time"),
            "comment": _nullable("string"),
        },
    },
    "CommentBody": {
        "type": "object",
        "properties": {
            "comment": {"type": "string", "description": "Required when returning."},
            "evidence_ids": {
                "type": "array", "items": {"type": "integer"},
                "description": "Submit only: evidence of this task to attach.",
            },
        },
    },
    "DeadlineBody": {
        "type": "object",
        "required": ["due_on", "reason"],
        "properties": {
            "due_on": {"type": "string", "format": "date"},
            "reason": {"type": "string"},
        },
    },
    "DecisionBody": {
        "type": "object",
        "required": ["approve"],
        "properties": {
            "approve": {"type": "boolean"},
            "comment": {"type": "string", "description": "Required when refusing."},
        },
    },
    "WithdrawBody": {
        "type": "object",
        "required": ["reason"],
        "properties": {"reason": {"type": "string"}},
    },
    "WithdrawnPlan": {
        "allOf": [
            _ref("Plan"),
            {
                "type": "object",
                "properties": {
                    "cancelled_task_ids": {"type": "array", "items": {"type": "integer"}},
                },
            },
        ]
    },
    "TaskEvent": {
        "type": "object",
        "required": ["at", "action"],
        "properties": {
            "at": {"type": "string", "format": "date-time"},
            "action": {"enum": [a.value for a in TaskEventAction]},
            "actor": _ref("Person"),
            "from_status": _nullable("string"),
            "to_status": _nullable("string"),
            "comment": _nullable("string"),
        },
    },
    "PlanItem": {
        "type": "object",
        "required": ["id", "ref", "title", "time_text"],
        "properties": {
            "id": {"type": "integer"},
            "position": {"type": "integer"},
            "ref": {"type": "string"},
            "title": {"type": "string"},
            "group": _nullable("string"),
            "time_text": {"type": "string", "description": "The original time phrase."},
            "cadence_kind": {"type": "string"},
            "rrule": _nullable("string"),
            "lead_units": {"type": "array", "items": {"type": "string"}},
            "coordinating_units": {"type": "array", "items": {"type": "string"}},
            "points": _nullable("number"),
            "evidence": _nullable("string"),
        },
    },
    "TaskDetail": {
        "allOf": [
            _ref("Task"),
            {
                "type": "object",
                "required": ["source", "history"],
                "properties": {
                    "source": _ref("PlanItem"),
                    "history": {"type": "array", "items": _ref("TaskEvent")},
                    "pending_extension_request": {
                        "oneOf": [_ref("ExtensionRequest"), {"type": "null"}],
                    },
                    "extension_requests": {"type": "array", "items": _ref("ExtensionRequest")},
                },
            },
        ]
    },
    "TaskPage": {
        "type": "object",
        "required": ["items", "total", "page", "per_page"],
        "properties": {
            "items": {"type": "array", "items": _ref("Task")},
            "total": {"type": "integer"},
            "page": {"type": "integer"},
            "per_page": {"type": "integer"},
        },
    },
    "Plan": {
        "type": "object",
        "required": ["id", "slug", "title", "commune"],
        "properties": {
            "id": {"type": "integer"},
            "slug": {"type": "string"},
            "number": _nullable("string"),
            "title": {"type": "string"},
            "issuer": {"type": "string"},
            "issued_on": _nullable("string", format="date"),
            "issued_month": _nullable("string"),
            "period_from": {"type": "integer"},
            "period_to": _nullable("integer"),
            "open_ended": {"type": "boolean"},
            "commune": _ref("Ref"),
            "withdrawn_at": _nullable("string", format="date-time"),
            "withdraw_reason": _nullable("string"),
        },
    },
    "PlanDetail": {
        "allOf": [
            _ref("Plan"),
            {
                "type": "object",
                "required": ["tasks"],
                "properties": {
                    "tasks": {"type": "array", "items": _ref("PlanItem")},
                    "warnings": {"type": "array"},
                },
            },
        ]
    },
    "PlanList": {
        "type": "object",
        "required": ["items"],
        "properties": {"items": {"type": "array", "items": _ref("Plan")}},
    },
    "StatusCounts": {
        "type": "object",
        "required": ["total", "by_status", "done", "overdue"],
        "properties": {
            "total": {"type": "integer"},
            "by_status": {"type": "object", "additionalProperties": {"type": "integer"}},
            "done": {"type": "integer"},
            "overdue": {"type": "integer"},
            "progress": _nullable("number", description="Done of all tasks, 0-1."),
            "on_time_rate": _nullable(
                "number", description="Done on time, of done or overdue now, 0-1."
            ),
            "points_secured": _nullable("number"),
            "points_possible": _nullable("number"),
            "on_time_after_extension": {
                "type": "integer",
                "description": "Of those done on time, how many only by a deadline extended "
                "later than the plan's (đúng hạn sau gia hạn).",
            },
        },
    },
    "CommuneRollup": {
        "type": "object",
        "required": ["commune", "year", "total", "by_unit", "by_group"],
        "properties": {
            "commune": _ref("Ref"),
            "year": {"type": "integer"},
            "total": _ref("StatusCounts"),
            "by_unit": {
                "type": "array",
                "items": {
                    "allOf": [
                        _ref("StatusCounts"),
                        {"type": "object", "properties": {"unit": _ref("Ref")}},
                    ]
                },
            },
            "by_group": {
                "type": "array",
                "items": {
                    "allOf": [
                        _ref("StatusCounts"),
                        {"type": "object", "properties": {"group": _nullable("string")}},
                    ]
                },
            },
        },
    },
    "OverdueTask": {
        "allOf": [
            _ref("Task"),
            {
                "type": "object",
                "properties": {
                    "age_bucket": {"enum": ["1-7", "8-30", "31-90", "91+"]},
                    "last_reminded_at": _nullable("string", format="date-time"),
                },
            },
        ]
    },
    "OverdueBoard": {
        "type": "object",
        "required": ["commune", "today", "by_bucket", "by_unit", "overdue"],
        "properties": {
            "commune": _ref("Ref"),
            "today": {"type": "string", "format": "date"},
            "by_bucket": {"type": "object", "additionalProperties": {"type": "integer"}},
            "by_unit": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "unit": _ref("Ref"),
                        "total": {"type": "integer"},
                        "by_bucket": {
                            "type": "object",
                            "additionalProperties": {"type": "integer"},
                        },
                    },
                },
            },
            "overdue": {"type": "array", "items": _ref("OverdueTask")},
            "escalations": {"type": "array", "items": _ref("OverdueTask")},
            "due_this_week": {"type": "array", "items": _ref("Task")},
        },
    },
    "CityRollup": {
        "type": "object",
        "required": ["year", "target", "summary", "communes"],
        "properties": {
            "year": {"type": "integer"},
            "target": {
                "type": ["object", "null"],
                "properties": {
                    "reach_standard": {"type": "number"},
                    "level_4": {"type": "number"},
                },
            },
            "summary": {
                "type": "object",
                "properties": {
                    "communes": {"type": "integer"},
                    "reached_standard": {"type": "integer"},
                    "reached_share": _nullable("number"),
                    "level_4": {"type": "integer"},
                    "level_4_share": _nullable("number"),
                    "registered": {"type": "integer"},
                    "without_plan": {"type": "integer"},
                    "meets_reach_target": _nullable("boolean"),
                    "meets_level_4_target": _nullable("boolean"),
                },
            },
            "communes": {
                "type": "array",
                "items": {
                    "allOf": [
                        _ref("StatusCounts"),
                        {
                            "type": "object",
                            "properties": {
                                "commune": _ref("Ref"),
                                "plan_count": {"type": "integer"},
                                "registered_level": _nullable("integer"),
                                "reached_level": _nullable("integer"),
                            },
                        },
                    ]
                },
            },
        },
    },
    "ReminderResult": {
        "type": "object",
        "required": ["task_id", "queued"],
        "properties": {
            "task_id": {"type": "integer"},
            "queued": {"type": "array", "items": {"type": "string", "format": "email"}},
        },
    },
}


def _body(schema: str) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": _ref(schema)}}}


def _action(operation: str, summary: str, params: list[Any], body: str, ok: str,
            answer: str, status: str = "200", description: str = "") -> dict[str, Any]:
    return {"post": {
        "operationId": operation,
        "summary": summary,
        "description": (description + " " if description else "")
        + "Session calls need the CSRF token; token calls do not.",
        "parameters": params,
        "requestBody": _body(body),
        "responses": {status: _ok(ok, answer), **_errors(400, 401, 403, 404, 409)},
    }}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _file(description: str, mimetype: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {mimetype: {"schema": {"type": "string", "format": "binary"}}},
    }


def _task_filters() -> list[dict[str, Any]]:
    return [
        _param(
            "year",
            "query",
            {"oneOf": [{"type": "integer"}, {"const": "all"}]},
            "Plan year, or 'all'; default: this year.",
        ),
        _param("plan", "query", {"type": "integer"}, "Plan id."),
        _param("group", "query", {"type": "string"}, "Criteria group, as written."),
        _param("status", "query", {"enum": STATUSES}, "Effective status."),
        _param("unit", "query", {"type": "integer"}, "Lead unit id."),
        _param("commune", "query", {"type": "string"}, "Commune slug."),
    ]


def _file_paths() -> dict[str, Any]:
    """The same tables and the self-assessment report as files (Excel, Word)."""
    return {
        "/tasks.xlsx": {
            "get": {
                "operationId": "downloadTasks",
                "summary": "Every task of /tasks' filters as an Excel workbook",
                "parameters": _task_filters(),
                "responses": {"200": _file("The workbook.", XLSX), **_errors(400, 401)},
            }
        },
        "/communes/{slug}/self-assessment.docx": {
            "get": {
                "operationId": "downloadSelfAssessment",
                "summary": "The commune's self-assessment and scoring report (Word, NĐ 30/2020)",
                "description": "A plan without points reports progress per task instead.",
                "parameters": [SLUG, YEAR],
                "responses": {
                    "200": _file("The report.", DOCX),
                    **_errors(400, 401, 403, 404),
                },
            }
        },
        "/communes/{slug}/rollup.xlsx": {
            "get": {
                "operationId": "downloadCommuneRollup",
                "summary": "A commune's roll-up per unit and criteria group (Excel)",
                "parameters": [SLUG, YEAR],
                "responses": {
                    "200": _file("The workbook.", XLSX),
                    **_errors(400, 401, 403, 404),
                },
            }
        },
        "/communes/{slug}/overdue.xlsx": {
            "get": {
                "operationId": "downloadOverdueBoard",
                "summary": "A commune's overdue work and its count per unit (Excel)",
                "parameters": [SLUG],
                "responses": {"200": _file("The workbook.", XLSX), **_errors(401, 403, 404)},
            }
        },
        "/rollups/city.xlsx": {
            "get": {
                "operationId": "downloadCityRollup",
                "summary": "Every commune of the city's roll-up, one row each (Excel)",
                "parameters": [YEAR],
                "responses": {"200": _file("The workbook.", XLSX), **_errors(400, 401, 403)},
            }
        },
    }


def _paths() -> dict[str, Any]:
    task_id = _param("task_id", "path", ID, "The task's id.")
    return {
        "/tasks/{task_id}/submit": _action(
            "submitTask", "The lead unit submits its result for review", [task_id],
            "CommentBody", "The task, awaiting review.", "Task"),
        "/tasks/{task_id}/return": _action(
            "returnTask", "The focal unit returns the result (comment required)", [task_id],
            "CommentBody", "The task, returned.", "Task"),
        "/tasks/{task_id}/approve": _action(
            "approveTask", "The focal unit approves the result", [task_id],
            "CommentBody", "The task, done on time or late.", "Task"),
        "/tasks/{task_id}/deadline": _action(
            "setDeadline", "The focal officer sets or corrects this occurrence's deadline",
            [task_id], "DeadlineBody", "The task with its new deadline.", "Task",
            description="Refused (409) once the deadline has passed."),
        "/tasks/{task_id}/extension-requests": _action(
            "requestExtension", "The lead unit's head asks for a later deadline (gia hạn)",
            [task_id], "DeadlineBody", "The request, pending.", "ExtensionRequest", "201",
            description="The chairman and vice-chairmen are told by mail."),
        "/extension-requests/{request_id}/decision": _action(
            "decideExtension", "The chairman or a vice-chairman approves or refuses",
            [_param("request_id", "path", {"type": "integer"}, "The request's id.")],
            "DecisionBody", "The request, decided.", "ExtensionRequest",
            description="On approval the deadline moves; the requester is told by mail."),
        "/plans/{plan_id}/withdraw": _action(
            "withdrawPlan", "Withdraw a plan: its open tasks are cancelled with the reason",
            [_param("plan_id", "path", {"type": "integer"}, "The plan's id.")],
            "WithdrawBody", "The plan, withdrawn.", "WithdrawnPlan"),
        **_file_paths(),
        "/tasks": {
            "get": {
                "operationId": "listTasks",
                "summary": "Tasks this person may see, filtered, a page at a time",
                "parameters": [
                    _param(
                        "year",
                        "query",
                        {
                            "oneOf": [
                                {"type": "integer", "minimum": MIN_YEAR, "maximum": MAX_YEAR},
                                {"const": "all"},
                            ]
                        },
                        "Plan year, or 'all'; default: this year.",
                    ),
                    _param("plan", "query", ID, "Plan id."),
                    _param("group", "query", {"type": "string"}, "Criteria group, as written."),
                    _param("status", "query", {"enum": STATUSES}, "Effective status."),
                    _param("unit", "query", ID, "Lead unit id."),
                    _param("commune", "query", {"type": "string"}, "Commune slug."),
                    _param(
                        "page",
                        "query",
                        {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
                        "From 1.",
                    ),
                    _param(
                        "per_page",
                        "query",
                        {"type": "integer", "minimum": 1, "maximum": 200, "default": 50},
                        "Page size.",
                    ),
                ],
                "responses": {"200": _ok("One page of tasks.", "TaskPage"), **_errors(400, 401)},
            }
        },
        "/tasks/{task_id}": {
            "get": {
                "operationId": "getTask",
                "summary": "One task, its annex row and its history",
                "parameters": [task_id],
                "responses": {"200": _ok("The task.", "TaskDetail"), **_errors(401, 404)},
            }
        },
        "/tasks/{task_id}/reminders": {
            "post": {
                "operationId": "sendReminder",
                "summary": "Send a reminder about this task now",
                "description": "Session calls need the CSRF token; token calls do not.",
                "parameters": [task_id],
                "responses": {
                    "202": _ok("Reminder mails queued.", "ReminderResult"),
                    "200": _ok("Nobody to remind, or reminded this minute.", "ReminderResult"),
                    **_errors(401, 403, 404, 409),
                },
            }
        },
        "/plans": {
            "get": {
                "operationId": "listPlans",
                "summary": "Plans of this person's commune (every plan for the city)",
                "responses": {"200": _ok("The plans.", "PlanList"), **_errors(401)},
            }
        },
        "/plans/{plan_id}": {
            "get": {
                "operationId": "getPlan",
                "summary": "One plan with its annex rows",
                "parameters": [_param("plan_id", "path", ID, "The plan's id.")],
                "responses": {"200": _ok("The plan.", "PlanDetail"), **_errors(401, 404)},
            }
        },
        "/communes/{slug}/rollup": {
            "get": {
                "operationId": "getCommuneRollup",
                "summary": "A commune's year per unit and criteria group",
                "parameters": [SLUG, YEAR],
                "responses": {
                    "200": _ok("The roll-up.", "CommuneRollup"),
                    **_errors(400, 401, 403, 404),
                },
            }
        },
        "/communes/{slug}/overdue": {
            "get": {
                "operationId": "getOverdueBoard",
                "summary": "A commune's overdue work by unit and age, escalations, this week",
                "parameters": [SLUG],
                "responses": {
                    "200": _ok("The board.", "OverdueBoard"),
                    **_errors(401, 403, 404),
                },
            }
        },
        "/rollups/city": {
            "get": {
                "operationId": "getCityRollup",
                "summary": "Every commune's year against the city's targets",
                "parameters": [
                    YEAR,
                    _param(
                        "sort",
                        "query",
                        {
                            "enum": [
                                "name",
                                "tasks",
                                "progress",
                                "on_time",
                                "overdue",
                                "points",
                                "registered",
                                "reached",
                                "plans",
                            ]
                        },
                        "Column to sort by; default name.",
                    ),
                    _param("order", "query", {"enum": ["asc", "desc"]}, "Default asc."),
                ],
                "responses": {
                    "200": _ok("The roll-up.", "CityRollup"),
                    **_errors(400, 401, 403),
                },
            }
        },
    }


def openapi_document(base_url: str) -> dict[str, Any]:
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
        "paths": _paths(),
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {
                "bearerToken": {"type": "http", "scheme": "bearer"},
                "session": {"type": "apiKey", "in": "cookie", "name": "session"},
            },
        },
    }
