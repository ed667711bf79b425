"""The phrase families of issue 11, one test per family, with exact dates worked out by hand.

Plan of 17/4/2026 covering 2026-2030 and the years after; the window is 2027 unless a test
says otherwise. VN public holidays of 2027: 1/1 (Fri), Tết 4-10/2, Giỗ Tổ 16/4, 30/4, 1/5
(Sat, day off in lieu Mon 3/5), 2-3/9, 24/11.
"""

from __future__ import annotations

import datetime as dt

import pytest
from dateutil.rrule import rrulestr

from tracker.cadence import CadenceSettings, Kind, Occurrence, PlanContext, parse_cadence

CTX = PlanContext(issued_on=dt.date(2026, 4, 17), years=(2026, 2027, 2028, 2029, 2030))
Y2027 = (dt.date(2027, 1, 1), dt.date(2027, 12, 31))
Q1_2027 = (dt.date(2027, 1, 1), dt.date(2027, 3, 31))
UNSHIFTED = PlanContext(issued_on=CTX.issued_on,
                        settings=CadenceSettings(shift_to_working_day=False))  # fmt: skip


def occurrences(phrase: str, window: tuple[dt.date, dt.date] = Y2027,
                ctx: PlanContext = CTX) -> list[Occurrence]:  # fmt: skip
    cadence = parse_cadence(phrase, ctx)
    assert cadence.understood, (phrase, cadence.explanation)
    return cadence.occurrences(*window)


def dues(phrase: str, window: tuple[dt.date, dt.date] = Y2027) -> list[str]:
    return [o.due_on.isoformat() for o in occurrences(phrase, window) if o.due_on]


def unknown(phrase: str) -> bool:
    cadence = parse_cadence(phrase, CTX)
    return cadence.kind is Kind.UNKNOWN and cadence.occurrences(*Y2027) == []


# -- "trước" never on or after the day ---------------------------------------------------
def test_before_moves_back_to_the_previous_working_day() -> None:
    plan_2026 = PlanContext(issued_on=dt.date(2026, 1, 5))
    [first] = parse_cadence("Trước ngày 15/11 hằng năm", plan_2026).occurrences(
        dt.date(2026, 1, 1), dt.date(2026, 12, 31))  # fmt: skip
    assert first.due_on == dt.date(2026, 11, 13)  # 14/11 Saturday → Friday 13/11
    assert 'hạn "trước" lùi về ngày làm việc liền trước' in first.explanation
    # other deadlines keep the Civil Code's move forward
    [latest] = parse_cadence("Chậm nhất ngày 14/11 hằng năm", plan_2026).occurrences(
        dt.date(2026, 1, 1), dt.date(2026, 12, 31))  # fmt: skip
    assert latest.due_on == dt.date(2026, 11, 16)
    assert "dời sang ngày làm việc tiếp theo" in latest.explanation
    # before a period: 31/7/2027 is a Saturday
    assert dues("Trước tháng 8 hằng năm") == ["2027-07-30"]
    # "due on D itself": 15/8/2027 is a Sunday, still moved back
    itself = PlanContext(issued_on=CTX.issued_on,
                         settings=CadenceSettings(before_means_day_before=False))  # fmt: skip
    [day] = parse_cadence("Trước ngày 15/8 hằng năm", itself).occurrences(*Y2027)
    assert day.due_on == dt.date(2027, 8, 13)
    [unmoved] = parse_cadence("Trước ngày 15/11 hằng năm", UNSHIFTED).occurrences(*Y2027)
    assert unmoved.due_on == dt.date(2027, 11, 14)
    assert "lùi về ngày làm việc liền trước" in parse_cadence("Trước 1/12", CTX).explanation


# -- written-out dates inside ranges ----------------------------------------------------
def test_written_out_dates_in_ranges() -> None:
    words = occurrences("Từ ngày 01 tháng 3 đến hết ngày 30 tháng 4 hằng năm")
    figures = occurrences("từ ngày 01/3 đến hết ngày 30/4 hằng năm")
    assert [(o.key, o.opens_on, o.due_on) for o in words] == [
        (o.key, o.opens_on, o.due_on) for o in figures
    ]
    # 30/4 and 1/5 holidays, 2/5 a Sunday, 3/5 the day off in lieu
    assert [(o.opens_on, o.due_on) for o in words] == [(dt.date(2027, 3, 1), dt.date(2027, 5, 4))]
    assert dues("từ ngày 01 tháng 12 năm 2027 đến ngày 15 tháng 12 năm 2027") == ["2027-12-15"]


# -- report-period words --------------------------------------------------------------------
def test_report_period_words() -> None:
    cadence = parse_cadence("Chậm nhất ngày 10 (mười) của tháng báo cáo", CTX)
    assert (cadence.kind, cadence.rrule) == (Kind.MONTHLY, "FREQ=MONTHLY;BYMONTHDAY=10")
    # the month reported on keeps the key; the deadline is in the month after
    following = occurrences("Trước ngày 20 của tháng liền kề", Q1_2027)
    assert [(o.key, o.due_on.isoformat()) for o in following if o.due_on] == [
        ("2026-12", "2027-01-19"), ("2027-01", "2027-02-19"), ("2027-02", "2027-03-19")
    ]  # fmt: skip
    # 5/2/2027 is in the Tết break → 11/2
    assert dues("Ngày 05 của tháng tiếp theo", Q1_2027) == ["2027-01-05", "2027-02-11",
                                                            "2027-03-05"]  # fmt: skip
    # 30/1/2027 (the day before 31/1) is a Saturday → Friday 29/1, for the year 2026
    [next_year] = occurrences("Trước ngày 31/01 của năm kế tiếp", Y2027)
    assert (next_year.key, next_year.due_on) == ("2026", dt.date(2027, 1, 29))
    [quarter] = occurrences("Trong quý I của năm kế tiếp năm báo cáo")
    assert (quarter.key, quarter.opens_on, quarter.due_on) == (
        "2026-Q1", dt.date(2027, 1, 1), dt.date(2027, 3, 31))  # fmt: skip
    assert dues("Báo cáo tháng: chậm nhất ngày 15 của kỳ báo cáo", Q1_2027) == [
        "2027-01-15", "2027-02-15", "2027-03-15"]  # fmt: skip
    assert unknown("Chậm nhất ngày 15 của kỳ báo cáo")  # the period of which report?
    # a bare "năm sau" stays the year after the plan's issue, once; "tháng sau" alone is
    # ambiguous (the month after the issue, or after each month reported on?): unknown
    assert parse_cadence("Trước ngày 31/01 năm sau", CTX).kind is Kind.ONCE
    # …but after "hằng năm" it is the year after each year reported on: yearly work that
    # straddles years belongs to the year it reports on (issue 10)
    straddling = occurrences("Hằng năm, trước ngày 31/01 năm sau", Y2027)
    assert [(o.key, o.due_on) for o in straddling] == [("2026", dt.date(2027, 1, 29))]
    assert parse_cadence("Hằng năm, trước ngày 31/01 năm sau", CTX).kind is Kind.YEARLY
    assert unknown("Trước ngày 15 tháng sau")
    assert dues("Ngày 5 của tháng sau tháng báo cáo", Q1_2027)[0] == "2027-01-05"


# -- day ranges in a month and month restrictions --------------------------------------
def test_day_ranges_in_a_month_and_month_restrictions() -> None:
    [january] = occurrences("Từ ngày 3 đến ngày 7 hằng tháng", (dt.date(2027, 1, 1),
                                                               dt.date(2027, 1, 31)))  # fmt: skip
    assert (january.opens_on, january.due_on) == (dt.date(2027, 1, 3), dt.date(2027, 1, 7))
    cadence = parse_cadence("Ngày 20 hằng tháng (từ tháng 5 đến tháng 9)", CTX)
    assert cadence.rrule == "FREQ=MONTHLY;BYMONTH=5,6,7,8,9;BYMONTHDAY=20"
    assert "chỉ từ tháng 5 đến tháng 9" in cadence.explanation
    # 20/6/2027 is a Sunday
    assert dues("Ngày 20 hằng tháng (từ tháng 5 đến tháng 9)") == [
        "2027-05-20", "2027-06-21", "2027-07-20", "2027-08-20", "2027-09-20"]  # fmt: skip
    assert unknown("Hằng tháng; tháng 12")  # not a restriction: what is due in December?


# -- weeks of a month -------------------------------------------------------------------------
def test_weeks_of_a_month() -> None:
    cadence = parse_cadence("Tuần thứ hai hằng tháng", CTX)
    assert cadence.rrule == "FREQ=MONTHLY;BYMONTHDAY=14"
    assert "tuần tính từ ngày 1 của tháng, mỗi tuần 7 ngày" in cadence.explanation
    # days 8-14; 14/2 and 14/3/2027 are Sundays
    assert dues("Tuần thứ hai hằng tháng", Q1_2027) == ["2027-01-14", "2027-02-15",
                                                        "2027-03-15"]  # fmt: skip
    first_tuesday = parse_cadence("Thứ Ba của tuần đầu tiên trong tháng", CTX)
    assert first_tuesday.rrule == "FREQ=MONTHLY;BYDAY=1TU"
    assert dues("Thứ Ba của tuần đầu tiên trong tháng", Q1_2027) == [
        "2027-01-05", "2027-02-02", "2027-03-02"]  # fmt: skip
    assert dues("thứ Năm tuần thứ ba hằng tháng", Q1_2027) == [
        "2027-01-21", "2027-02-18", "2027-03-18"]  # fmt: skip
    # the last seven days of March 2027 are 25-31
    [march] = [o for o in occurrences("Tuần lễ cuối tháng") if o.key == "2027-03"]
    assert (march.opens_on, march.due_on) == (dt.date(2027, 3, 25), dt.date(2027, 3, 31))
    assert dues("Thứ Hai tuần đầu tiên của tháng 3 hằng năm") == ["2027-03-01"]
    assert unknown("Tuần thứ năm hằng tháng")  # February has none
    assert unknown("Tuần đầu tiên hằng quý")


# -- a day inside a quarter -------------------------------------------------------------------
def test_a_day_inside_a_quarter() -> None:
    # months 2, 5, 8, 11; 28/2/2027 is a Sunday
    assert dues("Tháng thứ hai của mỗi quý") == ["2027-03-01", "2027-05-31", "2027-08-31",
                                                  "2027-11-30"]  # fmt: skip
    next_quarter = occurrences("Ngày 10 của tháng đầu quý sau")
    # 10/1 and 10/10/2027 are Sundays, 10/4 and 10/7 Saturdays
    assert [(o.key, o.due_on.isoformat()) for o in next_quarter if o.due_on] == [
        ("2026-Q4", "2027-01-11"), ("2027-Q1", "2027-04-12"), ("2027-Q2", "2027-07-12"),
        ("2027-Q3", "2027-10-11"),
    ]  # fmt: skip
    assert dues("Chậm nhất ngày 15 tháng thứ ba của quý") == [
        "2027-03-15", "2027-06-15", "2027-09-15", "2027-12-15"]  # fmt: skip


# -- several deadlines in one phrase -------------------------------------------------------
def test_several_deadlines_in_one_phrase() -> None:
    cadence = parse_cadence(
        "Đợt 1 trước ngày 31 tháng 5; đợt 2 trước ngày 31 tháng 10 hằng năm", CTX
    )
    assert cadence.kind is Kind.YEARLY
    assert cadence.explanation.startswith("Đợt 1: ")
    found = cadence.occurrences(*Y2027)
    # 30/5/2027 is a Sunday, 30/10 a Saturday: "trước" moves them back
    assert [(o.key, o.due_on) for o in found] == [
        ("2027-d1", dt.date(2027, 5, 28)), ("2027-d2", dt.date(2027, 10, 29))]  # fmt: skip
    assert "đợt 1" in found[0].explanation
    assert dues("chậm nhất 15/6 đối với báo cáo 6 tháng, chậm nhất 15/12 đối với báo cáo "
                "năm") == ["2027-06-15", "2027-12-15"]  # fmt: skip
    assert dues("Đối với cấp xã: trước 15/12; đối với cấp huyện: trước 25/12") == [
        "2027-12-14", "2027-12-24"]  # fmt: skip
    assert dues("lần 1 vào tháng 6, lần 2 vào tháng 12") == ["2027-06-30", "2027-12-31"]
    assert unknown("đợt 1 tháng 3/2027; đợt 2 hằng năm")  # one once, one yearly
    assert unknown("đợt 1 trước 30/4; đợt 2 khi có hướng dẫn")


# -- lunar ranges and the Tết season ---------------------------------------------------------
def test_lunar_ranges_and_the_tet_season() -> None:
    # Tết 2027 is 6/2: mùng 10 tháng Giêng is 15/2; 20 tháng Chạp (of the year before) 27/1
    [range_] = occurrences("Từ 20 tháng Chạp đến mùng 10 tháng Giêng")
    assert (range_.opens_on, range_.due_on) == (dt.date(2027, 1, 27), dt.date(2027, 2, 15))
    [few] = occurrences("12 - 14 tháng Giêng âm lịch")
    assert (few.opens_on, few.due_on) == (dt.date(2027, 2, 17), dt.date(2027, 2, 19))
    season = parse_cadence("Trước, trong và sau Tết Nguyên đán", CTX)
    assert "từ 23 tháng Chạp đến Rằm tháng Giêng" in season.explanation
    [tet] = season.occurrences(*Y2027)
    # Rằm tháng Giêng 2027 is Saturday 20/2: the day of an event, never moved
    assert (tet.opens_on, tet.due_on) == (dt.date(2027, 1, 30), dt.date(2027, 2, 20))
    assert parse_cadence("trước, trong và sau Tết Nguyên đán 2027", CTX).kind is Kind.ONCE
    [named_year] = parse_cadence("Trước, trong và sau Tết Nguyên đán Đinh Mùi", CTX).occurrences(
        dt.date(2026, 1, 1), dt.date(2030, 12, 31))  # fmt: skip
    assert named_year.due_on == dt.date(2027, 2, 20)  # Đinh Mùi is 2027
    assert unknown("Trước, trong và sau Tết Nguyên đán Bính Ngọ 2027")  # Bính Ngọ is 2026
    assert unknown("Trước, trong và sau Quốc khánh")


# -- lists and short ranges of days -----------------------------------------------------------
def test_lists_and_short_ranges_of_days() -> None:
    [festival] = occurrences("ngày 14-16/5/2027")
    assert (festival.opens_on, festival.due_on) == (dt.date(2027, 5, 14), dt.date(2027, 5, 17))
    assert dues("Các ngày 1, 2-9") == ["2027-09-01", "2027-09-06"]  # 2-3/9 holidays, weekend
    assert dues("Từ ngày 10 - 20.8") == ["2027-08-20"]
    assert dues("ngày 8, 9 và 10/12/2027") == ["2027-12-08", "2027-12-09", "2027-12-10"]
    assert unknown("ngày 14-12/5/2027")  # a range backwards
    assert unknown("ngày 12 - 14")  # of which month?
    assert unknown("ngày 5-10 hằng tháng")  # written like 5 October: not a guess
    [monthly] = occurrences("ngày 12 - 14 hằng tháng", (dt.date(2027, 1, 1), dt.date(2027, 1, 31)))
    assert (monthly.opens_on, monthly.due_on) == (dt.date(2027, 1, 12), dt.date(2027, 1, 14))


def test_two_days_shifted_onto_one_working_day_are_one_occurrence() -> None:
    # 6/11/2027 is a Saturday, 7/11 a Sunday: both move to Monday 8/11
    [merged] = occurrences("ngày 6, 7/11/2027")
    assert merged.due_on == dt.date(2027, 11, 8)
    assert "cũng là hạn của ngày 07/11/2027" in merged.explanation
    assert merged.opens_on == dt.date(2027, 10, 7)


# -- a weekday written beside a date ---------------------------------------------------------
def test_weekday_beside_a_date() -> None:
    # the day of an event: kept even on a Sunday
    assert dues("Chủ nhật, ngày 28/3/2027") == ["2027-03-28"]
    assert dues("15/5/2027 (thứ Bảy)") == ["2027-05-15"]
    assert dues("Thứ 7, 15/5/2027") == ["2027-05-15"]
    assert "thứ Bảy" in parse_cadence("15/5/2027 (thứ Bảy)", CTX).explanation
    assert unknown("Thứ Hai, ngày 15/5/2027")  # 15/5/2027 is a Saturday
    assert unknown("20/4/2027 (thứ Năm)")  # a Tuesday
    assert unknown("Thứ Bảy, ngày 15/5")  # no year: nothing to check against


# -- format variants and idioms --------------------------------------------------------------
@pytest.mark.parametrize(("variant", "same_as"), [
    ("quý II-2027", "Quý II/2027"),
    ("Quý III.2027", "Quý III/2027"),
    ("tháng 10.2027", "Tháng 10/2027"),
    ("tháng 10-2027", "Tháng 10/2027"),
    ("Sáu tháng cuối năm 2027", "6 tháng cuối năm 2027"),
    ("Chín tháng đầu năm 2027", "9 tháng đầu năm 2027"),
    ("Từ tháng 3 đến tháng 8/2027", "từ tháng 3 đến tháng 8 năm 2027"),
])  # fmt: skip
def test_format_variants(variant: str, same_as: str) -> None:
    window = (dt.date(2026, 1, 1), dt.date(2030, 12, 31))
    got = [(o.key, o.opens_on, o.due_on) for o in occurrences(variant, window)]
    assert got and got == [(o.key, o.opens_on, o.due_on) for o in occurrences(same_as, window)]


def test_idioms() -> None:
    [middle] = occurrences("Từ giữa tháng 4 đến giữa tháng 5")
    assert (middle.opens_on, middle.due_on) == (dt.date(2027, 4, 15), dt.date(2027, 5, 17))
    middle_dekad = parse_cadence("Trung tuần tháng 8", CTX)
    assert "trung tuần tháng 8 (ngày 11-20)" in middle_dekad.explanation
    [august] = middle_dekad.occurrences(*Y2027)
    assert (august.opens_on, august.due_on) == (dt.date(2027, 8, 11), dt.date(2027, 8, 20))
    assert dues("Thượng tuần tháng 5") == ["2027-05-10"]
    assert dues("Hạ tuần tháng 2/2027") == ["2027-03-01"]  # 28/2/2027 a Sunday
    # 10/1/2027 is a Sunday; 10/2 the last day of the Tết break
    assert dues("Thượng tuần hằng tháng", Q1_2027) == ["2027-01-11", "2027-02-11", "2027-03-10"]
    [now] = occurrences("Từ nay đến trước ngày 01/7/2027")
    assert (now.opens_on, now.due_on) == (CTX.issued_on, dt.date(2027, 6, 30))
    assert dues("từ nay đến cuối năm 2027") == ["2027-12-31"]
    assert unknown("từ nay đến năm 2030")


# -- computable relatives and unknown events ----------------------------------------------
def test_computable_relatives() -> None:
    window = (dt.date(2027, 1, 1), dt.date(2028, 12, 31))
    found = occurrences("chậm nhất 60 ngày kể từ ngày kết thúc năm", window)
    assert [(o.key, o.due_on) for o in found] == [
        ("2026", dt.date(2027, 3, 1)), ("2027", dt.date(2028, 2, 29))]  # fmt: skip
    assert dues("Trong vòng 15 ngày sau khi kết thúc quý") == [
        "2027-01-15", "2027-04-15", "2027-07-15", "2027-10-15"]  # fmt: skip
    assert dues("Báo cáo quý: chậm nhất 20 ngày kể từ ngày kết thúc kỳ báo cáo") == [
        "2027-01-20", "2027-04-20", "2027-07-20", "2027-10-20"]  # fmt: skip


@pytest.mark.parametrize("phrase", [
    "15 ngày sau khi có hướng dẫn", "Trong vòng 30 ngày kể từ ngày ký",
    "chậm nhất 10 ngày kể từ ngày nhận được văn bản", "Sau khi kết thúc đợt kiểm tra",
    "30 ngày làm việc kể từ ngày kết thúc năm", "chậm nhất 15 ngày kể từ ngày kết thúc kỳ",
])  # fmt: skip
def test_relatives_to_unknown_events_stay_unknown(phrase: str) -> None:
    assert unknown(phrase)


# -- times of day ----------------------------------------------------------------------------
def test_times_of_day() -> None:
    [meeting] = occurrences("Từ 14 giờ đến 16 giờ 30 ngày 20/5/2027")
    assert (meeting.due_on, meeting.starts_at, meeting.ends_at) == (
        dt.date(2027, 5, 20), dt.time(14, 0), dt.time(16, 30))  # fmt: skip
    assert "từ 14:00 đến 16:30" in meeting.explanation
    # a day with a time of day is an event: 1/5/2027 (a holiday) is kept
    [ceremony] = occurrences("Lúc 7h30 ngày 1/5/2027")
    assert (ceremony.due_on, ceremony.starts_at, ceremony.ends_at) == (
        dt.date(2027, 5, 1), dt.time(7, 30), None)  # fmt: skip
    assert occurrences("2 giờ chiều ngày 3/6/2027")[0].starts_at == dt.time(14, 0)
    weekly = occurrences("8 giờ sáng thứ Hai hằng tuần", Q1_2027)
    assert weekly and all(o.starts_at == dt.time(8, 0) for o in weekly)
    assert "lúc 08:00" in parse_cadence("8 giờ sáng thứ Hai hằng tuần", CTX).explanation
    # "trước 17 giờ" is before the hour on the day itself: a deadline by 17:00, not the day
    # before; 27/6/2027 is a Sunday, so it moves back to Friday 25/6
    [by_five] = occurrences("Trước 17 giờ ngày 27/6/2027")
    assert (by_five.due_on, by_five.starts_at, by_five.ends_at) == (
        dt.date(2027, 6, 25), None, dt.time(17, 0))  # fmt: skip
    assert "hạn đến 17:00" in by_five.explanation
    [latest] = occurrences("Chậm nhất 17h00 ngày 15/7/2027")
    assert (latest.due_on, latest.starts_at, latest.ends_at) == (
        dt.date(2027, 7, 15), None, dt.time(17, 0))  # fmt: skip
    assert unknown("từ 16 giờ đến 14 giờ ngày 20/5/2027")
    assert unknown("25 giờ ngày 20/5/2027")
    assert unknown("8 giờ, 9 giờ ngày 20/5/2027")


def test_rrules_of_new_families_match_their_dates() -> None:
    for phrase in ("Thứ Ba của tuần đầu tiên trong tháng", "thứ Sáu tuần cuối cùng của tháng",
                   "Tuần thứ hai hằng tháng", "Ngày 20 hằng tháng (từ tháng 5 đến tháng 9)",
                   "Từ ngày 3 đến ngày 7 hằng tháng"):  # fmt: skip
        cadence = parse_cadence(phrase, UNSHIFTED)
        assert cadence.rrule is not None, phrase
        rule = rrulestr(cadence.rrule, dtstart=dt.datetime(2027, 1, 1))
        between = rule.between(dt.datetime(2027, 1, 1), dt.datetime(2027, 12, 31), inc=True)
        expected = [d.date() for d in between]
        got = [o.due_on for o in cadence.occurrences(*Y2027)]
        assert got == expected, phrase
