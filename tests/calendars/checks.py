"""Independent checks of a feed: two parsers, the task table, and the raw octets.

Nothing here imports tracker.services.calendars: the expected events are computed from the
task rows directly, so a mistake in the service cannot hide in the check.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import icalendar
import recurring_ical_events

from tracker.models import Task

ICALJS_SCRIPT = Path(__file__).with_name("icaljs_check.mjs")
FINISHED = {"done_on_time", "done_late", "cancelled"}


class FeedMismatch(AssertionError):
    """The feed does not say what the task table says."""


@dataclass(frozen=True)
class Item:
    """What both parsers must agree on for one component."""

    uid: str
    start: dt.date | None
    end: dt.date | None  # VEVENT: DTEND; VTODO: DUE
    sequence: int
    status: str


def expected_rows(
    rows: list[Task], now: dt.datetime, *, keep_days: int = 14, need_date: bool = True
) -> list[Task]:
    """The rows a feed must show: open ones, and finished ones for ``keep_days`` days."""
    cutoff = now - dt.timedelta(days=keep_days)
    shown = []
    for row in rows:
        if need_date and row.due_on is None:
            continue
        if row.status in FINISHED and (row.completed_at or row.updated_at) < cutoff:
            continue
        shown.append(row)
    return shown


def expected_events(rows: list[Task], uid_host: str) -> set[Item]:
    items = set()
    for row in rows:
        assert row.due_on is not None
        items.add(
            Item(
                uid=f"task-{row.id}-{row.occurrence_key}@{uid_host}",
                start=row.due_on,
                end=row.due_on + dt.timedelta(days=1),
                sequence=row.sequence,
                status="CANCELLED" if row.status in FINISHED else "CONFIRMED",
            )
        )
    return items


def _as_date(value: object) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        raise FeedMismatch(f"a time of day where a date was expected: {value!r}")
    assert isinstance(value, dt.date)
    return value


def items_by_icalendar(body: bytes) -> set[Item]:
    """Parsed by python icalendar; events also expanded by recurring-ical-events."""
    calendar = icalendar.Calendar.from_ical(body)
    items = set()
    for component in calendar.walk():
        if component.name not in {"VEVENT", "VTODO"}:
            continue
        end_name = "DTEND" if component.name == "VEVENT" else "DUE"
        start = component.get("DTSTART")
        end = component.get(end_name)
        items.add(
            Item(
                uid=str(component["UID"]),
                start=_as_date(start.dt) if start is not None else None,
                end=_as_date(end.dt) if end is not None else None,
                sequence=int(component.get("SEQUENCE", 0)),
                status=str(component.get("STATUS", "")),
            )
        )
    return items


def events_between(body: bytes, start: dt.date, end: dt.date) -> list[tuple[str, dt.date]]:
    """(UID, date) of every event occurring in [start, end), as recurring-ical-events sees it."""
    calendar = icalendar.Calendar.from_ical(body)
    return sorted(
        (str(event["UID"]), _as_date(event["DTSTART"].dt))  # type: ignore[misc]
        for event in recurring_ical_events.of(calendar).between(start, end)
    )


def icaljs_available() -> bool:
    return (
        shutil.which("node") is not None
        and (Path(__file__).resolve().parents[2] / "node_modules" / "ical.js").is_dir()
    )


def parse_with_icaljs(body: bytes, workdir: Path) -> dict[str, object]:
    path = workdir / "feed.ics"
    path.write_bytes(body)
    result = subprocess.run(
        ["node", str(ICALJS_SCRIPT), str(path)],
        capture_output=True,
        check=False,
        timeout=60,
    )
    if result.returncode != 0:
        raise FeedMismatch(f"ical.js refused the feed: {result.stderr.decode()}")
    parsed: dict[str, object] = json.loads(result.stdout)
    return parsed


def items_by_icaljs(body: bytes, workdir: Path) -> set[Item]:
    parsed = parse_with_icaljs(body, workdir)
    items = set()
    for raw in parsed["items"]:  # type: ignore[attr-defined]
        end = raw.get("end") if raw["kind"] == "vevent" else raw.get("due")
        for value in (raw.get("start"), end):
            if value is not None and not value["isDate"]:
                raise FeedMismatch(f"ical.js read a time of day in {raw['uid']}: {value}")
        items.add(
            Item(
                uid=raw["uid"],
                start=dt.date.fromisoformat(raw["start"]["value"]) if raw.get("start") else None,
                end=dt.date.fromisoformat(end["value"]) if end else None,
                sequence=int(raw["sequence"] or 0),
                status=raw["status"] or "",
            )
        )
    return items


def assert_same(found: set[Item], expected: set[Item], parser: str) -> None:
    if found != expected:
        missing = sorted(expected - found, key=str)[:5]
        extra = sorted(found - expected, key=str)[:5]
        raise FeedMismatch(f"{parser}: missing {missing}, unexpected {extra}")


def check_octets(body: bytes) -> None:
    """RFC 5545 3.1 byte by byte: CRLF only, at most 75 octets a line, folds between whole
    UTF-8 characters, continuation lines start with one space."""
    if not body.endswith(b"\r\n"):
        raise FeedMismatch("the feed does not end with CRLF")
    lines = body[:-2].split(b"\r\n")
    for number, line in enumerate(lines, start=1):
        if b"\n" in line or b"\r" in line:
            raise FeedMismatch(f"line {number}: a bare CR or LF")
        if len(line) > 75:
            raise FeedMismatch(f"line {number}: {len(line)} octets")
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as error:
            raise FeedMismatch(f"line {number}: folding split a UTF-8 character") from error
        if not line:
            raise FeedMismatch(f"line {number}: empty")
    if not lines[0] == b"BEGIN:VCALENDAR" or not lines[-1] == b"END:VCALENDAR":
        raise FeedMismatch("not a VCALENDAR")
