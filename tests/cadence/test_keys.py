"""Occurrence keys read back into their parts by the engine that writes them."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.cadence.test_wording import FAMILIES
from tracker.cadence import PlanContext, parse_cadence
from tracker.cadence.keys import KeyKind, OccurrenceKey, parse_key


@pytest.mark.parametrize(
    ("key", "parts"),
    [
        ("2026", OccurrenceKey(KeyKind.YEAR, 2026)),
        ("2026-Q2", OccurrenceKey(KeyKind.QUARTER, 2026, quarter=2)),
        ("2026-Q2-15", OccurrenceKey(KeyKind.QUARTER, 2026, quarter=2, day=15)),
        ("2026-H1", OccurrenceKey(KeyKind.HALF, 2026, half=1)),
        ("2026-03", OccurrenceKey(KeyKind.MONTHS, 2026, month=3)),
        ("2026-03..05", OccurrenceKey(KeyKind.MONTHS, 2026, month=3, last_month=5)),
        ("2026-06-14", OccurrenceKey(KeyKind.DAY, 2026, month=6, day=14)),
        ("2026-W05", OccurrenceKey(KeyKind.WEEK, 2026, week=5)),
        ("2026-W05-3", OccurrenceKey(KeyKind.WEEK, 2026, week=5, weekday=3)),
        ("2026-al-01", OccurrenceKey(KeyKind.LUNAR, 2026, month=1)),
        ("2026-al-01..03", OccurrenceKey(KeyKind.LUNAR, 2026, month=1, last_month=3)),
        ("2026-al-01-15", OccurrenceKey(KeyKind.LUNAR, 2026, month=1, day=15)),
        ("2026-tet-nguyen-dan", OccurrenceKey(KeyKind.HOLIDAY, 2026, holiday="tet-nguyen-dan")),
    ],
)
def test_each_form_of_key(key: str, parts: OccurrenceKey) -> None:
    assert parse_key(key) == parts


@pytest.mark.parametrize("key", ["", None, "ongoing", "2026-13", "2026-Q5", "2026-no-such-day"])
def test_text_that_is_no_key(key: str | None) -> None:
    assert parse_key(key) is None


def test_every_key_the_engine_makes_reads_back() -> None:
    ctx = PlanContext(issued_on=dt.date(2026, 4, 17))
    keys = {
        o.key
        for phrase in FAMILIES
        for o in parse_cadence(phrase, ctx).occurrences(dt.date(2026, 1, 1), dt.date(2027, 12, 31))
    }
    # one of several deadlines of a phrase ("đợt 1 …; đợt 2 …") is its part's key and "-dN"
    single = {k for k in keys if not re.search(r"-d\d+$", k)}
    assert len(single) > 50
    for key in single:
        parts = parse_key(key)
        assert parts is not None, key
        assert str(parts.year) == key[:4]
