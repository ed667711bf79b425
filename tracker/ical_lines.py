"""Writing iCalendar (RFC 5545) text fast: content lines, folding, and Vietnam's VTIMEZONE.

Why this is not left to icalendar (whose types still encode every value and parameter):
``bench/bench_calendars.py`` measured icalendar's own ``Component.to_ical`` path (its
Contentline objects, and folding one character at a time in Python) at about three times
the cost of a large feed; assembling the lines here and folding the encoded bytes keeps a
commune's five-year feed within its budget. Unfolded, the lines are exactly icalendar's
(``tests/calendars`` compares them with ``to_ical()``).

The VTIMEZONE is written by hand because Vietnam has kept UTC+7 without daylight saving
since 1975: one STANDARD block says so, and it is added only to feeds that carry a time of
day (all-day feeds carry only dates and UTC stamps and need none).

Pure: no Flask, no database; typed under mypy --strict.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from icalendar import Calendar, Component, Parameters, Timezone, TimezoneStandard

__all__ = [
    "TZID",
    "Block",
    "ComponentLines",
    "block_of",
    "fold",
    "render_calendar",
    "serialize",
    "uses_local_time",
    "vietnam_timezone",
]

TZID = "Asia/Ho_Chi_Minh"
_END_CALENDAR = b"END:VCALENDAR\r\n"
_FOLD = b"\r\n "


@dataclass(frozen=True)
class Block:
    """One serialised component, and whether it needs the VTIMEZONE."""

    data: bytes
    uses_local_time: bool


def fold(line: str) -> bytes:
    """RFC 5545 3.1: at most 75 octets a line, cut only between whole UTF-8 characters.

    icalendar folds the same way but character by character in Python; cutting the encoded
    bytes directly makes whole feeds several times faster.
    """
    data = line.encode("utf-8")
    if len(data) <= 75:
        return data
    pieces = []
    start, limit = 0, 75
    while len(data) - start > limit:
        cut = start + limit
        while data[cut] & 0xC0 == 0x80:  # a continuation byte: step back to the character start
            cut -= 1
        pieces.append(data[start:cut])
        start, limit = cut, 74  # continuation lines begin with one space
    pieces.append(data[start:])
    return _FOLD.join(pieces)


def serialize(component: Component) -> bytes:
    """The component's content lines, folded, each ending in CRLF.

    icalendar types encode every value and parameter (escaping, date formats); the lines are
    assembled here because icalendar's own Contentline path tripled the time of a large feed.
    Unfolded, the lines are icalendar's own (tests/calendars compares them with to_ical()).
    """
    out = [content_line(name, value) for name, value in component.property_items(sorted=False)]
    out.append(b"")
    return b"\r\n".join(out)


def content_line(name: str, value: Any) -> bytes:
    """One property as a folded content line (no line end): ``value`` is an icalendar type,
    which encodes it and its parameters, or text already encoded (BEGIN, END)."""
    text = value.to_ical() if hasattr(value, "to_ical") else value
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    params = getattr(value, "params", None)  # read after to_ical(): a local time adds TZID
    return fold(f"{name};{_parameters_text(params)}:{text}" if params else f"{name}:{text}")


_PARAMETER_TEXTS: dict[tuple[tuple[str, str], ...], str] = {}


def _parameters_text(params: Parameters) -> str:
    """Parameters as icalendar writes them, remembered: a feed repeats a handful of them
    (VALUE=DATE, VALUE=URI…) thousands of times, and each escape runs several regexes."""
    key = tuple((str(k), str(v)) for k, v in params.items())
    text = _PARAMETER_TEXTS.get(key)
    if text is None:
        text = params.to_ical(sorted=False).decode("utf-8")
        if len(_PARAMETER_TEXTS) < 256:
            _PARAMETER_TEXTS[key] = text
    return text


def block_of(component: Component) -> Block:
    return Block(serialize(component), uses_local_time(component))


class ComponentLines:
    """A component written line by line as its properties are set: the bytes
    :func:`serialize` gives for a Component with the same typed values set in the same order,
    without building the Component (its case-insensitive dicts, then walking them again cost
    about half of a cold feed). Values are icalendar's types, which do the encoding.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self._lines = [f"BEGIN:{name}".encode()]
        self.uses_local_time = False

    def __setitem__(self, name: str, value: Any) -> None:
        self._lines.append(content_line(name, value))
        if getattr(value, "params", {}).get("TZID") == TZID:
            self.uses_local_time = True

    def add_component(self, component: Component) -> None:
        """A subcomponent (an alarm), serialised as it is."""
        self._lines.append(serialize(component).removesuffix(b"\r\n"))
        self.uses_local_time = self.uses_local_time or uses_local_time(component)

    def block(self) -> Block:
        return Block(
            b"\r\n".join([*self._lines, f"END:{self.name}".encode(), b""]),
            self.uses_local_time,
        )


def uses_local_time(component: Component) -> bool:
    """Does any property, here or in a subcomponent, carry a time of day in Vietnam's zone?"""
    return any(
        getattr(value, "params", {}).get("TZID") == TZID
        for item in component.walk()
        for values in item.values()
        for value in (values if isinstance(values, list) else [values])
    )


def vietnam_timezone() -> Timezone:
    timezone = Timezone()
    timezone.add("tzid", TZID)
    timezone.add("x-lic-location", TZID)
    standard = TimezoneStandard()
    # Vietnam has kept UTC+7 without daylight saving since 13 June 1975.
    standard.add("dtstart", dt.datetime(1975, 6, 13))
    standard.add("tzoffsetfrom", dt.timedelta(hours=8))
    standard.add("tzoffsetto", dt.timedelta(hours=7))
    standard.add("tzname", "ICT")
    timezone.add_component(standard)
    return timezone


def render_calendar(header: Calendar, blocks: Iterable[Block]) -> bytes:
    """A VCALENDAR of ``header``'s properties and the blocks, with the VTIMEZONE for
    Asia/Ho_Chi_Minh first whenever a time of day appears (all-day feeds carry only dates
    and UTC stamps and need none). An empty feed carries it too: RFC 5545 wants at least one
    component in a VCALENDAR, and ical.js refuses one without."""
    blocks = list(blocks)
    head = serialize(header)
    parts = [head.removesuffix(_END_CALENDAR)]
    if not blocks or any(block.uses_local_time for block in blocks):
        parts.append(serialize(vietnam_timezone()))
    parts.extend(block.data for block in blocks)
    parts.append(_END_CALENDAR)
    return b"".join(parts)
