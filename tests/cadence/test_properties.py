"""Invariants of the engine over generated phrases, plans and windows (hypothesis).

A property of the form ``all(... for d in dues)`` holds on an empty list too, so each test
collects what its examples produced and asserts, after hypothesis has run them all, that the
property was checked on real deadlines (an engine returning nothing would otherwise pass).
"""

from __future__ import annotations

import datetime as dt
import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.cadence import CadenceSettings, Kind, PlanContext, parse_cadence
from tracker.cadence.vn_calendar import is_working_day

SCOPES = ["", "Từ năm 2027", "Giai đoạn 2026 - 2030", "Năm 2027 và năm 2029",
          "những năm tiếp theo", "năm sau"]  # fmt: skip
CADENCES = [
    "Hằng năm", "Trước ngày 15/02 hằng năm", "Tháng 12 hằng năm", "Quý I", "Quý III/2027",
    "Trước 1/12", "6 tháng đầu năm", "Định kỳ 6 tháng", "Hằng quý", "Ít nhất 01 lần/quý",
    "tháng cuối quý", "Hằng tháng", "ngày 15 hằng tháng", "Chậm nhất ngày 15 (mười lăm)",
    "cuối tháng", "Ít nhất 01 lần/tuần", "thứ Năm hằng tuần", "Thường xuyên", "Khi cần thiết",
    "Nhân các ngày lễ lớn, và tết nguyên đán", "Rằm tháng Giêng", "từ tháng 3 đến tháng 5",
    "Đầu quý", "Giữa năm", "Tháng 1/2026",
]  # fmt: skip
phrases = st.builds(lambda c, s: f"{c}, {s}" if s else c, st.sampled_from(CADENCES),
                    st.sampled_from(SCOPES))  # fmt: skip
dates = st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2031, 12, 31))
contexts = st.builds(
    lambda issued, draft, shift, day_before, open_ended: PlanContext(
        issued_on=None if draft else issued,
        years=(2026, 2027, 2028, 2029, 2030),
        open_ended=open_ended,
        settings=CadenceSettings(shift_to_working_day=shift, before_means_day_before=day_before),
    ),
    dates,
    st.booleans(),
    st.booleans(),
    st.booleans(),
    st.booleans(),
)


def test_occurrences_sorted_inside_window_not_before_issue() -> None:
    produced: list[dt.date] = []
    _sorted_inside_window_not_before_issue(produced)
    assert len(produced) > 100


@settings(max_examples=300, deadline=None)
@given(phrase=phrases, ctx=contexts, start=dates, length=st.integers(min_value=0, max_value=2000))
def _sorted_inside_window_not_before_issue(
    produced: list[dt.date], phrase: str, ctx: PlanContext, start: dt.date, length: int
) -> None:
    end = start + dt.timedelta(days=length)
    cadence = parse_cadence(phrase, ctx)
    occurrences = cadence.occurrences(start, end)
    dues = [o.due_on for o in occurrences if o.due_on is not None]
    assert dues == sorted(dues)
    assert all(start <= d <= end for d in dues)
    assert all(d >= ctx.effective_issued_on for d in dues)
    assert all(o.opens_on <= o.due_on for o in occurrences if o.due_on is not None)
    assert len({o.key for o in occurrences}) == len(occurrences)
    if not cadence.understood:
        assert occurrences == [] and cadence.kind is Kind.UNKNOWN
    produced.extend(dues)


def _days_in_plan(start: dt.date, length: int) -> int:
    """How many days of the window fall in the years PlanContext covers by default."""
    first = max(start, dt.date(2026, 1, 1))
    last = min(start + dt.timedelta(days=length), dt.date(2030, 12, 31))
    return max(0, (last - first).days + 1)


NON_EVENT = [c for c in CADENCES if not any(w in c for w in ("thứ", "lễ", "Rằm"))]


def test_shifted_deadlines_are_working_days() -> None:
    produced: list[dt.date] = []
    _shifted_deadlines_are_working_days(produced)
    assert len(produced) > 100


@settings(max_examples=200, deadline=None)
@given(phrase=st.sampled_from(NON_EVENT), issued=dates)
def _shifted_deadlines_are_working_days(
    produced: list[dt.date], phrase: str, issued: dt.date
) -> None:
    cadence = parse_cadence(phrase, PlanContext(issued_on=issued))
    for occurrence in cadence.occurrences(dt.date(2025, 1, 1), dt.date(2032, 12, 31)):
        assert occurrence.due_on is not None and is_working_day(occurrence.due_on)
        produced.append(occurrence.due_on)


@settings(max_examples=100, deadline=None)
@given(dates, st.integers(min_value=14, max_value=900))
def test_event_weekdays_are_exactly_a_week_apart(start: dt.date, length: int) -> None:
    cadence = parse_cadence("thứ Năm hằng tuần", PlanContext(issued_on=dt.date(2025, 1, 1)))
    dues = [o.due_on for o in cadence.occurrences(start, start + dt.timedelta(days=length))]
    assert len(dues) >= _days_in_plan(start, length) // 7  # a Thursday in every full week
    assert all(d is not None and d.isoweekday() == 4 for d in dues)
    assert all((b - a).days == 7 for a, b in itertools.pairwise(dues))  # type: ignore[operator]


@settings(max_examples=100, deadline=None)
@given(dates, st.integers(min_value=14, max_value=900))
def test_weekly_deadlines_one_per_iso_week(start: dt.date, length: int) -> None:
    unshifted = PlanContext(issued_on=dt.date(2025, 1, 1),
                            settings=CadenceSettings(shift_to_working_day=False))  # fmt: skip
    cadence = parse_cadence("Ít nhất 01 lần/tuần", unshifted)
    dues = [o.due_on for o in cadence.occurrences(start, start + dt.timedelta(days=length))]
    assert len(dues) >= _days_in_plan(start, length) // 7 - 1  # one per ISO week
    assert all(d is not None and d.isoweekday() == 5 for d in dues)
    assert all((b - a).days == 7 for a, b in itertools.pairwise(dues))  # type: ignore[operator]


@settings(max_examples=100, deadline=None)
@given(dates, st.integers(min_value=40, max_value=1500), st.integers(min_value=1, max_value=28))
def test_monthly_deadlines_one_per_month(start: dt.date, length: int, day: int) -> None:
    unshifted = PlanContext(issued_on=dt.date(2025, 1, 1),
                            settings=CadenceSettings(shift_to_working_day=False))  # fmt: skip
    cadence = parse_cadence(f"ngày {day} hằng tháng", unshifted)
    dues = [o.due_on for o in cadence.occurrences(start, start + dt.timedelta(days=length))]
    assert len(dues) >= _days_in_plan(start, length) // 31  # every full month holds its day
    assert all(d is not None and d.day == day for d in dues)
    months = [d.year * 12 + d.month for d in dues if d is not None]
    assert all(b - a == 1 for a, b in itertools.pairwise(months))
    shifted = parse_cadence(f"ngày {day} hằng tháng", PlanContext(issued_on=dt.date(2025, 1, 1)))
    for occurrence in shifted.occurrences(start, start + dt.timedelta(days=length)):
        assert occurrence.due_on is not None
        nominal = dt.date(int(occurrence.key[:4]), int(occurrence.key[5:7]), day)
        assert 0 <= (occurrence.due_on - nominal).days <= 10


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_never_raises_on_text(text: str) -> None:
    cadence = parse_cadence(text, PlanContext(issued_on=dt.date(2026, 4, 17)))
    assert cadence.text == text
    occurrences = cadence.occurrences(dt.date(2026, 1, 1), dt.date(2030, 12, 31))
    assert cadence.understood or occurrences == []


_WORDS = (
    "trước ngày tháng năm quý hằng hàng mỗi cả từ đến và , / - ( ) i ii iii iv 1 01 2 3 6 9 12 "
    "15 29 30 31 2026 2027 2030 2026-2030 15/02 31/12 29/2 1/2026 lần tuần thứ hai năm bảy chủ "
    "nhật đầu giữa cuối âm lịch rằm giêng chạp tết nguyên đán dương lễ lớn các dịp nhân chậm "
    "nhất thường xuyên khi cần thiết định kỳ những tiếp theo sau nay giai đoạn mười lăm mùng hết "
    # the words of issue 11's families
    "; : đợt đối với báo cáo liền kề kế kỳ kể kết thúc tuần lễ đầu tiên cùng thượng trung hạ "
    "giờ h phút lúc sáng chiều 19 8, 12-14/3/2026 30-4 25.11 iii-2026 10.2026 của trong 60 "
    "sáu chín nay"
)
VOCABULARY = _WORDS.split()


def test_any_mix_of_time_words_keeps_the_invariants() -> None:
    produced: list[dt.date] = []
    _any_mix_of_time_words_keeps_the_invariants(produced)
    assert len(produced) > 100


# Derandomized: how many of 500 random word mixes yield a date varies from run to run (62 to
# over 100 were seen), so a random run could fail the "> 100" check that proves the property
# was not vacuous. The same 500 mixes every run keep both checks meaningful and repeatable.
@settings(max_examples=500, deadline=None, derandomize=True)
@given(words=st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=8), issued=dates)
def _any_mix_of_time_words_keeps_the_invariants(
    produced: list[dt.date], words: list[str], issued: dt.date
) -> None:
    ctx = PlanContext(issued_on=issued)
    cadence = parse_cadence(" ".join(words), ctx)
    occurrences = cadence.occurrences(dt.date(2025, 1, 1), dt.date(2031, 12, 31))
    dues = [o.due_on for o in occurrences if o.due_on is not None]
    assert dues == sorted(dues)
    assert all(d >= issued for d in dues)
    assert cadence.understood or occurrences == []
    produced.extend(dues)
