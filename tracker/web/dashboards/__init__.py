"""The dashboards: the chairman's overdue board, the commune roll-up and the city roll-up.

One blueprint (``blueprint``), a module per page and its actions (``overdue``, ``commune``,
``city``), the forms of the levels and how numbers are written (``display``).
"""

from tracker.web.dashboards import city, commune, overdue
from tracker.web.dashboards.blueprint import bp
from tracker.web.dashboards.display import (
    BUCKET_LABELS,
    CITY_COLUMNS,
    DESCENDING_FIRST,
    city_sort,
    level_label,
    percent,
    points,
)

__all__ = [
    "BUCKET_LABELS",
    "CITY_COLUMNS",
    "DESCENDING_FIRST",
    "bp",
    "city",
    "city_sort",
    "commune",
    "level_label",
    "overdue",
    "percent",
    "points",
]
