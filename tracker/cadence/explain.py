"""Short Vietnamese sentences that say what the engine understood.

People trust a deadline they can check: every cadence carries one sentence ("Hằng năm, hạn
chót 14/02 (trước ngày 15/02); ngày nghỉ thì lùi về ngày làm việc liền trước") and every
occurrence another ("Hạn chót 13/11/2026 (trước ngày 15/11/2026); 14/11/2026 là ngày nghỉ, hạn
"trước" lùi về ngày làm việc liền trước", "Hạn chót 16/11/2026 (ngày 14/11/2026); 14/11/2026 là
ngày nghỉ, dời sang ngày làm việc tiếp theo"). Each names the reading chosen: how a week of a
month is counted, which days a dekad or the Tết season covers, the times of day.
"""

from __future__ import annotations

import datetime as dt

from tracker.cadence.model import Kind
from tracker.cadence.schedule import (
    Combined,
    Schedule,
    Slot,
    dmy,
    resolve_day,
    span_label,
    week_name,
)
from tracker.cadence.spec import (
    AfterEnd,
    Day,
    Holiday,
    MonthWeek,
    PeriodPoint,
    QuarterMonth,
    Span,
    Unit,
    Weekday,
    YearWhole,
)
from tracker.cadence.vn_calendar import HOLIDAYS, MAJOR_HOLIDAYS

_WEEKDAY_NAMES = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")
_CHECKIN_NAMES = {"quarter": "cuối mỗi quý", "month": "cuối mỗi tháng",
                  "half": "cuối mỗi 6 tháng", "year": "cuối mỗi năm"}  # fmt: skip
_PERIOD_NAMES = {Kind.MONTHLY: "tháng", Kind.QUARTERLY: "quý"}
_UNIT_NAMES = {Unit.YEAR: "năm", Unit.HALF: "6 tháng", Unit.QUARTER: "quý", Unit.MONTH: "tháng",
               Unit.WEEK: "tuần"}  # fmt: skip
_WEEK_COUNT = "tuần tính từ ngày 1 của tháng, mỗi tuần 7 ngày; tuần cuối là 7 ngày cuối tháng"
BACK_RULE = "ngày nghỉ thì lùi về ngày làm việc liền trước"
UNKNOWN_EXPLANATION = "Chưa hiểu được thời hạn này; cần đặt hạn thủ công"


def _month_end(month: int) -> str:
    return "28/02" if month == 2 else f"{(30 if month in (4, 6, 9, 11) else 31)}/{month:02d}"


def _years_phrase(schedule: Schedule) -> str:
    years = schedule.years
    explicit = sorted(years.explicit)
    parts = []
    if explicit:
        parts.append("năm " + " và năm ".join(str(y) for y in explicit))
    for first, last in years.ranges:
        if last is not None:
            parts.append(f"từ năm {first} đến năm {last}")
        elif schedule.spec.scope.is_empty:
            parts.append(f"mỗi năm của kế hoạch từ năm {first}")
        else:
            parts.append(f"từ năm {first}")
    return ", ".join(parts)


def _anchor_phrase(schedule: Schedule) -> str:
    spec, settings = schedule.spec, schedule.settings
    phrases: list[str] = []
    for anchor in spec.anchors:
        if isinstance(anchor, Day):
            named = f"{anchor.day:02d}/{anchor.month:02d}" + (
                f"/{anchor.year}" if anchor.year else ""
            )
            if anchor.day == 31 and anchor.month in (2, 4, 6, 9, 11):
                named = f"cuối tháng {anchor.month}"
            if anchor.year_offset:
                named += " của năm kế tiếp năm báo cáo"
            if anchor.weekday is not None:
                named = f"{_WEEKDAY_NAMES[anchor.weekday - 1]}, {named}"
            head = f"{anchor.named_as}, " if anchor.named_as else ""
            head += "từ nay, " if anchor.from_now else ""
            if anchor.lunar and anchor.opens is not None:
                phrases.append(f"{head}từ ngày {anchor.opens[0]}/{anchor.opens[1]} đến ngày "
                               f"{anchor.day}/{anchor.month} âm lịch")  # fmt: skip
            elif anchor.lunar:
                phrases.append(f"{head}ngày {anchor.day}/{anchor.month} âm lịch")
            elif spec.before and settings.before_means_day_before:
                day_before = resolve_day(anchor, anchor.year or 2027) - dt.timedelta(days=1)
                due = f"{day_before:%d/%m}" + (f"/{day_before.year}" if anchor.year else "")
                if anchor.year_offset:
                    due += " của năm kế tiếp"
                phrases.append(f"{head}hạn chót {due} (trước ngày {named})")
            elif anchor.opens is not None:
                phrases.append(f"{head}từ {anchor.opens[0]:02d}/{anchor.opens[1]:02d}, "
                               f"hạn chót {named}")  # fmt: skip
            else:
                phrases.append(f"{head}hạn chót {'trước ngày ' if spec.before else ''}{named}")
        elif isinstance(anchor, Span):
            label = span_label(anchor.first, anchor.last, anchor.year)
            lunar = " âm lịch" if anchor.lunar else ""
            end = "" if anchor.lunar else f", hạn chót {_month_end(anchor.last)}"
            if anchor.year is not None and end:
                end += f"/{anchor.year}"
            within = "" if label.startswith("từ") else "trong "
            if anchor.year_offset:
                label += " của năm kế tiếp năm báo cáo"
            phrases.append(
                f"trước {label}{lunar}" if spec.before else f"{within}{label}{lunar}{end}"
            )
        elif isinstance(anchor, PeriodPoint):
            period = "tháng" if anchor.unit.value == "month" else "quý"
            of = f" của {period} liền kề sau {period} báo cáo" if anchor.offset else ""
            opens = f"từ ngày {anchor.opens_day}, " if anchor.opens_day is not None else ""
            if anchor.day is not None:
                day = anchor.day - 1 if spec.before and settings.before_means_day_before else None
                phrases.append(
                    f"{opens}hạn chót ngày {anchor.day}{of}" if day is None
                    else f"hạn chót trước ngày {anchor.day}{of} (ngày {day})"
                )  # fmt: skip
            else:
                phrases.append(f"hạn chót {anchor.part.value if anchor.part else 'cuối'} {period}")
        elif isinstance(anchor, AfterEnd):
            phrases.append(f"hạn chót {anchor.days} ngày kể từ ngày kết thúc "
                           f"{_UNIT_NAMES[anchor.unit]}")  # fmt: skip
        elif isinstance(anchor, MonthWeek):
            week = f"tuần {week_name(anchor.index)}"
            if anchor.month is not None:
                week += f" của tháng {anchor.month}"
            if anchor.weekday is None:
                phrases.append(f"trong {week}, hạn chót ngày cuối của tuần ({_WEEK_COUNT})")
            else:
                phrases.append(f"{_WEEKDAY_NAMES[anchor.weekday - 1]} của {week} "
                               f"({_WEEK_COUNT})")  # fmt: skip
        elif isinstance(anchor, QuarterMonth):
            month = f"tháng {('đầu', 'giữa', 'cuối')[anchor.index - 1]} quý"
            if anchor.offset:
                month += " sau"
            if anchor.day is None:
                phrases.append(f"trong {month}")
            elif spec.before and settings.before_means_day_before:
                phrases.append(f"hạn chót trước ngày {anchor.day} {month} "
                               f"(ngày {anchor.day - 1})")  # fmt: skip
            else:
                phrases.append(f"hạn chót ngày {anchor.day} {month}")
        elif isinstance(anchor, Weekday):
            phrases.append(_WEEKDAY_NAMES[anchor.iso - 1])
        elif isinstance(anchor, Holiday):
            name = HOLIDAYS[anchor.slug].name + (f" {anchor.year}" if anchor.year else "")
            phrases.append(f"hạn chót trước {name}" if spec.before else name)
    return "; ".join(phrases)


def explain(schedule: Schedule) -> str:
    """One sentence for the whole cadence."""
    kind, spec = schedule.kind, schedule.spec
    if kind is Kind.UNKNOWN:
        return UNKNOWN_EXPLANATION
    if isinstance(schedule, Combined):
        return _upper_first("; ".join(
            f"{part.spec.label or f'hạn {n}'}: {_lower_first(explain(part))}"
            for n, part in enumerate(schedule.parts, 1)
        ))  # fmt: skip
    if kind is Kind.ON_DEMAND:
        return "Khi có yêu cầu; không có hạn định trước"
    anchors = _anchor_phrase(schedule)
    years = _years_phrase(schedule)
    if kind is Kind.ONGOING:
        checkin = _CHECKIN_NAMES[schedule.settings.ongoing_checkin]
        sentence = f"Thường xuyên, không có hạn chót; báo cáo tiến độ {checkin}"
        sentence += f" ({years})" if not spec.scope.is_empty else ""
    elif kind is Kind.HOLIDAYS:
        slugs = [a.slug for a in spec.anchors if isinstance(a, Holiday)]
        if spec.major_holidays:
            slugs += [s for s in MAJOR_HOLIDAYS if s not in slugs]
        if spec.major_holidays:
            slugs = sorted(slugs, key=lambda s: (s not in MAJOR_HOLIDAYS, MAJOR_HOLIDAYS.index(s)
                                                 if s in MAJOR_HOLIDAYS else 0))  # fmt: skip
        names = ", ".join(HOLIDAYS[s].name for s in slugs)
        sentence = f"Vào các ngày lễ: {names}; không dời ngày"
        if spec.before:
            eve = "ngày hôm trước" if schedule.settings.before_means_day_before else "ngày lễ"
            sentence = f"Trước các ngày lễ: {names}; hạn chót {eve}, không dời ngày"
    elif kind is Kind.WEEKLY:
        days = [a for a in spec.anchors if isinstance(a, Weekday)]
        sentence = f"Hằng tuần, {anchors}" if days else "Hằng tuần, hạn chót thứ Sáu"
    elif kind in (Kind.MONTHLY, Kind.QUARTERLY):
        period = _PERIOD_NAMES[kind]
        sentence = f"Hằng {period}, {anchors or 'hạn chót cuối ' + period}"
    elif kind is Kind.SEMIANNUAL:
        sentence = "6 tháng một lần, hạn chót 30/06 và 31/12"
    elif kind is Kind.ONCE:
        only_year = all(isinstance(a, YearWhole) for a in spec.anchors)
        head = years[0].upper() + years[1:] if years else ""
        if only_year:
            sentence = f"{head}, hạn chót 31/12"
        else:
            sentence = anchors[0].upper() + anchors[1:]
            if head and not any(getattr(a, "year", None) for a in spec.anchors):
                sentence = f"{head}, {anchors}"
    else:  # yearly
        sentence = "Hằng năm" if spec.unit is not None else "Mỗi năm của kế hoạch"
        if not spec.scope.is_empty:
            sentence = "Hằng năm"
        if not spec.scope.is_empty:
            sentence += f", {years}"
        sentence += f", {anchors}" if anchors and anchors != "" else ", hạn chót 31/12"
    if spec.months is not None:
        months = sorted(spec.months)
        sentence += f" (chỉ từ tháng {months[0]} đến tháng {months[-1]})"
    if spec.times is not None:
        sentence += f", {_times(spec.times)}"
    if ((spec.before or spec.before_time) and schedule.settings.shift_to_working_day
            and kind is not Kind.HOLIDAYS and not spec.event):  # fmt: skip
        sentence += f"; {BACK_RULE}"
    if spec.ongoing and kind is not Kind.ONGOING:
        sentence = "Thường xuyên; " + sentence[0].lower() + sentence[1:]
    if spec.on_demand:
        sentence += "; và khi có yêu cầu"
    return sentence


def _times(times: tuple[dt.time | None, dt.time | None]) -> str:
    start, end = times
    if start is None:
        return f"hạn đến {end:%H:%M}" if end is not None else ""
    return f"lúc {start:%H:%M}" if end is None else f"từ {start:%H:%M} đến {end:%H:%M}"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def explain_occurrence(slot: Slot, due: dt.date) -> str:
    """One sentence for one occurrence, saying when and why a date moved."""
    if slot.is_checkin:
        text = f"Báo cáo tiến độ {slot.label}, hạn {dmy(due)}"
    elif slot.is_event:
        text = f"{slot.label[0].upper() + slot.label[1:]}: {dmy(due)}"
    else:
        text = f"Hạn chót {dmy(due)} ({slot.label})"
    if slot.times is not None:
        text += f", {_times(slot.times)}"
    if due < slot.due_on:
        text += (f"; {dmy(slot.due_on)} là ngày nghỉ, hạn \"trước\" lùi về ngày làm việc "
                 f"liền trước")  # fmt: skip
    elif due != slot.due_on:
        text += f"; {dmy(slot.due_on)} là ngày nghỉ, dời sang ngày làm việc tiếp theo"
    return text


def explain_merged(explanation: str, others: list[str]) -> str:
    """An occurrence that others shifted onto: one due date, every deadline it stands for."""
    return f"{explanation}; cũng là hạn của {', '.join(others)} (dời vào cùng ngày)"
