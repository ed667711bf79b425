"""The hours of day a task's phrase names, for the task table.

The workflow keeps dates only (its timers fire at the end of the due day); the hours of
"từ 19 giờ 30 đến 21 giờ ngày 2/9/2026" come from the deadline engine, read when the task
table is written, so task pages and calendar feeds can show them.
"""

from __future__ import annotations

import datetime as dt

from tracker.cadence import PlanContext, parse_cadence

TimeWindow = tuple[dt.time | None, dt.time | None]
NO_TIMES: TimeWindow = (None, None)


class TaskTimes:
    """The time windows of plan items' occurrences in one year, each phrase read once."""

    def __init__(self, ctx: PlanContext, year: int) -> None:
        self.ctx, self.year = ctx, year
        self._by_item: dict[int, dict[str, TimeWindow]] = {}

    def of(self, plan_item_id: int, time_text: str, key: str) -> TimeWindow:
        windows = self._by_item.get(plan_item_id)
        if windows is None:
            windows = self._by_item[plan_item_id] = occurrence_times(time_text, self.ctx, self.year)
        return windows.get(key, NO_TIMES)


def occurrence_times(time_text: str, ctx: PlanContext, year: int) -> dict[str, TimeWindow]:
    """Occurrence key → (start, end) for the occurrences that name an hour (a key missing
    names none). The window is the one the task table is synced over: a year each side."""
    cadence = parse_cadence(time_text, ctx)
    if not cadence.understood:
        return {}
    start, end = dt.date(year - 1, 1, 1), dt.date(year + 1, 12, 31)
    return {
        o.key: (o.starts_at, o.ends_at)
        for o in cadence.occurrences(start, end)
        if o.starts_at is not None or o.ends_at is not None
    }
