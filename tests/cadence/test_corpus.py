"""Every corpus phrase parses to its expected kind and exact due dates."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.cadence.corpus import CORPUS, Case
from tracker.cadence import Kind, PlanContext, parse_cadence

CONTEXT = PlanContext(issued_on=dt.date(2026, 4, 17), years=(2026, 2027, 2028, 2029, 2030))


def test_corpus_is_large_enough() -> None:
    assert len({case.phrase for case in CORPUS}) >= 80


@pytest.mark.parametrize("case", CORPUS, ids=[c.phrase or "<empty>" for c in CORPUS])
def test_corpus_phrase(case: Case) -> None:
    cadence = parse_cadence(case.phrase, CONTEXT)
    start, end = case.window
    due = tuple(o.due_on.isoformat() for o in cadence.occurrences(start, end) if o.due_on)
    assert (cadence.kind.value, due) == (case.kind, case.due)
    assert cadence.understood is (cadence.kind is not Kind.UNKNOWN)
    assert cadence.explanation
