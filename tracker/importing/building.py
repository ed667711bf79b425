"""Turning the cells of one task into a :class:`TaskDraft`: units, cadence, doubts."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from functools import lru_cache

from tracker.cadence import Cadence, Kind, PlanContext, parse_cadence
from tracker.importing import messages
from tracker.importing.communes import CommuneKind
from tracker.importing.model import ImportWarning, TaskDraft
from tracker.importing.text import repair
from tracker.importing.units import resolve_units

# Plans say the same few phrases again and again ("Hằng năm", "Thường xuyên", "Quý I/2027"),
# in every row and every plan of a year: a phrase is read once per plan context. Cadences and
# contexts are frozen, so a shared reading cannot be changed by its users.
_read_cadence = lru_cache(maxsize=4096)(parse_cadence)


def parse_points(text: str) -> float | None:
    """ "3" → 3.0, "0,5" → 0.5, "" → None."""
    cleaned = text.strip().replace(",", ".")
    if not cleaned:
        return None
    match = re.fullmatch(r"\d+(?:\.\d+)?", cleaned)
    return float(cleaned) if match else None


class TaskFactory:
    """Builds tasks for one plan and records every doubt about them."""

    def __init__(
        self, context: PlanContext, kind: CommuneKind | None, warnings: list[ImportWarning]
    ) -> None:
        self.context = context
        self.kind = kind
        self.warnings = warnings

    def units(self, cell: str, line: int) -> list[str]:
        """The cell's units; its line breaks are kept for :func:`resolve_units` to weigh."""
        resolution = resolve_units(cell, self.kind)
        for name in resolution.unknown:
            self.warnings.append(ImportWarning.of(line, messages.UNKNOWN_UNIT, name=name))
        return resolution.ordered

    def make(
        self,
        *,
        ref: str,
        title: str,
        group: str | None,
        time_text: str,
        lead: str,
        coordinating: str,
        points: float | None,
        evidence: str | None,
        line: int,
        notes: str | None = None,
    ) -> TaskDraft:
        time_text = repair(time_text)
        if not time_text:
            self.warnings.append(ImportWarning.of(line, messages.NO_TIME_PHRASE, ref=ref))
        cadence = _read_cadence(time_text, self.context)
        if time_text and not cadence.understood:
            self.warnings.append(
                ImportWarning.of(line, messages.UNKNOWN_TIME_PHRASE, text=time_text)
            )
        self._check_early_deadline(ref, cadence_dates(cadence, self.context), line)
        lead_units = self.units(lead, line)
        if not lead_units:
            self.warnings.append(ImportWarning.of(line, messages.NO_LEAD_UNIT, ref=ref))
        return TaskDraft(
            ref=ref,
            title=repair(title),
            group=group,
            time_text=time_text,
            cadence=cadence,
            lead_units=lead_units,
            coordinating_units=[u for u in self.units(coordinating, line) if u not in lead_units],
            points=points,
            evidence=repair(evidence) if evidence else None,
            line=line,
            notes=repair(notes) if notes else None,
        )

    def _check_early_deadline(self, ref: str, early: list[dt.date], line: int) -> None:
        issued = self.context.issued_on
        if issued is None or not early:
            return
        self.warnings.append(
            ImportWarning.of(
                line,
                messages.DEADLINE_BEFORE_ISSUE,
                ref=ref,
                dates=", ".join(_short_date(d) for d in early),
                issued=_short_date(issued),
            )
        )


def _short_date(day: dt.date) -> str:
    """05/02/2026: how the documents and the pages write a date."""
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def cadence_dates(cadence: Cadence, context: PlanContext) -> list[dt.date]:
    """Deadlines in the plan's first year that come before the plan was issued.

    The engine leaves those out of a plan's occurrences (a deadline that passed before
    the plan existed is not overdue); we read the phrase again without the issue date to
    tell the user which ones were left out.
    """
    issued = context.issued_on
    # Ongoing work owes check-ins, not deadlines: a missed check-in before issue is noise.
    if issued is None or not cadence.understood or cadence.kind is Kind.ONGOING:
        return []
    start = dt.date(context.first_year, 1, 1)
    end = issued - dt.timedelta(days=1)
    if end < start:
        return []
    unbounded = replace(context, issued_on=None, issued_month=None)
    occurrences = _read_cadence(cadence.text, unbounded).occurrences(start, end)
    return sorted({o.due_on for o in occurrences if o.due_on is not None})
