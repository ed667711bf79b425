"""The national parts of the API description: Bộ Nội vụ's roll-up and the province drill-down.

Kept beside ``tracker.web.openapi`` (which stays the one description of the rest) and merged
into it by :func:`openapi_document`.
"""

from __future__ import annotations

from typing import Any

from tracker.web import openapi
from tracker.web.openapi import YEAR, _errors, _nullable, _ok, _param, _ref

PROVINCE = {
    "type": ["object", "null"],
    "required": ["code", "codename", "name"],
    "properties": {
        "code": {"type": "integer"},
        "codename": {"type": "string"},
        "name": {"type": "string"},
    },
}

TARGET = {
    "type": ["object", "null"],
    "properties": {"reach_standard": {"type": "number"}, "level_4": {"type": "number"}},
}

SCHEMAS: dict[str, Any] = {
    "Province": PROVINCE,
    "NationalRollup": {
        "type": "object",
        "required": ["year", "summary", "provinces"],
        "properties": {
            "year": {"type": "integer"},
            "summary": {
                "allOf": [
                    _ref("StatusCounts"),
                    {
                        "type": "object",
                        "properties": {
                            "provinces": {"type": "integer"},
                            "communes": {"type": "integer"},
                        },
                    },
                ]
            },
            "provinces": {
                "type": "array",
                "items": {
                    "allOf": [
                        _ref("StatusCounts"),
                        {
                            "type": "object",
                            "required": ["province", "communes", "target"],
                            "properties": {
                                "province": _ref("Province"),
                                "communes": {"type": "integer"},
                                "with_plan": {"type": "integer"},
                                "registered": {"type": "integer"},
                                "reached_standard": {"type": "integer"},
                                "reached_share": _nullable("number"),
                                "level_4": {"type": "integer"},
                                "level_4_share": _nullable("number"),
                                "target": TARGET,
                                "meets_reach_target": _nullable("boolean"),
                                "meets_level_4_target": _nullable("boolean"),
                            },
                        },
                    ]
                },
            },
        },
    },
}

PROVINCE_PARAM = _param(
    "province",
    "query",
    {"type": "string", "maxLength": 40},
    "Bộ Nội vụ: the province to drill down to (its code, e.g. 31); Sở Nội vụ: ignored "
    "(always its own province).",
)


def openapi_document(base_url: str) -> dict[str, Any]:
    document = openapi.openapi_document(base_url)
    schemas = {**document["components"]["schemas"], **SCHEMAS}  # a copy: never the module's
    rollup = schemas["CityRollup"]
    schemas["CityRollup"] = {**rollup, "properties": {**rollup["properties"], "province": PROVINCE}}
    document["components"] = {**document["components"], "schemas": schemas}
    city = document["paths"]["/rollups/city"]["get"]  # built afresh by every call
    city["parameters"] = [*city["parameters"], PROVINCE_PARAM]
    city["responses"] = {**city["responses"], **_errors(404)}
    document["paths"]["/rollups/national"] = {
        "get": {
            "operationId": "getNationalRollup",
            "summary": "Every enabled province's year against its own targets (Bộ Nội vụ)",
            "parameters": [YEAR],
            "responses": {
                "200": _ok("The roll-up.", "NationalRollup"),
                **_errors(400, 401, 403),
            },
        }
    }
    return document
