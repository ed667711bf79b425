"""Deadline engine: Vietnamese time phrases → rules → due dates. Pure: no Flask, no database.

    from tracker.cadence import parse_cadence, PlanContext
    cad = parse_cadence("Trước ngày 15/02 hằng năm", PlanContext(issued_on=date(2026, 4, 17)))
    cad.kind, cad.rrule, cad.explanation, cad.occurrences(date(2026, 1, 1), date(2030, 12, 31))

Pipeline: :mod:`~tracker.cadence.tokens` normalises the spelling (NFC/NFD, hằng/hàng,
hoá/hóa, case, spaces) and tokenises; :mod:`~tracker.cadence.grammar` reads the clauses
into a :class:`~tracker.cadence.spec.Spec` (periods in :mod:`~tracker.cadence.periods`,
weekdays and days in :mod:`~tracker.cadence.day_clauses`); :mod:`~tracker.cadence.schedule`
turns it into a kind and nominal dates (calendar arithmetic and period names in
:mod:`~tracker.cadence.days`, RRULEs in :mod:`~tracker.cadence.rrules`, several deadlines in one
phrase in :mod:`~tracker.cadence.combined`); :mod:`~tracker.cadence.engine` applies the
working-day shift (back for "trước", forward otherwise) and the issue-date cut-off. The idioms
of real offices (report periods, weeks of a month, dekads, the Tết season, times of day, N days
after a period ends) are read by :mod:`~tracker.cadence.idioms`. Holidays and lunar dates:
:mod:`~tracker.cadence.vn_calendar` and :mod:`~tracker.cadence.lunar` (Vietnam's calendar,
never China's). Explanations (:mod:`~tracker.cadence.explain`) are translatable messages
(:mod:`~tracker.cadence.wording`), rendered in the reader's language by tracker.i18n;
occurrence keys are read back into their parts by :mod:`~tracker.cadence.keys`.

The rules (what "Trước ngày D" means, the working-day shift, phrases without a year,
nothing due before issue, unknown phrases, ongoing check-ins) are stated in those modules'
docstrings and in docs/deadline-rules.md.
"""

from tracker.cadence.engine import Cadence, parse_cadence
from tracker.cadence.model import CadenceSettings, Kind, Occurrence, PlanContext

__all__ = ["Cadence", "CadenceSettings", "Kind", "Occurrence", "PlanContext", "parse_cadence"]
