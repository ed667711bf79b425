"""What the API reads: query strings and JSON bodies as pydantic models.

The same models check the input (a bad value is 400 naming the parameter or field, in the
problem+json shape) and describe it in the OpenAPI document (query parameters and request
bodies are generated from them by tracker.web.api.openapi).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Annotated, Any, Literal, TypeVar

from flask import request
from pydantic import (
    BaseModel,
    BeforeValidator,
    Field,
    StrictBool,
    StrictInt,
    ValidationError,
    WithJsonSchema,
    model_validator,
)

from tracker.models import TaskStatus
from tracker.services import api as api_service
from tracker.services import deadline_cadences, deadlines
from tracker.services.city_rollups import CITY_SORT_COLUMNS
from tracker.web.edge import MAX_ID, MAX_PAGE, MAX_YEAR, MIN_YEAR


class InputError(ValueError):
    """Input the API cannot use; the message names the parameter or field (400)."""


def _whole_number(low: int, high: int) -> Any:
    """A query string's whole number in [low, high]: ASCII digits only ("²" is refused)."""

    def check(value: object) -> object:
        if not isinstance(value, str):
            return value
        text = value.strip()
        if not text.isascii() or not text.lstrip("-").isdigit():
            raise ValueError("must be a whole number")
        number = int(text) if len(text) <= 12 else high + 1
        if not low <= number <= high:
            raise ValueError(f"must be between {low} and {high}")
        return number

    return BeforeValidator(check)


def _blank_is_absent(value: object) -> object:
    return None if value == "" else value


Id = Annotated[int, Field(ge=1, le=MAX_ID), _whole_number(1, MAX_ID)]
Year = Annotated[int, Field(ge=MIN_YEAR, le=MAX_YEAR), _whole_number(MIN_YEAR, MAX_YEAR)]
Filter = Annotated[str | None, BeforeValidator(_blank_is_absent)]


def _year_or_all(value: object) -> object:
    return value if value == "all" else _whole_number(MIN_YEAR, MAX_YEAR).func(value)


class YearQuery(BaseModel):
    year: Year | None = Field(
        default=None, description="The plan year; default: this year (Vietnam time)."
    )


class TaskFilters(BaseModel):
    year: Annotated[
        Annotated[int, Field(ge=MIN_YEAR, le=MAX_YEAR)] | Literal["all"] | None,
        BeforeValidator(_year_or_all),
    ] = Field(default=None, description="Plan year, or 'all'; default: this year.")
    plan: Id | None = Field(default=None, description="Plan id.")
    group: Filter = Field(default=None, description="Criteria group, as written.")
    status: Annotated[TaskStatus | None, BeforeValidator(_blank_is_absent)] = Field(
        default=None, description="Effective status."
    )
    unit: Id | None = Field(default=None, description="Lead unit id.")
    commune: Filter = Field(default=None, description="Commune slug.")

    def task_query(self, this_year: int) -> api_service.TaskQuery:
        return api_service.TaskQuery(
            year=None if self.year == "all" else (self.year or this_year),
            plan_id=self.plan,
            group=self.group,
            status=self.status,
            unit_id=self.unit,
            commune_slug=self.commune,
        )


class TaskListQuery(TaskFilters):
    page: Annotated[int, Field(ge=1, le=MAX_PAGE), _whole_number(1, MAX_PAGE)] = Field(
        default=1, description="From 1."
    )
    per_page: Annotated[
        int,
        Field(ge=1, le=api_service.MAX_PAGE_SIZE),
        _whole_number(1, api_service.MAX_PAGE_SIZE),
    ] = Field(default=api_service.DEFAULT_PAGE_SIZE, description="Page size.")

    def task_query(self, this_year: int) -> api_service.TaskQuery:
        query = super().task_query(this_year)
        return dataclasses.replace(query, page=self.page, per_page=self.per_page)


def _city_column(value: object) -> object:
    if value not in CITY_SORT_COLUMNS:
        raise ValueError(f"must be one of {', '.join(CITY_SORT_COLUMNS)}")
    return value


class ProvinceQuery(YearQuery):
    province: str | None = Field(
        default=None,
        max_length=40,
        description="A province's code: Bộ Nội vụ's drill-down (others see their own province).",
    )


class CityQuery(ProvinceQuery):
    # The columns are the roll-up service's (one list); the document shows them as an enum.
    sort: Annotated[
        str,
        BeforeValidator(_city_column),
        WithJsonSchema({"enum": list(CITY_SORT_COLUMNS), "type": "string"}),
    ] = Field(default="name", description="Column to sort by; default name.")
    order: Literal["asc", "desc"] = Field(default="asc", description="Default asc.")


# --------------------------------------------------------------------------- bodies


class CommentBody(BaseModel):
    comment: str | None = Field(default=None, description="Required when returning.")
    evidence_ids: list[StrictInt] = Field(
        default_factory=list, description="Submit only: evidence of this task to attach."
    )


def _due_on(value: object) -> dt.date:
    try:
        return deadlines.parse_due_on(value)
    except deadlines.DeadlineError as error:
        raise ValueError(str(error)) from None


class DeadlineBody(BaseModel):
    due_on: Annotated[
        dt.date, BeforeValidator(_due_on), WithJsonSchema({"type": "string", "format": "date"})
    ]
    reason: str | None = Field(default=None, description="Required.")


class CadenceBody(BaseModel):
    every: Literal["month", "quarter", "year"] = Field(
        description="month: day N of each month; quarter: day N of the quarter's last month; "
        "year: day/month each year."
    )
    day: StrictInt = Field(ge=1, le=31, description="Day of the month (quarter: at most 30).")
    month: StrictInt | None = Field(default=None, ge=1, le=12, description="Only for year.")

    @model_validator(mode="after")
    def _readable(self) -> CadenceBody:
        try:
            deadline_cadences.parse_cadence_form(self.every, self.day, self.month)
        except deadlines.DeadlineError as error:
            raise ValueError(str(error)) from None
        return self

    def form(self) -> deadline_cadences.CadenceForm:
        return deadline_cadences.parse_cadence_form(self.every, self.day, self.month)


class SetDeadlineBody(BaseModel):
    """One date (``due_on``) for this occurrence, or a recurring ``cadence`` for a task whose
    time phrase was not understood."""

    due_on: Annotated[
        dt.date | None,
        BeforeValidator(lambda v: None if v is None else _due_on(v)),
        WithJsonSchema({"anyOf": [{"type": "string", "format": "date"}, {"type": "null"}]}),
    ] = Field(default=None, description="One date (YYYY-MM-DD); or give cadence.")
    cadence: CadenceBody | None = Field(
        default=None, description="A recurring deadline instead of due_on."
    )
    reason: str | None = Field(default=None, description="Required.")

    @model_validator(mode="after")
    def _one_of(self) -> SetDeadlineBody:
        if (self.due_on is None) == (self.cadence is None):
            raise ValueError("give either due_on or cadence")
        return self


class DecisionBody(BaseModel):
    approve: StrictBool
    comment: str | None = Field(default=None, description="Required when refusing.")


class WithdrawBody(BaseModel):
    reason: str | None = Field(default=None, description="Required.")


M = TypeVar("M", bound=BaseModel)

BODIES: tuple[type[BaseModel], ...] = (
    CadenceBody, CommentBody, DeadlineBody, DecisionBody, SetDeadlineBody, WithdrawBody
)


def _message(error: ValidationError) -> str:
    first = error.errors(include_url=False)[0]
    where = ".".join(str(part) for part in first["loc"]) or "body"
    context = first.get("ctx") or {}
    text = str(context["error"]) if first["type"] == "value_error" else first["msg"]
    if first["type"] == "missing":
        text = "required"
    return f"{where}: {text}"


def read_query(model: type[M]) -> M:
    try:
        return model.model_validate(request.args.to_dict())
    except ValidationError as error:
        raise InputError(_message(error)) from None


def read_body(model: type[M]) -> M:
    """The JSON object of the request (no body: ``{}``), as the model; 400 naming the field."""
    body = request.get_json(silent=True)
    if body is None and not request.get_data():
        body = {}
    if not isinstance(body, dict):
        raise InputError("the request body must be a JSON object")
    try:
        return model.model_validate(body)
    except ValidationError as error:
        raise InputError(_message(error)) from None
