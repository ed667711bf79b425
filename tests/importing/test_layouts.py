"""The layout families real offices write, each on a small fixture of our own."""

from __future__ import annotations

import pytest

from tracker.importing import PlanDraft, PlanImportError, messages, read_plan_bytes
from tracker.importing.tables import header_of
from tracker.importing.unit_register import ALL_UNITS, CITY_DEPARTMENTS
from tracker.importing.units import unit_by_name, unit_meant_by

_HEAD = (
    "ỦY BAN NHÂN DÂN TỈNH NINH BÌNH\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "Số: 214/KH-UBND\tNinh Bình, ngày 20 tháng 11 năm 2026\n\n"
    "KẾ HOẠCH\n\nChuyển đổi số trong cơ quan nhà nước năm 2027\n\n"
)


def _read(text: str, name: str = "ke-hoach.txt") -> PlanDraft:
    return read_plan_bytes(text.encode(), name)


def _templates(draft: PlanDraft) -> list[str]:
    return [w.template for w in draft.warnings]


# ---------------------------------------------------------------- header vocabulary


@pytest.mark.parametrize(
    ("labels", "columns"),
    [
        (["STT", "Nội dung", "Cơ quan chủ trì", "Thời hạn"], ["ref", "title", "lead", "time"]),
        (
            ["TT", "Nhiệm vụ, giải pháp", "Đơn vị chủ trì", "Phối hợp thực hiện", "Tiến độ"],
            ["ref", "title", "lead", "coord", "time"],
        ),
        (
            ["Thời gian hoàn thành", "Nội dung công việc", "Trách nhiệm thực hiện", "STT"],
            ["time", "title", "lead", "ref"],
        ),
        (
            ["STT", "Nhiệm vụ", "Kết quả đầu ra", "Cơ quan thực hiện", "Ghi chú"],
            ["ref", "title", "evidence", "lead", "note"],
        ),
        (
            ["STT", "Nội dung", "Hình thức văn bản", "Chủ trì thực hiện", "Kinh phí",
             "Theo dõi, kiểm tra, đôn đốc", "Thời gian thực hiện"],
            ["ref", "title", "evidence", "lead", "note", "note", "time"],
        ),
        (["TT", "Nội dung tiêu chí", "Điểm chuẩn", "Thời gian"],
         ["ref", "title", "points", "time"]),
    ],
)  # fmt: skip
def test_columns_are_recognised_by_meaning_in_any_order(
    labels: list[str], columns: list[str]
) -> None:
    header = header_of(labels)
    assert header is not None
    assert header.columns == columns


def test_a_year_in_the_time_label_applies_to_its_cells() -> None:
    header = header_of(["TT", "Nội dung", "Trách nhiệm thực hiện", "Thời gian (Năm 2027)"])
    assert header is not None and header.year == 2027


def test_no_header_without_a_task_column() -> None:
    assert header_of(["STT", "Thời điểm", "Chỉ tiêu chủ yếu", "Mức phấn đấu"]) is None


def test_unknown_columns_are_notes_and_the_order_is_free() -> None:
    table = (
        "STT\tThời hạn\tNội dung công việc\tGhi chú\tĐơn vị chủ trì\tKết quả đầu ra\n"
        "1\tQuý I/2027\tRà soát hạ tầng mạng\tƯu tiên\tSở Khoa học và Công nghệ\tBáo cáo rà soát\n"
        "2\tTháng 6/2027\tTập huấn kỹ năng số\t\tSở Nội vụ\tDanh sách học viên\n"
    )
    draft = _read(_HEAD + table)
    first, second = draft.tasks
    assert (first.title, first.time_text, first.evidence) == (
        "Rà soát hạ tầng mạng", "Quý I/2027", "Báo cáo rà soát",
    )  # fmt: skip
    assert first.lead_units == ["Sở Khoa học và Công nghệ"]
    assert first.notes == "Ghi chú: Ưu tiên"
    assert second.notes is None and second.lead_units == ["Sở Nội vụ"]


def test_the_period_is_the_year_the_title_states() -> None:
    """Issue 10: a plan for 2027 issued in November 2026 is for 2027."""
    draft = _read(
        _HEAD + "STT\tNội dung\tChủ trì\tThời hạn\n1\tLập kế hoạch\tSở Nội vụ\tQuý I/2027\n"
    )
    assert draft.issued_on is not None and draft.issued_on.year == 2026
    assert (draft.period.start, draft.period.end) == (2027, 2027)
    assert draft.issuer == "Ủy ban nhân dân tỉnh Ninh Bình"
    assert draft.commune is None


# ---------------------------------------------------------------- cells over several lines


def test_header_and_cells_over_several_lines() -> None:
    table = (
        "TT\tNội dung\tTrách nhiệm\nthực hiện\tThời gian\n(Năm 2027)\n"
        "(1)\t(2)\t(3)\t(4)\n"
        "1\tĐối thoại trực tuyến với doanh nghiệp\tLãnh đạo\nSở Tài chính\tngày 12 tháng 3\n"
        "2\tĐối thoại trực tuyến với người dân\tLãnh đạo Công an tỉnh\tngày 9 tháng 4\n"
    )
    draft = _read(_HEAD + table)
    assert [t.title for t in draft.tasks] == [
        "Đối thoại trực tuyến với doanh nghiệp",
        "Đối thoại trực tuyến với người dân",
    ]
    assert [t.lead_units for t in draft.tasks] == [["Sở Tài chính"], ["Công an tỉnh"]]
    assert draft.tasks[0].time_text == "ngày 12 tháng 3 năm 2027"


def test_a_cell_carried_on_a_line_of_its_own() -> None:
    table = (
        "STT\tNhiệm vụ\tThời hạn\tĐơn vị chủ trì\n"
        "1\tXây dựng kho dữ liệu\tNăm 2027\tSở Khoa học\n"
        "và Công nghệ\n"
        "2\tCập nhật dữ liệu dân cư\tHằng tháng\tCông an tỉnh\n"
    )
    draft = _read(_HEAD + table)
    assert draft.tasks[0].lead_units == ["Sở Khoa học và Công nghệ"]
    assert len(draft.tasks) == 2


def test_one_cell_a_line_as_docx2txt_writes_it() -> None:
    lines = [
        "STT", "Nhiệm vụ", "Sản phẩm", "Thời gian hoàn thành", "Chủ trì thực hiện",
        "Phối hợp thực hiện",
        "I", "Cải cách thể chế", " ", " ", " ", " ",
        "1", "Rà soát văn bản hết hiệu lực", "Danh mục văn bản", "Năm 2027", "Sở Tư pháp", " ",
        "2", "Kiểm tra văn bản quy phạm", "Báo cáo kiểm tra", "Hằng năm", "Sở Tư pháp",
        "Văn phòng UBND tỉnh",
        "", "", "Kế hoạch tự kiểm tra", "Quý I/2027", "Các cơ quan, đơn vị, địa phương", " ",
        "II", "Cải cách thủ tục hành chính", " ", " ", " ", " ",
        "1", "Công bố thủ tục hành chính", "Quyết định công bố", "Thường xuyên",
        "Văn phòng UBND tỉnh", "Các sở, ban, ngành",
    ]  # fmt: skip
    draft = _read(_HEAD + "\n".join(f"      {line}" for line in lines) + "\n")
    assert [t.ref for t in draft.tasks] == ["I.1", "I.2", "I.2-2", "II.1"]
    assert [t.group for t in draft.tasks] == ["Cải cách thể chế"] * 3 + [
        "Cải cách thủ tục hành chính"
    ]
    sub = draft.tasks[2]
    assert sub.title == "Kiểm tra văn bản quy phạm" and sub.evidence == "Kế hoạch tự kiểm tra"
    # Collective names keep the document's wording and still mean every unit.
    assert sub.lead_units == ["Các cơ quan, đơn vị, địa phương"]
    assert unit_meant_by(sub.lead_units[0]) == unit_by_name(ALL_UNITS)
    assert draft.tasks[3].coordinating_units == ["Các sở, ban, ngành"]
    assert unit_meant_by("Các sở, ban, ngành") == unit_by_name(CITY_DEPARTMENTS)


# ---------------------------------------------------------------- groups and several tables


def test_numbering_restarts_in_each_group_without_duplicate_warnings() -> None:
    table = (
        "STT\tNội dung\tCơ quan chủ trì\tThời hạn\n"
        "A\tNhóm nhiệm vụ về thể chế\t\t\n"
        "1\tBan hành quy chế\tSở Nội vụ\tQuý I/2027\n"
        "2\tSửa đổi quy định\tSở Tư pháp\tQuý II/2027\n"
        "B\tNhóm nhiệm vụ về hạ tầng\t\t\n"
        "1\tNâng cấp mạng\tSở Khoa học và Công nghệ\tNăm 2027\n"
    )
    draft = _read(_HEAD + table)
    assert [t.ref for t in draft.tasks] == ["A.1", "A.2", "B.1"]
    assert messages.NUMBER_TWICE not in _templates(draft)
    assert messages.NUMBERS_JUMP not in _templates(draft)


def test_every_table_is_read() -> None:
    header = "TT\tNội dung\tTrách nhiệm thực hiện\tThời gian\n"
    first = header + "1\tChuyên mục tháng 3\tSở Y tế\tTháng 3/2027\n"
    second = header + "1\tChuyên mục tháng 5\tSở Xây dựng\tTháng 5/2027\n"
    draft = _read(_HEAD + "I. CHƯƠNG TRÌNH\n\n" + first + "\nII. PHÓNG SỰ\n\n" + second)
    assert [(t.ref, t.title) for t in draft.tasks] == [
        ("1", "Chuyên mục tháng 3"), ("B2.1", "Chuyên mục tháng 5"),
    ]  # fmt: skip


# ---------------------------------------------------------------- body-only plans

_BODY = (
    "III. NHIỆM VỤ VÀ PHÂN CÔNG\n"
    "1. Công tác chỉ đạo\n"
    "1.1. Sở Nội vụ\n"
    "- Tham mưu ban hành quy chế phối hợp (hoàn thành trong tháng 3/2027).\n"
    "- Hướng dẫn các đơn vị tự đánh giá.\n"
    "1.2. Công an tỉnh và các địa phương\n"
    "- Rà soát địa bàn trọng điểm.\n"
    "2. Sở Tư pháp: Lồng ghép phổ biến pháp luật vào các hội nghị.\n"
    "3. Giao Văn phòng UBND tỉnh (cơ quan thường trực):\n"
    "a) Theo dõi, tổng hợp tiến độ thực hiện.\n"
    "b) Tham mưu tổng kết trước ngày 15/12/2027.\n"
    "4. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh, Liên đoàn Lao động tỉnh\n"
    "- Vận động đoàn viên tham gia.\n"
    "IV. TIẾN ĐỘ\n"
    "Quý I/2027, các cơ quan, đơn vị, địa phương báo cáo kết quả về Sở Nội vụ.\n"
    "Sở Thông tin chủ trì, phối hợp với các cơ quan báo chí tuyên truyền kế hoạch.\n"
    "Trên đây là Kế hoạch chuyển đổi số năm 2027 của tỉnh.\n"
)


def test_unit_headings_bullets_and_deadlines_in_sentences() -> None:
    draft = _read(_HEAD + _BODY)
    by_title = {t.title: t for t in draft.tasks}
    first = by_title["Tham mưu ban hành quy chế phối hợp (hoàn thành trong tháng 3/2027)."]
    assert first.lead_units == ["Sở Nội vụ"] and first.time_text == "hoàn thành trong tháng 3/2027"
    assert by_title["Rà soát địa bàn trọng điểm."].lead_units[0] == "Công an tỉnh"
    assert by_title["Lồng ghép phổ biến pháp luật vào các hội nghị."].lead_units == ["Sở Tư pháp"]
    late = by_title["Tham mưu tổng kết trước ngày 15/12/2027."]
    assert late.lead_units == ["Văn phòng UBND tỉnh"] and late.time_text == "trước ngày 15/12/2027"
    assert by_title["Vận động đoàn viên tham gia."].lead_units == [
        "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "Liên đoàn Lao động tỉnh",
    ]  # fmt: skip
    report = next(t for t in draft.tasks if t.title.startswith("Quý I/2027"))
    assert unit_meant_by(report.lead_units[0]) == unit_by_name(ALL_UNITS)
    assert report.time_text == "Quý I/2027"
    press = next(t for t in draft.tasks if t.title.startswith("Sở Thông tin chủ trì"))
    assert press.lead_units == ["Sở Thông tin"] and press.coordinating_units
    assert not any(t.title.startswith("Trên đây") for t in draft.tasks)
    assert len(draft.tasks) == 9


_ACTIVITY_THEN_UNITS = """I. HOẠT ĐỘNG TRỌNG TÂM

1. Tổ chức Hội thi tìm hiểu pháp luật

Sở Tư pháp chủ trì, phối hợp với các cơ quan, đơn vị liên quan xây dựng, tổ chức Hội thi tìm \
hiểu pháp luật năm 2027 trên địa bàn tỉnh.

II. TỔ CHỨC THỰC HIỆN

1. Sở Tư pháp:

a) Về tổ chức Hội thi tìm hiểu pháp luật: Sở Tư pháp chủ trì, phối hợp với các cơ quan, đơn \
vị liên quan xây dựng kế hoạch chi tiết (nội dung, thể lệ, kinh phí); thông báo, hướng dẫn \
các sở, ngành tổ chức thực hiện.

b) Tham mưu ban hành Quy chế hoạt động của Trang thông tin phổ biến pháp luật. Chủ trì, phối \
hợp với các cơ quan, đơn vị liên quan duy trì, cập nhật các nội dung trên Trang thông tin \
phổ biến pháp luật của tỉnh.

c) Chủ trì, phối hợp với các cơ quan, đơn vị liên quan duy trì, cập nhật các nội dung trên \
Trang thông tin phổ biến pháp luật của tỉnh;

d) Tổ chức tập huấn cho báo cáo viên pháp luật các cơ quan, đơn vị liên quan trong tháng 6/2027.

2. Sở Nội vụ: Chủ trì, phối hợp với các cơ quan, đơn vị liên quan duy trì, cập nhật các nội \
dung trên Trang thông tin cải cách hành chính của tỉnh.
"""


def test_an_activity_given_again_to_its_unit_is_one_task_with_a_warning() -> None:
    """A plan lists an activity ("X chủ trì …") and gives it again to X in "Tổ chức thực
    hiện", or repeats a sentence as a point of its own: the first telling is the task, the
    repetition a warning naming both lines. Other units' like sentences stay theirs."""
    draft = _read(_HEAD + _ACTIVITY_THEN_UNITS)
    titles = [t.title for t in draft.tasks]
    assert len(titles) == 4, titles
    assert titles[0].startswith("Sở Tư pháp chủ trì") and "năm 2027" in titles[0]
    assert titles[1].startswith("Tham mưu ban hành Quy chế")
    assert titles[2].startswith("Tổ chức tập huấn")  # same lead, other work: kept
    assert draft.tasks[3].lead_units == ["Sở Nội vụ"]  # same words, another unit: kept
    repeats = [w for w in draft.warnings if w.template == messages.DUPLICATED_ROW]
    assert [(w.params["twin_line"], w.line) for w in repeats] == [(12, 18), (20, 22)]


def test_pdf_lines_are_joined_back_into_paragraphs() -> None:
    """pdftotext -layout: a paragraph starts indented, its lines run on from column 0."""
    body = (
        "       III. Tổ chức thực hiện\n"
        "       1. Sở Giáo dục và Đào tạo\n"
        "       - Các trường nộp kế hoạch tự đánh giá về Sở\n"
        "trước ngày 20/10/2027.\n"
        "\f                                        2\n"
        "       - Kiểm tra việc triển khai thực hiện công tác tự\n"
        "đánh giá của các trường.\n"
    )
    draft = _read(_HEAD + body)
    assert [t.title for t in draft.tasks] == [
        "Các trường nộp kế hoạch tự đánh giá về Sở trước ngày 20/10/2027.",
        "Kiểm tra việc triển khai thực hiện công tác tự đánh giá của các trường.",
    ]
    assert draft.tasks[0].time_text == "trước ngày 20/10/2027"


def test_boxed_title_block_and_blank_days() -> None:
    """antiword writes the title block in |-boxes; a draft leaves the day blank."""
    head = (
        "|ỦY BAN NHÂN DÂN               |CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM      |\n"
        "|TỈNH NINH BÌNH                |Độc lập – Tự do – Hạnh phúc             |\n"
        "|Số:        /KH-UBND           |Ninh Bình, ngày     tháng 02 năm 2027   |\n\n"
        "      KẾ HOẠCH\n      Phòng, chống thiên tai năm 2027\n\n"
    )
    draft = _read(head + _BODY)
    assert draft.number is None and draft.issued_on is None
    assert draft.issued_month == (2027, 2)
    assert draft.issuer == "Ủy ban nhân dân tỉnh Ninh Bình"
    assert draft.title == "Phòng, chống thiên tai năm 2027"


def test_number_and_date_on_one_line_with_a_wide_gap() -> None:
    head = (
        "  UBND HUYỆN YÊN MÔ             CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "PHÒNG GIÁO DỤC&ĐÀO TẠO                    Độc lập - Tự do - Hạnh phúc\n\n"
        "Số: 31   /KH-PGD&ĐT                      Yên Mô, ngày 07 tháng10 năm 2027\n\n"
        "                               KẾ HOẠCH\n"
        "               Kiểm định chất lượng năm học 2027-2028\n\n"
    )
    draft = _read(head + _BODY)
    assert draft.number == "31/KH-PGD&ĐT"
    assert draft.issued_on is not None and draft.issued_on.isoformat() == "2027-10-07"
    assert (draft.period.start, draft.period.end) == (2027, 2028)
    assert "Yên Mô" in (draft.issuer or "")


def test_justified_labels_with_doubled_spaces() -> None:
    body = (
        "III. NHIỆM VỤ\n1. Tổ chức hội nghị triển khai\n"
        "Cơ  quan  chủ  trì:  Sở Nội vụ\nCơ  quan phối hợp: Sở Tài chính\n"
        "Thời  gian thực hiện:  Quý I/2027\n"
    )
    draft = _read(_HEAD + body)
    [task] = draft.tasks
    assert task.lead_units == ["Sở Nội vụ"] and task.coordinating_units == ["Sở Tài chính"]
    assert task.time_text == "Quý I/2027"


# ---------------------------------------------------------------- units as written


def test_units_outside_the_register_are_kept_as_written_with_a_warning() -> None:
    table = (
        "STT\tNội dung\tĐơn vị chủ trì\tĐơn vị phối hợp\tThời hạn\n"
        "1\tKiểm tra an toàn\tThanh tra tỉnh\t"
        "Sở Văn hóa, Thể thao và Du lịch; Công an tỉnh\tNăm 2027\n"
        "2\tTổng hợp báo cáo\tCác cơ quan, đơn vị, địa phương\tSở Nội vụ\tHằng năm\n"
    )
    draft = _read(_HEAD + table)
    first, second = draft.tasks
    assert first.lead_units == ["Thanh tra tỉnh"]
    assert first.coordinating_units == ["Sở Văn hóa, Thể thao và Du lịch", "Công an tỉnh"]
    unknown = [w.params["name"] for w in draft.warnings if w.template == messages.UNKNOWN_UNIT]
    assert "Thanh tra tỉnh" in unknown and "Công an tỉnh" in unknown
    assert second.lead_units == ["Các cơ quan, đơn vị, địa phương"]  # as written
    assert unit_meant_by(second.lead_units[0]) == unit_by_name(ALL_UNITS)  # still every unit


# ---------------------------------------------------------------- honest refusals


def test_a_table_not_understood_names_its_line_and_labels() -> None:
    table = "STT\tDiễn giải\tMã số\tGhi chú\n1\tMục một\tA1\t\n"
    with pytest.raises(PlanImportError) as raised:
        _read(_HEAD + table)
    assert raised.value.template == messages.TABLE_NOT_UNDERSTOOD
    assert raised.value.params["line"] == 8
    assert raised.value.params["labels"] == "Diễn giải | Mã số | Ghi chú"


def test_one_odd_row_is_a_warning_with_its_line() -> None:
    table = (
        "STT\tNội dung\tChủ trì\tThời hạn\n"
        "1\tLập kế hoạch\tSở Nội vụ\tQuý I/2027\n"
        "2\tTổng kết\tSở Nội vụ\tQuý IV/2027\tthừa\tthừa\n"
    )
    draft = _read(_HEAD + table)
    assert [t.title for t in draft.tasks] == ["Lập kế hoạch"]
    [odd] = [w for w in draft.warnings if w.template == messages.ODD_ROW]
    assert odd.line == 10


def test_pdftotext_layout_columns_over_a_page_break() -> None:
    """Positions from the header; wrapped cells; a page number and the header again."""
    header = "STT   Nội dung công việc             Thời hạn        Đơn vị chủ trì"
    table = "\n".join(
        [
            header,
            " 1    Rà soát quy trình nội bộ       Quý I/2027      Văn phòng UBND",
            "      của các phòng                                  tỉnh",
            " 2    Tập huấn kỹ năng số            Tháng 6/2027    Sở Nội vụ",
            "      cho công chức",
            "",
            "\f                                   2",
            header,
            " 3    Tổng kết năm                   Tháng 12/2027   Sở Nội vụ",
            "",
            "IV. TỔ CHỨC THỰC HIỆN",
        ]
    )
    draft = _read(_HEAD + table + "\n")
    assert [(t.ref, t.title, t.time_text) for t in draft.tasks] == [
        ("1", "Rà soát quy trình nội bộ của các phòng", "Quý I/2027"),
        ("2", "Tập huấn kỹ năng số cho công chức", "Tháng 6/2027"),
        ("3", "Tổng kết năm", "Tháng 12/2027"),
    ]
    assert draft.tasks[0].lead_units == ["Văn phòng UBND tỉnh"]
