"""Clauses of real offices' wording: times of day, weeks of a month, dekads, the Tết season,
computable relatives and report periods.

* times of day: "lúc 8 giờ", "8h30", "14:00", "từ 19 giờ 30 đến 21 giờ", "7 giờ sáng",
  "2 giờ chiều" — kept beside the date (the day of a meeting is an event: never moved);
* a week of a month, in blocks of seven days from the 1st: "tuần đầu tiên hằng tháng",
  "tuần thứ hai của tháng", "tuần lễ cuối tháng" (the last seven days), "thứ Năm của tuần
  thứ ba trong tháng" (the third Thursday), "tuần cuối cùng của tháng 12";
* dekads: "thượng tuần" is days 1-10, "trung tuần" 11-20, "hạ tuần" 21 to the month's end:
  due on the dekad's last day, open from its first;
* the Tết season: "trước, trong và sau Tết Nguyên đán" is 23 tháng Chạp (ông Công ông Táo)
  to Rằm tháng Giêng, due on the Rằm;
* computable relatives: "chậm nhất 60 ngày kể từ ngày kết thúc năm", "trong vòng 15 ngày sau
  khi kết thúc quý": N days after each period ends. "Kỳ báo cáo" is the period of the
  cadence already read ("Báo cáo quý: … kết thúc kỳ báo cáo"), else unknown. A relative to
  an event the calendar does not know ("15 ngày sau khi có hướng dẫn") stays unknown;
* report-period words after a day: "của tháng báo cáo" (that month), "của tháng liền kề",
  "tháng tiếp theo", "tháng kế tiếp", "tháng sau" (the next), "của năm kế tiếp (năm báo
  cáo)", "năm liền kề" (the year after the one reported on).
"""

from __future__ import annotations

import datetime as dt

from tracker.cadence.cursor import Cursor
from tracker.cadence.lexicon import (
    CAN,
    CAN_CHI_CYCLE,
    CAN_CHI_SPELLING,
    CHI,
    EVERY,
    NAMED_HOLIDAYS,
    WEEKDAY_WORDS,
    is_year,
)
from tracker.cadence.spec import AfterEnd, Day, MonthWeek, PeriodPoint, TimeUnit
from tracker.cadence.tokens import T
from tracker.cadence.wording import N_

_ORDINALS = {"nhất": 1, "hai": 2, "ba": 3, "tư": 4, "bốn": 4}
_DEKADS = {"thượng": (1, 10), "trung": (11, 20), "hạ": (21, 31)}
_DEKAD_NAMES = {"thượng": N_("thượng tuần"), "trung": N_("trung tuần"), "hạ": N_("hạ tuần")}
_MONTH_END = N_("cuối tháng")
_NEXT = (("liền", "kề"), ("tiếp", "theo"), ("kế", "tiếp"), ("sau",), ("tới",))
# "tháng sau", "năm tới" alone are the month or year after the plan's issue; they are the
# period after the one reported on only when the report is named: "tháng sau tháng báo cáo"
_LOOSE = (("sau",), ("tới",))
_END_OF = (("kể", "từ", "ngày", "kết", "thúc"), ("kể", "từ", "khi", "kết", "thúc"),
           ("sau", "khi", "kết", "thúc"), ("từ", "ngày", "kết", "thúc"),
           ("sau", "ngày", "kết", "thúc"), ("kể", "từ", "ngày", "hết"))  # fmt: skip
_SEASON = (("trước", ",", "trong", "và", "sau"), ("trước", ",", "trong", ",", "sau"),
           ("trước", "trong", "và", "sau"))  # fmt: skip


class IdiomClauses(Cursor):
    """Recognisers of the idioms above; each returns whether it consumed tokens."""

    # -- times of day --------------------------------------------------------------------
    def time_of_day(self) -> bool:
        start = self.pos
        self.take(("vào", "lúc"), ("lúc",), ("từ",))
        first = self._time()
        if first is None:
            self.pos = start
            return False
        end: dt.time | None = None
        if self.take(("đến",), ("tới",), ("-",)):
            end = self._time()
            if end is None or end <= first:
                self.spec.blocked = "khoảng giờ sai"
                return True
        elif self.tokens[start].text == "từ":
            self.pos = start
            return False
        if self.spec.times is not None:
            self.spec.blocked = "hai giờ khác nhau"
        if end is None and (self.spec.before_time or self.spec.deadline):
            self.spec.times = (None, first)  # "trước 17 giờ", "chậm nhất 17h00": by that hour
        else:
            self.spec.times = (first, end)
        self.take(("ngày",)) if self._date_follows(1) else None
        return True

    def time_follows(self) -> bool:
        """Whether a time of day ("17 giờ", "17h00") starts at pos; nothing is consumed."""
        start = self.pos
        found = self._time() is not None
        self.pos = start
        return found

    def _date_follows(self, offset: int) -> bool:
        token = self.at(offset)
        return token is not None and token.type is T.DATE

    def _time(self) -> dt.time | None:
        """ "8 giờ", "8 giờ 30 (phút)", "8h30", "8h", "14:00", then "sáng"/"chiều"/"tối"."""
        hour = self.at()
        if hour is None or hour.type is not T.NUM or hour.value > 23:
            return None
        minute = 0
        if self.word(1) in ("giờ", "h"):
            width = 2
            following = self.at(2)
            if following is not None and following.type is T.NUM and following.value < 60:
                minute, width = following.value, 3
                if self.word(3) == "phút":
                    width = 4
        elif self.words_at(1, (":",)) and (m := self.at(2)) is not None and m.type is T.NUM:
            if m.value > 59 or len(m.text) != 2:
                return None
            minute, width = m.value, 3
        else:
            return None
        self.pos += width
        value = hour.value
        if self.take(("chiều",), ("tối",)) and value < 12:
            value += 12
        else:
            self.take(("sáng",))
        return dt.time(value, minute)

    # -- weeks of a month ----------------------------------------------------------------
    def month_week(self, weekday: int | None = None) -> bool:
        """ "tuần đầu tiên hằng tháng", "(của) tuần thứ ba trong tháng", "tuần lễ cuối tháng"."""
        start = self.pos
        self.take(("của",), ("trong",), ("vào",))
        if not self.take(("tuần", "lễ"), ("tuần",)):
            self.pos = start
            return False
        index: int | None = None
        if self.take(("đầu", "tiên"), ("đầu",), ("thứ", "nhất")):
            index = 1
        elif self.take(("cuối", "cùng"), ("cuối",)):
            index = -1
        elif self.word() == "thứ":
            token = self.at(1)
            if token is not None and token.type is T.NUM and 1 <= token.value <= 4:
                index = token.value
            elif token is not None and token.text in _ORDINALS:
                index = _ORDINALS[token.text]
            if index is not None:
                self.pos += 2
        if index is None:
            self.pos = start
            return False
        self.take(("của",), ("trong",))
        every = self.take(*((w, "tháng") for w in EVERY))
        if not every and not self.take(("tháng",)):
            self.spec.blocked = "tuần của tháng nào?"
            return True
        month = None if every else self._month_number()
        if month is None and not every:
            following = self.at()
            if following is not None and following.type in (T.NUM, T.DATE, T.MONTH_YEAR):
                self.spec.blocked = "tháng không rõ"
                return True
        self.spec.anchors.append(MonthWeek(index, weekday, month))
        if month is None:
            self.spec.add_unit(TimeUnit.MONTH)
        return True

    # -- dekads --------------------------------------------------------------------------
    def dekad(self) -> bool:
        name = self.word()
        if name not in _DEKADS or self.word(1) != "tuần":
            return False
        self.pos += 2
        first, last = _DEKADS[name]
        every = self.take(*((w, "tháng") for w in EVERY))
        if every:
            self.spec.anchors.append(PeriodPoint(TimeUnit.MONTH, None, last, opens_day=first))
            self.spec.add_unit(TimeUnit.MONTH)
            return True
        if not self.take(("tháng",)):
            self.spec.blocked = "thiếu tháng"
            return True
        token = self.at()
        if token is not None and token.type is T.MONTH_YEAR:
            self.pos += 1
            month, year = token.month, token.year
        else:
            number = self._month_number()
            if number is None:
                self.spec.blocked = "thiếu số tháng"
                return True
            month, year = number, self._trailing_year()
        shown = N_("%(dekad)s tháng %(month)d (ngày %(first)d-%(last)s)",
                   dekad=_DEKAD_NAMES[name], month=month, first=first,
                   last=str(last) if last < 31 else _MONTH_END)  # fmt: skip
        self.spec.anchors.append(Day(last, month, year, opens=(first, month), named_as=shown))
        return True

    # -- the Tết season ------------------------------------------------------------------
    def season(self) -> bool:
        start = self.pos
        if not self.take(*_SEASON):
            return False
        self.take(("dịp",), ("các", "dịp"))
        for seq, slug in NAMED_HOLIDAYS:
            if self.take(seq):
                if slug != "tet-nguyen-dan":
                    self.spec.blocked = "mùa của ngày lễ này chưa rõ"
                    return True
                year = self._holiday_year()
                named = N_("trước, trong và sau Tết Nguyên đán: mùa Tết từ 23 tháng Chạp "
                           "đến Rằm tháng Giêng")  # fmt: skip
                self.spec.anchors.append(Day(15, 1, year, True, (23, 12), named_as=named))
                return True
        self.pos = start
        return False

    def _holiday_year(self) -> int | None:
        """ "Tết Nguyên đán 2027", "Tết Nguyên đán Bính Ngọ (2026)": that year's holiday.

        A year name alone is its year in the 60-year cycle 1984-2043; a name and a number
        that disagree ("Bính Ngọ 2027") make the phrase unknown.
        """
        named: int | None = None
        can = CAN_CHI_SPELLING.get(self.word(), self.word())
        chi = CAN_CHI_SPELLING.get(self.word(1), self.word(1))
        if can in CAN and chi in CHI:
            self.pos += 2
            stem, branch = CAN.index(can), CHI.index(chi)
            if stem % 2 != branch % 2:
                self.spec.blocked = f"không có năm {can} {chi}"
                return None
            named = CAN_CHI_CYCLE + next(
                n for n in range(60) if n % 10 == stem and n % 12 == branch
            )
        start = self.pos
        self.take(("(", "năm"), ("năm",), ("(",))
        if not is_year(self.at()):
            self.pos = start
            return named
        number = self._year()
        self.take((")",))
        if named is not None and number != named:
            self.spec.blocked = f"tên năm và số năm {number} không khớp"
        return number

    # -- computable relatives ------------------------------------------------------------
    def after_end(self) -> bool:
        """ "(chậm nhất|trong vòng) 60 ngày kể từ ngày kết thúc năm|quý|tháng|kỳ báo cáo"."""
        start = self.pos
        self.take(("trong", "vòng"), ("trong", "thời", "hạn"), ("trong",), ("sau",))
        count = self.at()
        if count is None or count.type is not T.NUM or self.word(1) != "ngày":
            self.pos = start
            return False
        self.pos += 2
        self.take((",",))
        if not self.take(*_END_OF):
            self.pos = start
            return False
        self.take(("của",))
        unit = self._period_word()
        if unit is None:
            self.spec.blocked = "kết thúc kỳ nào?"
            return True
        self.take(("báo", "cáo"))
        self.spec.anchors.append(AfterEnd(unit, count.value))
        if unit is not TimeUnit.YEAR:
            self.spec.add_unit(unit)
        return True

    def _period_word(self) -> TimeUnit | None:
        """ "năm", "quý", "tháng", "6 tháng", "kỳ báo cáo" (the cadence already read)."""
        if self.take(("kỳ", "báo", "cáo"), ("kỳ",)):
            return self.spec.unit
        if self.take(("6", "tháng"), ("06", "tháng"), ("sáu", "tháng")):
            return TimeUnit.HALF
        words = (("năm", TimeUnit.YEAR), ("quý", TimeUnit.QUARTER), ("tháng", TimeUnit.MONTH))
        for word, unit in words:
            if self.take((word,)):
                return unit
        return None

    # -- report periods ------------------------------------------------------------------
    def month_of_report(self, days: list[int]) -> bool:
        """After "ngày D (của)": "tháng báo cáo", "tháng liền kề", "kỳ báo cáo"…"""
        start = self.pos
        self.take(("của",))
        offset: int | None = None
        if self.take(("tháng", "báo", "cáo")):
            offset = 0
        elif self.words_at(0, ("tháng",)):
            self.pos += 1
            width = self._next_words("tháng")
            if width:
                self.pos += width
                offset = 1
                self.take(("của", "tháng", "báo", "cáo"), ("tháng", "báo", "cáo"),
                          ("kỳ", "báo", "cáo"))  # fmt: skip
        elif self.take(("kỳ", "báo", "cáo")):
            if self.spec.unit is not TimeUnit.MONTH:
                self.spec.blocked = "ngày của kỳ báo cáo nào?"
                return True
            offset = 0
        if offset is None:
            self.pos = start
            return False
        for day in days:
            self.spec.anchors.append(PeriodPoint(TimeUnit.MONTH, None, day, offset=offset))
        if self.spec.unit is None:
            self.spec.add_unit(TimeUnit.MONTH)
        return True

    def next_year(self) -> bool:
        """After a day or a period: "(của) năm kế tiếp (năm báo cáo)", "năm liền kề"."""
        start = self.pos
        self.take(("của",))
        if self.take(("năm", "báo", "cáo")):
            return True
        if self.take(*(("năm", *seq) for seq in _NEXT)):
            self.take(("của", "năm", "báo", "cáo"), ("năm", "báo", "cáo"), ("sau", "năm", "báo",
                                                                            "cáo"))  # fmt: skip
            return True
        self.pos = start
        return False

    def is_next_year(self) -> bool:
        """Whether :meth:`next_year` would read a year after the report's here: "của năm kế
        tiếp", "năm liền kề", "năm sau năm báo cáo". A bare "năm sau" or "năm tiếp theo" is
        the year after the plan's issue (a year scope), not this."""
        offset = 1 if self.word() == "của" else 0
        if self.word(offset) != "năm":
            return False
        if self.spec.unit is TimeUnit.YEAR and self.words_at(offset + 1, ("sau",)):
            # "Hằng năm, trước ngày 31/01 năm sau": with a yearly cadence already said, the
            # year after is the one after each year reported on, not after the plan's issue.
            return True
        start = self.pos
        self.pos += offset + 1
        width = self._next_words("năm")
        following = self.words_at(0, ("liền", "kề"))
        self.pos = start
        return bool(width) and (bool(offset) or following or self._names_report(
            offset + 1 + width, "năm"))

    def _next_words(self, unit: str) -> int:
        """The width of "liền kề", "tiếp theo", "kế tiếp" at pos, or of "sau"/"tới" when the
        report follows ("sau tháng báo cáo"); 0 when none is there."""
        for seq in _NEXT:
            if self.words_at(0, seq):
                if seq in _LOOSE and not self._names_report(len(seq), unit):
                    return 0
                return len(seq)
        return 0

    def _names_report(self, offset: int, unit: str) -> bool:
        return self.words_at(offset, (unit, "báo", "cáo")) or self.words_at(
            offset, ("của", unit, "báo", "cáo"))

    # -- a weekday written beside a date ---------------------------------------------------
    def weekday_at(self, offset: int = 0) -> tuple[int, int] | None:
        """(ISO weekday, tokens) of "thứ Bảy", "thứ 7", "Chủ nhật" at pos+offset."""
        if self.words_at(offset, ("chủ", "nhật")):
            return 7, 2
        if self.word(offset) != "thứ":
            return None
        token = self.at(offset + 1)
        if token is not None and token.type is T.NUM and 2 <= token.value <= 7:
            return token.value - 1, 2
        if token is not None and token.type is T.WORD and token.text in WEEKDAY_WORDS:
            return WEEKDAY_WORDS[token.text], 2
        return None
