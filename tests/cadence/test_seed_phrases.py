"""Every "Thời gian thực hiện" phrase of the five seed documents, with its exact due dates.

Each document is read with its own plan context: Hòa Bình 102/KH-UBND of 17/4/2026, Phú Thái
(draft, "tháng 4 năm 2026"), Bạch Đằng 38/KH-UBND of 05/02/2026, the city's draft decision
(no date), Vĩnh Bảo 761/KH-UBND of 06/4/2026; all cover 2026-2030 "và những năm tiếp theo".
The window is 2026-2030 unless a case says otherwise.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from tracker.cadence import PlanContext, parse_cadence

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
YEARS = (2026, 2027, 2028, 2029, 2030)
HOA_BINH = PlanContext(issued_on=dt.date(2026, 4, 17), years=YEARS)
PHU_THAI = PlanContext(issued_on=None, issued_month=(2026, 4), years=YEARS)
BACH_DANG = PlanContext(issued_on=dt.date(2026, 2, 5), years=YEARS)
CITY = PlanContext(issued_on=None, years=YEARS)
VINH_BAO = PlanContext(issued_on=dt.date(2026, 4, 6), years=YEARS)
WINDOW = (dt.date(2026, 1, 1), dt.date(2030, 12, 31))

# 31/12 each year; 31/12/2028 is a Sunday and 1/1/2029 Tết Dương lịch → 2/1/2029.
YEAR_ENDS = ["2026-12-31", "2027-12-31", "2029-01-02", "2029-12-31", "2030-12-31"]
# "Trước ngày 15/02": due 14/02; a "trước" deadline on a non-working day moves back to the
# previous working day. 2026: 14/2 is a Saturday → 13/2/2026, before Hòa Bình's and Vĩnh
# Bảo's plans existed: no occurrence. 14/2/2027 is a Sunday → Friday 12/2; 14/2/2029 is in
# the Tết 2029 break (12-16/2) → Friday 9/2.
BEFORE_15_02 = ["2027-02-12", "2028-02-14", "2029-02-09", "2030-02-14"]
# "Trước ngày 15/11": 14/11/2026 Saturday → Friday 13/11; 14/11/2027 Sunday → Friday 12/11.
BEFORE_15_11 = ["2026-11-13", "2027-11-12", "2028-11-14", "2029-11-14", "2030-11-14"]
# Quarter ends, shifted: 30/9/2028 Sat → 2/10; 31/3/2029 Sat → 2/4; 30/6/2029 Sat → 2/7;
# 30/9/2029 Sun → 1/10; 31/3/2030 Sun → 1/4; 30/6/2030 Sun → 1/7.
QUARTER_ENDS = [
    "2026-03-31", "2026-06-30", "2026-09-30", "2026-12-31",
    "2027-03-31", "2027-06-30", "2027-09-30", "2027-12-31",
    "2028-03-31", "2028-06-30", "2028-10-02", "2029-01-02",
    "2029-04-02", "2029-07-02", "2029-10-01", "2029-12-31",
    "2030-04-01", "2030-07-01", "2030-09-30", "2030-12-31",
]  # fmt: skip
QUARTER_ENDS_FROM_Q2_2026 = QUARTER_ENDS[1:]
QUARTER_I = ["2026-03-31", "2027-03-31", "2028-03-31", "2029-04-02", "2030-04-01"]
# 30/11/2030 is a Saturday: "Trước 1/12" moves back to Friday 29/11.
BEFORE_1_12 = ["2026-11-30", "2027-11-30", "2028-11-30", "2029-11-30", "2030-11-29"]
# Tết Dương lịch, Tết Nguyên đán, Giỗ Tổ Hùng Vương (10/3 âm lịch), 30/4, 1/5, 2/9 — on the
# day itself, never moved. Tết and Giỗ Tổ per Vietnam's lunar calendar (Tết 2030 = 2/2/2030).
MAJOR_HOLIDAYS_FROM_FEB_2026 = [
    "2026-02-17", "2026-04-26", "2026-04-30", "2026-05-01", "2026-09-02",
    "2027-01-01", "2027-02-06", "2027-04-16", "2027-04-30", "2027-05-01", "2027-09-02",
    "2028-01-01", "2028-01-26", "2028-04-04", "2028-04-30", "2028-05-01", "2028-09-02",
    "2029-01-01", "2029-02-13", "2029-04-23", "2029-04-30", "2029-05-01", "2029-09-02",
    "2030-01-01", "2030-02-02", "2030-04-12", "2030-04-30", "2030-05-01", "2030-09-02",
]  # fmt: skip

FIRST_JAN_2031 = (dt.date(2026, 1, 1), dt.date(2031, 12, 31))

# (document, phrase as written, context, kind, due dates[, window])
SEED_CASES: list[tuple[str, str, PlanContext, str, list[str], tuple[dt.date, dt.date]]] = [
    # 000 — Hòa Bình, annex
    ("000", "Hằng năm", HOA_BINH, "yearly", YEAR_ENDS, WINDOW),
    ("000", "Trước ngày 15/02 hằng năm", HOA_BINH, "yearly", BEFORE_15_02, WINDOW),
    ("000", "Thường xuyên", HOA_BINH, "ongoing", QUARTER_ENDS_FROM_Q2_2026, WINDOW),
    ("000", "Trước ngày 15/11 hằng năm", HOA_BINH, "yearly", BEFORE_15_11, WINDOW),
    ("000", "Tháng 12 hằng năm", HOA_BINH, "yearly", YEAR_ENDS, WINDOW),
    # 001 — Phú Thái, "Thời gian thực hiện:" lines and the targets table's "Thời điểm"
    ("001", "Hằng năm.", PHU_THAI, "yearly", YEAR_ENDS, WINDOW),
    ("001", "Từ năm 2026.", PHU_THAI, "yearly", YEAR_ENDS, WINDOW),
    ("001", "Từ năm 2026 đến năm 2030 và những năm tiếp theo.", PHU_THAI, "yearly",
     [*YEAR_ENDS, "2031-12-31"], FIRST_JAN_2031),
    ("001", "Năm 2026", PHU_THAI, "once", ["2026-12-31"], WINDOW),
    ("001", "Từ năm 2027", PHU_THAI, "yearly", YEAR_ENDS[1:], WINDOW),
    ("001", "Giai đoạn 2028 - 2030", PHU_THAI, "yearly", YEAR_ENDS[2:], FIRST_JAN_2031),
    ("001", "Những năm tiếp theo", PHU_THAI, "yearly", ["2031-12-31"], FIRST_JAN_2031),
    # 002 — Bạch Đằng, body
    ("002", "Thường xuyên trong năm và xuyên suốt quá trình xây dựng, duy trì mô hình "
     "“Chính quyền thân thiện”.", BACH_DANG, "ongoing", QUARTER_ENDS, WINDOW),
    ("002", "Thường xuyên, liên tục trong quá trình xây dựng và duy trì mô hình "
     "“Chính quyền thân thiện”.", BACH_DANG, "ongoing", QUARTER_ENDS, WINDOW),
    ("002", "Thực hiện thường xuyên.", BACH_DANG, "ongoing", QUARTER_ENDS, WINDOW),
    ("002", "Thường xuyên, theo nhu cầu thực tế.", BACH_DANG, "ongoing", QUARTER_ENDS, WINDOW),
    ("002", "Thường xuyên.", BACH_DANG, "ongoing", QUARTER_ENDS, WINDOW),
    ("002", "Theo các dịp lễ, sự kiện trong năm.", BACH_DANG, "holidays",
     MAJOR_HOLIDAYS_FROM_FEB_2026, WINDOW),
    ("002", "Ít nhất 01 lần/năm.", BACH_DANG, "yearly", YEAR_ENDS, WINDOW),
    ("002", "Định kỳ hằng năm và khi cần thiết.", BACH_DANG, "yearly", YEAR_ENDS, WINDOW),
    ("002", "Thường xuyên, xuyên suốt năm.", BACH_DANG, "ongoing", QUARTER_ENDS, WINDOW),
    ("002", "Hằng năm.", BACH_DANG, "yearly", YEAR_ENDS, WINDOW),
    ("002", "Thường xuyên, từng bước hoàn thiện theo điều kiện thực tế.", BACH_DANG, "ongoing",
     QUARTER_ENDS, WINDOW),
    ("002", "Thường xuyên, Hằng năm.", BACH_DANG, "yearly", YEAR_ENDS, WINDOW),
    # 002 — Bạch Đằng, annex (the scoring table)
    ("002", "Cả năm", BACH_DANG, "yearly", YEAR_ENDS, WINDOW),
    ("002", "Thường xuyên", BACH_DANG, "ongoing", QUARTER_ENDS, WINDOW),
    ("002", "Quý I", BACH_DANG, "yearly", QUARTER_I, WINDOW),
    ("002", "Quý IV", BACH_DANG, "yearly", YEAR_ENDS, WINDOW),
    # 31/1/2026 is a Saturday → 2/2/2026, before the plan of 5/2/2026: nothing is owed.
    ("002", "Tháng 1/2026", BACH_DANG, "once", [], WINDOW),
    ("002", "Trước 1/12", BACH_DANG, "yearly", BEFORE_1_12, WINDOW),
    ("002", "Nhân các ngày lễ lớn, và tết nguyên đán", BACH_DANG, "holidays",
     MAJOR_HOLIDAYS_FROM_FEB_2026, WINDOW),
    # 003 — the city's draft decision (no issue date: counts from 1/1/2026)
    ("003", "Hằng năm.", CITY, "yearly", YEAR_ENDS, WINDOW),
    ("003", "Từ năm 2026.", CITY, "yearly", YEAR_ENDS, WINDOW),
    ("003", "hằng năm, từ năm 2026 đến năm 2030 và những năm tiếp theo.", CITY, "yearly",
     YEAR_ENDS, WINDOW),
    # 004 — Vĩnh Bảo, broken extraction: cells split over lines, spaced-apart words
    ("004", "Hằng   năm", VINH_BAO, "yearly", YEAR_ENDS, WINDOW),
    ("004", "\n\n\nHằng năm\n\t", VINH_BAO, "yearly", YEAR_ENDS, WINDOW),
    ("004", "Trước ngày 15/02 \nhằng năm", VINH_BAO, "yearly", BEFORE_15_02, WINDOW),
    ("004", "Thường xuyên", VINH_BAO, "ongoing", QUARTER_ENDS_FROM_Q2_2026, WINDOW),
    ("004", "Trước ngày 15/11\n hằng năm", VINH_BAO, "yearly", BEFORE_15_11, WINDOW),
    ("004", "Tháng 12 hằng năm", VINH_BAO, "yearly", YEAR_ENDS, WINDOW),
    ("004", "Năm 2027 \nvà năm 2030", VINH_BAO, "once", ["2027-12-31", "2030-12-31"], WINDOW),
    ("004", "Năm 2027\nvà năm 2030", VINH_BAO, "once", ["2027-12-31", "2030-12-31"], WINDOW),
]  # fmt: skip


@pytest.mark.parametrize(
    ("document", "phrase", "ctx", "kind", "due", "window"),
    SEED_CASES,
    ids=[f"{c[0]}:{' '.join(c[1].split())[:50]}" for c in SEED_CASES],
)
def test_seed_phrase(
    document: str,
    phrase: str,
    ctx: PlanContext,
    kind: str,
    due: list[str],
    window: tuple[dt.date, dt.date],
) -> None:
    cadence = parse_cadence(phrase, ctx)
    occurrences = cadence.occurrences(*window)
    assert cadence.kind.value == kind
    assert cadence.understood
    assert [o.due_on.isoformat() for o in occurrences if o.due_on] == due
    assert len({o.key for o in occurrences}) == len(occurrences)


def test_bach_dang_weekly_schedule() -> None:
    """ "Theo lịch làm việc hằng tuần": due on the Friday of every week from the plan's week;
    Friday 20/2/2026 is in the Tết break → Monday 23/2; 1/1/2027 (2026-W53) → Monday 4/1."""
    cadence = parse_cadence("Theo lịch làm việc hằng tuần.", BACH_DANG)
    occurrences = cadence.occurrences(*WINDOW)
    due = [o.due_on.isoformat() for o in occurrences if o.due_on]
    assert cadence.kind.value == "weekly"
    assert due[:4] == ["2026-02-06", "2026-02-13", "2026-02-23", "2026-02-27"]
    assert due[-1] == "2030-12-27"
    assert [o.key for o in occurrences][:2] == ["2026-W06", "2026-W07"]
    w53 = next(o for o in occurrences if o.key == "2026-W53")
    assert w53.due_on == dt.date(2027, 1, 4)
    assert len(occurrences) == 48 + 52 * 4  # 2026 has 53 ISO weeks; weeks 6-53 are due


def _seed_phrases() -> set[str]:
    """The time phrases of the seed documents, found the way a reader finds them."""
    found: set[str] = set()
    for path in sorted(SEEDS.glob("00[0-3]_*.txt")):
        text = path.read_text(encoding="utf-8")
        header: list[str] | None = None
        for line in text.splitlines():
            cells = line.split("\t")
            if "Thời gian thực hiện" in cells or "Thời điểm" in cells:
                header = ["Thời gian thực hiện" if c == "Thời điểm" else c for c in cells]
                continue
            if header and len(cells) == len(header):
                cell = cells[header.index("Thời gian thực hiện")].strip()
                if cell:
                    found.add(cell)
        for match in re.finditer(r"Thời gian(?: thực hiện)?\*?:\*? ?(.+)", text):
            found.add(match.group(1).strip())
    return found


def test_every_seed_phrase_is_covered() -> None:
    found = _seed_phrases()
    assert {"Trước 1/12", "Quý IV", "Giai đoạn 2028 - 2030", "Thực hiện thường xuyên."} <= found
    covered = {" ".join(case[1].split()) for case in SEED_CASES}
    covered.add("Theo lịch làm việc hằng tuần.")  # test_bach_dang_weekly_schedule
    missing = {p for p in found if " ".join(p.split()) not in covered}
    assert missing == set()
