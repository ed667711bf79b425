"""Calendar feeds (iCalendar, RFC 5545) built from the task table ONLY.

A feed is one VEVENT (or, with ``component=vtodo``, one VTODO) per task occurrence: all-day,
or at the hours its phrase names. Everything in a feed comes from the task rows and their
plan rows, never from "now", so a feed whose tasks did not change is byte-identical, and its
ETag can be computed from one aggregate query without building it (see :func:`feed_state`).
Who may open which feed is decided in :mod:`tracker.services.calendar_tokens`; the rows shown
are always narrowed by :func:`tracker.services.permissions.visible_tasks` of the person
asking. This module chooses the tasks and assembles the feed; the components themselves and
the feed's value types are written in :mod:`tracker.services.calendar_components`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from flask_babel import force_locale
from icalendar import Calendar, vDuration
from sqlalchemy import ColumnElement, Select, false, func, or_, select
from sqlalchemy.orm import joinedload

from tracker.extensions import db
from tracker.ical_lines import (
    TZID,
    Block,
    block_of,
    fold,
    render_calendar,
    serialize,
    uses_local_time,
    vietnam_timezone,
)
from tracker.models import (
    FINISHED_STATUSES,
    CalendarScope,
    Commune,
    Task,
    Unit,
    User,
    is_work,
)
from tracker.services.calendar_components import (
    ALARM_CHOICES,
    DEADLINE_KINDS,
    BlockCache,
    DeadlineKind,
    FeedComponent,
    FeedSettings,
    FeedTarget,
    FeedWriter,
    clear_block_cache,
    local_window,
    task_uid,
)
from tracker.services.permissions import visible_tasks

__all__ = [
    "ALARM_CHOICES",
    "DEADLINE_KINDS",
    "Block",
    "BlockCache",
    "DeadlineKind",
    "FeedComponent",
    "FeedSettings",
    "FeedState",
    "FeedTarget",
    "block_of",
    "build_feed",
    "clear_block_cache",
    "commune_target",
    "export_targets",
    "feed_state",
    "feed_tasks",
    "fold",
    "local_window",
    "render_calendar",
    "serialize",
    "task_uid",
    "unit_target",
    "uses_local_time",
    "vietnam_timezone",
]

# Bump when the shape of the output changes: every ETag changes with it.
FEED_FORMAT = "2"  # 2: events at the hours a phrase names
REFRESH = dt.timedelta(hours=1)
PRODID = "-//Han//Lich viec chinh quyen xa//VI"


@dataclass(frozen=True)
class FeedState:
    """The validators of a feed: equal states mean byte-identical feeds."""

    etag: str
    last_modified: dt.datetime | None
    count: int


def commune_target(commune: Commune, **overrides: Any) -> FeedTarget:
    return FeedTarget(
        CalendarScope.COMMUNE,
        f"Hạn · {commune.name}",
        commune.slug,
        commune_id=commune.id,
        **overrides,
    )


def unit_target(commune: Commune, unit: Unit, **overrides: Any) -> FeedTarget:
    return FeedTarget(
        CalendarScope.UNIT,
        f"Hạn · {unit.name} — {commune.name}",
        f"{commune.slug}/{unit.slug}",
        commune_id=commune.id,
        unit_id=unit.id,
        **overrides,
    )


def export_targets() -> list[FeedTarget]:
    """A feed per commune and per unit, for the static export (stable slugs as file names)."""
    targets = []
    communes = db.session.scalars(
        select(Commune).options(joinedload(Commune.units)).order_by(Commune.slug)
    ).unique()
    for commune in communes:
        if commune.is_city:
            continue
        targets.append(commune_target(commune))
        targets.extend(unit_target(commune, unit) for unit in commune.units)
    return targets


# -- which tasks ----------------------------------------------------------------------------


def _keyword_filter(keywords: Iterable[str]) -> ColumnElement[bool]:
    # LIKE is ASCII-only case-insensitive on SQLite, so spell the usual capitalisations out.
    patterns = set()
    for word in keywords:
        word = unicodedata.normalize("NFC", word)
        patterns.update({word, word[:1].upper() + word[1:], word.upper()})
    return or_(*(Task.title.like(f"%{pattern}%") for pattern in sorted(patterns)))


def _task_query(
    target: FeedTarget,
    user: User | None,
    component: FeedComponent,
    now: dt.datetime,
    settings: FeedSettings,
) -> Select[tuple[Task]]:
    """The feed's rows: the person's visible tasks (every task for the static export), in scope,
    without finished ones older than the keep window; events need a date. A split original is
    left out: each share is an event of its own, in its unit's feed."""
    query = visible_tasks(user) if user is not None else select(Task)
    query = query.where(is_work())
    if target.scope is CalendarScope.OWN:
        query = query.where(Task.assignee_id == target.user_id)
    elif target.scope is CalendarScope.UNIT:
        query = query.where(Task.unit_id == target.unit_id)
    elif target.scope is CalendarScope.COMMUNE:
        query = query.where(Task.commune_id == target.commune_id)
    else:
        kind = DEADLINE_KINDS.get(target.kind or "")
        if kind is None:
            query = query.where(false())
        elif kind.keywords:
            query = query.where(_keyword_filter(kind.keywords))
    cutoff = now - dt.timedelta(days=settings.keep_finished_days)
    finished_at = func.coalesce(Task.completed_at, Task.updated_at)
    query = query.where(or_(Task.status.not_in(FINISHED_STATUSES), finished_at >= cutoff))
    if component is FeedComponent.EVENT:
        query = query.where(Task.due_on.is_not(None))
    return query


def feed_tasks(
    target: FeedTarget,
    user: User | None,
    component: FeedComponent,
    now: dt.datetime,
    settings: FeedSettings,
) -> list[Task]:
    """The tasks of a feed, in feed order (due date, undated last, then id)."""
    query = _task_query(target, user, component, now, settings).options(
        joinedload(Task.unit), joinedload(Task.plan_item)
    )
    if target.shows_commune:
        query = query.options(joinedload(Task.commune))
    query = query.order_by(Task.due_on.is_(None), Task.due_on, Task.id)
    return list(db.session.scalars(query))


def feed_state(
    target: FeedTarget,
    user: User | None,
    component: FeedComponent,
    now: dt.datetime,
    settings: FeedSettings,
) -> FeedState:
    """ETag and Last-Modified from one aggregate query, without building the feed.

    The rows' ids, sequences and update times decide the content (writers of the task table
    raise ``updated_at`` with every change they make); the target and settings decide the rest.
    """
    rows = _task_query(target, user, component, now, settings).subquery()
    count, last, seq_sum, id_sum, id_max = db.session.execute(
        select(
            func.count(),
            func.max(rows.c.updated_at),
            func.coalesce(func.sum(rows.c.sequence), 0),
            func.coalesce(func.sum(rows.c.id), 0),
            func.coalesce(func.max(rows.c.id), 0),
        )
    ).one()
    if last is not None and not isinstance(last, dt.datetime):  # SQLite returns text here
        last = dt.datetime.fromisoformat(str(last))
    if last is not None:
        last = last.replace(tzinfo=dt.UTC) if last.tzinfo is None else last.astimezone(dt.UTC)
    fingerprint = "|".join(
        str(part)
        for part in (
            FEED_FORMAT,
            component,
            target,
            settings,
            count,
            last.isoformat() if last else "",
            seq_sum,
            id_sum,
            id_max,
        )
    )
    return FeedState(
        etag=hashlib.sha256(fingerprint.encode()).hexdigest()[:32],
        last_modified=last,
        count=int(count),
    )


# -- the iCalendar text ---------------------------------------------------------------------


def build_feed(
    target: FeedTarget,
    user: User | None,
    component: FeedComponent,
    now: dt.datetime,
    settings: FeedSettings,
    status_label: Callable[[str], str],
) -> bytes:
    """The feed as UTF-8 bytes, CRLF line ends, lines folded at 75 octets."""
    tasks = feed_tasks(target, user, component, now, settings)
    with force_locale(target.locale):
        writer = FeedWriter(target, settings, component, status_label)
        blocks = [writer.block(task) for task in tasks]
    header = Calendar()
    header.add("prodid", PRODID)
    header.add("version", "2.0")
    header.add("calscale", "GREGORIAN")
    header.add("name", target.name)
    header.add("x-wr-calname", target.name)
    header.add("x-wr-timezone", TZID)
    header.add("refresh-interval", vDuration(REFRESH), parameters={"VALUE": "DURATION"})
    header.add("x-published-ttl", vDuration(REFRESH))
    return render_calendar(header, blocks)
