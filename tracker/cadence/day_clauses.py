"""Clauses that name a weekday or a day: "thứ Năm", "thứ 2", "Chủ nhật", "Thứ Bảy, ngày
21/3/2026" (the weekday checked against the date), "15/02", "ngày 15 tháng 02 năm 2026",
"ngày 15 (mười lăm)", "ngày 10 và 25", "ngày 12-14/3/2026", "ngày 8, 9/11/2026", "rằm tháng 7"
(always lunar), "mùng 1", "… âm lịch", "ngày 20 (của) tháng cuối quý".

The periods these days sit in (quarters, months, parts of periods, "từ … đến …") are read by
:class:`~tracker.cadence.periods.PeriodClauses`, which this class extends.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from tracker.cadence.lexicon import EVERY, LUNAR_MONTH_NAMES, parse_numeral
from tracker.cadence.periods import PeriodClauses, day_exists
from tracker.cadence.spec import Day, PeriodPoint, QuarterMonth, TimeUnit, Weekday
from tracker.cadence.tokens import T


class DayClauses(PeriodClauses):
    """The recognisers of weekdays and days; each returns whether it consumed tokens."""

    def weekday(self) -> bool:
        start = self.pos
        self.take(("các", "ngày"), ("ngày",), ("vào",))
        self.take(("sáng",), ("chiều",))
        found: list[int] = []
        while True:
            named = self.weekday_at()
            if named is None:
                break
            self.pos += named[1]
            found.append(named[0])
            list_start = self.pos
            self.take((",", "và"), (",",), ("và",))
            if self.weekday_at() is None:
                self.pos = list_start
                break
        if not found:
            self.pos = start
            return False
        if len(found) == 1 and self._dated_weekday(found[0]):
            return True  # "Thứ Bảy, ngày 21/3/2026"
        before_week = len(self.spec.anchors)
        if len(found) == 1 and self.month_week(found[0]):
            return True  # "thứ Năm của tuần thứ ba trong tháng"
        del self.spec.anchors[before_week:]
        self.spec.anchors.extend(Weekday(iso) for iso in found)
        if self.spec.unit is None and not self.spec.blocked:
            self.spec.unit = TimeUnit.WEEK
        return True

    def _dated_weekday(self, iso: int) -> bool:
        """A weekday written before its date: they must agree, and the year must be known."""
        start = self.pos
        self.take((",",), ("-",))
        offset = 1 if self.word() == "ngày" else 0
        token = self.at(offset)
        if token is None or token.type is not T.DATE:
            self.pos = start
            return False
        count = len(self.spec.anchors)
        self.day()
        self._check_weekday(count, iso)
        return True

    def _check_weekday(self, count: int, iso: int) -> None:
        added = self.spec.anchors[count:]
        if len(added) != 1 or not isinstance(added[0], Day) or added[0].lunar:
            self.spec.blocked = "thứ đi kèm ngày không rõ"
            return
        day = added[0]
        if day.year is None:
            self.spec.blocked = "thứ đi kèm ngày thiếu năm: không kiểm được"
            return
        if dt.date(day.year, day.month, day.day).isoweekday() != iso:
            self.spec.blocked = f"ngày {day.day}/{day.month}/{day.year} không phải thứ đã ghi"
            return
        self.spec.anchors[count] = replace(day, weekday=iso)

    def _weekday_after(self, count: int) -> None:
        """ "28/3/2027 (Chủ nhật)", "21/3/2026, thứ Bảy": check the weekday against the date."""
        offset = 1 if self.words_at(0, ("(",)) or self.words_at(0, (",",)) else 0
        named = self.weekday_at(offset)
        if named is None:
            return
        end = offset + named[1]
        if self.words_at(0, ("(",)):
            if not self.words_at(end, (")",)):
                return
            end += 1
        elif offset and self.at(end) is not None and self.at(end).type is not T.PUNCT:  # type: ignore[union-attr]
            return  # "15/02, thứ Năm hằng tuần": a list, not the date's weekday
        self.pos += end
        self._check_weekday(count, named[0])

    def day(self) -> bool:
        start = self.pos
        count = len(self.spec.anchors)
        named = self.take(("các", "ngày"), ("ngày",))
        day_numbers: list[int] = []
        month: int | None = None
        year: int | None = None
        lunar = False
        opening: int | None = None
        token = self.at()
        if token is not None and token.type is T.DATE:
            self.pos += 1
            day_numbers, month, year = [token.day], token.month, token.year
        elif self.take(("rằm",)):
            day_numbers, lunar = [15], True  # the full moon: a lunar day
        elif (
            self.take(("mùng",), ("mồng",))
            or (named and token is not None and token.type is T.NUM)
            # a bare number is a day only before "hằng tháng": "Trước 20 hằng tháng";
            # else it is a count or an amount ("Trong vòng 15 ngày"): a stray number
            or (token is not None and token.type is T.NUM
                and self.word(1) in EVERY and self.word(2) == "tháng")
            # or the first of a range of days: "15 - 17 tháng Giêng âm lịch"
            or (token is not None and token.type is T.NUM and self.words_at(1, ("-",))
                and (n := self.at(2)) is not None and n.type is T.NUM and self.word(3) == "tháng")
        ):  # fmt: skip
            while True:
                token = self.at()
                if not (token is not None and token.type is T.NUM and 1 <= token.value <= 31):
                    break
                self.pos += 1
                day_numbers.append(token.value)
                self._parenthetical_number(token.value)
                list_start = self.pos
                if len(day_numbers) == 1 and self.take(("-",), ("đến",)):
                    # "ngày 12-14/3/2026", "15 - 17 tháng Giêng": a range of days
                    last = self.at()
                    if last is not None and last.type is T.DATE and last.day > token.value:
                        self.pos += 1
                        opening, day_numbers = token.value, [last.day]
                        month, year = last.month, last.year
                        break
                    if last is not None and last.type is T.NUM and last.value > token.value \
                            and self.word(1) == "tháng":
                        opening, day_numbers = token.value, []
                        continue
                    if last is not None and last.type is T.NUM and last.value <= 31 \
                            and last.value > token.value and self.word(1) in EVERY \
                            and self.word(2) == "tháng":
                        # "ngày 12-14 hằng tháng": open on the 12th, due on the 14th
                        self.pos += 3
                        self.spec.anchors.append(
                            PeriodPoint(TimeUnit.MONTH, None, last.value, opens_day=token.value))
                        self.spec.add_unit(TimeUnit.MONTH)
                        return True
                    self.spec.blocked = "khoảng ngày không rõ"
                    return True
                self.take((",", "và"), (",",), ("và",))
                self.take(("ngày",))
                following = self.at()
                if (following is not None and following.type is T.DATE
                        and following.day not in day_numbers and self.pos > list_start):
                    # "ngày 8, 9/11/2026", "các ngày 29, 30-4": the month is the last day's
                    self.pos += 1
                    day_numbers.append(following.day)
                    month, year = following.month, following.year
                    break
                if not (following is not None and following.type is T.NUM
                        and following.value <= 31 and self.word(1) != "lần"):  # fmt: skip
                    self.pos = list_start
                    break
        if day_numbers and month is None:
            if opening is None and self.month_of_report(day_numbers):
                return True  # "ngày 12 của tháng báo cáo", "ngày 20 của tháng liền kề"
            before_month = self.pos
            of = self.take(("của",))
            if self.take(("tháng",)):
                of_quarter = self._month_of_quarter()
                if of_quarter is not None and opening is None:
                    # "ngày 20 tháng cuối quý", "ngày 10 của tháng đầu quý sau"
                    index, offset = of_quarter
                    self.spec.anchors.extend(QuarterMonth(index, d, offset) for d in day_numbers)
                    self.spec.add_unit(TimeUnit.QUARTER)
                    return True
                following = self.at()
                if following is not None and following.type is T.MONTH_YEAR:
                    self.pos += 1
                    month, year = following.month, following.year
                else:
                    lunar = lunar or self.word() in LUNAR_MONTH_NAMES  # "tháng Chạp"
                    month = self._month_number() or self._month_word()
                    if month is None:
                        self.spec.blocked = "thiếu số tháng"
                        return True
            elif of:
                self.pos = before_month
        if not day_numbers:
            self.pos = start
            return False
        if year is None:
            year = self._trailing_year()
        lunar = self.take(("âm", "lịch"), ("(", "âm", "lịch", ")"), ("(", "âl", ")"),
                          ("âl",)) or lunar  # fmt: skip
        year_offset = 1 if month is not None and self.is_next_year() else 0
        if month is not None and (year_offset or self.words_at(0, ("của", "năm", "báo", "cáo"))
                                  or self.words_at(0, ("năm", "báo", "cáo"))):  # fmt: skip
            self.next_year()  # "của năm báo cáo", "của năm kế tiếp (năm báo cáo)"
        for number in day_numbers:
            if month is None:
                if lunar:
                    self.spec.blocked = "ngày âm lịch thiếu tháng"
                if opening is not None:
                    self.spec.blocked = "khoảng ngày thiếu tháng"
                self.spec.anchors.append(PeriodPoint(TimeUnit.MONTH, None, number))
                if self.spec.unit is None:
                    self.spec.unit = TimeUnit.MONTH
            elif not day_exists(number, month) and not lunar:
                self.spec.blocked = f"không có ngày {number}/{month}"
            elif opening is not None and not (lunar or day_exists(opening, month)):
                self.spec.blocked = f"không có ngày {opening}/{month}"
            else:
                opens = (opening, month) if opening is not None else None
                self.spec.anchors.append(Day(number, month, year, lunar, opens, year_offset))
        if len(day_numbers) == 1 and month is not None and not lunar:
            self._weekday_after(count)
        return True

    def _parenthetical_number(self, value: int) -> None:
        """ "15 (mười lăm)": the number in words must repeat the number in figures."""
        if not self.words_at(0, ("(",)):
            return
        end = self.pos + 1
        while end < len(self.tokens) and self.tokens[end].type is T.WORD:
            end += 1
        if end >= len(self.tokens) or not self.tokens[end].is_punct(")"):
            return
        words = [t.text for t in self.tokens[self.pos + 1 : end]]
        spelled = parse_numeral(words)
        if spelled is None:
            return
        if spelled != value:
            self.spec.blocked = f"số {value} và chữ '{' '.join(words)}' không khớp"
        self.pos = end + 1

