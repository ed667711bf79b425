"""The grammar of Vietnamese administrative time phrases: tokens → :class:`Spec`.

A phrase is read left to right. At each token the clause recognisers below are tried in
order; the first that matches consumes its tokens and records a clause:

* qualifiers: "trước (ngày)" (before), "chậm nhất", "muộn nhất", "hạn chót", "không quá",
  "đến hết" (deadline on the day itself); "nhân (dịp)", "vào dịp" mark event days;
* ongoing ("thường xuyên", "xuyên suốt (năm)", "liên tục", "hằng ngày") and on-demand
  ("khi cần thiết", "khi có yêu cầu", "theo nhu cầu", "đột xuất", "sự kiện");
* holidays, solar and lunar: "Tết Dương lịch", "Tết Nguyên đán", "Giỗ Tổ Hùng Vương",
  "Quốc khánh", "các ngày lễ lớn", "lễ, tết", "Trung thu", "Rằm tháng Giêng";
* year scope: "Năm 2027 và năm 2030", "Từ năm 2027 (đến năm 2030)", "Giai đoạn 2028 - 2030",
  "2026 - 2030", "những năm tiếp theo", "năm sau", "năm nay";
* frequency: "hằng/hàng/mỗi/từng/các + năm|quý|tháng|tuần", "cả năm", "định kỳ 6 tháng",
  "N lần/năm|quý|tháng|tuần", "N tháng/lần", "01 ngày/tuần";
* periods: "Quý I"/"Quý 1"/"Quý III/2026", "Tháng 12", "Tháng 1/2026", "từ tháng 3 đến
  tháng 5", "6 tháng đầu năm", "9 tháng đầu năm", "tháng cuối quý", "đầu/giữa/cuối
  tháng|quý|năm" (Civil Code 2015 art. 146);
* days: "15/02", "15-2", "ngày 15 tháng 02 (năm 2026)", "ngày 15 (mười lăm)", "ngày 15 hằng
  tháng", "thứ Năm hằng tuần", "ngày 10/3 âm lịch", "mùng 1", "rằm".

Tokens no recogniser takes are tolerated as commentary ("Thường xuyên, theo điều kiện thực
tế") unless they could change the meaning: a stray number or date, a unit word ("tháng"
without its number), or words of exception and condition ("trừ", "sau", "kể từ", "nếu",
"khi …" other than on-demand). Those make the phrase unknown: the engine never guesses.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from tracker.cadence.spec import (
    Day,
    Holiday,
    Part,
    PeriodPoint,
    QuarterMonth,
    Span,
    Spec,
    Unit,
    Weekday,
    YearWhole,
)
from tracker.cadence.tokens import T, Token

_EVERY = ("hằng", "hàng", "mỗi", "từng", "các")
_UNITS = {"năm": Unit.YEAR, "quý": Unit.QUARTER, "tháng": Unit.MONTH, "tuần": Unit.WEEK}
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_PARTS = {"đầu": Part.START, "giữa": Part.MIDDLE, "cuối": Part.END}
_DIGIT_WORDS = {
    "một": 1, "mốt": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4, "năm": 5, "lăm": 5,
    "sáu": 6, "bảy": 7, "bẩy": 7, "tám": 8, "chín": 9,
}  # fmt: skip
_WEEKDAY_WORDS = {"hai": 1, "ba": 2, "tư": 3, "năm": 4, "sáu": 5, "bảy": 6, "bẩy": 6}
_BLOCKING = {"trừ", "ngoại", "sau", "kể", "nếu", "tuỳ", "tùy", "chưa", "hoãn", "lùi", "khi",
             "không", "thứ", "lần", "âm", "rằm", "mùng", "mồng"}  # fmt: skip
_ON_DEMAND = (
    ("khi", "cần", "thiết"), ("khi", "có", "yêu", "cầu"), ("khi", "có", "nhu", "cầu"),
    ("khi", "được", "yêu", "cầu"), ("khi", "phát", "sinh"), ("khi", "có", "chỉ", "đạo"),
    ("theo", "yêu", "cầu"), ("theo", "nhu", "cầu"), ("theo", "chỉ", "đạo"),
    ("đột", "xuất"), ("sự", "kiện"), ("khi", "có", "sự", "kiện"),
)  # fmt: skip
_ONGOING = (("thường", "xuyên"), ("xuyên", "suốt"), ("liên", "tục"), ("hằng", "ngày"),
            ("hàng", "ngày"), ("quanh", "năm"), ("suốt", "năm"))  # fmt: skip
_ONGOING_TAIL = (("trong", "năm"), ("cả", "năm"), ("năm",))
_DEADLINE = (("chậm", "nhất"), ("muộn", "nhất"), ("hạn", "chót"), ("hạn", "cuối"),
             ("không", "quá"), ("không", "muộn", "hơn"), ("đến", "hết"), ("hết",),
             ("trước", "hoặc", "trong"), ("trước", "hoặc", "vào"))  # fmt: skip
_EVENT = (("nhân", "dịp"), ("nhân",), ("vào", "dịp"), ("dịp",))
_MAJOR = (("ngày", "lễ", "lớn"), ("dịp", "lễ", "lớn"), ("ngày", "lễ"), ("dịp", "lễ"),
          ("lễ", "lớn"), ("lễ", ",", "tết"), ("lễ", "tết"))  # fmt: skip
_NAMED_HOLIDAYS = (
    (("tết", "dương", "lịch"), "tet-duong-lich"),
    (("tết", "nguyên", "đán"), "tet-nguyen-dan"),
    (("tết", "âm", "lịch"), "tet-nguyen-dan"),
    (("tết", "cổ", "truyền"), "tet-nguyen-dan"),
    (("tết", "trung", "thu"), "trung-thu"),
    (("trung", "thu"), "trung-thu"),
    (("tết", "nguyên", "tiêu"), "ram-thang-gieng"),
    (("rằm", "tháng", "giêng"), "ram-thang-gieng"),
    (("lễ", "vu", "lan"), "vu-lan"),
    (("giỗ", "tổ", "hùng", "vương"), "gio-to-hung-vuong"),
    (("giỗ", "tổ"), "gio-to-hung-vuong"),
    (("giải", "phóng", "miền", "nam"), "giai-phong-mien-nam"),
    (("chiến", "thắng", "30", "/", "4"), "giai-phong-mien-nam"),
    (("quốc", "tế", "lao", "động"), "quoc-te-lao-dong"),
    (("quốc", "khánh"), "quoc-khanh"),
    (("văn", "hoá", "việt", "nam"), "van-hoa-viet-nam"),
    (("tết",), "tet-nguyen-dan"),
)
_MONTH_MONTHS = {1: Unit.MONTH, 3: Unit.QUARTER, 6: Unit.HALF, 12: Unit.YEAR}
_TIMES_PER_YEAR = {1: Unit.YEAR, 2: Unit.HALF, 4: Unit.QUARTER, 12: Unit.MONTH}


def _is_year(token: Token | None) -> bool:
    return token is not None and token.type is T.NUM and 1900 <= token.value <= 2100


def parse_numeral(words: Sequence[str]) -> int | None:
    """Vietnamese number words up to 99: "mười lăm" 15, "hai mươi mốt" 21, "ba mươi" 30."""
    if not words:
        return None
    tens, units, i = 0, 0, 0
    if words[0] == "mười":
        tens, i = 1, 1
    elif len(words) >= 2 and words[1] in ("mươi", "chục") and words[0] in _DIGIT_WORDS:
        tens, i = _DIGIT_WORDS[words[0]], 2
    if i < len(words):
        if words[i] in ("linh", "lẻ") and tens:
            i += 1
        if i != len(words) - 1 or words[i] not in _DIGIT_WORDS:
            return None
        units = _DIGIT_WORDS[words[i]]
        if units == 5 and words[i] == "năm" and tens:
            return None  # after mười/mươi five is "lăm"
    return tens * 10 + units if tens or units else None


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.spec = Spec()

    # -- token helpers -------------------------------------------------------------------
    def at(self, offset: int = 0) -> Token | None:
        i = self.pos + offset
        return self.tokens[i] if 0 <= i < len(self.tokens) else None

    def words_at(self, offset: int, seq: Sequence[str]) -> bool:
        """Whether the tokens from pos+offset spell ``seq`` (words or punctuation)."""
        for j, expected in enumerate(seq):
            token = self.at(offset + j)
            if token is None or token.text != expected:
                return False
        return True

    def take(self, *sequences: Sequence[str]) -> bool:
        """Consume the first of ``sequences`` found at pos."""
        for seq in sequences:
            if self.words_at(0, seq):
                self.pos += len(seq)
                return True
        return False

    def word(self, offset: int = 0) -> str:
        token = self.at(offset)
        return token.text if token is not None and token.type is T.WORD else ""

    # -- driver --------------------------------------------------------------------------
    def parse(self) -> Spec:
        recognisers: list[Callable[[], bool]] = [
            self.qualifier, self.on_demand, self.ongoing, self.holiday, self.years,
            self.from_to, self.frequency, self.part_of_period, self.quarter, self.month,
            self.weekday, self.day,
        ]  # fmt: skip
        while self.pos < len(self.tokens) and self.spec.blocked is None:
            if not any(recognise() for recognise in recognisers):
                self.skip()
        return self.spec

    def skip(self) -> None:
        token = self.tokens[self.pos]
        if (token.type is not T.WORD and token.type is not T.PUNCT) or (
            token.type is T.WORD and (token.text in _BLOCKING or token.text in _UNITS)
        ):
            self.spec.blocked = f"không hiểu '{token.text}'"
        self.pos += 1

    # -- recognisers ---------------------------------------------------------------------
    def qualifier(self) -> bool:
        if self.take(*_DEADLINE):
            self.spec.deadline = True
            self.take(("vào",), ("ngày",))
            return True
        if self.take(("trước",)):
            self.spec.before = True
            return True
        if self.take(*_EVENT):
            self.spec.event = True
            return True
        return False

    def on_demand(self) -> bool:
        if self.take(*_ON_DEMAND):
            self.spec.on_demand = True
            return True
        return False

    def ongoing(self) -> bool:
        if self.take(*_ONGOING):
            self.spec.ongoing = True
            if not _is_year(self.at(1)):
                self.take(*_ONGOING_TAIL)
            return True
        return False

    def holiday(self) -> bool:
        start = self.pos
        self.take(("các",), ("những",))
        if self.take(*_MAJOR):
            self.spec.major_holidays = True
            self.spec.event = True
            self.take(("và", "tết"), ("tết",))
            return True
        self.take(("ngày",))
        for seq, slug in _NAMED_HOLIDAYS:
            if self.take(seq):
                self.spec.anchors.append(Holiday(slug))
                self.spec.event = True
                self.take(("(",))
                token = self.at()
                if token is not None and token.type is T.DATE and token.year is None:
                    self.pos += 1  # the holiday's own date, "Quốc khánh 2/9", "(10/3 âm lịch)"
                    self.take(("âm", "lịch"), ("âl",))
                self.take((")",))
                return True
        self.pos = start
        return False

    def years(self) -> bool:
        scope = self.spec.scope
        token = self.at()
        if token is None:
            return False
        if token.type is T.YEAR_RANGE:
            return self._year_range(token)
        start = self.pos
        if self.take(("giai", "đoạn"), ("trong", "giai", "đoạn")) or self.take(("năm",)):
            token = self.at()
            if token is not None and token.type is T.YEAR_RANGE:
                return self._year_range(token)
            self.pos = start
        if self.take(("những", "năm", "tiếp", "theo"), ("các", "năm", "tiếp", "theo"),
                     ("những", "năm", "sau"), ("các", "năm", "sau"), ("những", "năm", "tới"),
                     ("các", "năm", "tiếp")):  # fmt: skip
            scope.following = True
            return True
        if self.take(
            ("năm", "sau"), ("năm", "tới"), ("năm", "tiếp", "theo"), ("năm", "kế", "tiếp")
        ):
            scope.relative = 1
            return True
        if self.take(("năm", "nay")):
            scope.relative = 0
            return True
        if self.words_at(0, ("từ",)) and (
            _is_year(self.at(1)) or (self.word(1) == "năm" and _is_year(self.at(2)))
        ):
            self.pos += 1
            self.take(("năm",))
            scope.from_year = self._year()
            if self.take(("đến",), ("tới",), ("-",)):
                self.take(("hết",))
                self.take(("năm",))
                if not _is_year(self.at()):
                    self.spec.blocked = "thiếu năm kết thúc"
                    return True
                scope.to_year = self._year()
            self.take(("trở", "đi"), ("trở", "về", "sau"))
            return True
        if self.take(("trong", "năm"), ("cả", "năm")) and _is_year(self.at()):
            scope.years.add(self._year())
            self.spec.anchors.append(YearWhole())
            return True
        self.pos = start
        if self.take(("các", "năm"), ("năm",)) and _is_year(self.at()):
            scope.years.add(self._year())
            self._year_list()
            if not self.spec.anchors:
                self.spec.anchors.append(YearWhole())
            return True
        self.pos = start
        if _is_year(token) and self.pos > 0:
            previous = self.at(-1)
            if previous is not None and (previous.is_word("và") or previous.is_punct(",")):
                scope.years.add(self._year())
                return True
        if self.take(("trong", "năm")):
            self.spec.anchors.append(YearWhole())
            return True
        return False

    def _year(self) -> int:
        token = self.tokens[self.pos]
        self.pos += 1
        return token.value

    def _year_list(self) -> None:
        while True:
            start = self.pos
            self.take((",", "và"), (",",), ("và",))
            self.take(("năm",))
            if _is_year(self.at()):
                self.spec.scope.years.add(self._year())
            else:
                self.pos = start
                return

    def _year_range(self, token: Token) -> bool:
        self.pos += 1
        if token.year_to < token.value:
            self.spec.blocked = f"khoảng năm ngược: {token.text}"
            return True
        scope = self.spec.scope
        scope.from_year, scope.to_year = token.value, token.year_to
        return True

    def from_to(self) -> bool:
        """ "từ tháng 3 đến tháng 5", "từ ngày 01/3 đến ngày 31/5"."""
        if not self.words_at(0, ("từ",)):
            return False
        start = self.pos
        self.pos += 1
        self.take(("ngày",))
        first_day = self.at()
        if first_day is not None and first_day.type is T.DATE:
            self.pos += 1
            if self.take(("đến",), ("tới",), ("-",)):
                self.take(("hết",))
                self.take(("ngày",))
                last_day = self.at()
                if last_day is not None and last_day.type is T.DATE:
                    self.pos += 1
                    year = last_day.year or self._trailing_year()
                    opening = (first_day.day, first_day.month)
                    self.spec.anchors.append(
                        Day(last_day.day, last_day.month, year, False, opening)
                    )
                    return True
            self.pos = start + 1
        first = self._month_number() if self.take(("tháng",)) else None
        if first is not None and self.take(("đến",), ("tới",), ("-",)):
            self.take(("hết",))
            if self.take(("tháng",)):
                last = self._month_number()
                if last is not None:
                    if last < first:
                        self.spec.blocked = "khoảng tháng ngược"
                    self.spec.anchors.append(Span(first, last, self._trailing_year()))
                    return True
        self.pos = start
        return False

    def frequency(self) -> bool:
        spec = self.spec
        word = self.word()
        if word in _EVERY and self.word(1) in _UNITS and not _is_year(self.at(2)):
            self.pos += 2
            spec.add_unit(_UNITS[self.tokens[self.pos - 1].text])
            return True
        if self.take(("cả", "năm")):
            spec.add_unit(Unit.YEAR)
            return True
        if self.take(("định", "kỳ")):
            count = self.at()
            if count is not None and count.type is T.NUM and self.word(1) == "tháng":
                self.pos += 2
                self._unit_from(_MONTH_MONTHS, count.value, "định kỳ")
            return True
        # "N lần/năm", "01 lần trong quý", "một lần mỗi tháng"
        count_value, width = self._count()
        if width and self.word(width) == "lần":
            after = width + 1
            if self.words_at(after, ("/",)) or self.word(after) in ("trong", "mỗi", "một", "mọi"):
                after += 1
            unit = _UNITS.get(self.word(after))
            if unit is None:
                # "mỗi quý một lần": the count repeats the frequency already read
                if count_value == 1 and spec.unit is not None:
                    self.pos += width + 1
                    return True
                return False
            self.pos += after + 1
            if unit is Unit.YEAR:
                self._unit_from(_TIMES_PER_YEAR, count_value, "lần/năm")
            elif count_value == 1:
                spec.add_unit(unit)
            else:
                spec.blocked = f"{count_value} lần/{unit} không đều"
            return True
        # "1 tháng/lần", "6 tháng một lần", "quý/lần", "01 ngày/tuần"
        unit_at = width
        unit_word = self.word(unit_at)
        if unit_word in ("tháng", "năm", "quý", "tuần") and (
            self.words_at(unit_at + 1, ("/", "lần")) or self.words_at(unit_at + 1, ("một", "lần"))
        ):
            self.pos += unit_at + 3
            months = {"tháng": 1, "quý": 3, "năm": 12, "tuần": 0}[unit_word] * (count_value or 1)
            if unit_word == "tuần":
                spec.add_unit(Unit.WEEK) if count_value in (0, 1) else self._irregular()
            else:
                self._unit_from(_MONTH_MONTHS, months, "tháng/lần")
            return True
        # "01 ngày/tuần", "ít nhất 1 ngày trong 1 tháng" (Luật Tiếp công dân art. 15)
        if (
            width
            and self.word(width) == "ngày"
            and (self.words_at(width + 1, ("/",)) or self.word(width + 1) in ("trong", "mỗi"))
        ):
            after = width + 2
            per = self.at(after)
            if (
                per is not None
                and (per.type is T.NUM or per.text == "một")
                and self.word(after + 1)
            ):
                if per.text not in ("1", "01", "một"):
                    return False
                after += 1
            unit = _UNITS.get(self.word(after))
            if unit not in (Unit.WEEK, Unit.MONTH):
                return False
            self.pos += after + 1
            if count_value == 1:
                spec.add_unit(unit)
            else:
                self._irregular(f"{count_value} ngày/{unit}")
            return True
        return spec.unit is not None and self.take(("một", "lần"), ("1", "lần"))

    def _count(self) -> tuple[int, int]:
        """A small count at pos: ("01" → 1, width 1), ("hai" → 2, width 1) or (0, 0)."""
        token = self.at()
        if token is not None and token.type is T.NUM and token.value < 100:
            return token.value, 1
        if token is not None and token.text in ("một", "hai", "ba", "bốn", "sáu", "mười"):
            value = parse_numeral([token.text])
            return (value or 0), 1
        return 0, 0

    def _unit_from(self, table: dict[int, Unit], value: int, what: str) -> None:
        unit = table.get(value)
        if unit is None:
            self._irregular(f"{value} {what}")
        else:
            self.spec.add_unit(unit)

    def _irregular(self, what: str = "nhịp không đều") -> None:
        self.spec.blocked = f"nhịp không hỗ trợ: {what}"

    def part_of_period(self) -> bool:
        spec = self.spec
        # "6 tháng đầu năm", "9 tháng đầu năm", "6 tháng cuối năm"
        count = self.at()
        if (
            count is not None
            and count.type is T.NUM
            and self.word(1) == "tháng"
            and self.word(2) in ("đầu", "cuối")
            and self.word(3) == "năm"
            and 1 <= count.value <= 12
        ):
            self.pos += 4
            n = count.value
            first, last = (1, n) if self.tokens[self.pos - 2].text == "đầu" else (13 - n, 12)
            spec.anchors.append(Span(first, last, self._trailing_year()))
            return True
        if self.take(("nửa", "đầu", "năm")):
            spec.anchors.append(Span(1, 6, self._trailing_year()))
            return True
        if self.take(("nửa", "cuối", "năm"), ("nửa", "sau", "năm")):
            spec.anchors.append(Span(7, 12, self._trailing_year()))
            return True
        quarter_of = self.word(2) == "quý" or (self.word(2) in _EVERY and self.word(3) == "quý")
        if self.words_at(0, ("tháng",)) and self.word(1) in ("đầu", "cuối", "giữa") and quarter_of:
            index = {"đầu": 1, "giữa": 2, "cuối": 3}[self.word(1)]
            self.pos += 3 if self.word(2) == "quý" else 4
            spec.anchors.append(QuarterMonth(index))
            spec.add_unit(Unit.QUARTER)
            return True
        part = _PARTS.get(self.word())
        if part is None:
            return False
        start = self.pos
        self.pos += 1
        every = self.take(*((w,) for w in _EVERY))
        unit_word = self.word()
        if unit_word not in ("tháng", "quý", "năm"):
            self.pos = start
            return False
        self.pos += 1
        if every:
            spec.add_unit(_UNITS[unit_word])
        if unit_word == "năm":
            if _is_year(self.at()):
                spec.scope.years.add(self._year())
            spec.anchors.append(Day(*{Part.START: (1, 1), Part.MIDDLE: (30, 6),
                                      Part.END: (31, 12)}[part]))  # fmt: skip
            return True
        if unit_word == "tháng":
            month = None if every else self._month_number()
            if month is None:
                spec.anchors.append(PeriodPoint(Unit.MONTH, part))
                if spec.unit is None:
                    spec.add_unit(Unit.MONTH)
            else:
                year = self._trailing_year()
                spec.anchors.append(_part_of_month(part, month, year))
            return True
        quarter = None if every else self._quarter_number()
        if quarter is None:
            spec.anchors.append(PeriodPoint(Unit.QUARTER, part))
            if spec.unit is None:
                spec.add_unit(Unit.QUARTER)
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
        for q in quarters:
            self.spec.anchors.append(Span(q * 3 - 2, q * 3, year))
        return True

    def _quarter_number(self, offset: int = 0, peek: bool = False) -> int | None:
        token = self.at(offset)
        if token is None:
            return None
        number = _ROMAN.get(token.text) if token.type is T.WORD else None
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
        while True:
            if token is not None and token.type is T.MONTH_YEAR:
                self.pos += 1
                months.append((token.month, False))
                self.spec.anchors.append(Span(token.month, token.month, token.year))
                return True
            lunar_name = {"giêng": 1, "chạp": 12}.get(self.word())
            number = lunar_name if lunar_name is not None else self._month_number()
            if lunar_name is not None:
                self.pos += 1
            if number is None:
                break
            months.append((number, lunar_name is not None))
            list_start = self.pos
            self.take((",", "và"), (",",), ("và",))
            self.take(("tháng",))
            token = self.at()
            if not (token is not None and (token.type is T.NUM or token.type is T.MONTH_YEAR)):
                self.pos = list_start
                break
        if not months:
            self.pos = start
            return False
        lunar = self.take(("âm", "lịch"), ("(", "âm", "lịch", ")"), ("âl",))
        year = self._trailing_year()
        for number, lunar_name in months:
            self.spec.anchors.append(Span(number, number, year, lunar=lunar or lunar_name))
        return True

    def _month_number(self) -> int | None:
        token = self.at()
        if token is not None and token.type is T.NUM and 1 <= token.value <= 12:
            self.pos += 1
            return token.value
        return None

    def _trailing_year(self) -> int | None:
        """ "/2026", "năm 2026" after a day, month or quarter."""
        if self.words_at(0, ("/",)) and _is_year(self.at(1)):
            self.pos += 1
            return self._year()
        if self.words_at(0, ("năm",)) and _is_year(self.at(1)):
            self.pos += 1
            return self._year()
        return None

    def weekday(self) -> bool:
        start = self.pos
        self.take(("các", "ngày"), ("ngày",), ("vào",))
        self.take(("sáng",), ("chiều",))
        found: list[int] = []
        while True:
            if self.take(("chủ", "nhật")):
                found.append(7)
            elif self.words_at(0, ("thứ",)):
                token = self.at(1)
                iso = None
                if token is not None and token.type is T.NUM and 2 <= token.value <= 7:
                    iso = token.value - 1
                elif token is not None and token.type is T.WORD:
                    iso = _WEEKDAY_WORDS.get(token.text)
                if iso is None:
                    break
                self.pos += 2
                found.append(iso)
            else:
                break
            list_start = self.pos
            self.take((",", "và"), (",",), ("và",))
            if not (self.words_at(0, ("thứ",)) or self.words_at(0, ("chủ", "nhật"))):
                self.pos = list_start
                break
        if not found:
            self.pos = start
            return False
        self.spec.anchors.extend(Weekday(iso) for iso in found)
        if self.spec.unit is None and not self.spec.blocked:
            self.spec.unit = Unit.WEEK
        return True

    def day(self) -> bool:
        start = self.pos
        self.take(("ngày",))
        day_numbers: list[int] = []
        month: int | None = None
        year: int | None = None
        token = self.at()
        if token is not None and token.type is T.DATE:
            self.pos += 1
            day_numbers, month, year = [token.day], token.month, token.year
        elif self.take(("rằm",)):
            day_numbers = [15]
        elif self.take(("mùng",), ("mồng",)) or (token is not None and token.type is T.NUM):
            while True:
                token = self.at()
                if not (token is not None and token.type is T.NUM and 1 <= token.value <= 31):
                    break
                self.pos += 1
                day_numbers.append(token.value)
                self._parenthetical_number(token.value)
                list_start = self.pos
                self.take((",", "và"), (",",), ("và",))
                self.take(("ngày",))
                following = self.at()
                if not (following is not None and following.type is T.NUM
                        and following.value <= 31 and self.word(1) != "lần"):  # fmt: skip
                    self.pos = list_start
                    break
            if day_numbers and self.take(("tháng",)):
                following = self.at()
                if following is not None and following.type is T.MONTH_YEAR:
                    self.pos += 1
                    month, year = following.month, following.year
                else:
                    lunar_name = {"giêng": 1, "chạp": 12}.get(self.word())
                    if lunar_name is not None:
                        self.pos += 1
                        month = lunar_name
                    else:
                        month = self._month_number()
                    if month is None:
                        self.spec.blocked = "thiếu số tháng"
                        return True
        if not day_numbers:
            self.pos = start
            return False
        if year is None:
            year = self._trailing_year()
        lunar = self.take(("âm", "lịch"), ("(", "âm", "lịch", ")"), ("(", "âl", ")"), ("âl",))
        for number in day_numbers:
            if month is None:
                if lunar:
                    self.spec.blocked = "ngày âm lịch thiếu tháng"
                self.spec.anchors.append(PeriodPoint(Unit.MONTH, None, number))
                if self.spec.unit is None:
                    self.spec.unit = Unit.MONTH
            elif not _day_exists(number, month) and not lunar:
                self.spec.blocked = f"không có ngày {number}/{month}"
            else:
                self.spec.anchors.append(Day(number, month, year, lunar=lunar))
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


def _day_exists(day: int, month: int) -> bool:
    return day <= (29 if month == 2 else 30 if month in (4, 6, 9, 11) else 31)


def _part_of_month(part: Part, month: int, year: int | None) -> Day:
    """Civil Code 2015 art. 146(2): đầu tháng = day 1, giữa tháng = day 15, cuối tháng = the
    last day (31 stands for the last day of any month; see schedule.resolve_day)."""
    day = {Part.START: 1, Part.MIDDLE: 15, Part.END: 31}[part]
    return Day(day, month, year)


def parse_tokens(tokens: list[Token]) -> Spec:
    """The :class:`Spec` of a tokenised phrase (check ``blocked`` and ``has_content``)."""
    return _Parser(tokens).parse()
