"""The components of a calendar feed: what a feed is for (its target, settings, kind of
component) and one VEVENT or VTODO per task, serialised once and cached.

A component holds only what the task row and its plan row say, so an unchanged task gives
byte-identical bytes (the block cache's key is every input). A deadline is an all-day
event; a task whose phrase names hours ("từ 19 giờ 30 đến 21 giờ") is an event at those
hours in Asia/Ho_Chi_Minh. Which tasks a feed shows and its ETag: :mod:`.calendars`.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Any

from cachetools import LRUCache
from flask_babel import LazyString
from icalendar import Alarm, Component, Todo, vDate, vDatetime, vInt, vText, vUri

from tracker.clock import VN_TZ
from tracker.i18n import _, _l, occurrence_label
from tracker.ical_lines import Block, ComponentLines, block_of
from tracker.models import CalendarScope, Task, TaskStatus

SUMMARY_MAX = 140

# Display alarms, in minutes from the start (00:00) of the due day.
ALARM_CHOICES: dict[int, LazyString] = {
    -16 * 60: _l("8 giờ sáng, một ngày trước hạn"),
    -64 * 60: _l("8 giờ sáng, ba ngày trước hạn"),
    8 * 60: _l("8 giờ sáng ngày đến hạn"),
}


class FeedComponent(StrEnum):
    EVENT = "vevent"
    TODO = "vtodo"


@dataclass(frozen=True)
class DeadlineKind:
    """A kind of deadline the city follows across communes, recognised by words in the title."""

    key: str
    label: LazyString
    keywords: tuple[str, ...]  # empty: every deadline


DEADLINE_KINDS: dict[str, DeadlineKind] = {
    kind.key: kind
    for kind in (
        DeadlineKind("tu-danh-gia", _l("Tự đánh giá, chấm điểm"), ("tự đánh giá", "chấm điểm")),
        DeadlineKind("dang-ky", _l("Đăng ký mức đạt chuẩn"), ("đăng ký",)),
        DeadlineKind("bao-cao", _l("Báo cáo"), ("báo cáo",)),
        DeadlineKind("khen-thuong", _l("Khen thưởng"), ("khen thưởng",)),
        DeadlineKind("tat-ca", _l("Mọi hạn"), ()),
    )
}


@dataclass(frozen=True)
class FeedSettings:
    """What a feed needs from the configuration; never from the request (Host is forgeable)."""

    base_url: str
    uid_host: str
    keep_finished_days: int = 14
    cache_seconds: int = 600
    task_path: str = "/viec/{id}"

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> FeedSettings:
        return cls(
            base_url=str(config["BASE_URL"]).rstrip("/"),
            uid_host=str(config["CALENDAR_UID_HOST"]),
            keep_finished_days=int(config.get("CALENDAR_KEEP_FINISHED_DAYS", 14)),
            cache_seconds=int(config.get("CALENDAR_CACHE_SECONDS", 600)),
        )

    def task_url(self, task_id: int) -> str:
        return self.base_url + self.task_path.format(id=task_id)


@dataclass(frozen=True)
class FeedTarget:
    """What one feed shows, independent of who asks."""

    scope: CalendarScope
    name: str
    slug: str
    commune_id: int | None = None
    unit_id: int | None = None
    user_id: int | None = None
    kind: str | None = None
    alarm_minutes: int | None = None
    locale: str = "vi"

    @property
    def shows_commune(self) -> bool:
        return self.scope is CalendarScope.CITY


def task_uid(task: Task, settings: FeedSettings, component: FeedComponent) -> str:
    """Stable for the life of the occurrence, and from configuration, never the Host header."""
    prefix = "task" if component is FeedComponent.EVENT else "todo"
    occurrence = re.sub(r"[^A-Za-z0-9.-]+", "-", task.occurrence_key).strip("-") or "0"
    return f"{prefix}-{task.id}-{occurrence}@{settings.uid_host}"


# -- one component per task -------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _text(value: str | None) -> str:
    """NFC, so that folding never separates a letter from its combining accent. Remembered:
    a feed repeats each plan row's texts and unit names in every year's task."""
    return unicodedata.normalize("NFC", value or "").strip()


class BlockCache:
    """Serialised components by everything that goes into them (an LRU, thread-safe).

    The key holds every input of a component — its texts included — so a hit is exactly
    the bytes a fresh build would give; most of a feed is unchanged from one poll to the next.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: LRUCache[tuple[Any, ...], Block] = LRUCache(maxsize=size)
        self._lock = threading.Lock()  # cachetools' caches are not thread-safe themselves

    def get(self, key: tuple[Any, ...]) -> Block | None:
        with self._lock:
            return self._items.get(key)

    def put(self, key: tuple[Any, ...], block: Block) -> Block:
        with self._lock:
            self._items[key] = block
        return block

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


_BLOCK_CACHE = BlockCache(size=8192)  # ~2 KB an entry: ~16 MB at most


class FeedWriter:
    """Builds the components of one feed. Message templates are translated once per feed,
    not once per task: gettext lookups were a third of the time of a large feed."""

    def __init__(
        self,
        target: FeedTarget,
        settings: FeedSettings,
        component: FeedComponent,
        status_label: Callable[[str], str],
    ) -> None:
        self.target, self.settings, self.component = target, settings, component
        self._status_label = status_label
        self._labels: dict[str, str] = {}
        self.t = {
            "time": _("Thời gian thực hiện: %(text)s"),
            "due": _("Hạn: %(date)s"),
            "status": _("Trạng thái: %(status)s"),
            "unit": _("Đơn vị thực hiện: %(unit)s"),
            "commune": _("Xã, phường: %(name)s"),
            "lead": _("Chủ trì: %(units)s"),
            "coordinating": _("Phối hợp: %(units)s"),
            "evidence": _("Sản phẩm: %(evidence)s"),
            "link": _("Xem việc: %(url)s"),
            "alarm": _("Sắp đến hạn: %(title)s"),
        }

    def label(self, status: str) -> str:
        if status not in self._labels:
            self._labels[status] = self._status_label(status)
        return self._labels[status]

    def block(self, task: Task) -> Block:
        """The serialised component, from the block cache when nothing in it changed."""
        summary, description = self.summary(task), self.description(task)
        key = (
            self.component, self.settings.uid_host, self.target.alarm_minutes, task.id,
            task.occurrence_key, task.updated_at, task.created_at, task.sequence, task.status,
            task.opens_on, task.due_on, task.start_time, task.end_time, task.completed_at,
            summary, description,
        )  # fmt: skip
        cached = _BLOCK_CACHE.get(key)
        if cached is None:
            if self.component is FeedComponent.EVENT:
                block = self.event(task, summary, description).block()
            else:
                block = block_of(self.todo(task, summary, description))
            cached = _BLOCK_CACHE.put(key, block)
        return cached

    def summary(self, task: Task) -> str:
        title = " ".join(_text(task.title).split())
        if len(title) > SUMMARY_MAX:
            title = title[: SUMMARY_MAX - 1].rsplit(" ", 1)[0] + "…"
        occurrence = occurrence_label(task.occurrence_key)
        if occurrence:
            title = f"{title} ({occurrence})"
        where = _text(task.unit.name)
        if self.target.shows_commune:
            where = f"{where}, {_text(task.commune.name)}"
        return f"[{self.label(task.status)}] {title} — {where}"

    def description(self, task: Task) -> str:
        t, plan_item = self.t, task.plan_item
        lead = ", ".join(_text(u) for u in plan_item.lead_units) or _text(task.unit.name)
        lines = [_text(plan_item.title), ""]
        lines.append(t["time"] % {"text": _text(plan_item.time_text)})
        if task.due_on is not None:
            due = f"{task.due_on.day:02d}/{task.due_on.month:02d}/{task.due_on.year}"
            lines.append(t["due"] % {"date": due})
        lines.append(t["status"] % {"status": self.label(task.status)})
        lines.append(t["unit"] % {"unit": _text(task.unit.name)})
        if self.target.shows_commune:
            lines.append(t["commune"] % {"name": _text(task.commune.name)})
        lines.append(t["lead"] % {"units": lead})
        if plan_item.coordinating_units:
            coordinating = ", ".join(_text(u) for u in plan_item.coordinating_units)
            lines.append(t["coordinating"] % {"units": coordinating})
        if plan_item.evidence:
            lines.append(t["evidence"] % {"evidence": _text(plan_item.evidence)})
        lines.append(t["link"] % {"url": self.settings.task_url(task.id)})
        return "\n".join(lines)

    def common(
        self, item: Component | ComponentLines, task: Task, summary: str, description: str
    ) -> None:
        # Typed values set directly: Component.add() looks the type up for every property.
        item["UID"] = vText(task_uid(task, self.settings, self.component))
        # No METHOD on the calendar: DTSTAMP is then the last revision in the store (RFC 5545
        # 3.8.7.2), which keeps an unchanged feed byte-identical.
        item["DTSTAMP"] = vDatetime(task.updated_at)
        item["LAST-MODIFIED"] = vDatetime(task.updated_at)
        item["CREATED"] = vDatetime(task.created_at)
        item["SEQUENCE"] = vInt(task.sequence)
        item["SUMMARY"] = vText(summary)
        item["DESCRIPTION"] = vText(description)
        url = vUri(self.settings.task_url(task.id))
        url.params["VALUE"] = "URI"
        item["URL"] = url

    def alarm(
        self, task: Task, *, related_end: bool, starts_at: dt.datetime | None = None
    ) -> Alarm:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        parameters = {"RELATED": "END"} if related_end else {}
        minutes = self.target.alarm_minutes or 0
        if starts_at is not None:  # the choices count from 00:00 of the due day
            minutes -= starts_at.hour * 60 + starts_at.minute
        alarm.add("trigger", dt.timedelta(minutes=minutes), parameters=parameters)
        alarm.add("description", self.t["alarm"] % {"title": " ".join(_text(task.title).split())})
        return alarm

    def event(self, task: Task, summary: str, description: str) -> ComponentLines:
        """The VEVENT, written line by line (the feed's default component, its hot path);
        ``tests/calendars`` holds its lines to icalendar's own."""
        assert task.due_on is not None
        event = ComponentLines("VEVENT")
        self.common(event, task, summary, description)
        start, end = local_window(task)
        if start is None:
            event["DTSTART"] = vDate(task.due_on)
            event["DTEND"] = vDate(task.due_on + dt.timedelta(days=1))
        else:
            # RFC 5545 3.6.1: a DTSTART with a time and no DTEND ends when it starts
            event["DTSTART"] = vDatetime(start)
            if end is not None and end > start:
                event["DTEND"] = vDatetime(end)
        is_open = TaskStatus(task.status).is_open
        event["STATUS"] = vText("CONFIRMED" if is_open else "CANCELLED")
        event["TRANSP"] = vText("TRANSPARENT")  # a deadline does not make anyone busy
        if is_open and self.target.alarm_minutes is not None:
            event.add_component(self.alarm(task, related_end=False, starts_at=start))
        return event

    def todo(self, task: Task, summary: str, description: str) -> Todo:
        todo = Todo()
        self.common(todo, task, summary, description)
        # RFC 5545 3.8.2.3: DUE must be later than DTSTART, so a one-day window has no DTSTART;
        # both of one value type, so a DUE at an hour has its DTSTART at 00:00 of the day.
        start, end = local_window(task)
        due_at = end or start
        if task.due_on is None or task.opens_on < task.due_on:
            if due_at is None:
                todo.add("dtstart", task.opens_on)
            else:
                todo.add("dtstart", dt.datetime.combine(task.opens_on, dt.time(0), tzinfo=VN_TZ))
        if task.due_on is not None:
            todo.add("due", due_at or task.due_on)
        status = TaskStatus(task.status)
        todo.add("status", _TODO_STATUS.get(status, "IN-PROCESS"))
        if status.is_done:
            todo.add("completed", task.completed_at or task.updated_at)
            todo.add("percent-complete", 100)
        if status is TaskStatus.OVERDUE:
            todo.add("priority", 1)
        if status.is_open and task.due_on is not None and self.target.alarm_minutes is not None:
            todo.add_component(self.alarm(task, related_end=True))
        return todo


def local_window(task: Task) -> tuple[dt.datetime | None, dt.datetime | None]:
    """The task's hours on its due day as Vietnam times ("từ 19 giờ 30 đến 21 giờ"): a
    start (the end alone when only an end is named: "trước 17 giờ") and an end, or None."""
    if task.due_on is None or (task.start_time is None and task.end_time is None):
        return None, None
    start = task.start_time or task.end_time
    assert start is not None
    end = task.end_time if task.start_time is not None else None
    starts_at = dt.datetime.combine(task.due_on, start, tzinfo=VN_TZ)
    return starts_at, dt.datetime.combine(task.due_on, end, tzinfo=VN_TZ) if end else None


_TODO_STATUS = {
    TaskStatus.NOT_DUE: "NEEDS-ACTION",
    TaskStatus.DONE_ON_TIME: "COMPLETED",
    TaskStatus.DONE_LATE: "COMPLETED",
    TaskStatus.CANCELLED: "CANCELLED",
}


def clear_block_cache() -> None:
    """Forget every serialised component (benchmarks measure cold builds with it)."""
    _BLOCK_CACHE.clear()
