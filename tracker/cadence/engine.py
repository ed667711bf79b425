"""The deadline engine's entry point: :func:`parse_cadence` and :class:`Cadence`.

``parse_cadence(text, ctx)`` never raises on text: a phrase it cannot read completely and
safely is a cadence of kind ``unknown`` with ``understood`` False and no dates.
:meth:`Cadence.occurrences` applies the last two rules to the schedule's nominal dates:

* the working-day shift (Civil Code 2015 art. 148(5)): a deadline on a weekend or a public
  holiday moves to the next working day, unless it is the day of an event (a holiday, a
  weekday named, a lunar date, a day after "nhân dịp"); setting ``shift_to_working_day``;
* nothing is due before the plan was issued: a deadline that passed before the plan existed
  is not an overdue task, so it is not an occurrence at all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from tracker.cadence.explain import explain, explain_occurrence
from tracker.cadence.grammar import parse_tokens
from tracker.cadence.model import Kind, Occurrence, PlanContext
from tracker.cadence.schedule import Schedule
from tracker.cadence.tokens import normalize, tokenize
from tracker.cadence.vn_calendar import next_working_day


@dataclass(frozen=True)
class Cadence:
    """A phrase read against a plan: its kind, rule, explanation and occurrences."""

    text: str
    kind: Kind
    understood: bool
    rrule: str | None
    rdates: tuple[dt.date, ...]
    explanation: str
    context: PlanContext
    _schedule: Schedule = field(repr=False, compare=False)

    def occurrences(self, start: dt.date, end: dt.date) -> list[Occurrence]:
        """Occurrences due inside [start, end], none before the issue date, sorted by date."""
        if not self.understood or end < start:
            return []
        issued_on = self.context.effective_issued_on
        shift = self.context.settings.shift_to_working_day
        found: dict[str, Occurrence] = {}
        # a year each side: a lunar date of the year before ("23 tháng Chạp") and the eve
        # of the next year's holiday ("Trước Tết Dương lịch", 31/12) fall in this one
        for slot in self._schedule.slots(start.year - 1, end.year + 1):
            due = slot.due_on
            if shift and not slot.is_event:
                due = next_working_day(due)
            if not (start <= due <= end) or due < issued_on:
                continue
            opens = min(max(slot.opens_on, issued_on), due)
            explanation = explain_occurrence(slot, due)
            found.setdefault(slot.key, Occurrence(slot.key, opens, due, explanation))
        return sorted(found.values(), key=lambda o: (o.due_on or o.opens_on, o.key))


def parse_cadence(text: str, ctx: PlanContext | None = None) -> Cadence:
    """Read a "Thời gian thực hiện" phrase. Never raises on text."""
    ctx = ctx if ctx is not None else PlanContext()
    spec = parse_tokens(tokenize(normalize(text)))
    schedule = Schedule(spec, ctx)
    kind = schedule.kind
    understood = kind is not Kind.UNKNOWN
    rdates: tuple[dt.date, ...] = ()
    if kind is Kind.ONCE:
        last = schedule.years.last or ctx.last_year
        rdates = tuple(sorted(s.due_on for s in schedule.slots(ctx.first_year - 10, last + 10)))
    return Cadence(
        text=text,
        kind=kind,
        understood=understood,
        rrule=schedule.rrule() if understood else None,
        rdates=rdates,
        explanation=explain(schedule),
        context=ctx,
        _schedule=schedule,
    )
