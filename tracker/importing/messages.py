"""What the importer tells people: Vietnamese message templates with named parameters.

This package has no Flask, so it cannot translate. Each template is marked with ``N_`` (a
keyword of babel.cfg) so that ``pybabel extract`` puts it in the catalogue; the importer
formats it in Vietnamese (``ImportWarning.message``, ``str(PlanImportError)``) and the web
layer translates the template and fills in the parameters in the reader's language
(``_(w.template, **w.params)``).

Parameters hold the document's own words (titles, unit names, time phrases) and numbers;
those stay as the document wrote them in every language.
"""

from __future__ import annotations


def N_(template: str) -> str:
    """Mark a message template for extraction; the text is returned untranslated."""
    return template


# ---------------------------------------------------------------- warnings: the header

NUMBER_BLANK = N_("số văn bản để trống")
DATE_BLANK = N_("ngày ban hành để trống")
CAPTION_NUMBER_DIFFERS = N_("tiêu đề phụ lục ghi số “%(annex)s”, kế hoạch ghi số “%(plan)s”")
CAPTION_NUMBER_BLANK = N_("tiêu đề phụ lục để trống số, kế hoạch ghi số “%(plan)s”")
NO_PERIOD_NO_YEAR = N_(
    "không ghi giai đoạn, cũng không ghi năm ban hành; không biết kế hoạch cho những năm nào"
)
NO_PERIOD = N_("kế hoạch không ghi giai đoạn; lấy năm %(year)d")
NO_PERIOD_ISSUE_YEAR = N_("kế hoạch không ghi giai đoạn; lấy năm ban hành %(year)d")
COMMUNE_AMBIGUOUS = N_(
    "“%(name)s” có thể là %(candidates)s; văn bản không ghi rõ của tỉnh, thành phố nào nên "
    "chưa chọn xã, phường"
)
COMMUNE_NOT_IN_PROVINCE = N_(
    "văn bản ghi %(province)s, nhưng %(province)s không có xã, phường “%(name)s” (có ở "
    "%(elsewhere)s); chưa chọn xã, phường"
)

# ---------------------------------------------------------------- warnings: the task table

STRAY_NUMBER = N_("số thứ tự %(number)s đứng lạc chỗ; đã bỏ qua")
NUMBER_MOVED_BACK = N_(
    "số thứ tự %(number)s đứng sau dòng của nó (dòng %(row_line)d); đã chuyển về dòng đó"
)
ODD_ROW = N_(
    "bỏ qua một dòng của bảng có %(found)d ô, trong khi tiêu đề bảng có %(expected)d ô "
    "(%(header)s)"
)
LEAD_FROM_BODY = N_(
    "bảng không có cột đơn vị chủ trì; lấy đơn vị văn bản giao chủ trì: %(unit)s"
)
INCOMPLETE_ROW = N_("bỏ qua một dòng thiếu ô (có %(found)d trên %(expected)d ô)")
ROW_WITHOUT_TEXT = N_("bỏ qua một dòng không có nội dung nhiệm vụ")
DUPLICATED_ROW = N_("dòng trùng: lặp lại nhiệm vụ ở dòng %(twin_line)d (“%(title)s”); đã bỏ qua")
STRAY_FRAGMENT = N_(
    "đoạn chữ lạc “%(fragment)s” lặp lại nhiệm vụ ở dòng %(owner_line)d; đã bỏ đoạn này"
)
NUMBERS_JUMP = N_("số thứ tự nhảy từ %(previous)d lên %(number)d")
NUMBER_MISSING = N_("thiếu số thứ tự; đánh số %(number)d theo vị trí của dòng")
NUMBER_TWICE = N_("số thứ tự %(number)d bị dùng hai lần")
NUMBER_MOVED_UP = N_(
    "số thứ tự %(ref)s nằm ở ý đầu tiên của “%(title)s” (dòng %(criterion_line)d); "
    "đã chuyển lên tiêu chí đó"
)
CRITERION_UNNUMBERED = N_("tiêu chí “%(title)s” không có số thứ tự; đánh số %(ref)s")
POINTS_NOT_STATED = N_(
    "điểm: %(ref)s “%(title)s” không ghi điểm; các ý cộng lại được %(total)s điểm"
)
POINTS_DO_NOT_ADD_UP = N_(
    "điểm không khớp: %(ref)s “%(title)s” ghi %(points)s điểm, các ý cộng lại được "
    "%(total)s điểm"
)

# ---------------------------------------------------------------- warnings: one task

CONTROL_CHARACTERS = N_("đã bỏ %(count)d ký tự điều khiển (NUL…) khỏi văn bản")
UNKNOWN_UNIT = N_("không nhận ra tên đơn vị: %(name)s")
NO_TIME_PHRASE = N_("nhiệm vụ %(ref)s không ghi thời gian thực hiện")
UNKNOWN_TIME_PHRASE = N_("chưa hiểu được thời gian thực hiện: %(text)s")
NO_LEAD_UNIT = N_("nhiệm vụ %(ref)s không nêu đơn vị chủ trì")
DEADLINE_BEFORE_ISSUE = N_(
    "nhiệm vụ %(ref)s: hạn %(dates)s đã qua trước ngày ban hành kế hoạch (%(issued)s) "
    "nên không tính là quá hạn"
)

# ---------------------------------------------------------------- errors: no plan at all

FILE_NOT_FOUND = N_("%(file)s: không có tệp này")
FILE_NOT_PERMITTED = N_("%(file)s: không có quyền đọc tệp")
CANNOT_READ = N_("%(file)s: không đọc được tệp (%(reason)s)")  # the system's own words
EMPTY_FILE = N_("%(file)s: tệp rỗng")
BINARY_FILE = N_("%(file)s: tệp nhị phân, không phải văn bản hay tài liệu Word")
UNKNOWN_ENCODING = N_("%(file)s: không đọc được bảng mã của văn bản")
NOT_VIETNAMESE_TEXT = N_(
    "%(file)s: văn bản không phải UTF-8, UTF-16 hay bảng mã tiếng Việt cp1258"
)
INVALID_ENCODING = N_("%(file)s: không phải %(encoding)s hợp lệ (byte %(byte)d)")
UNREADABLE_WORD = N_("%(file)s: không phải tài liệu Word đọc được (tệp .docx bị hỏng?)")
EMPTY_WORD = N_("%(file)s: tài liệu Word không có nội dung")
SCANNED_PDF = N_(
    "%(file)s: tệp PDF không có lớp chữ (bản scan, chỉ có hình ảnh); cần nhận dạng chữ (OCR) "
    "trước, hoặc tải lên tệp Word gốc"
)
UNREADABLE_PDF = N_("%(file)s: không phải tệp PDF đọc được (tệp bị hỏng hoặc có mật khẩu?)")
TOO_MANY_PAGES = N_("%(file)s: tệp PDF có %(pages)d trang, quá giới hạn %(limit)d trang")
ARCHIVE_TOO_LARGE = N_(
    "%(file)s: tài liệu giải nén ra %(size)d MB, quá giới hạn %(limit)d MB; không đọc"
)
ARCHIVE_RATIO = N_(
    "%(file)s: tài liệu nén bất thường (tỉ lệ nén %(ratio)d:1, giới hạn %(limit)d:1); không đọc"
)
ARCHIVE_ENTRIES = N_(
    "%(file)s: tài liệu có %(entries)d thành phần, quá giới hạn %(limit)d; không đọc"
)
XML_TOO_DEEP = N_("%(file)s: nội dung tài liệu lồng nhau quá %(limit)d tầng; không đọc")
BROKEN_XML = N_("%(file)s: nội dung tài liệu Word bị hỏng (%(part)s không đọc được)")
DOC_NEEDS_CONVERTER = N_(
    "%(file)s: tệp Word 97 (.doc) cần antiword hoặc LibreOffice để đọc, máy này không có; "
    "hãy cài antiword (apt-get install antiword) hoặc lưu tệp thành .docx"
)
DOC_CONVERSION_FAILED = N_("%(file)s: không chuyển được tệp .doc sang văn bản bằng %(tool)s")
NOT_A_PLAN = N_(
    "%(file)s: không nhận ra kế hoạch (không có bảng nhiệm vụ, cũng không có mục nào nêu "
    "ai làm, làm gì, khi nào)"
)
TABLE_NOT_UNDERSTOOD = N_(
    "%(file)s: dòng %(line)d: có bảng nhưng không nhận ra cột nhiệm vụ, đơn vị hay thời "
    "gian; các tiêu đề không xếp được: %(labels)s"
)
TABLE_WITHOUT_ROWS = N_("%(file)s: dòng %(line)d: bảng nhiệm vụ không có dòng nào")
