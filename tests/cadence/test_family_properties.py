"""Properties of the issue-11 families over generated phrases (hypothesis).

Every property first asserts that the phrase was read and produced occurrences, so that a
phrase the engine stopped reading fails instead of passing on an empty list.
"""

from __future__ import annotations

import calendar
import datetime as dt

from dateutil.rrule import rrulestr
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tracker.cadence import CadenceSettings, Kind, Occurrence, PlanContext, parse_cadence
from tracker.cadence.lunar import lunar_to_solar
from tracker.cadence.vn_calendar import is_working_day

PLAN = PlanContext(issued_on=dt.date(2026, 1, 1), years=(2026, 2027, 2028, 2029, 2030))
UNSHIFTED = PlanContext(issued_on=dt.date(2026, 1, 1),
                        settings=CadenceSettings(shift_to_working_day=False))  # fmt: skip
WINDOW = (dt.date(2027, 1, 1), dt.date(2029, 12, 31))
WEEKDAYS = {1: "thứ Hai", 2: "thứ Ba", 3: "thứ Tư", 4: "thứ Năm", 5: "thứ Sáu", 6: "thứ Bảy",
            7: "Chủ nhật"}  # fmt: skip
ROMAN = ("I", "II", "III", "IV")
MONTH_WORDS = {3: "Ba", 6: "Sáu", 9: "Chín"}

months = st.integers(min_value=1, max_value=12)
days28 = st.integers(min_value=1, max_value=28)
years = st.integers(min_value=2027, max_value=2029)


def read(phrase: str, ctx: PlanContext = PLAN) -> list[Occurrence]:
    cadence = parse_cadence(phrase, ctx)
    assert cadence.understood, (phrase, cadence.explanation)
    found = cadence.occurrences(*WINDOW)
    assert found, phrase
    dues = [o.due_on for o in found]
    assert len(set(dues)) == len(dues), phrase  # one occurrence per due date
    assert all(o.due_on is not None and o.opens_on <= o.due_on for o in found)
    return found


def due(o: Occurrence) -> dt.date:
    assert o.due_on is not None
    return o.due_on


def working_days_between(first: dt.date, last: dt.date) -> list[dt.date]:
    """Working days d with first <= d <= last."""
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)
            if is_working_day(first + dt.timedelta(days=n))]  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(days28, months)
def test_before_is_the_last_working_day_before_the_day(day: int, month: int) -> None:
    for o in read(f"Trước ngày {day:02d}/{month:02d} hằng năm"):
        named = dt.date(int(o.key[:4]), month, day)
        assert due(o) < named and is_working_day(due(o))
        assert working_days_between(due(o) + dt.timedelta(days=1),
                                    named - dt.timedelta(days=1)) == []  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(days28, months)
def test_other_deadlines_are_the_first_working_day_from_the_day(day: int, month: int) -> None:
    for o in read(f"Chậm nhất ngày {day} tháng {month} hằng năm"):
        named = dt.date(int(o.key[:4]), month, day)
        assert due(o) >= named and is_working_day(due(o))
        assert working_days_between(named, due(o) - dt.timedelta(days=1)) == []


@settings(max_examples=100, deadline=None)
@given(days28, months, days28, months)
def test_written_out_ranges_read_like_figures(d1: int, m1: int, d2: int, m2: int) -> None:
    words = read(f"từ ngày {d1:02d} tháng {m1} đến hết ngày {d2} tháng {m2} hằng năm")
    figures = read(f"từ ngày {d1:02d}/{m1} đến hết ngày {d2}/{m2} hằng năm")
    assert [(o.key, o.opens_on, o.due_on) for o in words] == [
        (o.key, o.opens_on, o.due_on) for o in figures
    ]
    for o in words:
        assert (due(o) - o.opens_on).days <= 366 + 10


@settings(max_examples=100, deadline=None)
@given(days28, st.sampled_from(["của tháng liền kề", "tháng tiếp theo", "của tháng kế tiếp",
                                "của tháng sau tháng báo cáo"]))  # fmt: skip
def test_a_day_of_the_next_month_is_keyed_by_the_month_reported(day: int, words: str) -> None:
    for o in read(f"Chậm nhất ngày {day} {words}", UNSHIFTED):
        year, month = int(o.key[:4]), int(o.key[5:7])
        following = (year * 12 + month) % 12 + 1
        assert (due(o).month, due(o).day) == (following, day)


@settings(max_examples=100, deadline=None)
@given(days28, months, months)
def test_month_restrictions_keep_only_their_months(day: int, first: int, last: int) -> None:
    assume(first <= last)
    found = read(f"ngày {day} hằng tháng (từ tháng {first} đến tháng {last})", UNSHIFTED)
    assert {due(o).month for o in found} == set(range(first, last + 1))
    assert len(found) == 3 * (last - first + 1)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from([(1, "đầu tiên"), (2, "thứ hai"), (3, "thứ ba"), (4, "thứ tư"),
                        (-1, "cuối cùng")]), st.integers(min_value=1, max_value=7))  # fmt: skip
def test_a_weekday_of_a_week_of_the_month(week: tuple[int, str], iso: int) -> None:
    index, name = week
    phrase = f"{WEEKDAYS[iso]} của tuần {name} trong tháng"
    found = read(phrase, UNSHIFTED)
    assert len(found) == 36
    for o in found:
        length = calendar.monthrange(due(o).year, due(o).month)[1]
        first = 7 * (index - 1) + 1 if index > 0 else length - 6
        assert due(o).isoweekday() == iso and first <= due(o).day <= first + 6
    rule = parse_cadence(phrase, UNSHIFTED).rrule
    assert rule is not None
    expected = rrulestr(rule, dtstart=dt.datetime(2027, 1, 1)).between(
        dt.datetime(2027, 1, 1), dt.datetime(2029, 12, 31), inc=True)  # fmt: skip
    assert [due(o) for o in found] == [d.date() for d in expected]


@settings(max_examples=100, deadline=None)
@given(days28, st.sampled_from([(1, "đầu"), (2, "giữa"), (3, "cuối"), (2, "thứ hai")]),
       st.booleans())  # fmt: skip
def test_a_day_of_a_month_of_the_quarter(day: int, which: tuple[int, str], after: bool) -> None:
    index, name = which
    found = read(f"ngày {day} của tháng {name} quý{' sau' if after else ''}", UNSHIFTED)
    for o in found:
        quarter = int(o.key[6])
        month = (quarter - 1 + (1 if after else 0)) % 4 * 3 + index
        assert (due(o).month, due(o).day) == (month, day)


@settings(max_examples=100, deadline=None)
@given(days28, months, days28, months)
def test_several_deadlines_are_the_union_of_each(d1: int, m1: int, d2: int, m2: int) -> None:
    assume((d1, m1) != (d2, m2))
    both = read(f"đợt 1 trước ngày {d1} tháng {m1}; đợt 2 chậm nhất ngày {d2} tháng {m2}")
    one = read(f"trước ngày {d1} tháng {m1}")
    two = read(f"chậm nhất ngày {d2} tháng {m2}")
    assert sorted(due(o) for o in both) == sorted({due(o) for o in one + two})


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=15, max_value=29), st.integers(min_value=1, max_value=15))
def test_lunar_ranges_over_tet(first: int, last: int) -> None:
    for o in read(f"từ {first} tháng Chạp đến mùng {last} tháng Giêng"):
        year = int(o.key[:4])
        assert due(o) == lunar_to_solar(last, 1, year)
        assert o.opens_on == lunar_to_solar(first, 12, year - 1)
        assert 1 <= (due(o) - o.opens_on).days <= 45


@settings(max_examples=100, deadline=None)
@given(st.dates(min_value=dt.date(2027, 1, 1), max_value=dt.date(2029, 12, 30)))
def test_a_list_of_two_days_never_duplicates_a_due_date(first: dt.date) -> None:
    second = first + dt.timedelta(days=1)
    assume(first.month == second.month)
    found = read(f"ngày {first.day}, {second.day}/{first.month}/{first.year}")
    assert 1 <= len(found) <= 2
    assert all(due(o) >= first for o in found)
    ranged = read(f"ngày {first.day}-{second.day}/{first.month}/{first.year}")
    assert [o.opens_on for o in ranged] == [first]


@settings(max_examples=150, deadline=None)
@given(st.dates(min_value=dt.date(2027, 1, 1), max_value=dt.date(2029, 12, 31)),
       st.integers(min_value=1, max_value=7), st.booleans())  # fmt: skip
def test_a_weekday_beside_a_date_must_agree(day: dt.date, iso: int, after: bool) -> None:
    date = f"{day.day}/{day.month}/{day.year}"
    phrase = f"{date} ({WEEKDAYS[iso]})" if after else f"{WEEKDAYS[iso]}, ngày {date}"
    cadence = parse_cadence(phrase, PLAN)
    if day.isoweekday() != iso:
        assert cadence.kind is Kind.UNKNOWN and cadence.occurrences(*WINDOW) == []
    else:
        assert [due(o) for o in read(phrase)] == [day]  # the day of an event: never moved


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=1, max_value=4), months, st.sampled_from([3, 6, 9]), years)
def test_format_variants_read_alike(quarter: int, month: int, count: int, year: int) -> None:
    def same(a: str, b: str) -> None:
        assert [(o.key, o.due_on) for o in read(a)] == [(o.key, o.due_on) for o in read(b)]

    same(f"quý {ROMAN[quarter - 1]}-{year}", f"Quý {ROMAN[quarter - 1]}/{year}")
    same(f"tháng {month}.{year}", f"tháng {month}/{year}")
    same(f"{MONTH_WORDS[count]} tháng đầu năm {year}", f"{count} tháng đầu năm {year}")


@settings(max_examples=60, deadline=None)
@given(st.sampled_from([("Thượng", 1, 10), ("Trung", 11, 20), ("Hạ", 21, 31)]), months)
def test_dekads(dekad: tuple[str, int, int], month: int) -> None:
    name, first, last = dekad
    for o in read(f"{name} tuần tháng {month}", UNSHIFTED):
        length = calendar.monthrange(due(o).year, month)[1]
        assert (o.opens_on.day, due(o).day) == (first, min(last, length))


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=1, max_value=90), st.sampled_from(["năm", "quý", "tháng"]))
def test_days_after_a_period_ends(count: int, period: str) -> None:
    for o in read(f"chậm nhất {count} ngày kể từ ngày kết thúc {period}", UNSHIFTED):
        year = int(o.key[:4])
        if period == "năm":
            end = dt.date(year, 12, 31)
        else:
            last_month = int(o.key[6]) * 3 if period == "quý" else int(o.key[5:7])
            end = dt.date(year, last_month, calendar.monthrange(year, last_month)[1])
        assert due(o) == end + dt.timedelta(days=count)


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=1, max_value=60),
       st.sampled_from(["có hướng dẫn", "nhận được văn bản", "ký", "có kết quả"]))  # fmt: skip
def test_relatives_to_unknown_events_stay_unknown(count: int, event: str) -> None:
    for phrase in (f"{count} ngày sau khi {event}", f"chậm nhất {count} ngày kể từ ngày {event}"):
        cadence = parse_cadence(phrase, PLAN)
        assert cadence.kind is Kind.UNKNOWN and cadence.occurrences(*WINDOW) == []


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=0, max_value=22), st.integers(min_value=0, max_value=59),
       st.integers(min_value=1, max_value=60),
       st.dates(min_value=dt.date(2027, 1, 1), max_value=dt.date(2029, 12, 31)))  # fmt: skip
def test_times_of_day_ride_on_the_date(hour: int, minute: int, length: int, day: dt.date) -> None:
    start = dt.datetime(2000, 1, 1, hour, minute)
    end = min(start + dt.timedelta(minutes=length), dt.datetime(2000, 1, 1, 23, 59))
    assume(end > start)
    phrase = (f"từ {hour} giờ {minute:02d} đến {end.hour} giờ {end.minute:02d} ngày "
              f"{day.day}/{day.month}/{day.year}")  # fmt: skip
    [o] = read(phrase)
    assert (o.due_on, o.starts_at, o.ends_at) == (day, start.time(), end.time())
    assert f"{start:%H:%M}" in o.explanation
