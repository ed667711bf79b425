"""The deadline engine's entry point: :func:`parse_cadence` and :class:`Cadence`.

``parse_cadence(text, ctx)`` never raises on text: a phrase it cannot read completely and
safely is a cadence of kind ``unknown`` with ``understood`` False and no dates.
:meth:`Cadence.occurrences` applies the last two rules to the schedule's nominal dates:

* the working-day shift (Civil Code 2015 art. 148(5)): a deadline on a weekend or a public
  holiday moves to the next working day, unless it is the day of an event (a holiday, a
  weekday named, a lunar date, a day after "nhân dịp", a day with a time of day); setting
  ``shift_to_working_day``. A "trước" deadline moves *back* to the previous working day
  instead: "Trước ngày 15/11" with 14/11 a Saturday is due Friday 13/11, never on or after
  the day the document names;
* nothing is due before the plan was issued: a deadline that passed before the plan existed
  is not an overdue task, so it is not an occurrence at all;
* one due date, one occurrence: two days that shift onto the same working day ("ngày 8, 9/11/2026",
  8/11 a Sunday) are one occurrence, whose explanation names both.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from functools import partial

from tracker.cadence.combined import combine
from tracker.cadence.explain import explain, explain_merged, explain_occurrence
from tracker.cadence.grammar import parse_segments, parse_tokens
from tracker.cadence.model import Kind, Occurrence, PlanContext
from tracker.cadence.schedule import Schedule, Slot
from tracker.cadence.tokens import normalize, tokenize
from tracker.cadence.vn_calendar import next_working_day, previous_working_day
from tracker.cadence.wording import Piece, Text

_MAX_SHIFT = dt.timedelta(days=21)


@dataclass(frozen=True)
class Cadence:
    """A phrase read against a plan: its kind, rule, explanation and occurrences.

    ``explained`` is the explanation as a translatable message (rendered in the reader's
    language by tracker.i18n); ``explanation`` is its Vietnamese text."""

    text: str
    kind: Kind
    understood: bool
    rrule: str | None
    rdates: tuple[dt.date, ...]
    explained: Text
    context: PlanContext
    _schedule: Schedule = field(repr=False, compare=False)

    @property
    def explanation(self) -> str:
        return self.explained.render()

    def occurrences(self, start: dt.date, end: dt.date) -> list[Occurrence]:
        """Occurrences due inside [start, end], none before the issue date, sorted by date."""
        if not self.understood or end < start:
            return []
        issued_on = self.context.effective_issued_on
        shift = self.context.settings.shift_to_working_day
        found: dict[str, tuple[Slot, Occurrence]] = {}
        # a year each side: a lunar date of the year before ("23 tháng Chạp") and the eve
        # of the next year's holiday ("Trước Tết Dương lịch", 31/12) fall in this one
        # a shift moves a date by days (the longest Tết break and its weekends: under two
        # weeks), so a slot further than that outside the window cannot land in it
        near_start, near_end = start - _MAX_SHIFT, end + _MAX_SHIFT
        for slot in self._schedule.slots(start.year - 1, end.year + 1):
            due = slot.due_on
            if not near_start <= due <= near_end:
                continue
            if shift and not slot.is_event:
                due = previous_working_day(due) if slot.before else next_working_day(due)
            if not (start <= due <= end) or due < issued_on or slot.key in found:
                continue
            opens = min(max(slot.opens_on, issued_on), due)
            why = partial(explain_occurrence, slot, due)
            starts_at, ends_at = slot.times if slot.times is not None else (None, None)
            occurrence = Occurrence(slot.key, opens, due, why, starts_at, ends_at)
            found[slot.key] = (slot, occurrence)
        return _one_per_due_date(sorted(found.values(), key=lambda f: (f[1].due_on, f[1].key)))


def _one_per_due_date(found: list[tuple[Slot, Occurrence]]) -> list[Occurrence]:
    """Merge occurrences that a shift put on the same day: the one not moved (else the first)
    stays, opening with the earliest of them, its explanation naming the others."""
    if len({o.due_on for _, o in found}) == len(found):
        return [o for _, o in found]
    merged: list[Occurrence] = []
    i = 0
    while i < len(found):
        group = [found[i]]
        while i + len(group) < len(found) and found[i + len(group)][1].due_on == found[i][1].due_on:
            group.append(found[i + len(group)])
        i += len(group)
        if len(group) == 1:
            merged.append(group[0][1])
            continue
        kept_slot, kept = next(((s, o) for s, o in group if s.due_on == o.due_on), group[0])
        others = [s.label for s, _ in group if s is not kept_slot]
        merged.append(replace(
            kept,
            opens_on=min(o.opens_on for _, o in group),
            why=partial(_explain_merged, kept, others),
        ))  # fmt: skip
    return merged


def _explain_merged(kept: Occurrence, others: list[Piece]) -> Text:
    return explain_merged(kept.explained, others)


def parse_cadence(text: str, ctx: PlanContext | None = None) -> Cadence:
    """Read a "Thời gian thực hiện" phrase. Never raises on text."""
    ctx = ctx if ctx is not None else PlanContext()
    tokens = tokenize(normalize(text))
    schedule = Schedule(parse_tokens(tokens), ctx)
    if schedule.kind is Kind.UNKNOWN:
        # "đợt 1 trước …; đợt 2 …": several deadlines, each read on its own
        parts = parse_segments(tokens)
        if len(parts) > 1:
            schedule = combine(parts, ctx)
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
        explained=explain(schedule),
        context=ctx,
        _schedule=schedule,
    )
