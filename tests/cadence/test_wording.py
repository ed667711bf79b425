"""Explanations as messages: the Vietnamese text is the engine's, the English the catalogue's.

Pure tests (no Flask): the English catalogue is loaded with Babel directly, as gettext would
be in a request.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from babel.support import Translations

from tests.cadence.test_seed_phrases import SEED_CASES
from tracker.cadence import PlanContext, parse_cadence
from tracker.cadence.vn_calendar import HOLIDAYS
from tracker.cadence.wording import N_, capitalized, joined, uncapitalized

TRANSLATIONS = Path(__file__).resolve().parents[2] / "tracker" / "translations"
CTX = PlanContext(issued_on=dt.date(2026, 4, 17))
VIETNAMESE = re.compile(r"[À-ỹ]")
# One phrase of every family of issue 11, and the seed documents' phrases.
FAMILIES = (
    "Trước ngày 15/11 hằng năm",
    "từ ngày 01 tháng 7 đến hết ngày 31 tháng 12 hằng năm",
    "Chậm nhất ngày 12 (mười hai) của tháng báo cáo",
    "trước ngày 20 của tháng liền kề",
    "từ ngày 2 đến ngày 6 hằng tháng",
    "ngày 10 hằng tháng (từ tháng 3 đến tháng 10)",
    "tuần đầu tiên hằng tháng",
    "thứ Năm của tuần thứ ba trong tháng",
    "tuần lễ cuối tháng",
    "tháng thứ hai của mỗi quý",
    "ngày 10 của tháng đầu quý sau",
    "đợt 1 trước ngày 30 tháng 4; đợt 2 trước ngày 30 tháng 9 hằng năm",
    "từ 23 tháng Chạp đến mùng 6 tháng Giêng",
    "15 - 17 tháng Giêng âm lịch",
    "ngày 12-14/3/2026",
    "ngày 8, 9/11/2026",
    "Thứ Bảy, ngày 21/3/2026",
    "quý III-2026",
    "Sáu tháng cuối năm 2026",
    "từ tháng 4 đến tháng 11/2026",
    "Thượng tuần tháng 5",
    "từ nay đến trước ngày 15/6/2026",
    "chậm nhất 60 ngày kể từ ngày kết thúc năm",
    "trong quý I của năm kế tiếp năm báo cáo",
    "từ 19 giờ 30 đến 21 giờ ngày 2/9/2026",
    "Thường xuyên",
    "Khi có yêu cầu",
    "Hằng tuần, thứ Sáu",
    "Trước Tết Nguyên đán",
    "15 ngày sau khi có hướng dẫn",
)


@pytest.fixture(scope="module")
def english() -> Translations:
    return Translations.load(str(TRANSLATIONS), ["en"])


def _phrases() -> list[str]:
    return sorted(set(FAMILIES) | {case[0] for case in SEED_CASES})


def _own_words_removed(text: str) -> str:
    """The text without what stays Vietnamese in every language: holiday names (the
    documents' own), the labels a document gives its deadlines ("đợt 1", "báo cáo năm")."""
    for holiday in HOLIDAYS.values():
        text = text.replace(holiday.name, "")
    text = re.sub(r"(?i)\b(đợt|lần) \d+|báo cáo (6 tháng|năm|quý)|Tết", "", text)
    return text


def test_the_vietnamese_text_is_the_message_rendered_without_translation() -> None:
    for phrase in _phrases():
        cadence = parse_cadence(phrase, CTX)
        assert cadence.explanation == str(cadence.explained)
        assert cadence.explanation == cadence.explained.render(lambda msgid: msgid)
        for occurrence in cadence.occurrences(dt.date(2026, 1, 1), dt.date(2027, 12, 31)):
            assert occurrence.explanation == str(occurrence.explained)


def test_every_explanation_reads_in_english(english: Translations) -> None:
    rendered = 0
    for phrase in _phrases():
        cadence = parse_cadence(phrase, CTX)
        texts = [cadence.explained] + [
            o.explained for o in cadence.occurrences(dt.date(2026, 1, 1), dt.date(2027, 12, 31))
        ]
        for text in texts:
            shown = text.render(english.gettext)
            assert shown and shown != text.render(), (phrase, shown)
            assert not VIETNAMESE.search(_own_words_removed(shown)), (phrase, shown)
            rendered += 1
    assert rendered > 200


@pytest.mark.parametrize(
    ("phrase", "vietnamese", "in_english"),
    [
        ("Trước ngày 15/02 hằng năm",
         "Hằng năm, hạn chót 14/02 (trước ngày 15/02); ngày nghỉ thì lùi về ngày làm việc liền "
         "trước",
         "Every year, due 14/02 (before 15/02); a day off moves it back to the previous "
         "working day"),
        ("thứ Năm của tuần thứ ba trong tháng",
         "Hằng tháng, thứ Năm của tuần thứ ba (tuần tính từ ngày 1 của tháng, mỗi tuần 7 ngày; "
         "tuần cuối là 7 ngày cuối tháng)",
         "Every month, Thursday of the third week (weeks are counted from the 1st of the month, "
         "7 days each; the last week is the last 7 days of the month)"),
        ("từ 19 giờ 30 đến 21 giờ ngày 2/9/2026",
         "Hạn chót 02/09/2026, từ 19:30 đến 21:00",
         "Due 02/09/2026, from 19:30 to 21:00"),
    ],
)  # fmt: skip
def test_known_sentences(
    english: Translations, phrase: str, vietnamese: str, in_english: str
) -> None:
    cadence = parse_cadence(phrase, CTX)
    assert cadence.explanation == vietnamese
    assert cadence.explained.render(english.gettext) == in_english


def test_a_trước_deadline_moved_back_says_so_in_english(english: Translations) -> None:
    # 15/11/2026 is a Sunday and 14/11 a Saturday: due Friday 13/11, never on or after 15/11.
    cadence = parse_cadence("Trước ngày 15/11 hằng năm", CTX)
    (occurrence,) = cadence.occurrences(dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert occurrence.due_on == dt.date(2026, 11, 13)
    assert occurrence.explained.render(english.gettext) == (
        'Due 13/11/2026 (before 15/11/2026); 14/11/2026 is a day off, so a "before" deadline '
        "moves back to the previous working day"
    )


def test_messages_nest_join_and_change_case() -> None:
    inner = N_("tháng %(month)d/%(year)d", month=3, year=2027)
    outer = N_("trong %(period)s", period=inner)
    upper = {"tháng %(month)d/%(year)d": "month %(month)d/%(year)d",
             "trong %(period)s": "within %(period)s"}  # fmt: skip
    assert str(outer) == "trong tháng 3/2027"
    assert outer.render(lambda m: upper.get(m, m)) == "within month 3/2027"
    assert str(capitalized(joined("; ", (outer, "x")))) == "Trong tháng 3/2027; x"
    assert str(uncapitalized(N_("Hằng năm"))) == "hằng năm"
    assert outer == N_(
        "trong %(period)s", period=N_("tháng %(month)d/%(year)d", month=3, year=2027)
    )
    assert hash(outer) == hash(N_("trong %(period)s", period=inner))
