"""Short sentences that say what the engine understood, as translatable messages.

People trust a deadline they can check: every cadence carries one sentence ("Hằng năm, hạn
chót 14/02 (trước ngày 15/02); ngày nghỉ thì lùi về ngày làm việc liền trước") and every
occurrence another ("Hạn chót 13/11/2026 (trước ngày 15/11/2026); 14/11/2026 là ngày nghỉ, hạn
"trước" lùi về ngày làm việc liền trước", "Hạn chót 16/11/2026 (ngày 14/11/2026); 14/11/2026 là
ngày nghỉ, dời sang ngày làm việc tiếp theo"). Each names the reading chosen: how a week of a
month is counted, which days a dekad or the Tết season covers, the times of day.

The sentences are :mod:`~tracker.cadence.wording` messages: ``str()`` gives the Vietnamese,
the web layer renders them in the reader's language. Dates stay written as digits
("14/02/2027") and holidays keep their Vietnamese names in every language.
"""

from __future__ import annotations

import datetime as dt

from tracker.cadence.combined import Combined
from tracker.cadence.days import (
    WEEKDAY_NAMES,
    day_month,
    dmy,
    hour_minute,
    is_month_range,
    resolve_day,
    span_label,
    week_name,
)
from tracker.cadence.model import Kind
from tracker.cadence.schedule import Schedule, Slot
from tracker.cadence.spec import (
    AfterEnd,
    Day,
    Holiday,
    MonthWeek,
    Part,
    PeriodPoint,
    QuarterMonth,
    Span,
    TimeUnit,
    Weekday,
    YearWhole,
)
from tracker.cadence.vn_calendar import HOLIDAYS, MAJOR_HOLIDAYS
from tracker.cadence.wording import (
    N_,
    Joined,
    Msg,
    Piece,
    Text,
    capitalized,
    is_empty,
    joined,
    uncapitalized,
)

_CHECKIN_NAMES = {"quarter": N_("cuối mỗi quý"), "month": N_("cuối mỗi tháng"),
                  "half": N_("cuối mỗi 6 tháng"), "year": N_("cuối mỗi năm")}  # fmt: skip
_UNIT_NAMES = {TimeUnit.YEAR: N_("năm"), TimeUnit.HALF: N_("6 tháng"), TimeUnit.QUARTER: N_("quý"),
               TimeUnit.MONTH: N_("tháng"), TimeUnit.WEEK: N_("tuần")}  # fmt: skip
_PART_OF_PERIOD = {
    (Part.START, TimeUnit.MONTH): N_("hạn chót đầu tháng"),
    (Part.MIDDLE, TimeUnit.MONTH): N_("hạn chót giữa tháng"),
    (Part.END, TimeUnit.MONTH): N_("hạn chót cuối tháng"),
    (Part.START, TimeUnit.QUARTER): N_("hạn chót đầu quý"),
    (Part.MIDDLE, TimeUnit.QUARTER): N_("hạn chót giữa quý"),
    (Part.END, TimeUnit.QUARTER): N_("hạn chót cuối quý"),
}
_NEXT_PERIOD = {TimeUnit.MONTH: N_(" của tháng liền kề sau tháng báo cáo"),
                TimeUnit.QUARTER: N_(" của quý liền kề sau quý báo cáo")}  # fmt: skip
_MONTH_OF_QUARTER = {
    (1, 0): N_("tháng đầu quý"), (2, 0): N_("tháng giữa quý"), (3, 0): N_("tháng cuối quý"),
    (1, 1): N_("tháng đầu quý sau"), (2, 1): N_("tháng giữa quý sau"),
    (3, 1): N_("tháng cuối quý sau"),
}  # fmt: skip
_WEEK_COUNT = N_("tuần tính từ ngày 1 của tháng, mỗi tuần 7 ngày; tuần cuối là 7 ngày cuối tháng")
BACK_RULE = N_("ngày nghỉ thì lùi về ngày làm việc liền trước")
UNKNOWN_EXPLANATION = N_("Chưa hiểu được thời hạn này; cần đặt hạn thủ công")


def _month_end(month: int) -> str:
    return "28/02" if month == 2 else f"{(30 if month in (4, 6, 9, 11) else 31)}/{month:02d}"


def _years_phrase(schedule: Schedule) -> Text:
    years = schedule.years
    explicit = sorted(years.explicit)
    parts: list[Piece] = []
    if explicit:
        parts.append(joined(" ", [N_("năm %(year)d", year=explicit[0])]
                            + [N_("và năm %(year)d", year=y) for y in explicit[1:]]))  # fmt: skip
    for first, last in years.ranges:
        if last is not None:
            parts.append(N_("từ năm %(first)d đến năm %(last)d", first=first, last=last))
        elif schedule.spec.scope.is_empty:
            parts.append(N_("mỗi năm của kế hoạch từ năm %(first)d", first=first))
        else:
            parts.append(N_("từ năm %(first)d", first=first))
    return joined(", ", parts)


def _day_phrase(schedule: Schedule, anchor: Day) -> Piece:
    spec, settings = schedule.spec, schedule.settings
    named: Piece = f"{anchor.day:02d}/{anchor.month:02d}" + (
        f"/{anchor.year}" if anchor.year else ""
    )
    if anchor.day == 31 and anchor.month in (2, 4, 6, 9, 11):
        named = N_("cuối tháng %(month)d", month=anchor.month)
    if anchor.year_offset:
        named = N_("%(day)s của năm kế tiếp năm báo cáo", day=named)
    if anchor.weekday is not None:
        named = joined(", ", (WEEKDAY_NAMES[anchor.weekday - 1], named))
    head: list[Piece] = [anchor.named_as] if anchor.named_as else []
    if anchor.from_now:
        head.append(N_("từ nay"))
    phrase: Piece
    if anchor.lunar and anchor.opens is not None:
        phrase = N_("từ ngày %(first)s đến ngày %(last)s âm lịch",
                    first=day_month(*anchor.opens),
                    last=day_month(anchor.day, anchor.month))  # fmt: skip
    elif anchor.lunar:
        phrase = N_("ngày %(day)s âm lịch", day=day_month(anchor.day, anchor.month))
    elif spec.before and settings.before_means_day_before:
        day_before = resolve_day(anchor, anchor.year or 2027) - dt.timedelta(days=1)
        due: Piece = f"{day_before:%d/%m}" + (f"/{day_before.year}" if anchor.year else "")
        if anchor.year_offset:
            due = N_("%(day)s của năm kế tiếp", day=due)
        phrase = N_("hạn chót %(due)s (trước ngày %(named)s)", due=due, named=named)
    elif anchor.opens is not None:
        phrase = N_("từ %(first)s, hạn chót %(named)s",
                    first=day_month(*anchor.opens, padded=True), named=named)  # fmt: skip
    elif spec.before:
        phrase = N_("hạn chót trước ngày %(named)s", named=named)
    else:
        phrase = N_("hạn chót %(named)s", named=named)
    return joined(", ", (*head, phrase))


def _span_phrase(schedule: Schedule, anchor: Span) -> Piece:
    period: Piece = span_label(anchor.first, anchor.last, anchor.year)
    if anchor.year_offset:
        period = N_("%(period)s của năm kế tiếp năm báo cáo", period=period)
    if anchor.lunar:
        period = N_("%(period)s âm lịch", period=period)
    if schedule.spec.before:
        return N_("trước %(period)s", period=period)
    if not is_month_range(anchor.first, anchor.last):
        period = N_("trong %(period)s", period=period)
    if anchor.lunar:
        return period
    end = _month_end(anchor.last) + (f"/{anchor.year}" if anchor.year is not None else "")
    return N_("%(period)s, hạn chót %(due)s", period=period, due=end)


def _period_point_phrase(schedule: Schedule, anchor: PeriodPoint) -> Piece:
    spec, settings = schedule.spec, schedule.settings
    unit = TimeUnit.MONTH if anchor.unit.value == "month" else TimeUnit.QUARTER
    if anchor.day is None:
        return _PART_OF_PERIOD[(anchor.part or Part.END, unit)]
    of: Piece = _NEXT_PERIOD[unit] if anchor.offset else ""
    if spec.before and settings.before_means_day_before:
        return N_("hạn chót trước ngày %(day)d%(of)s (ngày %(previous)d)",
                  day=anchor.day, of=of, previous=anchor.day - 1)  # fmt: skip
    phrase = N_("hạn chót ngày %(day)d%(of)s", day=anchor.day, of=of)
    if anchor.opens_day is not None:
        return joined(", ", (N_("từ ngày %(day)d", day=anchor.opens_day), phrase))
    return phrase


def _anchor_phrase(schedule: Schedule) -> Joined:
    spec, settings = schedule.spec, schedule.settings
    phrases: list[Piece] = []
    for anchor in spec.anchors:
        if isinstance(anchor, Day):
            phrases.append(_day_phrase(schedule, anchor))
        elif isinstance(anchor, Span):
            phrases.append(_span_phrase(schedule, anchor))
        elif isinstance(anchor, PeriodPoint):
            phrases.append(_period_point_phrase(schedule, anchor))
        elif isinstance(anchor, AfterEnd):
            phrases.append(N_("hạn chót %(days)d ngày kể từ ngày kết thúc %(period)s",
                              days=anchor.days, period=_UNIT_NAMES[anchor.unit]))  # fmt: skip
        elif isinstance(anchor, MonthWeek):
            week: Piece = week_name(anchor.index)
            if anchor.month is not None:
                week = N_("%(week)s của tháng %(month)d", week=week, month=anchor.month)
            if anchor.weekday is None:
                phrases.append(N_("trong %(week)s, hạn chót ngày cuối của tuần (%(counting)s)",
                                  week=week, counting=_WEEK_COUNT))  # fmt: skip
            else:
                phrases.append(N_("%(weekday)s của %(week)s (%(counting)s)",
                                  weekday=WEEKDAY_NAMES[anchor.weekday - 1], week=week,
                                  counting=_WEEK_COUNT))  # fmt: skip
        elif isinstance(anchor, QuarterMonth):
            month = _MONTH_OF_QUARTER[(anchor.index, 1 if anchor.offset else 0)]
            if anchor.day is None:
                phrases.append(N_("trong %(period)s", period=month))
            elif spec.before and settings.before_means_day_before:
                phrases.append(N_(
                    "hạn chót trước ngày %(day)d %(month)s (ngày %(previous)d)",
                    day=anchor.day, month=month, previous=anchor.day - 1,
                ))  # fmt: skip
            else:
                phrases.append(N_("hạn chót ngày %(day)d %(month)s", day=anchor.day, month=month))
        elif isinstance(anchor, Weekday):
            phrases.append(WEEKDAY_NAMES[anchor.iso - 1])
        elif isinstance(anchor, Holiday):
            name = HOLIDAYS[anchor.slug].name + (f" {anchor.year}" if anchor.year else "")
            phrases.append(N_("hạn chót trước %(holiday)s", holiday=name) if spec.before else name)
    return joined("; ", phrases)


def explain(schedule: Schedule) -> Text:
    """One sentence for the whole cadence."""
    kind, spec = schedule.kind, schedule.spec
    if kind is Kind.UNKNOWN:
        return UNKNOWN_EXPLANATION
    if isinstance(schedule, Combined):
        return capitalized(joined("; ", (
            joined(": ", (part.spec.label or N_("hạn %(number)d", number=n),
                          uncapitalized(explain(part))))
            for n, part in enumerate(schedule.parts, 1)
        )))  # fmt: skip
    if kind is Kind.ON_DEMAND:
        return N_("Khi có yêu cầu; không có hạn định trước")
    anchors = _anchor_phrase(schedule)
    has_anchors = not is_empty(anchors)
    years = _years_phrase(schedule)
    sentence: Text
    if kind is Kind.ONGOING:
        checkin = _CHECKIN_NAMES[schedule.settings.ongoing_checkin]
        sentence = N_("Thường xuyên, không có hạn chót; báo cáo tiến độ %(checkin)s",
                      checkin=checkin)  # fmt: skip
        if not spec.scope.is_empty:
            sentence = joined("", (sentence, " (", years, ")"))
    elif kind is Kind.HOLIDAYS:
        sentence = _holidays_sentence(schedule)
    elif kind is Kind.WEEKLY:
        days = [a for a in spec.anchors if isinstance(a, Weekday)]
        sentence = N_("Hằng tuần, %(days)s", days=anchors) if days \
            else N_("Hằng tuần, hạn chót thứ Sáu")  # fmt: skip
    elif kind is Kind.MONTHLY:
        sentence = N_("Hằng tháng, %(deadline)s", deadline=anchors) if has_anchors \
            else N_("Hằng tháng, hạn chót cuối tháng")  # fmt: skip
    elif kind is Kind.QUARTERLY:
        sentence = N_("Hằng quý, %(deadline)s", deadline=anchors) if has_anchors \
            else N_("Hằng quý, hạn chót cuối quý")  # fmt: skip
    elif kind is Kind.SEMIANNUAL:
        sentence = N_("6 tháng một lần, hạn chót 30/06 và 31/12")
    elif kind is Kind.ONCE:
        only_year = all(isinstance(a, YearWhole) for a in spec.anchors)
        head = capitalized(years)
        if only_year:
            sentence = joined(", ", (head, N_("hạn chót 31/12")))
        else:
            sentence = capitalized(anchors)
            if not is_empty(years) and not any(getattr(a, "year", None) for a in spec.anchors):
                sentence = joined(", ", (head, anchors))
    else:  # yearly
        every: Msg = N_("Hằng năm") if spec.unit is not None or not spec.scope.is_empty \
            else N_("Mỗi năm của kế hoạch")  # fmt: skip
        parts: list[Piece] = [every]
        if not spec.scope.is_empty:
            parts.append(years)
        parts.append(anchors if has_anchors else N_("hạn chót 31/12"))
        sentence = joined(", ", parts)
    return _qualified(schedule, sentence)


def _holidays_sentence(schedule: Schedule) -> Msg:
    spec = schedule.spec
    slugs = [a.slug for a in spec.anchors if isinstance(a, Holiday)]
    if spec.major_holidays:
        slugs += [s for s in MAJOR_HOLIDAYS if s not in slugs]
        slugs = sorted(slugs, key=lambda s: (s not in MAJOR_HOLIDAYS, MAJOR_HOLIDAYS.index(s)
                                             if s in MAJOR_HOLIDAYS else 0))  # fmt: skip
    names = ", ".join(HOLIDAYS[s].name for s in slugs)
    if not spec.before:
        return N_("Vào các ngày lễ: %(names)s; không dời ngày", names=names)
    if schedule.settings.before_means_day_before:
        return N_("Trước các ngày lễ: %(names)s; hạn chót ngày hôm trước, không dời ngày",
                  names=names)  # fmt: skip
    return N_("Trước các ngày lễ: %(names)s; hạn chót ngày lễ, không dời ngày", names=names)


def _qualified(schedule: Schedule, sentence: Text) -> Text:
    """The sentence with what holds for every date: months, hours, the shift, ongoing work."""
    kind, spec = schedule.kind, schedule.spec
    if spec.months is not None:
        months = sorted(spec.months)
        sentence = joined(" ", (sentence, N_("(chỉ từ tháng %(first)d đến tháng %(last)d)",
                                             first=months[0], last=months[-1])))  # fmt: skip
    if spec.times is not None:
        sentence = joined(", ", (sentence, times_phrase(spec.times)))
    if ((spec.before or spec.before_time) and schedule.settings.shift_to_working_day
            and kind is not Kind.HOLIDAYS and not spec.event):  # fmt: skip
        sentence = joined("; ", (sentence, BACK_RULE))
    if spec.ongoing and kind is not Kind.ONGOING:
        sentence = N_("Thường xuyên; %(rest)s", rest=uncapitalized(sentence))
    if spec.on_demand:
        sentence = joined("; ", (sentence, N_("và khi có yêu cầu")))
    return sentence


def times_phrase(times: tuple[dt.time | None, dt.time | None]) -> Piece:
    start, end = times
    if start is None:
        return N_("hạn đến %(end)s", end=hour_minute(end)) if end is not None else ""
    if end is None:
        return N_("lúc %(start)s", start=hour_minute(start))
    return N_("từ %(start)s đến %(end)s", start=hour_minute(start), end=hour_minute(end))


def explain_occurrence(slot: Slot, due: dt.date) -> Text:
    """One sentence for one occurrence, saying when and why a date moved."""
    text: Text
    if slot.is_checkin:
        text = N_("Báo cáo tiến độ %(period)s, hạn %(due)s", period=slot.label, due=dmy(due))
    elif slot.is_event:
        text = joined(": ", (capitalized(slot.label), dmy(due)))
    else:
        text = N_("Hạn chót %(due)s (%(what)s)", due=dmy(due), what=slot.label)
    if slot.times is not None:
        text = joined(", ", (text, times_phrase(slot.times)))
    if due < slot.due_on:
        text = joined("; ", (text, N_("%(day)s là ngày nghỉ, hạn \"trước\" lùi về ngày làm việc "
                                      "liền trước", day=dmy(slot.due_on))))  # fmt: skip
    elif due != slot.due_on:
        text = joined("; ", (text, N_("%(day)s là ngày nghỉ, dời sang ngày làm việc tiếp theo",
                                      day=dmy(slot.due_on))))  # fmt: skip
    return text


def explain_merged(explanation: Text, others: list[Piece]) -> Msg:
    """An occurrence that others shifted onto: one due date, every deadline it stands for."""
    return N_("%(explanation)s; cũng là hạn của %(others)s (dời vào cùng ngày)",
              explanation=explanation, others=joined(", ", others))  # fmt: skip
