"""Clauses that name periods: quarters, months, parts of periods, "từ … đến …".

"Quý I"/"Quý 1"/"Quý III/2026" and lists ("Quý I, Quý IV"); "Tháng 12", "Tháng 1/2026",
"tháng 3-5", "tháng Giêng"; "từ tháng 3 đến tháng 5", "từ ngày 01/3 đến ngày 31/5"; "6 tháng
đầu năm", "nửa cuối năm", "tháng cuối quý", "ngày 20 (của) tháng cuối quý"; đầu/giữa/cuối
tháng|quý|năm (Civil Code 2015 art. 146), "ngày cuối cùng của tháng"; "thứ Năm", "thứ 2",
"Chủ nhật"; "15/02", "ngày 15 tháng 02 năm 2026", "ngày 15 (mười lăm)", "ngày 10 và 25",
"rằm tháng 7" (always lunar), "mùng 1", "… âm lịch"; months in words ("tháng Bảy", "tháng
Mười hai", "tháng Chạp" — Giêng and Chạp are lunar); "Q1", "Q1/2027" of tables. A bare number
is a day only before "hằng tháng" ("Trước 20 hằng tháng"): "Trong vòng 15 ngày" is a count.
"""

from __future__ import annotations

from tracker.cadence.idioms import IdiomClauses
from tracker.cadence.lexicon import (
    DIGIT_WORDS,
    EVERY,
    LUNAR_MONTH_NAMES,
    MONTH_WORDS,
    PARTS,
    ROMAN,
    UNITS,
    is_year,
)
from tracker.cadence.spec import Day, Part, PeriodPoint, QuarterMonth, Span, TimeUnit
from tracker.cadence.tokens import T


class PeriodClauses(IdiomClauses):
    """The recognisers of named days and periods; each returns whether it consumed tokens."""

    def from_to(self) -> bool:
        """ "từ tháng 3 đến tháng 5", "từ ngày 01/3 đến ngày 31/5", "từ ngày 01 tháng 7 đến
        hết ngày 31 tháng 12", "từ giữa tháng 9 đến giữa tháng 10", "từ ngày 5 - 25.11",
        "từ 23 tháng Chạp đến mùng 6 tháng Giêng", "từ ngày 2 đến ngày 6 hằng tháng"."""
        if not self.words_at(0, ("từ",)):
            return False
        start = self.pos
        self.pos += 1
        first = self._day_expr()
        first_number = None
        if first is None:
            self.take(("ngày",), ("mùng",), ("mồng",))
            token = self.at()
            if token is not None and token.type is T.NUM and 1 <= token.value <= 31:
                self.pos += 1
                first_number = token.value
        if (first is not None or first_number is not None) and self.take(
            ("đến", "hết"), ("đến",), ("tới",), ("-",)
        ):
            self.take(("hết",))
            last = self._day_expr()
            if last is not None:
                day, month, year, lunar = last
                if first is not None:
                    # "tháng Chạp", "tháng Giêng" name lunar months: then both ends are lunar
                    opening, lunar = (first[0], first[1]), lunar or first[3]
                else:
                    opening = (first_number or 1, month)
                lunar = self.take(("âm", "lịch"), ("(", "âm", "lịch", ")"), ("âl",)) or lunar
                self.spec.anchors.append(Day(day, month, year, lunar, opening))
                return True
            if first_number is not None and self._monthly_range(first_number):
                return True
        self.pos = start + 1
        first_month = self._month_number() if self.take(("tháng",)) else None
        if first_month is not None and self.take(("đến",), ("tới",), ("-",)):
            self.take(("hết",))
            if self.take(("tháng",)):
                token = self.at()
                last_month: int | None
                end_year: int | None
                if token is not None and token.type is T.MONTH_YEAR:
                    self.pos += 1
                    last_month, end_year = token.month, token.year
                else:
                    last_month = self._month_number()
                    end_year = self._trailing_year() if last_month is not None else None
                if last_month is not None:
                    if last_month < first_month:
                        self.spec.blocked = "khoảng tháng ngược"
                    self.spec.anchors.append(Span(first_month, last_month, end_year,
                                                  ranged=True))  # fmt: skip
                    return True
        self.pos = start
        return False

    def _monthly_range(self, first: int) -> bool:
        """ "… đến ngày 6 hằng tháng" after "từ ngày 2": open on the 2nd, due on the 6th."""
        self.take(("ngày",))
        token = self.at()
        if not (token is not None and token.type is T.NUM and first < token.value <= 31):
            return False
        if not (self.word(1) in EVERY and self.word(2) == "tháng"):
            return False
        self.pos += 3
        self.spec.anchors.append(PeriodPoint(TimeUnit.MONTH, None, token.value, opens_day=first))
        self.spec.add_unit(TimeUnit.MONTH)
        return True

    def _day_expr(self) -> tuple[int, int, int | None, bool] | None:
        """(day, month, year, lunar) of one day with its month: "01/7", "ngày 01 tháng 7 (năm
        2026)", "23 tháng Chạp", "mùng 6 tháng Giêng", "giữa tháng 9", "cuối tháng 12"."""
        start = self.pos
        part = {"đầu": 1, "giữa": 15, "cuối": 31}.get(self.word())
        if part is not None and self.word(1) == "tháng":
            self.pos += 2
            token = self.at()
            if token is not None and token.type is T.MONTH_YEAR:
                self.pos += 1
                return part, token.month, token.year, False
            month = self._month_number()
            if month is None:
                self.pos = start
                return None
            return part, month, self._trailing_year(), False
        self.take(("ngày",), ("mùng",), ("mồng",))
        token = self.at()
        if token is not None and token.type is T.DATE:
            self.pos += 1
            return token.day, token.month, token.year or self._trailing_year(), False
        if token is None or token.type is not T.NUM or not 1 <= token.value <= 31:
            self.pos = start
            return None
        if self.word(1) != "tháng":
            self.pos = start
            return None
        self.pos += 2
        following = self.at()
        if following is not None and following.type is T.MONTH_YEAR:
            self.pos += 1
            return token.value, following.month, following.year, False
        lunar = self.word() in LUNAR_MONTH_NAMES
        month = self._month_number() or self._month_word()
        if month is None or (not lunar and not day_exists(token.value, month)):
            self.pos = start
            return None
        return token.value, month, self._trailing_year(), lunar

    def part_of_period(self) -> bool:
        spec = self.spec
        # "6 tháng đầu năm", "9 tháng đầu năm", "6 tháng cuối năm"
        count = self.at()
        n = count.value if count is not None and count.type is T.NUM else 0
        if count is not None and count.type is T.WORD and self.word(1) == "tháng":
            n = DIGIT_WORDS.get(count.text, 0)  # "Sáu tháng cuối năm"
        if (
            count is not None
            and self.word(1) == "tháng"
            and self.word(2) in ("đầu", "cuối")
            and self.word(3) == "năm"
            and 1 <= n <= 12
        ):
            self.pos += 4
            first, last = (1, n) if self.tokens[self.pos - 2].text == "đầu" else (13 - n, 12)
            spec.anchors.append(Span(first, last, self._year_after_nam()))
            return True
        if self.take(("nửa", "đầu", "năm")):
            spec.anchors.append(Span(1, 6, self._year_after_nam()))
            return True
        if self.take(("nửa", "cuối", "năm"), ("nửa", "sau", "năm")):
            spec.anchors.append(Span(7, 12, self._year_after_nam()))
            return True

        if self.words_at(0, ("tháng",)):
            self.pos += 1
            of_quarter = self._month_of_quarter()
            if of_quarter is not None:
                spec.anchors.append(QuarterMonth(of_quarter[0], None, of_quarter[1]))
                spec.add_unit(TimeUnit.QUARTER)
                return True
            self.pos -= 1
        start = self.pos
        part = PARTS.get(self.word())
        # "ngày cuối cùng của tháng" is "cuối tháng"
        if self.take(("ngày", "cuối", "cùng", "của"), ("ngày", "cuối", "cùng")):
            part = Part.END
        elif part is None:
            return False
        else:
            self.pos += 1
        every = self.take(*((w,) for w in EVERY))
        unit_word = self.word()
        if unit_word not in ("tháng", "quý", "năm"):
            self.pos = start
            return False
        self.pos += 1
        if every:
            spec.add_unit(UNITS[unit_word])
        if unit_word == "năm":
            if is_year(self.at()):
                spec.scope.years.add(self._year())
            spec.anchors.append(Day(*{Part.START: (1, 1), Part.MIDDLE: (30, 6),
                                      Part.END: (31, 12)}[part]))  # fmt: skip
            return True
        if unit_word == "tháng":
            month_year = self.at()
            if not every and month_year is not None and month_year.type is T.MONTH_YEAR:
                self.pos += 1  # "cuối tháng 12/2027"
                spec.anchors.append(_part_of_month(part, month_year.month, month_year.year))
                return True
            month = None if every else self._month_number()
            if month is None:
                spec.anchors.append(PeriodPoint(TimeUnit.MONTH, part))
                if spec.unit is None:
                    spec.add_unit(TimeUnit.MONTH)
            else:
                year = self._trailing_year()
                spec.anchors.append(_part_of_month(part, month, year))
            return True
        quarter = None if every else self._quarter_number()
        if quarter is None:
            spec.anchors.append(PeriodPoint(TimeUnit.QUARTER, part))
            if spec.unit is None:
                spec.add_unit(TimeUnit.QUARTER)
        else:
            year = self._trailing_year()
            first_month = quarter * 3 - 2
            if part is Part.START:
                spec.anchors.append(Day(1, first_month, year))
            elif part is Part.MIDDLE:
                spec.anchors.append(Day(15, first_month + 1, year))
            else:
                spec.anchors.append(_part_of_month(Part.END, first_month + 2, year))
        return True

    def quarter(self) -> bool:
        if self.words_at(0, ("q",)):  # "Q1", "Q1/2027", "Q3 năm 2027" of tables
            token = self.at(1)
            if token is not None and token.type is T.MONTH_YEAR and 1 <= token.month <= 4:
                self.pos += 2
                self.spec.anchors.append(Span(token.month * 3 - 2, token.month * 3, token.year))
                return True
            if token is not None and token.type is T.NUM and 1 <= token.value <= 4:
                self.pos += 2
                q = token.value
                self.spec.anchors.append(Span(q * 3 - 2, q * 3, self._trailing_year()))
                return True
            return False
        if not (self.words_at(0, ("quý",)) and self._quarter_number(offset=1, peek=True)):
            return False
        self.pos += 1
        quarters: list[int] = []
        while True:
            number = self._quarter_number()
            if number is None:
                break
            quarters.append(number)
            start = self.pos
            self.take((",", "và"), (",",), ("và",))
            self.take(("quý",))
            if self._quarter_number(peek=True) is None:
                self.pos = start
                break
        year = self._trailing_year()
        offset = 1 if self.is_next_year() else 0
        if offset:
            self.next_year()  # "quý I của năm kế tiếp năm báo cáo"
        for q in quarters:
            self.spec.anchors.append(Span(q * 3 - 2, q * 3, year, year_offset=offset))
        return True

    def _quarter_number(self, offset: int = 0, peek: bool = False) -> int | None:
        token = self.at(offset)
        if token is None:
            return None
        number = ROMAN.get(token.text) if token.type is T.WORD else None
        if token.type is T.NUM and 1 <= token.value <= 4:
            number = token.value
        if number is not None and not peek:
            self.pos += offset + 1
        return number

    def month(self) -> bool:
        if not self.words_at(0, ("tháng",)):
            return False
        start = self.pos
        self.pos += 1
        token = self.at()
        if token is not None and token.type is T.DATE and "-" in token.text and token.year is None:
            # "tháng 3-5": a range of months written like a date
            self.pos += 1
            if not (1 <= token.day <= token.month <= 12):
                self.spec.blocked = f"khoảng tháng sai: {token.text}"
                return True
            self.spec.anchors.append(Span(token.day, token.month, self._trailing_year()))
            return True
        months: list[tuple[int, bool]] = []
        year: int | None = None
        while True:
            if token is not None and token.type is T.MONTH_YEAR:
                # "Tháng 1/2026"; "tháng 6 và tháng 12/2026": the year is the whole list's
                self.pos += 1
                months.append((token.month, False))
                year = token.year
                break
            lunar_name = self.word() in LUNAR_MONTH_NAMES
            number = self._month_number() or self._month_word()
            if number is None:
                break
            if (
                self.words_at(0, ("-",))
                and (following := self.at(1)) is not None
                and following.type is T.NUM
                and not is_year(following)  # "tháng 10-2027": the month's year
            ):
                # "tháng 11 - 12": a range of months, spaced
                self.pos += 2
                if not (number <= following.value <= 12) or months:
                    self.spec.blocked = "khoảng tháng sai"
                    return True
                self.spec.anchors.append(Span(number, following.value, self._trailing_year()))
                return True
            months.append((number, lunar_name))
            list_start = self.pos
            self.take((",", "và"), (",",), ("và",))
            named = self.take(("tháng",))
            token = self.at()
            if not (
                token is not None
                and (token.type is T.NUM or token.type is T.MONTH_YEAR
                     or (named and any(self.words_at(0, seq) for seq, _ in MONTH_WORDS)))
            ):  # fmt: skip
                self.pos = list_start
                break
        if not months:
            self.pos = start
            return False
        lunar = self.take(("âm", "lịch"), ("(", "âm", "lịch", ")"), ("âl",))
        if year is None:
            year = self._trailing_year()
        for number, lunar_name in months:
            self.spec.anchors.append(Span(number, number, year, lunar=lunar or lunar_name))
        return True

    def _month_word(self) -> int | None:
        """A month named in words after "tháng": "Giêng", "Bảy", "Mười hai", "Chạp"."""
        for seq, number in MONTH_WORDS:
            if self.words_at(0, seq):
                if seq == ("năm",) and is_year(self.at(1)):
                    return None  # "tháng năm 2026": a blank month, then the year
                self.pos += len(seq)
                return number
        return None

    def _month_of_quarter(self) -> tuple[int, int] | None:
        """After "tháng": "đầu|giữa|cuối (của) (hằng|mỗi) quý", "thứ hai của mỗi quý", "đầu
        quý sau" → (1, 2 or 3; 1 for the next quarter, else 0), consumed; else None."""
        start = self.pos
        index = {"đầu": 1, "giữa": 2, "cuối": 3}.get(self.word())
        width = 1
        if self.take(("đầu", "tiên"), ("thứ", "nhất")):
            index, width = 1, 0
        elif self.take(("cuối", "cùng")):
            index, width = 3, 0
        elif self.word() == "thứ" and self.word(1) in ("hai", "ba"):
            index, width = (2 if self.word(1) == "hai" else 3), 2
        if index is None:
            return None
        self.pos += width
        self.take(("của",), ("trong",))
        if not (self.take(("quý",)) or self.take(*((w, "quý") for w in EVERY))):
            self.pos = start
            return None
        offset = 1 if self.take(("sau",), ("tiếp", "theo"), ("kế", "tiếp"), ("liền", "kề")) else 0
        return index, offset

def day_exists(day: int, month: int) -> bool:
    return day <= (29 if month == 2 else 30 if month in (4, 6, 9, 11) else 31)


def _part_of_month(part: Part, month: int, year: int | None) -> Day:
    """Civil Code 2015 art. 146(2): đầu tháng = day 1, giữa tháng = day 15, cuối tháng = the
    last day (31 stands for the last day of any month; see schedule.resolve_day)."""
    day = {Part.START: 1, Part.MIDDLE: 15, Part.END: 31}[part]
    return Day(day, month, year)
