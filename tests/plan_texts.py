"""Small plans written for the tests (never the seeds): a plan and its revised version."""

from __future__ import annotations

import io
from collections.abc import Sequence

Row = tuple[str, str, str, str, str]

ORIGINAL_ROWS: list[Row] = [
    ("1", "Tuyên truyền, phổ biến các văn bản về mô hình Chính quyền thân thiện", "Hằng năm",
     "Trung tâm Dịch vụ sự nghiệp công", "Văn phòng HĐND-UBND"),
    ("2", "Rà soát việc niêm yết công khai thủ tục hành chính tại Trung tâm", "Quý II hằng năm",
     "Trung tâm Phục vụ hành chính công", "Văn phòng HĐND-UBND"),
    ("3", "Báo cáo tự đánh giá, chấm điểm kết quả thực hiện các tiêu chí",
     "Trước ngày 15/11 hằng năm", "Phòng Văn hóa - Xã hội", "Văn phòng HĐND-UBND"),
    ("4", "Tổ chức hội nghị chuyên đề về văn hóa công vụ", "Tháng 9/2026",
     "Văn phòng HĐND-UBND", "Phòng Văn hóa - Xã hội"),
]
# The revised version: row 1 reworded, row 2's time moved, row 3 as it was, row 4 dropped,
# a new row added.
REVISED_ROWS: list[Row] = [
    ("1", "Tuyên truyền, phổ biến sâu rộng các văn bản về mô hình Chính quyền thân thiện",
     "Hằng năm", "Trung tâm Dịch vụ sự nghiệp công", "Văn phòng HĐND-UBND"),
    ("2", "Rà soát việc niêm yết công khai thủ tục hành chính tại Trung tâm", "Quý III hằng năm",
     "Trung tâm Phục vụ hành chính công", "Văn phòng HĐND-UBND"),
    ("3", "Báo cáo tự đánh giá, chấm điểm kết quả thực hiện các tiêu chí",
     "Trước ngày 15/11 hằng năm", "Phòng Văn hóa - Xã hội", "Văn phòng HĐND-UBND"),
    ("4", "Khảo sát mức độ hài lòng của người dân đối với cán bộ tiếp dân", "Tháng 10 hằng năm",
     "Văn phòng HĐND-UBND", "Phòng Văn hóa - Xã hội"),
]
TITLE = "Triển khai mô hình “Chính quyền thân thiện” tại phường Hòa Bình giai đoạn 2026 - 2027"


def plan_text(number: str, day: str, rows: Sequence[Row], *, amends: str | None = None) -> str:
    """A commune plan of phường Hòa Bình with an annex of ``rows`` (tab-separated)."""
    title = TITLE
    if amends:
        title = f"Sửa đổi, bổ sung Kế hoạch số {amends} về {TITLE[0].lower()}{TITLE[1:]}"
    head = (
        "ỦY BAN NHÂN DÂN\nPHƯỜNG HÒA BÌNH\n\n"
        f"Số: {number}\n\nHòa Bình, ngày {day} năm 2026\n\nKẾ HOẠCH\n\n{title}\n\n"
        "I. MỤC ĐÍCH, YÊU CẦU\n\nTriển khai đồng bộ, hiệu quả.\n\n"
        "PHỤ LỤC NHIỆM VỤ CỤ THỂ\n"
        f"(Kèm theo Kế hoạch số {number} của UBND phường Hòa Bình)\n\n"
        "STT\tNhiệm vụ cụ thể\tThời gian thực hiện\tCơ quan chủ trì\tCơ quan phối hợp\n"
    )
    return head + "\n".join("\t".join(row) for row in rows) + "\n"


def original_plan() -> bytes:
    return plan_text("21/KH-UBND", "17 tháng 4", ORIGINAL_ROWS).encode("utf-8")


def revised_plan() -> bytes:
    return plan_text("35/KH-UBND", "20 tháng 4", REVISED_ROWS,
                     amends="21/KH-UBND ngày 17/4/2026").encode("utf-8")


def as_docx(text: str) -> bytes:
    """The same plan as a Word file: paragraphs, and the annex as a table."""
    import docx  # python-docx, already a dependency of the importer

    document = docx.Document()
    lines = text.splitlines()
    table_at = next(i for i, line in enumerate(lines) if line.startswith("STT\t"))
    for line in lines[:table_at]:
        document.add_paragraph(line)
    cells = [line.split("\t") for line in lines[table_at:] if line.strip()]
    table = document.add_table(rows=len(cells), cols=len(cells[0]))
    for r, row in enumerate(cells):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def commune_plan(head: str, place: str, commune: str, *, number: str = "12/KH-UBND",
                 rows: Sequence[Row] = ORIGINAL_ROWS) -> str:
    """A commune plan shaped like the seeds, for a commune of any province: ``head`` is its
    title block above the number ("TỈNH QUẢNG NINH\\nỦY BAN NHÂN DÂN XÃ TIÊN YÊN", or ""),
    ``place`` its place-and-date line's place, ``commune`` how the body names it
    ("xã Tiên Yên")."""
    return (
        f"{head}\n\nSố: {number}\n\n{place}, ngày 05 tháng 3 năm 2026\n\nKẾ HOẠCH\n\n"
        f"Triển khai mô hình “Chính quyền thân thiện” tại {commune} giai đoạn 2026 - 2030\n\n"
        f"Ủy ban nhân dân {commune} ban hành Kế hoạch triển khai mô hình như sau:\n\n"
        "I. MỤC ĐÍCH, YÊU CẦU\n\nTriển khai đồng bộ, hiệu quả.\n\n"
        "PHỤ LỤC NHIỆM VỤ CỤ THỂ\n"
        f"(Kèm theo Kế hoạch số {number} của UBND {commune})\n\n"
        "STT\tNhiệm vụ cụ thể\tThời gian thực hiện\tCơ quan chủ trì\tCơ quan phối hợp\n"
        + "\n".join("\t".join(row) for row in rows) + "\n"
    )
