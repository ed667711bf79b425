"""From a parsed :class:`Spec` to nominal dates ("slots"), its kind and its RRULE.

A slot is one occurrence before the working-day shift and the issue-date cut-off, which
:mod:`tracker.cadence.engine` apply. Rules, in the order they are applied:

* Years: the phrase's own years ("Năm 2027 và năm 2030", "Từ năm 2027", "Giai đoạn 2028 -
  2030", "những năm tiếp theo", "năm sau") or, when it names none, the plan's years, going on
  after the last one when the plan is open-ended ("… và những năm tiếp theo"). A day, month
  or quarter written with its year ("Tháng 1/2026") happens that year only.
* A date part left out is every such period: "Quý I" is the first quarter of each year in
  scope, "ngày 15 (mười lăm)" the 15th of each month, "cuối quý" the end of each quarter.
* Due dates: a day is due that day; "Trước ngày D" is due the day before D (setting
  ``before_means_day_before``); a period (month, quarter, half, year, "từ tháng 3 đến tháng
  5") is due on its last day and opens on its first; "Trước tháng 6" is due before the
  month starts. Đầu/giữa/cuối follow Civil Code 2015 art. 146: đầu tháng = 1st, giữa tháng =
  15th, cuối tháng = last day; giữa năm = 30/6; by analogy giữa quý = 15th of its 2nd month.
* Opening: a period opens on its first day; a yearly point deadline ``yearly_lead_days``
  earlier; a monthly or quarterly one at the start of its month or quarter; an event
  ``event_lead_days`` before it; a weekly one on the Monday of its week.
* Events (holidays, weekdays named, lunar days, days after "nhân dịp") are never shifted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from tracker.cadence.days import (
    WEEKDAY_NAMES,
    add_months,
    day_month,
    dmy,
    last_day,
    lunar_span,
    range_start,
    resolve_day,
    span_key,
    span_label,
    week_name,
)
from tracker.cadence.model import CadenceSettings, Kind, PlanContext
from tracker.cadence.rrules import CHECKIN_UNIT, schedule_rrule
from tracker.cadence.spec import (
    AfterEnd,
    Anchor,
    Day,
    Holiday,
    MonthWeek,
    Part,
    PeriodPoint,
    QuarterMonth,
    Span,
    Spec,
    TimeUnit,
    Weekday,
    YearWhole,
)
from tracker.cadence.vn_calendar import HOLIDAYS, MAJOR_HOLIDAYS
from tracker.cadence.wording import N_, Piece, joined

_ALLOWED: dict[TimeUnit | None, tuple[type, ...]] = {
    None: (Day, Span, YearWhole, Holiday, PeriodPoint, QuarterMonth, Weekday, MonthWeek,
           AfterEnd),
    TimeUnit.YEAR: (Day, Span, YearWhole, Holiday, MonthWeek, AfterEnd),
    TimeUnit.HALF: (AfterEnd,),
    TimeUnit.QUARTER: (PeriodPoint, QuarterMonth, AfterEnd),
    TimeUnit.MONTH: (PeriodPoint, MonthWeek, AfterEnd),
    TimeUnit.WEEK: (Weekday,),
}  # fmt: skip
_UNIT_KIND = {
    TimeUnit.YEAR: Kind.YEARLY,
    TimeUnit.HALF: Kind.SEMIANNUAL,
    TimeUnit.QUARTER: Kind.QUARTERLY,
    TimeUnit.MONTH: Kind.MONTHLY,
    TimeUnit.WEEK: Kind.WEEKLY,
}


@dataclass(frozen=True)
class Slot:
    key: str
    opens_on: dt.date
    due_on: dt.date  # before any working-day shift
    is_event: bool
    label: Piece  # what this occurrence is, for people: "quý I/2026", "Tết Nguyên đán 2027"
    is_checkin: bool = False
    before: bool = False  # a "trước" deadline: a non-working day moves it back, not on
    times: tuple[dt.time | None, dt.time | None] | None = None


@dataclass(frozen=True)
class Years:
    """The years a phrase covers: a finite set and/or ranges, possibly without end."""

    explicit: frozenset[int]
    ranges: tuple[tuple[int, int | None], ...]

    def within(self, low: int, high: int) -> list[int]:
        return [
            y
            for y in range(low, high + 1)
            if y in self.explicit
            or any(first <= y and (last is None or y <= last) for first, last in self.ranges)
        ]

    @property
    def last(self) -> int | None:
        """The last year covered, None when there is no end."""
        if any(last is None for _, last in self.ranges):
            return None
        ends = [last for _, last in self.ranges if last is not None] + list(self.explicit)
        return max(ends) if ends else None

    @property
    def is_finite_list(self) -> bool:
        return not self.ranges


def resolve_years(spec: Spec, ctx: PlanContext) -> Years:
    scope = spec.scope
    issue_year = ctx.effective_issued_on.year
    if scope.relative is not None:
        return Years(frozenset({issue_year + scope.relative}), ())
    ranges: list[tuple[int, int | None]] = []
    explicit = set(scope.years)
    if scope.from_year is not None:
        ranges.append((scope.from_year, None if scope.following else scope.to_year))
        if scope.to_year is None:
            ranges[-1] = (scope.from_year, None)
    elif scope.following:
        after = max(explicit) if explicit else ctx.last_year
        ranges.append((after + 1, None))
    if not explicit and not ranges:
        ranges.append((ctx.first_year, None if ctx.open_ended else ctx.last_year))
    return Years(frozenset(explicit), tuple(ranges))


def kind_of(spec: Spec) -> Kind:
    """The kind of schedule; UNKNOWN also when clauses contradict each other."""
    if spec.blocked is not None or not spec.has_content:
        return Kind.UNKNOWN
    allowed = _ALLOWED[spec.unit]
    if any(not isinstance(anchor, allowed) for anchor in spec.anchors):
        return Kind.UNKNOWN
    if spec.before and spec.deadline:
        return Kind.UNKNOWN
    if any(isinstance(a, PeriodPoint | AfterEnd) and a.unit is not (spec.unit or TimeUnit.YEAR)
           for a in spec.anchors):  # fmt: skip
        return Kind.UNKNOWN  # "Hằng quý, ngày 15": the 15th of which month?
    if any(isinstance(a, MonthWeek) and (a.month is None) is not (spec.unit is TimeUnit.MONTH)
           for a in spec.anchors):  # fmt: skip
        return Kind.UNKNOWN  # "tuần đầu tháng" with another cadence
    if spec.months is not None and spec.unit is not TimeUnit.MONTH:
        return Kind.UNKNOWN
    holidays = [a for a in spec.anchors if isinstance(a, Holiday)]
    if any(a.year is not None for a in holidays):
        # "Tết Nguyên đán 2027" happens once; with a cadence or other years it contradicts
        mixed = spec.unit is not None or not spec.scope.is_empty or spec.major_holidays
        if mixed or any(a.year is None for a in holidays):
            return Kind.UNKNOWN
        return Kind.ONCE
    if spec.major_holidays or holidays:
        return Kind.HOLIDAYS
    if spec.unit is not None:
        return _UNIT_KIND[spec.unit]
    dated = [a for a in spec.anchors if not isinstance(a, YearWhole)]
    if dated and all(getattr(a, "year", None) is not None for a in dated):
        return Kind.ONCE
    if spec.scope.relative is not None or (spec.scope.years and spec.scope.from_year is None
                                           and not spec.scope.following):  # fmt: skip
        return Kind.ONCE
    if spec.anchors or not spec.scope.is_empty:
        return Kind.YEARLY
    if spec.ongoing:
        return Kind.ONGOING
    if spec.on_demand:
        return Kind.ON_DEMAND
    return Kind.UNKNOWN


class Schedule:
    """A spec read against a plan: its kind, years and nominal slots."""

    def __init__(self, spec: Spec, ctx: PlanContext) -> None:
        self.spec = spec
        self.ctx = ctx
        self.settings: CadenceSettings = ctx.settings
        self.kind = kind_of(spec)
        self.years = resolve_years(spec, ctx)

    # -- slots ---------------------------------------------------------------------------
    def slots(self, low: int, high: int) -> Iterator[Slot]:
        """Nominal slots of the years ``low``..``high`` (a year more each side is safe)."""
        kind = self.kind
        if kind in (Kind.UNKNOWN, Kind.ON_DEMAND):
            return
        years = self.years.within(low, high)
        if kind is Kind.ONGOING:
            yield from self._periodic(CHECKIN_UNIT[self.settings.ongoing_checkin], years, True)
        elif self.spec.unit in (TimeUnit.HALF, TimeUnit.QUARTER, TimeUnit.MONTH, TimeUnit.WEEK):
            yield from self._periodic(self.spec.unit, years, False)
        else:
            yield from self._yearly(low, high, years)

    def _anchors(self) -> list[Anchor]:
        anchors: list[Anchor] = [a for a in self.spec.anchors if not isinstance(a, YearWhole)]
        if self.spec.major_holidays:
            named = [a for a in anchors if isinstance(a, Holiday) and a.slug not in MAJOR_HOLIDAYS]
            others = [a for a in anchors if not isinstance(a, Holiday)]
            anchors = [Holiday(slug) for slug in MAJOR_HOLIDAYS] + named + others
        return anchors or [YearWhole()]

    def _yearly(self, low: int, high: int, years: list[int]) -> Iterator[Slot]:
        anchors = self._anchors()
        single = len(anchors) == 1
        for anchor in anchors:
            fixed_year = getattr(anchor, "year", None)
            for year in [fixed_year] if fixed_year is not None else years:
                if low <= year <= high:
                    yield self._year_slot(anchor, year, single)

    def _year_slot(self, anchor: Anchor, year: int, single: bool) -> Slot:
        settings, spec = self.settings, self.spec
        label: Piece
        if isinstance(anchor, Holiday):
            holiday = HOLIDAYS[anchor.slug]
            # "Trước Tết Nguyên đán": due the day before, still an event's day (not moved:
            # moving it on would put it after the holiday)
            day = self._before(holiday.on(year))
            lead = dt.timedelta(days=settings.event_lead_days)
            if spec.before:
                label = N_("trước %(holiday)s năm %(year)d", holiday=holiday.name, year=year)
            else:
                label = N_("%(holiday)s năm %(year)d", holiday=holiday.name, year=year)
            return self._slot(f"{year}-{anchor.slug}", day - lead, day, True, label)
        if isinstance(anchor, YearWhole):
            start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
            return self._period_slot(str(year), start, end, N_("năm %(year)d", year=year))
        if isinstance(anchor, AfterEnd):
            end = dt.date(year, 12, 31)
            due = end + dt.timedelta(days=anchor.days)
            label = N_("%(days)d ngày kể từ ngày kết thúc năm %(year)d",
                       days=anchor.days, year=year)  # fmt: skip
            return self._slot(str(year), dt.date(year, 1, 1), due, spec.event, label)
        if isinstance(anchor, MonthWeek):
            assert anchor.month is not None
            month_start = dt.date(year, anchor.month, 1)
            key = f"{year}-{anchor.month:02d}-w{anchor.index if anchor.index > 0 else 'cuoi'}"
            return self._month_week_slot(anchor, key if not single else str(year), month_start)
        if isinstance(anchor, Span):
            target = year + anchor.year_offset
            if anchor.lunar:
                start, end = lunar_span(anchor, target)
            else:
                start, end = dt.date(target, anchor.first, 1), last_day(target, anchor.last)
            key = f"{year}-{span_key(anchor.first, anchor.last)}"
            if anchor.lunar:
                key = f"{year}-al-{span_key(anchor.first, anchor.last)}"
            label = span_label(anchor.first, anchor.last, target)
            if anchor.year_offset:
                label = N_("%(what)s (cho năm %(year)d)", what=label, year=year)
            if anchor.lunar:
                label = N_("%(period)s âm lịch", period=label)
            return self._period_slot(key, start, end, label)
        assert isinstance(anchor, Day)
        target = year + anchor.year_offset
        named = resolve_day(anchor, target)
        due = self._before(named)
        # a meeting at an hour is an event; a deadline by an hour ("trước 17 giờ") is not
        is_event = (spec.event or anchor.lunar or anchor.weekday is not None
                    or (spec.times is not None and spec.times[0] is not None))  # fmt: skip
        if anchor.from_now:
            opens = dt.date.min
        elif anchor.opens is not None:
            opens = range_start(anchor, target)
        elif is_event:
            opens = due - dt.timedelta(days=settings.event_lead_days)
        else:
            opens = due - dt.timedelta(days=settings.yearly_lead_days)
        prefix = "al-" if anchor.lunar else ""
        key = str(year) if single and not anchor.lunar else f"{year}-{prefix}{due:%m-%d}"
        if anchor.lunar:
            key = f"{year}-al-{anchor.month:02d}-{anchor.day:02d}"
        label = _day_label(dmy(named), spec.before)
        if anchor.lunar:
            label = N_("ngày %(day)s âm lịch (%(solar)s)",
                       day=day_month(anchor.day, anchor.month), solar=dmy(named))  # fmt: skip
        if anchor.named_as:
            label = joined(": ", (anchor.named_as, label))
        if anchor.year_offset:
            label = N_("%(what)s (cho năm %(year)d)", what=label, year=year)
        return self._slot(key, min(opens, due), due, is_event, label)

    def _slot(self, key: str, opens: dt.date, due: dt.date, is_event: bool, label: Piece) -> Slot:
        """A slot of this phrase: a "trước" deadline and the phrase's times of day ride on it."""
        return Slot(key, opens, due, is_event, label,
                    before=self.spec.before or self.spec.before_time, times=self.spec.times)

    def _before(self, named: dt.date) -> dt.date:
        if self.spec.before and self.settings.before_means_day_before:
            return named - dt.timedelta(days=1)
        return named

    def _period_slot(
        self, key: str, start: dt.date, end: dt.date, label: Piece, checkin: bool = False
    ) -> Slot:
        """A period's slot: "trước" a period is due before it starts, else at its end."""
        spec = self.spec
        if spec.before:
            due = self._before(start)
            opens = due - dt.timedelta(days=self.settings.yearly_lead_days)
            before = N_("trước %(period)s", period=label)
            return Slot(key, opens, due, False, before, checkin, True, spec.times)
        return Slot(key, start, end, spec.event, label, checkin, spec.before, spec.times)

    def _periodic(self, unit: TimeUnit, years: list[int], checkin: bool) -> Iterator[Slot]:
        anchors = [] if checkin else [a for a in self.spec.anchors if not isinstance(a, YearWhole)]
        if unit is TimeUnit.WEEK:
            yield from self._weekly(years, anchors)
            return
        per_year = {TimeUnit.MONTH: 12, TimeUnit.QUARTER: 4, TimeUnit.HALF: 2, TimeUnit.YEAR: 1}
        periods = per_year[unit]
        length = 12 // periods
        months = None if checkin else self.spec.months
        for year in years:
            for index in range(1, periods + 1):
                first = (index - 1) * length + 1
                if months is not None and first not in months:
                    continue
                start, end = dt.date(year, first, 1), last_day(year, first + length - 1)
                key = f"{year}-{span_key(first, first + length - 1)}" if periods > 1 else str(year)
                label: Piece = span_label(first, first + length - 1, year) if periods > 1 \
                    else str(year)  # fmt: skip
                if not anchors:
                    yield self._period_slot(key, start, end, label, checkin)
                    continue
                for anchor in anchors:
                    yield self._point_in_period(anchor, key, start, end, label, len(anchors) > 1)

    def _point_in_period(
        self, anchor: Anchor, key: str, start: dt.date, end: dt.date, label: Piece, many: bool
    ) -> Slot:
        if isinstance(anchor, QuarterMonth):
            month_start = add_months(start, anchor.index - 1 + 3 * anchor.offset)
            month_end = last_day(month_start.year, month_start.month)
            month_label: Piece = span_label(month_start.month, month_start.month, month_start.year)
            if anchor.offset:
                month_label = N_("%(what)s (cho %(period)s)", what=month_label, period=label)
            if anchor.day is None:
                return self._slot(key, month_start, month_end, False, month_label)
            # "ngày 20 tháng cuối quý": that day of the month; opens with the quarter
            named = min(month_start + dt.timedelta(days=anchor.day - 1), month_end)
            due = self._before(named)
            day_label = _day_label(dmy(named), self.spec.before)
            if anchor.offset:
                day_label = N_("%(what)s (cho %(period)s)", what=day_label, period=label)
            suffix = f"-{named.day:02d}" if many else ""
            return self._slot(key + suffix, min(start, due), due, self.spec.event, day_label)
        if isinstance(anchor, AfterEnd):
            due = end + dt.timedelta(days=anchor.days)
            text = N_("%(days)d ngày kể từ ngày kết thúc %(period)s",
                      days=anchor.days, period=label)  # fmt: skip
            return self._slot(key, start, due, self.spec.event, text)
        if isinstance(anchor, MonthWeek):
            return self._month_week_slot(anchor, key, start)
        assert isinstance(anchor, PeriodPoint)
        if anchor.offset:
            start = add_months(start, anchor.offset * (3 if anchor.unit is TimeUnit.QUARTER else 1))
            end = last_day(start.year, start.month + (2 if anchor.unit is TimeUnit.QUARTER else 0))
        if anchor.day is not None:
            named = min(start + dt.timedelta(days=anchor.day - 1), end)
        elif anchor.part is Part.START:
            named = start
        elif anchor.part is Part.MIDDLE:
            middle_month = start.month + (1 if anchor.unit is TimeUnit.QUARTER else 0)
            named = dt.date(start.year, middle_month, 15)
        else:
            named = end
        due = self._before(named)
        opens = start
        if anchor.opens_day is not None:
            opens = min(start + dt.timedelta(days=anchor.opens_day - 1), end)
        if anchor.offset:
            label = N_("%(what)s (cho %(period)s)",
                       what=_day_label(dmy(named), self.spec.before), period=label)  # fmt: skip
        suffix = f"-{named.day:02d}" if many else ""
        return self._slot(key + suffix, min(opens, due), due, self.spec.event, label)

    def _month_week_slot(self, anchor: MonthWeek, key: str, month_start: dt.date) -> Slot:
        """A week of a month in seven-day blocks from the 1st (see :class:`MonthWeek`)."""
        month_end = last_day(month_start.year, month_start.month)
        if anchor.index > 0:
            first = month_start + dt.timedelta(days=7 * (anchor.index - 1))
        else:
            first = month_end - dt.timedelta(days=6)
        last = first + dt.timedelta(days=6)
        week = N_("%(week)s tháng %(month)d/%(year)d (ngày %(first)d-%(last)d)",
                  week=week_name(anchor.index), month=month_start.month, year=month_start.year,
                  first=first.day, last=last.day)  # fmt: skip
        if anchor.weekday is None:
            return self._slot(key, first, last, self.spec.event, week)
        day = first + dt.timedelta(days=(anchor.weekday - first.isoweekday()) % 7)
        name = WEEKDAY_NAMES[anchor.weekday - 1]
        return self._slot(key, first, day, True, joined(" ", (name, week)))

    def _weekly(self, years: list[int], anchors: Sequence[Anchor]) -> Iterator[Slot]:
        days = [a.iso for a in anchors if isinstance(a, Weekday)]
        for year in years:
            monday = dt.date.fromisocalendar(year, 1, 1)
            while monday.isocalendar().year == year:
                week = monday.isocalendar().week
                key = f"{year}-W{week:02d}"
                label = N_("tuần %(week)d/%(year)d", week=week, year=year)
                if not days:
                    friday = monday + dt.timedelta(days=4)
                    yield self._slot(key, monday, friday, False, label)
                for iso in days:
                    day = monday + dt.timedelta(days=iso - 1)
                    suffix = f"-{iso}" if len(days) > 1 else ""
                    yield self._slot(key + suffix, monday, day, True, label)
                monday += dt.timedelta(days=7)

    def rrule(self) -> str | None:
        """RFC 5545 RRULE of the nominal (unshifted) due dates, None when none fits."""
        return schedule_rrule(self)


def _day_label(day: str, before: bool) -> Piece:
    return N_("trước ngày %(day)s", day=day) if before else N_("ngày %(day)s", day=day)
