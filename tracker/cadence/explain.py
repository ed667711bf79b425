"""Short Vietnamese sentences that say what the engine understood.

People trust a deadline they can check: every cadence carries one sentence ("Hằng năm, hạn
chót 14/02 (trước ngày 15/02)") and every occurrence another ("Hạn chót 16/11/2026 (14/11 là
ngày nghỉ, dời sang ngày làm việc tiếp theo)").
"""

from __future__ import annotations

import datetime as dt

from tracker.cadence.model import Kind
from tracker.cadence.schedule import Schedule, Slot, resolve_day, span_label
from tracker.cadence.spec import Day, Holiday, PeriodPoint, QuarterMonth, Span, Weekday, YearWhole
from tracker.cadence.vn_calendar import HOLIDAYS, MAJOR_HOLIDAYS

_WEEKDAY_NAMES = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")
_CHECKIN_NAMES = {"quarter": "cuối mỗi quý", "month": "cuối mỗi tháng",
                  "half": "cuối mỗi 6 tháng", "year": "cuối mỗi năm"}  # fmt: skip
_PERIOD_NAMES = {Kind.MONTHLY: "tháng", Kind.QUARTERLY: "quý"}
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
            if anchor.lunar:
                phrases.append(f"ngày {anchor.day}/{anchor.month} âm lịch")
            elif spec.before and settings.before_means_day_before:
                day_before = resolve_day(anchor, anchor.year or 2027) - dt.timedelta(days=1)
                due = f"{day_before:%d/%m}" + (f"/{day_before.year}" if anchor.year else "")
                phrases.append(f"hạn chót {due} (trước ngày {named})")
            elif anchor.opens is not None:
                phrases.append(f"từ {anchor.opens[0]:02d}/{anchor.opens[1]:02d}, hạn chót {named}")
            else:
                phrases.append(f"hạn chót {'trước ngày ' if spec.before else ''}{named}")
        elif isinstance(anchor, Span):
            label = span_label(anchor.first, anchor.last, anchor.year)
            lunar = " âm lịch" if anchor.lunar else ""
            end = "" if anchor.lunar else f", hạn chót {_month_end(anchor.last)}"
            if anchor.year is not None and end:
                end += f"/{anchor.year}"
            within = "" if label.startswith("từ") else "trong "
            phrases.append(
                f"trước {label}{lunar}" if spec.before else f"{within}{label}{lunar}{end}"
            )
        elif isinstance(anchor, PeriodPoint):
            period = "tháng" if anchor.unit.value == "month" else "quý"
            if anchor.day is not None:
                day = anchor.day - 1 if spec.before and settings.before_means_day_before else None
                phrases.append(f"hạn chót ngày {anchor.day}" if day is None
                               else f"hạn chót trước ngày {anchor.day} (ngày {day})")  # fmt: skip
            else:
                phrases.append(f"hạn chót {anchor.part.value if anchor.part else 'cuối'} {period}")
        elif isinstance(anchor, QuarterMonth):
            month = f"tháng {('đầu', 'giữa', 'cuối')[anchor.index - 1]} quý"
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
    if spec.ongoing and kind is not Kind.ONGOING:
        sentence = "Thường xuyên; " + sentence[0].lower() + sentence[1:]
    if spec.on_demand:
        sentence += "; và khi có yêu cầu"
    return sentence


def explain_occurrence(slot: Slot, due: dt.date) -> str:
    """One sentence for one occurrence, saying when and why a date moved."""
    if slot.is_checkin:
        text = f"Báo cáo tiến độ {slot.label}, hạn {due:%d/%m/%Y}"
    elif slot.is_event:
        text = f"{slot.label[0].upper() + slot.label[1:]}: {due:%d/%m/%Y}"
    else:
        text = f"Hạn chót {due:%d/%m/%Y} ({slot.label})"
    if due != slot.due_on:
        text += f"; {slot.due_on:%d/%m/%Y} là ngày nghỉ, dời sang ngày làm việc tiếp theo"
    return text
