"""The self-assessment report (.docx) in the administrative format of Nghị định 30/2020/NĐ-CP.

Built with python-docx: A4; margins top and bottom 20 mm, left 30 mm, right 15 mm (the
decree's ranges are 20-25, 30-35 and 15-20 mm); Times New Roman, 13-14 pt body. On top a
borderless two-column table: the issuing body (ỦY BAN NHÂN DÂN / the commune, bold) and
"Số: …/BC-UBND" left; the national motto (Quốc hiệu and Tiêu ngữ) and "place, ngày … tháng …
năm …" (italic) right. Then the title, "Kính gửi", the summary, results by criteria group, the
scoring table (criterion, điểm chuẩn, self-score, evidence), "Nơi nhận:" and the signatory's
block. A plan without points reports progress per task instead of the scoring table.

The report goes to the city in Vietnamese: callers render it under the Vietnamese locale.
"""

from __future__ import annotations

import datetime as dt
import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from tracker.clock import VN_TZ
from tracker.i18n import _, format_date_formal
from tracker.models import AssessmentStatus
from tracker.services.exports.tables import evidence_text
from tracker.services.scoring import Sheet, format_points

DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FONT = "Times New Roman"
_PREFIXES = ("Phường ", "Xã ", "Đặc khu ")


def place_name(commune_name: str) -> str:
    """ "Phường Bạch Đằng" → "Bạch Đằng": the place written before the date."""
    for prefix in _PREFIXES:
        if commune_name.startswith(prefix):
            return commune_name[len(prefix) :]
    return commune_name


def _widths(table, widths) -> None:  # type: ignore[no-untyped-def]
    """Fixed column widths (the grid LibreOffice and Word both read)."""
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width


def in_sentence(commune_name: str) -> str:
    """ "Phường Bạch Đằng" → "phường Bạch Đằng": the kind is lower-case inside a sentence."""
    return commune_name[:1].lower() + commune_name[1:]


def _points(value: float | None) -> str:
    return format_points(value, "vi") if value is not None else ""


def _run(paragraph, text: str, *, bold=False, italic=False, size=13, underline=False):  # type: ignore[no-untyped-def]
    run = paragraph.add_run(text)
    run.bold, run.italic, run.underline = bold, italic, underline
    run.font.size = Pt(size)
    run.font.name = FONT
    run._element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    return run


def _para(container, text: str = "", *, align=None, bold=False, italic=False, size=13,
          indent=False, space_after=4):  # type: ignore[no-untyped-def]  # fmt: skip
    paragraph = container.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(space_after)
    paragraph.paragraph_format.space_before = Pt(0)
    if indent:
        paragraph.paragraph_format.first_line_indent = Mm(10)
    if text:
        _run(paragraph, text, bold=bold, italic=italic, size=size)
    return paragraph


def _no_borders(table) -> None:  # type: ignore[no-untyped-def]
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _repeat_header(row) -> None:  # type: ignore[no-untyped-def]
    properties = row._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    properties.append(element)


def _cell(cell, text: str, *, bold=False, italic=False, size=12, align=None) -> None:  # type: ignore[no-untyped-def]
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.space_after = Pt(0)
    if align is not None:
        paragraph.alignment = align
    lines = text.split("\n")
    for n, line in enumerate(lines):
        run = _run(paragraph, line, bold=bold, italic=italic, size=size)
        if n < len(lines) - 1:
            run.add_break()


def _date_line(sheet: Sheet) -> str:
    place = place_name(sheet.commune.name)
    sent = sheet.assessment.submitted_at if sheet.assessment else None
    if sent is not None:
        return f"{place}, {format_date_formal(sent.astimezone(VN_TZ).date())}"
    return _("%(place)s, ngày … tháng … năm %(year)d", place=place, year=sheet.year)


def _heading_block(document, sheet: Sheet) -> None:  # type: ignore[no-untyped-def]
    table = document.add_table(rows=1, cols=2)
    _no_borders(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(table, [Mm(62), Mm(103)])
    left, right = table.rows[0].cells
    center = WD_ALIGN_PARAGRAPH.CENTER
    _cell(left, _("ỦY BAN NHÂN DÂN"), size=13, align=center)
    _para(left, sheet.commune.name.upper(), align=center, bold=True, size=13, space_after=6)
    _para(left, _("Số: …/BC-UBND"), align=center, size=13, space_after=0)
    _cell(right, _("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), bold=True, size=12, align=center)
    motto = _para(right, align=center, space_after=6)
    _run(motto, _("Độc lập - Tự do - Hạnh phúc"), bold=True, size=13, underline=True)
    _para(right, _date_line(sheet), align=center, italic=True, size=13, space_after=0)


def _summary(document, sheet: Sheet) -> None:  # type: ignore[no-untyped-def]
    plan = sheet.plan
    if plan is not None:
        source = plan.number or _("không số")
        issued = format_date_formal(plan.issued_on) if plan.issued_on else ""
        _para(
            document,
            _(
                "Thực hiện Kế hoạch số %(number)s %(issued)s của Ủy ban nhân dân %(commune)s "
                "về xây dựng Chính quyền thân thiện, Ủy ban nhân dân %(commune)s báo cáo kết quả "
                "tự đánh giá, chấm điểm năm %(year)d như sau:",
                number=source,
                issued=issued,
                commune=in_sentence(sheet.commune.name),
                year=sheet.year,
            ),
            indent=True,
        )
    if not sheet.has_points:
        _para(
            document,
            _(
                "Kế hoạch của đơn vị không có bảng điểm; báo cáo nêu tiến độ thực hiện từng "
                "nhiệm vụ trong năm."
            ),
            indent=True,
        )
        return
    evidenced = sum(1 for item in sheet.items if item.evidence)
    _para(
        document,
        _(
            "Tổng số %(count)d mục chấm điểm, tổng điểm chuẩn %(max)s điểm; tổng điểm tự chấm "
            "%(total)s điểm; %(evidenced)d mục có minh chứng đính kèm.",
            count=len(sheet.items),
            max=_points(sheet.item_points),
            total=_points(sheet.self_total),
            evidenced=evidenced,
        ),
        indent=True,
    )
    if sheet.stated_points is not None and round(sheet.stated_points - sheet.item_points, 2):
        _para(
            document,
            _(
                "Bảng điểm của kế hoạch ghi tổng %(stated)s điểm; các mục chấm điểm cộng lại "
                "được %(items)s điểm. Báo cáo giữ nguyên số liệu như văn bản.",
                stated=_points(sheet.stated_points),
                items=_points(sheet.item_points),
            ),
            indent=True,
        )


def _groups(document, sheet: Sheet) -> None:  # type: ignore[no-untyped-def]
    _para(document, _("I. KẾT QUẢ THEO NHÓM TIÊU CHÍ"), bold=True)
    for n, group in enumerate(sheet.groups, start=1):
        stated = _points(group.stated_points) if group.stated_points is not None else _("không ghi")
        text = _(
            "%(n)d. %(group)s: điểm chuẩn theo văn bản %(stated)s; các mục chấm điểm cộng lại "
            "%(items)s điểm; tự chấm %(score)s điểm.",
            n=n,
            group=group.title,
            stated=stated,
            items=_points(group.item_points),
            score=_points(group.self_total),
        )
        if group.difference is not None:
            text += " " + _(
                "(Chênh lệch so với văn bản: %(gap)s điểm.)", gap=_points(group.difference)
            )
        _para(document, text, indent=True)


def _scoring_table(document, sheet: Sheet) -> None:  # type: ignore[no-untyped-def]
    _para(document, _("II. BẢNG TỰ CHẤM ĐIỂM"), bold=True)
    headings = [_("STT"), _("Tiêu chí"), _("Điểm chuẩn"), _("Điểm tự chấm"), _("Minh chứng")]
    widths = [Mm(14), Mm(76), Mm(17), Mm(17), Mm(41)]
    table = document.add_table(rows=1, cols=len(headings))
    table.style = "Table Grid"
    center = WD_ALIGN_PARAGRAPH.CENTER
    for cell, heading, width in zip(table.rows[0].cells, headings, widths, strict=True):
        cell.width = width
        _cell(cell, heading, bold=True, align=center)
    _repeat_header(table.rows[0])

    def add(values: list[str], *, bold: bool = False) -> None:
        cells = table.add_row().cells
        for n, (cell, value, width) in enumerate(zip(cells, values, widths, strict=True)):
            cell.width = width
            _cell(cell, value, bold=bold, align=center if n in (0, 2, 3) else None)

    for row in sheet.rows:
        if row.item is None:
            stated = _points(row.stated_points)
            if row.difference is not None:
                stated += "\n" + _("(các ý: %(parts)s)", parts=_points(row.parts_points))
            add([row.ref, row.title, stated, "", ""], bold=True)
            continue
        item = row.item
        add(
            [
                row.ref,
                row.title,
                _points(item.points),
                _points(item.self_score),
                evidence_text(item.plan_item.evidence, [e.original_name for e in item.evidence]),
            ]
        )
    for group in sheet.groups:
        add(
            [
                group.ref,
                _("Cộng %(group)s", group=group.title),
                _points(group.item_points),
                _points(group.self_total),
                "",
            ],
            bold=True,
        )
    add(["", _("TỔNG CỘNG"), _points(sheet.item_points), _points(sheet.self_total), ""], bold=True)
    _widths(table, widths)


def _progress_table(document, sheet: Sheet) -> None:  # type: ignore[no-untyped-def]
    _para(document, _("I. TIẾN ĐỘ THỰC HIỆN CÁC NHIỆM VỤ"), bold=True)
    headings = [
        _("STT"),
        _("Nhiệm vụ"),
        _("Đơn vị chủ trì"),
        _("Số việc"),
        _("Đã hoàn thành"),
        _("Quá hạn"),
        _("Tiến độ"),
    ]
    widths = [Mm(12), Mm(68), Mm(35), Mm(13), Mm(15), Mm(12), Mm(15)]
    table = document.add_table(rows=1, cols=len(headings))
    table.style = "Table Grid"
    center = WD_ALIGN_PARAGRAPH.CENTER
    for cell, heading, width in zip(table.rows[0].cells, headings, widths, strict=True):
        cell.width = width
        _cell(cell, heading, bold=True, align=center)
    _repeat_header(table.rows[0])
    for row in sheet.progress:
        progress = "" if row.progress is None else f"{round(row.progress * 100)}%"
        values = [
            row.plan_item.ref,
            row.plan_item.title,
            ", ".join(row.unit_names),
            str(row.total),
            str(row.done),
            str(row.overdue),
            progress,
        ]
        cells = table.add_row().cells
        for n, (cell, value, width) in enumerate(zip(cells, values, widths, strict=True)):
            cell.width = width
            _cell(cell, value, align=center if n not in (1, 2) else None)
    _widths(table, widths)


def _proposal(document, sheet: Sheet) -> None:  # type: ignore[no-untyped-def]
    _para(document, _("III. ĐỀ XUẤT"), bold=True)
    if sheet.self_level:
        text = _(
            "Căn cứ kết quả tự chấm điểm (%(total)s điểm), Ủy ban nhân dân %(commune)s đề nghị "
            "Sở Nội vụ thẩm định, công nhận %(commune)s đạt Chính quyền thân thiện Mức độ "
            "%(level)d năm %(year)d.",
            total=_points(sheet.self_total),
            commune=in_sentence(sheet.commune.name),
            level=sheet.self_level,
            year=sheet.year,
        )
    else:
        text = _(
            "Ủy ban nhân dân %(commune)s đề nghị Sở Nội vụ thẩm định kết quả tự đánh giá, chấm "
            "điểm năm %(year)d và công nhận mức đạt chuẩn Chính quyền thân thiện theo quy định.",
            commune=in_sentence(sheet.commune.name),
            year=sheet.year,
        )
    _para(document, text, indent=True)


def _closing(document, sheet: Sheet) -> None:  # type: ignore[no-untyped-def]
    _para(document, "", space_after=6)
    table = document.add_table(rows=1, cols=2)
    _no_borders(table)
    _widths(table, [Mm(85), Mm(80)])
    left, right = table.rows[0].cells
    first = left.paragraphs[0]
    _run(first, _("Nơi nhận:"), bold=True, italic=True, size=12)
    for line in (
        _("- Sở Nội vụ thành phố Hải Phòng;"),
        _("- Thường trực Đảng ủy, HĐND %(commune)s;", commune=place_name(sheet.commune.name)),
        _("- Chủ tịch, các Phó Chủ tịch UBND;"),
        _("- Lưu: VT, VHXH."),
    ):
        _para(left, line, size=11, space_after=0)
    center = WD_ALIGN_PARAGRAPH.CENTER
    _cell(right, _("TM. ỦY BAN NHÂN DÂN"), bold=True, size=13, align=center)
    _para(right, _("CHỦ TỊCH"), align=center, bold=True, size=13, space_after=0)
    for _blank in range(4):
        _para(right, "", space_after=0)
    assessment = sheet.assessment
    signer = assessment.approved_by if assessment is not None else None
    approved = assessment is not None and AssessmentStatus(assessment.status) in {
        AssessmentStatus.APPROVED,
        AssessmentStatus.SUBMITTED,
        AssessmentStatus.RECOGNISED,
    }
    if signer is not None and approved:
        _para(right, signer.full_name, align=center, bold=True, size=13, space_after=0)


def self_assessment_docx(sheet: Sheet, printed_on: dt.date) -> bytes:
    """The report as .docx bytes."""
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(13)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    properties = document.core_properties
    properties.title = _("Báo cáo tự đánh giá, chấm điểm năm %(year)d", year=sheet.year)
    properties.author = sheet.commune.name
    properties.created = dt.datetime(printed_on.year, printed_on.month, printed_on.day)

    _heading_block(document, sheet)
    _para(document, "", space_after=6)
    center = WD_ALIGN_PARAGRAPH.CENTER
    _para(document, _("BÁO CÁO"), align=center, bold=True, size=14, space_after=0)
    _para(
        document,
        _(
            "Tự đánh giá, chấm điểm kết quả thực hiện các tiêu chí xây dựng "
            "Chính quyền thân thiện năm %(year)d",
            year=sheet.year,
        ),
        align=center,
        bold=True,
        size=14,
        space_after=2,
    )
    _para(document, "—————", align=center, space_after=6)
    _para(document, _("Kính gửi: Sở Nội vụ thành phố Hải Phòng."), align=center, space_after=8)
    _summary(document, sheet)
    if sheet.has_points:
        _groups(document, sheet)
        _scoring_table(document, sheet)
        _proposal(document, sheet)
    else:
        _progress_table(document, sheet)
    _closing(document, sheet)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
