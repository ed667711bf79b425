"""Real-usage time phrases beyond the seed documents, each with its expected due dates.

Written from the usage of Vietnamese administrative documents: periodic reporting under
Nghị định 09/2019/NĐ-CP (báo cáo năm, 6 tháng, quý, tháng; "trước ngày 15 tháng 12"), citizen
reception under Luật Tiếp công dân 2013 art. 15 ("ít nhất 01 ngày trong 01 tuần",
"ngày 15 hằng tháng", "thứ Năm hằng tuần"), provincial and commune plans.

Every entry is read against a plan issued on 17/4/2026 covering 2026-2030 and the years after
("… và những năm tiếp theo"). Expected dates were worked out by hand from the rules in
docs/deadline-rules.md and a 2027 calendar, with VN public holidays of 2027: 1/1 (Fri), Tết
4-10/2, Giỗ Tổ 16/4 (Fri), 30/4 (Fri), 1/5 (Sat, day off in lieu Mon 3/5), 2-3/9, 24/11.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

Y2027 = (dt.date(2027, 1, 1), dt.date(2027, 12, 31))
PLAN = (dt.date(2026, 1, 1), dt.date(2030, 12, 31))
Q1_2027 = (dt.date(2027, 1, 1), dt.date(2027, 3, 31))
MARCH_2027 = (dt.date(2027, 3, 1), dt.date(2027, 3, 31))

# Month ends of 2027 after the working-day shift: 31/1 Sun → 1/2; 28/2 Sun → 1/3;
# 30/4 holiday, 1/5 holiday, 2/5 Sun, 3/5 day in lieu → 4/5; 31/7 Sat → 2/8; 31/10 Sun → 1/11.
MONTH_ENDS_2027 = ("2027-02-01", "2027-03-01", "2027-03-31", "2027-05-04", "2027-05-31",
                   "2027-06-30", "2027-08-02", "2027-08-31", "2027-09-30", "2027-11-01",
                   "2027-11-30", "2027-12-31")  # fmt: skip
# The 15th of each month of 2027: 15/5 Sat → 17/5; 15/8 Sun → 16/8.
FIFTEENTHS_2027 = ("2027-01-15", "2027-02-15", "2027-03-15", "2027-04-15", "2027-05-17",
                   "2027-06-15", "2027-07-15", "2027-08-16", "2027-09-15", "2027-10-15",
                   "2027-11-15", "2027-12-15")  # fmt: skip
QUARTER_ENDS_2027 = ("2027-03-31", "2027-06-30", "2027-09-30", "2027-12-31")
HALF_ENDS_2027 = ("2027-06-30", "2027-12-31")
# 31/12 of the plan years; 31/12/2028 is a Sunday and 1/1/2029 a holiday → 2/1/2029.
YEAR_ENDS = ("2026-12-31", "2027-12-31", "2029-01-02", "2029-12-31", "2030-12-31")
FRIDAYS_MARCH_2027 = ("2027-03-05", "2027-03-12", "2027-03-19", "2027-03-26")
# Tết Dương lịch, Tết Nguyên đán (6/2/2027), Giỗ Tổ (10/3 âm lịch = 16/4/2027), 30/4, 1/5, 2/9
MAJOR_HOLIDAYS_2027 = ("2027-01-01", "2027-02-06", "2027-04-16", "2027-04-30", "2027-05-01",
                       "2027-09-02")  # fmt: skip


# Text extracted from PDFs often arrives decomposed (NFD): the same words, other code points.
NFD_BEFORE_20 = "Trước ngày 20 hằng tháng"
NFD_Q2_2027 = "Quý II/2027"


@dataclass(frozen=True)
class Case:
    phrase: str
    kind: str
    due: tuple[str, ...]
    window: tuple[dt.date, dt.date] = Y2027


# fmt: off
CORPUS: tuple[Case, ...] = (
    # -- Reporting (Nghị định 09/2019/NĐ-CP) ----------------------------------------------
    Case("Trước ngày 15 tháng 12 hằng năm", "yearly", ("2027-12-14",)),
    Case("Chậm nhất ngày 15 tháng 12 hằng năm", "yearly", ("2027-12-15",)),
    Case("Báo cáo hằng năm trước ngày 15/12", "yearly", ("2027-12-14",)),
    Case("Định kỳ 6 tháng", "semiannual", HALF_ENDS_2027),
    Case("6 tháng/lần", "semiannual", HALF_ENDS_2027),
    Case("2 lần/năm", "semiannual", HALF_ENDS_2027),
    Case("Hai lần/năm", "semiannual", HALF_ENDS_2027),
    Case("Báo cáo định kỳ hằng quý", "quarterly", QUARTER_ENDS_2027),
    Case("Ít nhất 01 lần/quý", "quarterly", QUARTER_ENDS_2027),
    Case("4 lần/năm", "quarterly", QUARTER_ENDS_2027),
    Case("Mỗi quý một lần", "quarterly", QUARTER_ENDS_2027),
    Case("Định kỳ 3 tháng", "quarterly", QUARTER_ENDS_2027),
    Case("Định kỳ hằng quý và đột xuất", "quarterly", QUARTER_ENDS_2027),
    Case("Hằng tháng", "monthly", MONTH_ENDS_2027),
    Case("ít nhất 1 tháng/lần", "monthly", MONTH_ENDS_2027),
    Case("Định kỳ hằng tháng", "monthly", MONTH_ENDS_2027),
    Case("Cuối tháng", "monthly", MONTH_ENDS_2027),
    Case("Cuối hằng tháng", "monthly", MONTH_ENDS_2027),
    Case("Ngày 15 hằng tháng", "monthly", FIFTEENTHS_2027),
    Case("Chậm nhất ngày 15 (mười lăm) hằng tháng", "monthly", FIFTEENTHS_2027),
    Case("Chậm nhất ngày 15 (mười lăm)", "monthly", FIFTEENTHS_2027),
    Case("Giữa tháng", "monthly", FIFTEENTHS_2027),
    # the 19th: 19/6 Sat → 21/6, 19/9 Sun → 20/9, 19/12 Sun → 20/12
    # "trước": 19/6 Sat → back to Fri 18/6; 19/9 Sun → 17/9; 19/12 Sun → 17/12
    Case("Trước ngày 20 hằng tháng", "monthly",
         ("2027-01-19", "2027-02-19", "2027-03-19", "2027-04-19", "2027-05-19", "2027-06-18",
          "2027-07-19", "2027-08-19", "2027-09-17", "2027-10-19", "2027-11-19",
          "2027-12-17")),
    Case("Hằng tháng (trước ngày 25)", "monthly",
         ("2027-01-22", "2027-02-24", "2027-03-24"), Q1_2027),  # 24/1 Sun → back to 22/1
    Case("Ngày 15 và ngày 30 hằng tháng", "monthly",  # 30/1 Sat → 1/2; 28/2 Sun → 1/3
         ("2027-01-15", "2027-02-01", "2027-02-15", "2027-03-01", "2027-03-15", "2027-03-30"),
         Q1_2027),
    Case("Ngày 10 và 25 hằng tháng", "monthly",  # 10/1 Sun → 11/1; 10/2 in the Tết break
         ("2027-01-11", "2027-01-25", "2027-02-11", "2027-02-25", "2027-03-10", "2027-03-25"),
         Q1_2027),
    # -- Yearly ---------------------------------------------------------------------------
    Case("Hằng năm", "yearly", ("2027-12-31",)),
    Case("Hàng năm", "yearly", ("2027-12-31",)),
    Case("HẰNG NĂM", "yearly", ("2027-12-31",)),
    Case("Cả năm", "yearly", ("2027-12-31",)),
    Case("Ít nhất 01 lần/năm", "yearly", ("2027-12-31",)),
    Case("Mỗi năm một lần", "yearly", ("2027-12-31",)),
    Case("Thường xuyên, hằng năm", "yearly", ("2027-12-31",)),
    Case("Trước ngày 15/02 hằng năm", "yearly", ("2027-02-12",)),  # 14/2 Sun → back to 12/2
    Case("Trước ngày 15-2 hàng năm", "yearly", ("2027-02-12",)),
    Case("trước ngày 15 tháng 02 hằng năm", "yearly", ("2027-02-12",)),
    Case("Ngày 15.01 hằng năm", "yearly", ("2027-01-15",)),
    Case("Tháng 12 hằng năm", "yearly", ("2027-12-31",)),
    Case("Trong tháng 6 hằng năm", "yearly", ("2027-06-30",)),
    Case("Tháng 6 và tháng 12 hằng năm", "yearly", ("2027-06-30", "2027-12-31")),
    Case("Quý I", "yearly", ("2027-03-31",)),
    Case("Quý 1", "yearly", ("2027-03-31",)),
    Case("quý iv", "yearly", ("2027-12-31",)),
    Case("Quý I hằng năm", "yearly", ("2027-03-31",)),
    Case("Quý I, Quý IV", "yearly", ("2027-03-31", "2027-12-31")),
    Case("Quý II và quý III hằng năm", "yearly", ("2027-06-30", "2027-09-30")),
    Case("6 tháng đầu năm", "yearly", ("2027-06-30",)),
    Case("Nửa đầu năm", "yearly", ("2027-06-30",)),
    Case("6 tháng cuối năm", "yearly", ("2027-12-31",)),
    Case("9 tháng đầu năm", "yearly", ("2027-09-30",)),
    Case("Từ tháng 3 đến tháng 5", "yearly", ("2027-05-31",)),
    Case("từ tháng 3 đến hết tháng 5 hằng năm", "yearly", ("2027-05-31",)),
    Case("Tháng 3-5 hằng năm", "yearly", ("2027-05-31",)),
    Case("Từ ngày 01/3 đến ngày 31/5 hằng năm", "yearly", ("2027-05-31",)),
    Case("Cuối năm", "yearly", ("2027-12-31",)),
    Case("Giữa năm", "yearly", ("2027-06-30",)),
    Case("Đầu năm", "yearly", ("2027-01-04",)),  # 1/1 holiday, 2-3/1 weekend
    Case("Cuối tháng 6", "yearly", ("2027-06-30",)),
    Case("Giữa tháng 7", "yearly", ("2027-07-15",)),
    Case("Đầu tháng 9", "yearly", ("2027-09-01",)),
    Case("Cuối quý II", "yearly", ("2027-06-30",)),
    Case("Trước 1/12", "yearly", ("2027-11-30",)),
    Case("Trước tháng 6 hằng năm", "yearly", ("2027-05-31",)),
    Case("Chậm nhất ngày 31/3 hằng năm", "yearly", ("2027-03-31",)),
    Case("Hạn chót 30/9", "yearly", ("2027-09-30",)),
    Case("Không quá ngày 20/12 hằng năm", "yearly", ("2027-12-20",)),
    Case("15/6 và 15/12 hằng năm", "yearly", ("2027-06-15", "2027-12-15")),
    # -- Quarterly and month-of-quarter ----------------------------------------------------
    Case("Hằng quý", "quarterly", QUARTER_ENDS_2027),
    Case("Cuối quý", "quarterly", QUARTER_ENDS_2027),
    Case("Cuối mỗi quý", "quarterly", QUARTER_ENDS_2027),
    Case("Tháng cuối quý", "quarterly", QUARTER_ENDS_2027),
    Case("Hằng quý (tháng cuối quý)", "quarterly", QUARTER_ENDS_2027),
    Case("Đầu quý", "quarterly", ("2027-01-04", "2027-04-01", "2027-07-01", "2027-10-01")),
    Case("Giữa quý", "quarterly", ("2027-02-15", "2027-05-17", "2027-08-16", "2027-11-15")),
    # -- Years ----------------------------------------------------------------------------
    Case("Năm 2027", "once", ("2027-12-31",), PLAN),
    Case("Trong năm 2027", "once", ("2027-12-31",), PLAN),
    Case("Năm sau", "once", ("2027-12-31",), PLAN),
    Case("Năm 2027 và năm 2030", "once", ("2027-12-31", "2030-12-31"), PLAN),
    Case("Các năm 2027, 2029", "once", ("2027-12-31", "2029-12-31"), PLAN),
    Case("Từ năm 2027", "yearly", YEAR_ENDS[1:], PLAN),
    Case("Giai đoạn 2028 - 2030", "yearly", YEAR_ENDS[2:], PLAN),
    Case("Giai đoạn 2026-2027", "yearly", YEAR_ENDS[:2], PLAN),
    Case("Từ năm 2026 đến năm 2028", "yearly", YEAR_ENDS[:3], PLAN),
    Case("Năm 2026 - 2030", "yearly", YEAR_ENDS, PLAN),
    Case("Hằng năm, giai đoạn 2026 - 2030", "yearly", YEAR_ENDS,
         (dt.date(2026, 1, 1), dt.date(2032, 12, 31))),  # nothing after 2030
    Case("Những năm tiếp theo", "yearly", ("2031-12-31", "2032-12-31"),
         (dt.date(2026, 1, 1), dt.date(2032, 12, 31))),
    Case("2026 - 2030 và những năm tiếp theo", "yearly", ("2030-12-31", "2031-12-31"),
         (dt.date(2030, 1, 1), dt.date(2031, 12, 31))),
    Case("Quý III/2027", "once", ("2027-09-30",), PLAN),
    Case("Quý 3 năm 2027", "once", ("2027-09-30",), PLAN),
    Case("Hoàn thành trong Quý II/2027", "once", ("2027-06-30",), PLAN),
    Case("Tháng 1/2027", "once", ("2027-02-01",), PLAN),  # 31/1/2027 Sun
    Case("Tháng 3 năm 2027", "once", ("2027-03-31",), PLAN),
    Case("Trước ngày 30/6/2027", "once", ("2027-06-29",), PLAN),
    Case("Chậm nhất ngày 15/11/2027", "once", ("2027-11-15",), PLAN),
    # -- Weekly (Luật Tiếp công dân) ---------------------------------------------------------
    Case("Ít nhất 01 lần/tuần", "weekly", FRIDAYS_MARCH_2027, MARCH_2027),
    Case("Hằng tuần", "weekly", FRIDAYS_MARCH_2027, MARCH_2027),
    Case("01 ngày/tuần", "weekly", FRIDAYS_MARCH_2027, MARCH_2027),
    Case("Ít nhất 01 ngày trong 01 tuần", "weekly", FRIDAYS_MARCH_2027, MARCH_2027),
    Case("Theo lịch làm việc hằng tuần", "weekly", FRIDAYS_MARCH_2027, MARCH_2027),
    Case("Thứ Năm hằng tuần", "weekly",
         ("2027-03-04", "2027-03-11", "2027-03-18", "2027-03-25"), MARCH_2027),
    Case("thứ 5 hằng tuần", "weekly",
         ("2027-03-04", "2027-03-11", "2027-03-18", "2027-03-25"), MARCH_2027),
    Case("Sáng thứ Hai hằng tuần", "weekly",
         ("2027-03-01", "2027-03-08", "2027-03-15", "2027-03-22", "2027-03-29"), MARCH_2027),
    Case("thứ Bảy hằng tuần", "weekly",  # the day of an event: never moved off the weekend
         ("2027-03-06", "2027-03-13", "2027-03-20", "2027-03-27"), MARCH_2027),
    Case("Thứ Hai và thứ Năm hằng tuần", "weekly",
         ("2027-03-01", "2027-03-04", "2027-03-08", "2027-03-11", "2027-03-15", "2027-03-18",
          "2027-03-22", "2027-03-25", "2027-03-29"), MARCH_2027),
    # Friday 30/4/2027 is a holiday, then 1/5, the weekend and the day in lieu 3/5 → Tue 4/5
    Case("Ít nhất 1 lần/tuần", "weekly", ("2027-05-04", "2027-05-07"),
         (dt.date(2027, 4, 26), dt.date(2027, 5, 9))),
    Case("Ít nhất 1 ngày trong 1 tháng", "monthly", MONTH_ENDS_2027),
    # -- Holidays, solar and lunar ------------------------------------------------------------
    Case("Tết Nguyên đán", "holidays", ("2027-02-06",)),
    Case("Tết Dương lịch", "holidays", ("2027-01-01",)),
    Case("Giỗ Tổ Hùng Vương (10/3 âm lịch)", "holidays", ("2027-04-16",)),
    Case("Ngày 10/3 âm lịch hằng năm", "yearly", ("2027-04-16",)),
    Case("Rằm tháng Giêng", "holidays", ("2027-02-20",)),  # a Saturday, not moved
    Case("Tết Trung thu", "holidays", ("2027-09-15",)),
    Case("Ngày 15/7 âm lịch", "yearly", ("2027-08-16",)),
    Case("Nhân dịp Quốc khánh 2/9", "holidays", ("2027-09-02",)),
    Case("Nhân dịp 30/4 và 1/5", "yearly", ("2027-04-30", "2027-05-01")),
    Case("Hằng năm vào dịp Tết Nguyên đán", "holidays", ("2027-02-06",)),
    Case("Các ngày lễ lớn", "holidays", MAJOR_HOLIDAYS_2027),
    Case("Dịp lễ, Tết", "holidays", MAJOR_HOLIDAYS_2027),
    # -- Ongoing and on demand ------------------------------------------------------------------
    Case("Thường xuyên", "ongoing", QUARTER_ENDS_2027),
    Case("Thường xuyên, liên tục", "ongoing", QUARTER_ENDS_2027),
    Case("Hằng ngày", "ongoing", QUARTER_ENDS_2027),
    Case("Xuyên suốt năm", "ongoing", QUARTER_ENDS_2027),
    Case("Khi có yêu cầu", "on_demand", ()),
    Case("Đột xuất", "on_demand", ()),
    Case("Theo yêu cầu của cấp trên", "on_demand", ()),
    Case("Khi cần thiết", "on_demand", ()),
    # -- Not understood: never a guess ---------------------------------------------------------
    Case("Sau khi có văn bản hướng dẫn", "unknown", ()),
    Case("Trong vòng 30 ngày kể từ ngày ký", "unknown", ()),
    Case("Hằng năm, trừ năm 2028", "unknown", ()),
    Case("Tháng 13", "unknown", ()),
    Case("Quý V", "unknown", ()),
    Case("3 lần/năm", "unknown", ()),
    Case("2 ngày trong 1 tháng", "unknown", ()),
    Case("Ngày 15 (mười sáu) hằng tháng", "unknown", ()),
    Case("Ngày 31/4", "unknown", ()),
    Case("Tiếp công dân định kỳ", "unknown", ()),
    Case("Tháng 12 hằng tuần", "unknown", ()),
    Case("", "unknown", ()),
    # == Second round: forms found failing or misread in plans and reporting regimes ======
    # -- A day of a month of the quarter ("ngày D (của) tháng đầu/cuối quý") -----------------
    # the 14th: 14/3/2027 Sun → 15/3
    # 14/3/2027 is a Sunday: a "trước" deadline moves back to Friday 12/3
    Case("Định kỳ hằng quý (trước ngày 15 của tháng cuối quý)", "quarterly",
         ("2027-03-12", "2027-06-14", "2027-09-14", "2027-12-14")),
    Case("Báo cáo quý: trước ngày 15 của tháng cuối quý", "quarterly",
         ("2027-03-12", "2027-06-14", "2027-09-14", "2027-12-14")),
    # 25/9 and 25/12/2027 are Saturdays → 27/9, 27/12
    Case("Ngày 25 tháng cuối quý", "quarterly",
         ("2027-03-25", "2027-06-25", "2027-09-27", "2027-12-27")),
    # 19/6 Sat → 21/6; 19/9 Sun → 20/9; 19/12 Sun → 20/12
    Case("Hằng quý, trước ngày 20 tháng cuối quý", "quarterly",  # 19/6 Sat, 19/9, 19/12 Sun
         ("2027-03-19", "2027-06-18", "2027-09-17", "2027-12-17")),
    # 10/1 Sun → 11/1; 10/4 Sat → 12/4; 10/7 Sat → 12/7; 10/10 Sun → 11/10
    Case("Ngày 10 tháng đầu quý", "quarterly",
         ("2027-01-11", "2027-04-12", "2027-07-12", "2027-10-11")),
    # -- Monthly ---------------------------------------------------------------------------
    # the 4th: 4/2 in the Tết break → 11/2
    # 4/2/2027 is in the Tết break (4-10/2): a "trước" deadline moves back to Wed 3/2
    Case("Trước ngày 05 hằng tháng", "monthly", ("2027-01-04", "2027-02-03", "2027-03-04"),
         Q1_2027),
    Case("Hằng tháng, trước ngày 25", "monthly", ("2027-01-22", "2027-02-24", "2027-03-24"),
         Q1_2027),  # 24/1 Sun → back to 22/1
    Case("Trước 20 hằng tháng", "monthly", ("2027-01-19", "2027-02-19", "2027-03-19"), Q1_2027),
    Case("Báo cáo tháng: trước ngày 20 hằng tháng", "monthly",
         ("2027-01-19", "2027-02-19", "2027-03-19"), Q1_2027),
    Case(NFD_BEFORE_20, "monthly", ("2027-01-19", "2027-02-19", "2027-03-19"), Q1_2027),
    Case("15 hằng tháng", "monthly", ("2027-01-15", "2027-02-15", "2027-03-15"), Q1_2027),
    Case("Vào ngày 15 hằng tháng", "monthly", FIFTEENTHS_2027),
    Case("Mỗi tháng một lần", "monthly", MONTH_ENDS_2027),
    Case("1 lần/tháng", "monthly", MONTH_ENDS_2027),
    Case("Ngày cuối cùng của tháng", "monthly", MONTH_ENDS_2027),
    Case("Hằng tháng và đột xuất", "monthly", MONTH_ENDS_2027),
    # -- Quarterly, half-yearly, weekly -------------------------------------------------------
    Case("Định kỳ 3 tháng một lần", "quarterly", QUARTER_ENDS_2027),
    Case("1 lần/3 tháng", "quarterly", QUARTER_ENDS_2027),
    Case("Tối thiểu 01 lần/quý", "quarterly", QUARTER_ENDS_2027),
    Case("Hàng  quý", "quarterly", QUARTER_ENDS_2027),
    Case("01 lần/ 06 tháng", "semiannual", HALF_ENDS_2027),
    Case("Hai lần một năm", "semiannual", HALF_ENDS_2027),
    Case("Ít nhất 02 lần/năm", "semiannual", HALF_ENDS_2027),
    Case("Mỗi tuần một lần", "weekly", FRIDAYS_MARCH_2027, MARCH_2027),
    Case("Sáng thứ Sáu hằng tuần", "weekly", FRIDAYS_MARCH_2027, MARCH_2027),
    Case("Vào thứ Hai hằng tuần", "weekly",
         ("2027-03-01", "2027-03-08", "2027-03-15", "2027-03-22", "2027-03-29"), MARCH_2027),
    # -- Yearly: spellings, typos, months in words -----------------------------------------
    Case("Qúy I", "yearly", ("2027-03-31",)),
    Case("quý 2", "yearly", ("2027-06-30",)),
    Case("QUÝ  II", "yearly", ("2027-06-30",)),
    Case("Q1", "yearly", ("2027-03-31",)),
    Case("Trong quý II và quý IV hằng năm", "yearly", ("2027-06-30", "2027-12-31")),
    Case("Trước 30/6 và 31/12 hằng năm", "yearly", ("2027-06-29", "2027-12-30")),
    Case("Hằng năm (trước 15/11)", "yearly", ("2027-11-12",)),  # 14/11 Sun → back to 12/11
    Case("Báo cáo năm: trước ngày 15/12", "yearly", ("2027-12-14",)),
    Case("Trươc ngày 15/12", "yearly", ("2027-12-14",)),
    Case("TRUỚC NGÀY 15/12 HẰNG NĂM", "yearly", ("2027-12-14",)),
    Case("Trước ngày 15 tháng Mười hai", "yearly", ("2027-12-14",)),
    Case("tháng sáu", "yearly", ("2027-06-30",)),
    Case("Tháng 11 - 12 hằng năm", "yearly", ("2027-12-31",)),
    Case("Tháng 3, 6, 9, 12 hằng năm", "yearly", QUARTER_ENDS_2027),
    Case("Tháng 3, tháng 6, tháng 9 và tháng 12", "yearly", QUARTER_ENDS_2027),
    Case("Giữa năm và cuối năm", "yearly", ("2027-06-30", "2027-12-31")),
    Case("Hằng năm, chậm nhất 31/12", "yearly", ("2027-12-31",)),
    Case("Chậm nhất là ngày 15/12", "yearly", ("2027-12-15",)),
    Case("Năm 2026 và những năm tiếp theo", "yearly", ("2027-12-31",)),
    # -- Once: dated days, months, quarters, years -------------------------------------------
    Case("Q1/2027", "once", ("2027-03-31",), PLAN),
    Case(NFD_Q2_2027, "once", ("2027-06-30",), PLAN),
    Case("Quý I và II năm 2027", "once", ("2027-03-31", "2027-06-30"), PLAN),
    Case("Quý IV năm 2026", "once", ("2026-12-31",), PLAN),
    Case("Trong tháng 01 năm 2027", "once", ("2027-02-01",), PLAN),  # 31/1/2027 Sun
    Case("Tháng 6 và tháng 12/2027", "once", ("2027-06-30", "2027-12-31"), PLAN),
    Case("Cuối tháng 12/2027", "once", ("2027-12-31",), PLAN),
    Case("6 tháng đầu năm 2027", "once", ("2027-06-30",), PLAN),
    Case("Trước ngày 31 tháng 12 năm 2026", "once", ("2026-12-30",), PLAN),
    Case("Trước ngày 10/12/2027", "once", ("2027-12-09",), PLAN),
    Case("Năm 2026 - 2027", "yearly", ("2026-12-31", "2027-12-31"), PLAN),
    Case("Các năm 2027, 2028", "once", ("2027-12-31", "2029-01-02"), PLAN),
    Case("Đến hết năm 2027", "once", ("2027-12-31",), PLAN),
    Case("Đến năm 2030", "once", ("2030-12-31",), PLAN),
    # -- Holidays and lunar dates -------------------------------------------------------------
    # the eve, never moved: 5/2/2027 is in the Tết break, moving it on would pass Tết
    Case("Trước Tết Nguyên đán", "holidays", ("2027-02-05",)),
    Case("Trước ngày Quốc khánh 2/9", "holidays", ("2027-09-01",)),
    # 31/12/2027 is the eve of Tết Dương lịch 2028
    Case("Trước các ngày lễ lớn", "holidays",
         ("2027-02-05", "2027-04-15", "2027-04-29", "2027-04-30", "2027-09-01", "2027-12-31")),
    Case("Tết Nguyên đán 2027", "once", ("2027-02-06",), PLAN),
    Case("Tết Nguyên đán Đinh Mùi", "once", ("2027-02-06",), PLAN),
    # Tết Bính Ngọ was 17/2/2026, before the plan of 17/4/2026: nothing is owed
    Case("Dịp Tết Nguyên đán Bính Ngọ 2026", "once", (), PLAN),
    Case("Rằm tháng Bảy âm lịch", "yearly", ("2027-08-16",)),
    Case("Ngày rằm tháng 7 âm lịch", "yearly", ("2027-08-16",)),
    Case("Rằm tháng 8", "yearly", ("2027-09-15",)),  # rằm is lunar: Trung thu
    # 23 tháng Chạp of the lunar year 2026 (ông Công ông Táo) is 30/1/2027, a Saturday
    Case("Ngày 23 tháng Chạp", "yearly", ("2027-01-30",)),
    # -- Read since issue 11 (the next period, weeks of a month) -------------------------------
    # "ngày 05 của tháng đầu quý sau": the quarter's report is due on the 5th of the next one
    Case("Chậm nhất ngày 05 của tháng đầu quý sau", "quarterly",
         ("2027-01-05", "2027-04-05", "2027-07-05", "2027-10-05")),
    # the last seven days of each month, due on the month's last day (shifted forward)
    Case("Tuần cuối tháng", "monthly", MONTH_ENDS_2027),
    # the Friday of each month's last seven days: an event, never moved (30/4 stays)
    Case("Thứ Sáu tuần cuối cùng của tháng", "monthly",
         ("2027-01-29", "2027-02-26", "2027-03-26", "2027-04-30", "2027-05-28", "2027-06-25",
          "2027-07-30", "2027-08-27", "2027-09-24", "2027-10-29", "2027-11-26", "2027-12-31")),
    # -- Must stay unknown ---------------------------------------------------------------------
    Case("Trong vòng 15 ngày", "unknown", ()),  # an amount of days, not the 15th
    Case("Trong 15", "unknown", ()),
    Case("Từ ngày 01/01/2027", "unknown", ()),  # a start without an end
    Case("Từ quý II/2026", "unknown", ()),
    Case("Sau Tết Nguyên đán", "unknown", ()),
    Case("hằng nam", "unknown", ()),
    Case("Ngày 15 hằng nam", "unknown", ()),
    Case("Ngày 15 hằng quý", "unknown", ()),  # the 15th of which month?
    Case("Hằng quý, ngày 15", "unknown", ()),
    Case("Mồng 1 và rằm hằng tháng", "unknown", ()),  # lunar days of every lunar month
    Case("Tết Nguyên đán Bính Ngọ 2027", "unknown", ()),  # Bính Ngọ is 2026
    Case("Năm học 2026-2027", "unknown", ()),
    Case("Sơ kết 6 tháng, tổng kết năm", "unknown", ()),
    Case("2 lần/6 tháng", "unknown", ()),
    Case("Q5", "unknown", ()),
)
# fmt: on
