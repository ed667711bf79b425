"""The value types of the deadline engine: what callers pass in and get back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import Literal

from tracker.cadence.wording import Text

CheckinPeriod = Literal["quarter", "month", "half", "year"]


class Kind(StrEnum):
    """What sort of schedule a phrase describes."""

    ONCE = "once"  # one or a few fixed dates ("Tháng 1/2026", "Năm 2027 và năm 2030")
    YEARLY = "yearly"
    SEMIANNUAL = "semiannual"
    QUARTERLY = "quarterly"
    MONTHLY = "monthly"
    WEEKLY = "weekly"
    ONGOING = "ongoing"  # "Thường xuyên": no deadline, periodic check-ins
    HOLIDAYS = "holidays"  # on the day of named holidays
    ON_DEMAND = "on_demand"  # "khi có yêu cầu": no dates at all
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class CadenceSettings:
    """How phrases become dates; the defaults are the rules documented in the README.

    ``before_means_day_before``: "Trước ngày 15/02" is due on 14/02 (the literal reading:
    the paper must be in *before* the 15th). Set False to make it due on 15/02 itself.
    ``shift_to_working_day``: Civil Code 2015 art. 148(5): a deadline on a weekend or a
    public holiday moves to the next working day; a "trước" deadline ("Trước ngày 15/11")
    moves back to the previous one instead, so it is never due on or after the day named;
    days that name an event are never moved.
    ``ongoing_checkin``: how often an ongoing ("Thường xuyên") task owes a progress check-in.
    ``yearly_lead_days``: how long before a yearly point deadline its work window opens.
    ``event_lead_days``: how long before an event day (a holiday, a weekday meeting) the
    preparation window opens.
    """

    shift_to_working_day: bool = True
    before_means_day_before: bool = True
    ongoing_checkin: CheckinPeriod = "quarter"
    yearly_lead_days: int = 30
    event_lead_days: int = 7


@dataclass(frozen=True)
class PlanContext:
    """What a phrase is read against: the plan's issue date and the years it covers.

    ``issued_on`` None is a draft with a blank date: the plan counts as issued on the first
    day of ``issued_month`` when that is known, else on 1 January of the first plan year.
    ``open_ended`` is "... và những năm tiếp theo": the plan's yearly work goes on after its
    last year.
    """

    issued_on: dt.date | None = None
    years: tuple[int, ...] = (2026, 2027, 2028, 2029, 2030)
    open_ended: bool = True
    settings: CadenceSettings = field(default_factory=CadenceSettings)
    issued_month: tuple[int, int] | None = None  # (year, month)

    def __post_init__(self) -> None:
        if not self.years:
            raise ValueError("a plan covers at least one year")
        object.__setattr__(self, "years", tuple(sorted(set(self.years))))

    @property
    def effective_issued_on(self) -> dt.date:
        """The date before which nothing is due."""
        if self.issued_on is not None:
            return self.issued_on
        if self.issued_month is not None:
            year, month = self.issued_month
            return dt.date(year, month, 1)
        return dt.date(self.years[0], 1, 1)

    @property
    def first_year(self) -> int:
        return self.years[0]

    @property
    def last_year(self) -> int:
        return self.years[-1]


@dataclass(frozen=True)
class Occurrence:
    """One instance of a task's schedule.

    ``key`` is the occurrence's stable identity inside its task ("2026", "2026-Q1",
    "2026-W05", "2026-tet-nguyen-dan"); ``opens_on`` is when its work window opens,
    ``due_on`` its deadline after the working-day shift. ``starts_at``/``ends_at`` are the
    times of day the phrase names ("từ 19 giờ 30 đến 21 giờ ngày 2/9/2026"), local time
    (Asia/Ho_Chi_Minh), None when it names none. ``explained`` says how the date was
    found, as a translatable message (:mod:`tracker.cadence.wording`); ``explanation`` is
    its Vietnamese text.
    """

    key: str
    opens_on: dt.date
    due_on: dt.date | None
    # Builds ``explained`` when asked: most occurrences are counted or stored, never explained.
    why: Callable[[], Text] = field(repr=False, compare=False)
    starts_at: dt.time | None = None
    ends_at: dt.time | None = None

    @cached_property
    def explained(self) -> Text:
        return self.why()

    @property
    def explanation(self) -> str:
        return self.explained.render()
