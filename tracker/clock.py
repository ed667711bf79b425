"""The one source of "now".

Everything that needs the current time takes a :class:`Clock`. Production code uses
:class:`SystemClock`; tests and the ``--now`` command-line options use :class:`FixedClock`.
Instants are timezone-aware UTC; deadlines are plain dates in Vietnam's time zone.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol
from zoneinfo import ZoneInfo

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
UTC = dt.UTC


class Clock(Protocol):
    def now(self) -> dt.datetime:
        """The current instant, timezone-aware, in UTC."""
        ...


class SystemClock:
    """The real wall clock."""

    def now(self) -> dt.datetime:
        return dt.datetime.now(UTC)


class FixedClock:
    """A clock that stands still until it is moved; for tests and ``--now``."""

    def __init__(self, at: dt.datetime) -> None:
        self._at = as_utc(at)

    def now(self) -> dt.datetime:
        return self._at

    def set(self, at: dt.datetime) -> None:
        self._at = as_utc(at)

    def advance(self, delta: dt.timedelta) -> None:
        self._at = self._at + delta


def as_utc(at: dt.datetime) -> dt.datetime:
    """An aware UTC datetime; a naive one is read as Vietnam local time."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=VN_TZ)
    return at.astimezone(UTC)


def local_now(clock: Clock) -> dt.datetime:
    """The clock's instant in Asia/Ho_Chi_Minh."""
    return clock.now().astimezone(VN_TZ)


def today(clock: Clock) -> dt.date:
    """Today's date in Vietnam, which is the date deadlines are compared with."""
    return local_date(clock.now())


def local_date(at: dt.datetime) -> dt.date:
    """The Vietnam date of an instant (a naive one is read as Vietnam time, as by as_utc).

    Every date a person sees or that decides something comes from here or from
    :func:`today`: 17:30 UTC on 31/12 is already 1 January in Hải Phòng.
    """
    return as_utc(at).astimezone(VN_TZ).date()


def parse_now(text: str) -> FixedClock:
    """A fixed clock from an ISO date or datetime, as given to ``--now``.

    A bare date means 08:00 Vietnam time that day; a datetime without offset is Vietnam time.
    """
    text = text.strip()
    try:
        if len(text) == 10:
            day = dt.date.fromisoformat(text)
            return FixedClock(dt.datetime.combine(day, dt.time(8, 0), tzinfo=VN_TZ))
        return FixedClock(dt.datetime.fromisoformat(text))
    except ValueError as exc:
        raise ValueError(f"not an ISO date or datetime: {text!r}") from exc
