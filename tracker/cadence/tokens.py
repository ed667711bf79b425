"""Normalising and tokenising Vietnamese time phrases.

Normalisation removes the spelling noise of real documents so the grammar sees one form:
Unicode NFC (extracted text often arrives decomposed), lower case, "Đ"→"đ", the old and new
tone-mark placements ("hoá"/"hóa", "thuỷ"/"thủy" become the new style: "hoá", "thuỷ"), "qúy"
as "quý", the misplaced marks of "trươc"/"trứơc" as "trước", every
run of white space (newlines from split table cells, the tripled spaces of PDF extraction)
to one space, typographic dashes and quotes to plain ones.

Tokens are numbers, dates ("15/02", "15-2", "15.02", "15/02/2026"), month/year pairs
("1/2026"), year ranges ("2026 - 2030"), words and punctuation. Words are not interpreted
here: "năm" is a year or the number five, which only the grammar can tell.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import Enum

# Old-style ("hòa") → new-style ("hoà") tone placement on the glides oa, oe, uy.
_TONE_PLACEMENT = {
    "òa": "oà", "óa": "oá", "ỏa": "oả", "õa": "oã", "ọa": "oạ",
    "òe": "oè", "óe": "oé", "ỏe": "oẻ", "õe": "oẽ", "ọe": "oẹ",
    "ùy": "uỳ", "úy": "uý", "ủy": "uỷ", "ũy": "uỹ", "ụy": "uỵ",
}  # fmt: skip
_TONE_RE = re.compile("|".join(_TONE_PLACEMENT))
_QUY = {"qùy": "quỳ", "qúy": "quý", "qủy": "quỷ", "qũy": "quỹ", "qụy": "quỵ"}
_QUY_RE = re.compile("|".join(_QUY))
# "trươc", "truớc", "trứơc": the one word typed with a tone or hook misplaced. Only "trước"
# strips to "truoc", so these are read as it; a dropped qualifier would move the due date.
_TRUOC_RE = re.compile(r"\btr[uưúùủũụứừửữự][oóòỏõọơớờởỡợ]c\b")
_DASHES = str.maketrans({"–": "-", "—": "-", "‐": "-", "−": "-", "“": '"', "”": '"'})


def normalize(text: str) -> str:
    """One canonical spelling of a phrase: NFC, lower case, new-style tones, single spaces."""
    folded = unicodedata.normalize("NFC", text).lower().translate(_DASHES)
    folded = _TONE_RE.sub(lambda m: _TONE_PLACEMENT[m.group(0)], folded)
    # After q the u belongs to the consonant, so its tone goes on the y: "qúy" is "quý".
    folded = _QUY_RE.sub(lambda m: _QUY[m.group(0)], folded)
    folded = _TRUOC_RE.sub("trước", folded)
    return " ".join(folded.split())


class T(Enum):
    """Token types."""

    NUM = "num"  # an integer, 'value'
    DATE = "date"  # day/month[/year]
    MONTH_YEAR = "month_year"  # month/year
    YEAR_RANGE = "year_range"  # year - year
    WORD = "word"
    PUNCT = "punct"
    BAD = "bad"  # a date that does not exist ("31/4", "15/13"): no rule may take it


@dataclass(frozen=True)
class Token:
    type: T
    text: str
    value: int = 0
    day: int = 0
    month: int = 0
    year: int | None = None
    year_to: int = 0

    def is_word(self, *words: str) -> bool:
        return self.type is T.WORD and self.text in words

    def is_punct(self, *marks: str) -> bool:
        return self.type is T.PUNCT and self.text in marks


_SEP = r"(?:\s*/\s*|\.|-)"
_TOKEN_RE = re.compile(
    rf"""
    (?P<year_range>(?<!\d)(?:19|20)\d\d\s*-\s*(?:19|20)\d\d(?!\d))
  | (?P<full_date>(?<!\d)\d{{1,2}}{_SEP}\d{{1,2}}{_SEP}(?:19|20)\d\d(?!\d))
  | (?P<month_year>(?<!\d)\d{{1,2}}\s*/\s*(?:19|20)\d\d(?!\d))
  | (?P<day_month>(?<!\d)\d{{1,2}}(?:\s*/\s*|\.|-)\d{{1,2}}(?![\d/]))
  | (?P<num>\d+)
  | (?P<word>[^\W\d_]+)
  | (?P<punct>[,;:()/+&"'.\-])
    """,
    re.VERBOSE,
)
_NUMBERS = re.compile(r"\d+")


def _valid_day_month(day: int, month: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= (
        29 if month == 2 else 30 if month in (4, 6, 9, 11) else 31
    )


def tokenize(normalized: str) -> list[Token]:
    """Tokens of an already normalised phrase; a date that cannot exist is a BAD token."""
    tokens: list[Token] = []
    for match in _TOKEN_RE.finditer(normalized):
        kind = match.lastgroup
        text = match.group(0)
        numbers = [int(n) for n in _NUMBERS.findall(text)]
        if kind == "year_range":
            tokens.append(Token(T.YEAR_RANGE, text, value=numbers[0], year_to=numbers[1]))
        elif kind in ("full_date", "day_month"):
            day, month = numbers[0], numbers[1]
            year = numbers[2] if len(numbers) > 2 else None
            if _valid_day_month(day, month):
                tokens.append(Token(T.DATE, text, day=day, month=month, year=year))
            else:
                tokens.append(Token(T.BAD, text))
        elif kind == "month_year":
            if 1 <= numbers[0] <= 12:
                tokens.append(Token(T.MONTH_YEAR, text, month=numbers[0], year=numbers[1]))
            else:
                tokens.append(Token(T.BAD, text))
        elif kind == "num":
            tokens.append(Token(T.NUM, text, value=int(text)))
        elif kind == "word":
            tokens.append(Token(T.WORD, text))
        else:
            tokens.append(Token(T.PUNCT, text))
    return tokens
