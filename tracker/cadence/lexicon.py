"""The words of Vietnamese administrative time language, and numbers written in words.

The grammar (:mod:`tracker.cadence.grammar`) matches these word sequences on normalised
tokens (lower case, NFC, new-style tone marks), so each is listed once, in that spelling.
"""

from __future__ import annotations

from collections.abc import Sequence

from tracker.cadence.spec import Part, TimeUnit
from tracker.cadence.tokens import T, Token

EVERY = ("hằng", "hàng", "mỗi", "từng", "các")
UNITS = {
    "năm": TimeUnit.YEAR,
    "quý": TimeUnit.QUARTER,
    "tháng": TimeUnit.MONTH,
    "tuần": TimeUnit.WEEK,
}
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
PARTS = {"đầu": Part.START, "giữa": Part.MIDDLE, "cuối": Part.END}
DIGIT_WORDS = {
    "một": 1, "mốt": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4, "năm": 5, "lăm": 5,
    "sáu": 6, "bảy": 7, "bẩy": 7, "tám": 8, "chín": 9,
}  # fmt: skip
WEEKDAY_WORDS = {"hai": 1, "ba": 2, "tư": 3, "năm": 4, "sáu": 5, "bảy": 6, "bẩy": 6}
# Words that change a deadline's meaning when no clause took them: exception and condition,
# a start without an end ("từ" not followed by a year or a "… đến …"), a frequency word
# without its unit ("hằng nam"), a week of a month ("tuần cuối tháng").
BLOCKING = {"trừ", "ngoại", "sau", "kể", "nếu", "tuỳ", "tùy", "chưa", "hoãn", "lùi", "khi",
             "không", "thứ", "lần", "âm", "rằm", "mùng", "mồng", "từ", "hằng", "q"}  # fmt: skip
# Month names in words. "giêng" and "chạp" name lunar months; the others are the solar
# month unless "âm lịch" follows ("tháng Bảy âm lịch"). "tháng năm" is May only when no
# year follows ("tháng 12 năm 2026" is read by the month clause before this applies).
MONTH_WORDS = (
    (("mười", "một"), 11), (("mười", "hai"), 12), (("mười",), 10), (("giêng",), 1),
    (("chạp",), 12), (("hai",), 2), (("ba",), 3), (("tư",), 4), (("năm",), 5), (("sáu",), 6),
    (("bảy",), 7), (("bẩy",), 7), (("tám",), 8), (("chín",), 9),
)  # fmt: skip
LUNAR_MONTH_NAMES = {"giêng", "chạp"}
# The sexagenary year names ("Bính Ngọ" 2026), for "Tết Nguyên đán Bính Ngọ (2026)".
CAN = ("giáp", "ất", "bính", "đinh", "mậu", "kỷ", "canh", "tân", "nhâm", "quý")
CHI = ("tý", "sửu", "dần", "mão", "thìn", "tỵ", "ngọ", "mùi", "thân", "dậu", "tuất", "hợi")
CAN_CHI_SPELLING = {"kỉ": "kỷ", "tí": "tý", "tị": "tỵ", "mẹo": "mão"}
CAN_CHI_CYCLE = 1984  # Giáp Tý: a name alone is its year in 1984-2043
ON_DEMAND = (
    ("khi", "cần", "thiết"), ("khi", "có", "yêu", "cầu"), ("khi", "có", "nhu", "cầu"),
    ("khi", "được", "yêu", "cầu"), ("khi", "phát", "sinh"), ("khi", "có", "chỉ", "đạo"),
    ("theo", "yêu", "cầu"), ("theo", "nhu", "cầu"), ("theo", "chỉ", "đạo"),
    ("đột", "xuất"), ("sự", "kiện"), ("khi", "có", "sự", "kiện"),
)  # fmt: skip
ONGOING = (("thường", "xuyên"), ("xuyên", "suốt"), ("liên", "tục"), ("hằng", "ngày"),
            ("hàng", "ngày"), ("quanh", "năm"), ("suốt", "năm"))  # fmt: skip
ONGOING_TAIL = (("trong", "năm"), ("cả", "năm"), ("năm",))
DEADLINE = (("chậm", "nhất"), ("muộn", "nhất"), ("hạn", "chót"), ("hạn", "cuối"),
             ("không", "quá"), ("không", "muộn", "hơn"), ("đến", "hết"), ("hết",),
             ("trước", "hoặc", "trong"), ("trước", "hoặc", "vào"))  # fmt: skip
EVENT = (("nhân", "dịp"), ("nhân",), ("vào", "dịp"), ("dịp",))
MAJOR = (("ngày", "lễ", "lớn"), ("dịp", "lễ", "lớn"), ("ngày", "lễ"), ("dịp", "lễ"),
          ("lễ", "lớn"), ("lễ", ",", "tết"), ("lễ", "tết"))  # fmt: skip
NAMED_HOLIDAYS = (
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
MONTH_MONTHS = {1: TimeUnit.MONTH, 3: TimeUnit.QUARTER, 6: TimeUnit.HALF, 12: TimeUnit.YEAR}
TIMES_PER_YEAR = {1: TimeUnit.YEAR, 2: TimeUnit.HALF, 4: TimeUnit.QUARTER, 12: TimeUnit.MONTH}


def is_year(token: Token | None) -> bool:
    return token is not None and token.type is T.NUM and 1900 <= token.value <= 2100


def parse_numeral(words: Sequence[str]) -> int | None:
    """Vietnamese number words up to 99: "mười lăm" 15, "hai mươi mốt" 21, "ba mươi" 30."""
    if not words:
        return None
    tens, units, i = 0, 0, 0
    if words[0] == "mười":
        tens, i = 1, 1
    elif len(words) >= 2 and words[1] in ("mươi", "chục") and words[0] in DIGIT_WORDS:
        tens, i = DIGIT_WORDS[words[0]], 2
    if i < len(words):
        if words[i] in ("linh", "lẻ") and tens:
            i += 1
        if i != len(words) - 1 or words[i] not in DIGIT_WORDS:
            return None
        units = DIGIT_WORDS[words[i]]
        if units == 5 and words[i] == "năm" and tens:
            return None  # after mười/mươi five is "lăm"
    return tens * 10 + units if tens or units else None
