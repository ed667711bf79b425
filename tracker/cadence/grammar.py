"""The grammar of Vietnamese administrative time phrases: tokens → :class:`Spec`.

A phrase is read left to right. At each token the clause recognisers below are tried in
order; the first that matches consumes its tokens and records a clause:

* qualifiers: "trước (ngày)" (before), "chậm nhất", "muộn nhất", "hạn chót", "không quá",
  "đến hết" (deadline on the day itself); "nhân (dịp)", "vào dịp" mark event days;
* ongoing ("thường xuyên", "xuyên suốt (năm)", "liên tục", "hằng ngày") and on-demand
  ("khi cần thiết", "khi có yêu cầu", "theo nhu cầu", "đột xuất", "sự kiện");
* holidays, solar and lunar: "Tết Dương lịch", "Tết Nguyên đán", "Giỗ Tổ Hùng Vương",
  "Quốc khánh", "các ngày lễ lớn", "lễ, tết", "Trung thu", "Rằm tháng Giêng"; with a year
  or a year name: "Tết Nguyên đán 2027", "Tết Nguyên đán Bính Ngọ (2026)";
* year scope: "Năm 2027 và năm 2030", "Từ năm 2027 (đến năm 2030)", "Giai đoạn 2028 - 2030",
  "2026 - 2030", "những năm tiếp theo", "năm sau", "năm nay";
* frequency: "hằng/hàng/mỗi/từng/các + năm|quý|tháng|tuần", "cả năm", "định kỳ 6 tháng",
  "N lần/năm|quý|tháng|tuần", "N tháng/lần", "01 lần/06 tháng", "01 ngày/tuần", "Báo cáo
  năm|quý|tháng:";
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

from collections.abc import Callable
from dataclasses import replace

from tracker.cadence.day_clauses import DayClauses
from tracker.cadence.lexicon import (
    BLOCKING,
    DEADLINE,
    EVENT,
    EVERY,
    MAJOR,
    MONTH_MONTHS,
    NAMED_HOLIDAYS,
    ON_DEMAND,
    ONGOING,
    ONGOING_TAIL,
    TIMES_PER_YEAR,
    UNITS,
    is_year,
    parse_numeral,
)
from tracker.cadence.spec import Day, Holiday, Span, Spec, TimeUnit, YearWhole
from tracker.cadence.tokens import T, Token


class _Parser(DayClauses):
    from_now = False

    # -- driver --------------------------------------------------------------------------
    def parse(self) -> Spec:
        recognisers: list[Callable[[], bool]] = [
            self.season, self.qualifier, self.on_demand, self.ongoing, self.holiday,
            self.years, self.time_of_day, self.from_to, self.after_end, self.frequency,
            self.dekad, self.part_of_period, self.quarter, self.month, self.month_week,
            self.weekday, self.day,
        ]  # fmt: skip
        while self.pos < len(self.tokens) and self.spec.blocked is None:
            for recognise in recognisers:
                if recognise():
                    break
            else:
                self.skip()
        self._finish()
        return self.spec

    def _finish(self) -> None:
        """Clauses that change others: "từ nay đến …", months of a monthly cadence."""
        spec = self.spec
        if self.from_now:
            days = [a for a in spec.anchors if isinstance(a, Day)]
            if len(days) != 1 or len(spec.anchors) != 1:
                spec.blocked = "từ nay đến khi nào?"
                return
            spec.anchors = [replace(days[0], from_now=True)]
        spans = [a for a in spec.anchors if isinstance(a, Span)]
        if spec.unit is TimeUnit.MONTH and len(spans) == 1 and spans[0].year is None \
                and not spans[0].lunar and spans[0].ranged:
            # "ngày 10 hằng tháng (từ tháng 3 đến tháng 10)": only those months
            spec.months = frozenset(range(spans[0].first, spans[0].last + 1))
            spec.anchors = [a for a in spec.anchors if not isinstance(a, Span)]

    def skip(self) -> None:
        token = self.tokens[self.pos]
        if (token.type is not T.WORD and token.type is not T.PUNCT) or (
            token.type is T.WORD and (token.text in BLOCKING or token.text in UNITS)
        ):
            self.spec.blocked = f"không hiểu '{token.text}'"
        self.pos += 1

    # -- recognisers ---------------------------------------------------------------------
    def qualifier(self) -> bool:
        if self.take(("từ", "nay", "cho", "đến"), ("từ", "nay", "đến"), ("từ", "nay", "tới")):
            self.from_now = True  # "từ nay đến trước ngày 15/6/2026"
            return True
        if self.take(*DEADLINE):
            self.spec.deadline = True
            self.take(("vào",), ("là",))
            return True
        if self.take(("trước",)):
            if self.time_follows():
                self.spec.before_time = True  # "trước 17 giờ ngày 30/6": the hour, not the day
            else:
                self.spec.before = True
            return True
        if self.take(*EVENT):
            self.spec.event = True
            return True
        return False

    def on_demand(self) -> bool:
        if self.take(*ON_DEMAND):
            self.spec.on_demand = True
            return True
        return False

    def ongoing(self) -> bool:
        if self.take(*ONGOING):
            self.spec.ongoing = True
            if not is_year(self.at(1)):
                self.take(*ONGOING_TAIL)
            return True
        return False

    def holiday(self) -> bool:
        start = self.pos
        self.take(("các",), ("những",))
        if self.take(*MAJOR):
            self.spec.major_holidays = True
            self.spec.event = True
            self.take(("và", "tết"), ("tết",))
            return True
        self.take(("ngày",))
        for seq, slug in NAMED_HOLIDAYS:
            if self.take(seq):
                self.spec.event = True
                self.take(("(",))
                token = self.at()
                if token is not None and token.type is T.DATE and token.year is None:
                    self.pos += 1  # the holiday's own date, "Quốc khánh 2/9", "(10/3 âm lịch)"
                    self.take(("âm", "lịch"), ("âl",))
                self.take((")",))
                self.spec.anchors.append(Holiday(slug, self._holiday_year()))
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
            is_year(self.at(1)) or (self.word(1) == "năm" and is_year(self.at(2)))
        ):
            self.pos += 1
            self.take(("năm",))
            scope.from_year = self._year()
            if self.take(("đến",), ("tới",), ("-",)):
                self.take(("hết",))
                self.take(("năm",))
                if not is_year(self.at()):
                    self.spec.blocked = "thiếu năm kết thúc"
                    return True
                scope.to_year = self._year()
            self.take(("trở", "đi"), ("trở", "về", "sau"))
            return True
        if self.take(("trong", "năm"), ("cả", "năm")) and is_year(self.at()):
            scope.years.add(self._year())
            self.spec.anchors.append(YearWhole())
            return True
        self.pos = start
        if self.take(("các", "năm"), ("năm",)) and is_year(self.at()):
            scope.years.add(self._year())
            self._year_list()
            if not self.spec.anchors:
                self.spec.anchors.append(YearWhole())
            return True
        self.pos = start
        if is_year(token) and self.pos > 0:
            previous = self.at(-1)
            if previous is not None and (previous.is_word("và") or previous.is_punct(",")):
                scope.years.add(self._year())
                return True
        if self.take(("trong", "năm")):
            self.spec.anchors.append(YearWhole())
            return True
        return False

    def _year_list(self) -> None:
        while True:
            start = self.pos
            self.take((",", "và"), (",",), ("và",))
            self.take(("năm",))
            if is_year(self.at()):
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

    def frequency(self) -> bool:
        spec = self.spec
        word = self.word()
        if word in EVERY and self.word(1) in UNITS and not is_year(self.at(2)):
            self.pos += 2
            spec.add_unit(UNITS[self.tokens[self.pos - 1].text])
            return True
        if self.take(("cả", "năm")):
            spec.add_unit(TimeUnit.YEAR)
            return True
        # "Báo cáo năm: trước ngày 15/12", "báo cáo quý": the report names its period
        if self.words_at(0, ("báo", "cáo")) and self.word(2) in UNITS:
            following = self.at(3)
            if following is None or following.type is T.PUNCT:
                self.pos += 3
                spec.add_unit(UNITS[self.tokens[self.pos - 1].text])
                return True
        if self.take(("định", "kỳ")):
            count = self.at()
            if count is not None and count.type is T.NUM and self.word(1) == "tháng":
                self.pos += 2
                self._unit_from(MONTH_MONTHS, count.value, "định kỳ")
            return True
        # "N lần/năm", "01 lần trong quý", "một lần mỗi tháng"
        count_value, width = self._count()
        if width and self.word(width) == "lần":
            after = width + 1
            every_n = self.at(after + 1)
            if (
                self.words_at(after, ("/",))
                and every_n is not None
                and every_n.type is T.NUM
                and self.word(after + 2) == "tháng"
            ):
                # "01 lần/06 tháng": one every N months
                self.pos += after + 3
                if count_value == 1:
                    self._unit_from(MONTH_MONTHS, every_n.value, "tháng/lần")
                else:
                    self._irregular(f"{count_value} lần/{every_n.value} tháng")
                return True
            if self.words_at(after, ("/",)) or self.word(after) in ("trong", "mỗi", "một", "mọi"):
                after += 1
            unit = UNITS.get(self.word(after))
            if unit is None:
                # "mỗi quý một lần": the count repeats the frequency already read
                if count_value == 1 and spec.unit is not None:
                    self.pos += width + 1
                    return True
                return False
            self.pos += after + 1
            if unit is TimeUnit.YEAR:
                self._unit_from(TIMES_PER_YEAR, count_value, "lần/năm")
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
                spec.add_unit(TimeUnit.WEEK) if count_value in (0, 1) else self._irregular()
            else:
                self._unit_from(MONTH_MONTHS, months, "tháng/lần")
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
            unit = UNITS.get(self.word(after))
            if unit not in (TimeUnit.WEEK, TimeUnit.MONTH):
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

    def _unit_from(self, table: dict[int, TimeUnit], value: int, what: str) -> None:
        unit = table.get(value)
        if unit is None:
            self._irregular(f"{value} {what}")
        else:
            self.spec.add_unit(unit)

    def _irregular(self, what: str = "nhịp không đều") -> None:
        self.spec.blocked = f"nhịp không hỗ trợ: {what}"


def parse_tokens(tokens: list[Token]) -> Spec:
    """The :class:`Spec` of a tokenised phrase (check ``blocked`` and ``has_content``)."""
    return _Parser(tokens).parse()


def parse_segments(tokens: list[Token]) -> list[Spec]:
    """The specs of the deadlines of a phrase that names several, each with its label:
    split at ";", before "đợt N"/"lần N", and after "đối với …" up to its comma. A phrase
    that has no such parts is one spec."""
    segments: list[tuple[str | None, list[Token]]] = [(None, [])]
    i = 0
    while i < len(tokens):
        token = tokens[i]
        following = tokens[i + 1] if i + 1 < len(tokens) else None
        if token.is_punct(";"):
            segments.append((None, []))
            i += 1
        elif token.is_word("đợt", "lần") and following is not None and following.type is T.NUM \
                and (i == 0 or tokens[i - 1].type is not T.NUM):
            label: str | None = f"{token.text} {following.value}"
            if segments[-1][1] and not all(t.type is T.PUNCT for t in segments[-1][1]):
                segments.append((label, []))
            else:
                segments[-1] = (label, segments[-1][1])
            i += 2
            if i < len(tokens) and tokens[i].is_punct(":"):
                i += 1
        elif token.is_word("đối") and following is not None and following.is_word("với"):
            # "trước 20/6 đối với báo cáo 6 tháng, …" names the part before it; "đối với báo
            # cáo năm: trước 15/12" the part after it
            end = i + 2
            while end < len(tokens) and not tokens[end].is_punct(",", ";", ":"):
                end += 1
            about = " ".join(t.text for t in tokens[i + 2 : end]) or None
            if end < len(tokens) and tokens[end].is_punct(":"):
                if any(t.type is not T.PUNCT for t in segments[-1][1]):
                    segments.append((about, []))
                else:
                    segments[-1] = (about, segments[-1][1])
            else:
                segments[-1] = (about, segments[-1][1])
                segments.append((None, []))
            i = end + 1
        else:
            segments[-1][1].append(token)
            i += 1
    specs: list[Spec] = []
    for name, part in segments:
        if all(t.type is T.PUNCT for t in part):
            continue
        spec = parse_tokens(part)
        spec.label = name
        specs.append(spec)
    return specs
