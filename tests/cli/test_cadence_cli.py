"""``tracker cadence``: the command-line contract of the deadline engine."""

from __future__ import annotations

import json

from click.testing import CliRunner

from tracker.cli import main


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["cadence", *args])
    return result.exit_code, result.output


def test_json_contract() -> None:
    code, output = run(
        "--issued-on", "2026-04-17", "--json", "Trước ngày 15/02 hằng năm", "Quý I", "Không rõ"
    )
    assert code == 0
    records = json.loads(output)
    assert [r["text"] for r in records] == ["Trước ngày 15/02 hằng năm", "Quý I", "Không rõ"]
    first = records[0]
    assert set(first) == {"text", "kind", "rrule", "due_dates", "opens", "times", "understood",
                          "explanation"}  # fmt: skip
    assert first["times"] == [None, None, None, None]
    assert first["kind"] == "yearly"
    assert first["rrule"] == "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=14"
    # default window: 2026 through 2030; 2026's deadline predates the plan
    # a "trước" deadline on a non-working day moves back: 14/2/2027 Sun → 12/2, 14/2/2029 (Tết)
    # → 9/2
    assert first["due_dates"] == ["2027-02-12", "2028-02-14", "2029-02-09", "2030-02-14"]
    assert first["opens"] == ["2027-01-15", "2028-01-15", "2029-01-15", "2030-01-15"]
    assert first["understood"] is True
    assert first["explanation"] == ("Hằng năm, hạn chót 14/02 (trước ngày 15/02); ngày nghỉ thì "
                                    "lùi về ngày làm việc liền trước")  # fmt: skip
    assert records[1]["due_dates"] == [
        "2027-03-31", "2028-03-31", "2029-04-02", "2030-04-01"
    ]  # fmt: skip
    unknown = records[2]
    assert (unknown["kind"], unknown["understood"], unknown["rrule"], unknown["due_dates"]) == (
        "unknown", False, None, [])  # fmt: skip


def test_window_option() -> None:
    code, output = run("--issued-on", "2026-04-17", "--window", "2027-01-01:2027-06-30",
                       "--json", "Hằng quý")  # fmt: skip
    assert code == 0
    [record] = json.loads(output)
    assert record["due_dates"] == ["2027-03-31", "2027-06-30"]
    assert record["opens"] == ["2027-01-01", "2027-04-01"]


def test_table_output() -> None:
    code, output = run("--issued-on", "2026-04-17", "Tháng 12 hằng năm", "Khi cần thiết")
    assert code == 0
    assert "Tháng 12 hằng năm" in output
    assert "loại: yearly" in output
    assert "hạn 31/12/2026   mở từ 01/12/2026" in output
    assert "hạn 02/01/2029" in output  # 31/12/2028 is a Sunday, 1/1/2029 a holiday
    assert "loại: on_demand" in output
    assert "không có hạn trong khoảng thời gian này" in output


def test_bad_options() -> None:
    assert run("--issued-on", "17/4/2026", "Hằng năm")[0] != 0
    assert run("--window", "2027-01-01", "Hằng năm")[0] != 0
    assert run("--window", "2027-12-31:2027-01-01", "Hằng năm")[0] != 0
    assert run()[0] != 0


def test_every_family_prints_kind_dates_and_explanation() -> None:
    phrases = ["Chậm nhất ngày 12 (mười hai) của tháng báo cáo", "Tuần lễ cuối tháng",
               "Trước, trong và sau Tết Nguyên đán", "Thứ Bảy, ngày 21/3/2026",
               "Thứ Hai, ngày 21/3/2026", "từ 19 giờ 30 đến 21 giờ ngày 2/9/2026",
               "Thượng tuần tháng 5", "15 ngày sau khi có hướng dẫn"]  # fmt: skip
    code, output = run("--issued-on", "2026-01-05", "--json", *phrases)
    assert code == 0
    records = {r["text"]: r for r in json.loads(output)}
    assert records[phrases[0]]["kind"] == "monthly"
    assert "tuần tính từ ngày 1 của tháng" in records[phrases[1]]["explanation"]
    assert "từ 23 tháng Chạp đến Rằm tháng Giêng" in records[phrases[2]]["explanation"]
    assert records[phrases[3]]["due_dates"] == ["2026-03-21"]
    assert records[phrases[4]]["kind"] == "unknown"  # 21/3/2026 is a Saturday
    meeting = records[phrases[5]]
    assert (meeting["due_dates"], meeting["times"]) == (["2026-09-02"], ["19:30-21:00"])
    assert "ngày 1-10" in records[phrases[6]]["explanation"]
    assert records[phrases[7]]["due_dates"] == []
    code, table = run("--issued-on", "2026-01-05", phrases[5], "Chậm nhất 17h ngày 15/7/2026")
    assert "hạn 02/09/2026   lúc 19:30-21:00   mở từ 26/08/2026" in table
    assert "hạn 15/07/2026   đến 17:00" in table
