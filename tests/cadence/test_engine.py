"""The public API's contract: rules, settings, keys, opening dates, RRULEs, spelling noise."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from dateutil.rrule import rrulestr
from holidays.calendars.chinese import CHINESE_CALENDAR, _ChineseLunisolar

from tracker.cadence import CadenceSettings, Kind, Occurrence, PlanContext, parse_cadence
from tracker.cadence.grammar import parse_numeral
from tracker.cadence.lunar import gio_to_hung_vuong, lunar_to_solar, tet_nguyen_dan
from tracker.cadence.tokens import normalize

CTX = PlanContext(issued_on=dt.date(2026, 4, 17), years=(2026, 2027, 2028, 2029, 2030))
Y2027 = (dt.date(2027, 1, 1), dt.date(2027, 12, 31))


def only(phrase: str, ctx: PlanContext = CTX) -> Occurrence:
    [occurrence] = parse_cadence(phrase, ctx).occurrences(*Y2027)
    return occurrence


def test_lunar_algorithm_agrees_with_holidays_vn_calendar_1901_2099() -> None:
    for year in range(1901, 2100):
        assert lunar_to_solar(1, 1, year) == tet_nguyen_dan(year), year
        assert lunar_to_solar(10, 3, year) == gio_to_hung_vuong(year), year


def test_tet_2030_is_vietnamese_not_chinese() -> None:
    assert tet_nguyen_dan(2030) == dt.date(2030, 2, 2)
    chinese, _ = _ChineseLunisolar(CHINESE_CALENDAR).lunar_new_year_date(2030)
    assert chinese == dt.date(2030, 2, 3)
    assert only("Tết Nguyên đán", CTX).due_on == dt.date(2027, 2, 6)
    [tet_2030] = parse_cadence("Tết Nguyên đán", CTX).occurrences(
        dt.date(2030, 1, 1), dt.date(2030, 12, 31)
    )
    assert (tet_2030.key, tet_2030.due_on) == ("2030-tet-nguyen-dan", dt.date(2030, 2, 2))


def test_lunar_day_that_does_not_exist() -> None:
    with pytest.raises(ValueError):
        lunar_to_solar(30, 1, 2027) if lunar_to_solar(1, 2, 2027) - lunar_to_solar(
            1, 1, 2027
        ) == dt.timedelta(days=29) else lunar_to_solar(31, 1, 2027)


@pytest.mark.parametrize(
    "variant",
    [
        "Trước ngày 15/02 hằng năm",
        "trước ngày 15/02 hàng năm",
        "TRƯỚC NGÀY 15/02 HẰNG NĂM",
        "  Trước   ngày\n15/02\thằng năm. ",
        unicodedata.normalize("NFD", "Trước ngày 15/02 hằng năm"),
        "Trước ngày 15-2 hằng năm",
        "Trước ngày 15.02 hằng năm",
        "Trước ngày 15 tháng 02 hằng năm",
        "Trước ngày 15 tháng 2 hàng năm",
    ],
)
def test_spelling_noise(variant: str) -> None:
    cadence = parse_cadence(variant, CTX)
    assert cadence.text == variant
    assert cadence.rrule == "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=14"
    # 14/2/2027 is a Sunday: a "trước" deadline moves back to Friday 12/2
    assert only(variant).due_on == dt.date(2027, 2, 12)


def test_normalize_tone_placement_and_quy() -> None:
    assert normalize("Hóa") == normalize("Hoá") == "hoá"
    assert normalize("Thủy") == normalize("Thuỷ") == "thuỷ"
    assert normalize("QÚY I") == normalize("Quý I") == "quý i"


@pytest.mark.parametrize("quarter", ["Quý III", "Quý 3", "quý iii", "QUÝ  III", "Qúy III"])
def test_roman_and_arabic_quarters(quarter: str) -> None:
    occurrence = only(quarter)
    assert (occurrence.key, occurrence.opens_on, occurrence.due_on) == (
        "2027-Q3",
        dt.date(2027, 7, 1),
        dt.date(2027, 9, 30),
    )


def test_numerals() -> None:
    assert parse_numeral(["mười", "lăm"]) == 15
    assert parse_numeral(["hai", "mươi", "mốt"]) == 21
    assert parse_numeral(["ba", "mươi"]) == 30
    assert parse_numeral(["mười"]) == 10
    assert parse_numeral(["hai", "mươi", "tư"]) == 24
    assert parse_numeral(["mười", "năm"]) is None
    assert parse_numeral(["xanh"]) is None


def test_explanation_and_keys() -> None:
    cadence = parse_cadence("Trước ngày 15/02 hằng năm", CTX)
    assert cadence.kind is Kind.YEARLY
    assert cadence.explanation == ("Hằng năm, hạn chót 14/02 (trước ngày 15/02); ngày nghỉ thì "
                                   "lùi về ngày làm việc liền trước")  # fmt: skip
    assert only("Trước ngày 15/02 hằng năm").key == "2027"
    assert only("Quý I").key == "2027-Q1"
    assert only("6 tháng đầu năm").key == "2027-H1"
    assert only("Tháng 12 hằng năm").key == "2027-12"
    assert only("Tết Nguyên đán").key == "2027-tet-nguyen-dan"
    weekly = parse_cadence("Ít nhất 01 lần/tuần", CTX).occurrences(*Y2027)
    assert [o.key for o in weekly[:2]] == ["2026-W53", "2027-W01"]  # Fri 1/1/2027 is 2026-W53
    monthly = parse_cadence("Hằng tháng", CTX).occurrences(*Y2027)
    assert monthly[2].key == "2027-03"


def test_opening_dates() -> None:
    assert only("Tháng 12 hằng năm").opens_on == dt.date(2027, 12, 1)
    assert only("Quý I").opens_on == dt.date(2027, 1, 1)
    assert only("Hằng năm").opens_on == dt.date(2027, 1, 1)
    # a yearly point deadline opens yearly_lead_days before the (unshifted) due date
    assert only("Trước ngày 15/11 hằng năm").opens_on == dt.date(2027, 10, 15)
    longer = PlanContext(issued_on=CTX.issued_on, settings=CadenceSettings(yearly_lead_days=60))
    assert only("Trước ngày 15/11 hằng năm", longer).opens_on == dt.date(2027, 9, 15)
    assert only("Từ ngày 01/3 đến ngày 31/5 hằng năm").opens_on == dt.date(2027, 3, 1)
    # the first window cannot open before the plan exists
    [first, *_] = parse_cadence("Hằng năm", CTX).occurrences(
        dt.date(2026, 1, 1), dt.date(2026, 12, 31)
    )
    assert first.opens_on == dt.date(2026, 4, 17)


def test_before_means_day_itself_setting() -> None:
    itself = PlanContext(issued_on=CTX.issued_on,
                         settings=CadenceSettings(before_means_day_before=False))  # fmt: skip
    assert only("Trước ngày 15/12 hằng năm", itself).due_on == dt.date(2027, 12, 15)
    assert only("Trước ngày 15/12 hằng năm").due_on == dt.date(2027, 12, 14)
    assert parse_cadence("Trước 1/12", itself).rrule == "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=1"


def test_working_day_shift_setting_and_events() -> None:
    # 31/1/2027 is a Sunday
    assert only("Tháng 1 hằng năm").due_on == dt.date(2027, 2, 1)
    unshifted = PlanContext(issued_on=CTX.issued_on,
                            settings=CadenceSettings(shift_to_working_day=False))  # fmt: skip
    assert only("Tháng 1 hằng năm", unshifted).due_on == dt.date(2027, 1, 31)
    # an event keeps its day: Rằm tháng Giêng 2027 is Saturday 20/2
    assert only("Rằm tháng Giêng").due_on == dt.date(2027, 2, 20)
    assert "dời sang ngày làm việc tiếp theo" in only("Tháng 1 hằng năm").explanation
    moved = only("Trước ngày 15/02 hằng năm")
    assert moved.due_on == dt.date(2027, 2, 12)
    assert 'hạn "trước" lùi về ngày làm việc liền trước' in moved.explanation


def test_nothing_due_before_issue() -> None:
    late = PlanContext(issued_on=dt.date(2026, 11, 20))
    dues = [o.due_on for o in parse_cadence("Trước ngày 15/11 hằng năm", late).occurrences(
        dt.date(2026, 1, 1), dt.date(2027, 12, 31))]  # fmt: skip
    # 2026: due 13/11 (14/11 a Saturday, moved back), before the plan; 14/11/2027 a Sunday
    assert dues == [dt.date(2027, 11, 12)]


def test_draft_without_issue_date_uses_month_or_first_year() -> None:
    month = PlanContext(issued_on=None, issued_month=(2026, 4))
    assert month.effective_issued_on == dt.date(2026, 4, 1)
    assert PlanContext(issued_on=None, years=(2027, 2028)).effective_issued_on == dt.date(
        2027, 1, 1
    )
    dues = parse_cadence("Quý I", month).occurrences(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert dues == []


def test_ongoing_checkin_setting() -> None:
    monthly = PlanContext(
        issued_on=CTX.issued_on, settings=CadenceSettings(ongoing_checkin="month")
    )
    cadence = parse_cadence("Thường xuyên", monthly)
    assert cadence.kind is Kind.ONGOING
    assert cadence.rrule == "FREQ=MONTHLY;BYMONTHDAY=-1"
    assert len(cadence.occurrences(*Y2027)) == 12
    assert "cuối mỗi tháng" in cadence.explanation
    yearly = PlanContext(issued_on=CTX.issued_on, settings=CadenceSettings(ongoing_checkin="year"))
    assert [o.key for o in parse_cadence("Thường xuyên", yearly).occurrences(*Y2027)] == ["2027"]


def test_unknown_is_never_a_guess() -> None:
    cadence = parse_cadence("Sau khi Sở Nội vụ hướng dẫn", CTX)
    assert (cadence.kind, cadence.understood, cadence.rrule, cadence.rdates) == (
        Kind.UNKNOWN, False, None, ())  # fmt: skip
    assert cadence.occurrences(dt.date(2000, 1, 1), dt.date(2100, 12, 31)) == []


def test_on_demand_has_no_dates() -> None:
    cadence = parse_cadence("Theo yêu cầu đột xuất", CTX)
    assert cadence.kind is Kind.ON_DEMAND and cadence.understood
    assert cadence.occurrences(*Y2027) == []


def test_once_has_rdates() -> None:
    cadence = parse_cadence("Năm 2027 và năm 2030", CTX)
    assert cadence.kind is Kind.ONCE and cadence.rrule is None
    assert cadence.rdates == (dt.date(2027, 12, 31), dt.date(2030, 12, 31))


@pytest.mark.parametrize(
    "phrase",
    ["Hằng năm", "Trước ngày 15/02 hằng năm", "Quý I, Quý IV", "Hằng quý", "Hằng tháng",
     "ngày 15 hằng tháng", "Định kỳ 6 tháng", "Ít nhất 01 lần/tuần", "thứ Năm hằng tuần",
     "Giai đoạn 2028 - 2030", "Thường xuyên", "Đầu quý", "Giữa quý", "Trước ngày 20 hằng tháng",
     "Ngày 10 và 25 hằng tháng", "Trước 1/12"],
)  # fmt: skip
def test_rrule_expands_to_the_unshifted_dates(phrase: str) -> None:
    unshifted = PlanContext(issued_on=dt.date(2026, 1, 1),
                            settings=CadenceSettings(shift_to_working_day=False))  # fmt: skip
    cadence = parse_cadence(phrase, unshifted)
    assert cadence.rrule is not None
    actual = [o.due_on for o in cadence.occurrences(dt.date(2026, 1, 1), dt.date(2030, 12, 31))]
    # DTSTART is the first occurrence, as an iCal export writes it
    start, end = dt.datetime.combine(actual[0], dt.time()), dt.datetime(2030, 12, 31)
    rule = rrulestr(cadence.rrule, dtstart=start)
    assert [d.date() for d in rule.between(start, end, inc=True)] == actual
