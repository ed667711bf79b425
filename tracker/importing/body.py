"""Tasks in the body of a plan that has no task table (or whose tables are not its list).

Plans without an annex assign work in their text. Three shapes are read:

* **RegisterUnit headings.** A numbered heading that names units ("1.2. Công an tỉnh", "3.4. Sở
  Văn hóa, Thể thao và Du lịch", "2. Giao Sở Nội vụ (…):", "4.4. Đề nghị Viện Kiểm sát
  nhân dân tỉnh, Tòa án nhân dân tỉnh") opens that unit's part: every item under it (a), b),
  bullets, deeper numbers, paragraphs) is a task it leads, until a heading of the same rank
  or higher. A heading that goes on after the unit ("Sở Tư pháp: Lồng ghép…", "Sở Văn hóa…
  chủ trì, phối hợp với … tăng cường …") is a task itself.
* **Sentences with a deadline** ("… xây dựng Kế hoạch trong Quý I/2026", "… gửi về Sở
  Nội vụ trước ngày 15/02/2027", "(hoàn thành trong tháng 3/2026)"): a task led by the unit
  the sentence names first.
* **"X chủ trì, phối hợp với Y …"** paragraphs: a task X leads with Y.

In each, "phối hợp với Y" names the coordinating units and the deadline phrase is the
task's time. Lines are joined back into paragraphs first: a PDF's text breaks every line,
and only a line that starts with a marker or an indent (or follows a full stop or a colon)
starts a paragraph.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from itertools import pairwise

from tracker.importing import messages
from tracker.importing.building import TaskFactory
from tracker.importing.model import ImportWarning, TaskDraft
from tracker.importing.text import fold, repair

_ROMAN = re.compile(r"^([IVXL]{1,5})\.\s*(\S.*)$")
_NUMBERED = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*)(?:\.\s*|\s+)(?=[^\W\d])(.*)$")
_DOTTED = re.compile(r"^(\d{1,2}\.\d{1,2}(?:\.\d{1,2})*)\s*(?=[^\W\d])(.*)$")
_LETTER = re.compile(r"^([a-zđ])\)\s*(\S.*)$")
_BULLET = re.compile(r"^[-–+•*]\s*(\S.*)$")
_MARKER = re.compile(r"^(?:[IVXL]{1,5}\.|\d{1,2}(?:\.\d{1,2})*\.?\s*[^\W\d]|[a-zđ]\)|[-–+•*]\s)")
_PAGE_NUMBER = re.compile(r"^\s*\d{1,3}\s*$")

_LETTER_RANK = 10
_BULLET_RANK = 20
_TEXT_RANK = 30

# Words that end a unit's name and start what it does.
_VERBS = (
    "chủ trì", "phối hợp", "chỉ đạo", "tham mưu", "thực hiện", "triển khai", "xây dựng",
    "tăng cường", "căn cứ", "có trách nhiệm", "chịu trách nhiệm", "là cơ quan", "tổ chức",
    "hướng dẫn", "theo dõi", "rà soát", "kiểm tra", "nghiên cứu", "sẽ", "cần", "phải",
    "ban hành", "đẩy mạnh", "bố trí", "lồng ghép", "gửi", "nộp", "báo cáo", "đánh giá", "lập",
    "cung cấp", "chủ động", "tiếp tục", "quán triệt", "đề xuất", "trình", "cập nhật", "duy trì",
    "phát động", "tuyên truyền", "hoàn thành", "thành lập", "định kỳ", "thường xuyên",
    "khẩn trương", "đảm bảo", "bảo đảm", "yêu cầu", "giám sát", "phổ biến", "vận động", "tập trung",
)  # fmt: skip
_VERB_RE = re.compile(r"(?<!\w)(?:" + "|".join(_VERBS) + r")(?!\w)", re.IGNORECASE)
_HEADS = (
    "sở", "ban", "phòng", "văn phòng", "ủy ban", "uỷ ban", "ubnd", "công an", "trung tâm", "báo",
    "đài", "hội", "đoàn", "thanh tra", "các", "cơ quan", "đơn vị", "tòa án", "toà án", "viện",
    "ngân hàng", "bộ", "cục", "chi cục", "trường", "liên đoàn", "tỉnh ủy", "đảng ủy", "kho bạc",
    "bảo hiểm", "bệnh viện", "ubmttq", "mttq", "chủ tịch", "hiệu trưởng", "thủ trưởng",
    "bộ chỉ huy", "ban chỉ huy", "lực lượng", "hải quan", "tạp chí", "chi nhánh", "hội đồng",
)  # fmt: skip
_HEAD_RE = re.compile(r"(?<!\w)(?:" + "|".join(_HEADS) + r")(?!\w)", re.IGNORECASE)
_LEADING = re.compile(r"^(?:Giao|Đề nghị|Đối với)\s+", re.IGNORECASE)
_PARENTHESIS = re.compile(r"\s*\([^)]*\)")
_MORE_UNITS = {
    "địa phương", "các địa phương", "đoàn thể", "các đoàn thể", "thành phố", "tp", "xã",
    "phường", "đặc khu", "thị trấn", "huyện", "thị xã", "quận", "ngành", "ban",
}  # fmt: skip
_COORDINATING = re.compile(
    r"phối hợp(?: chặt chẽ)?(?: với)?\s+(.+?)(?=\s+(?:" + "|".join(_VERBS) + r")(?!\w)|[.;:]|$)",
    re.IGNORECASE,
)

# A deadline inside a sentence. A date that follows a document number ("Quyết định số
# 58/QĐ-UBND ngày 08/01/2026") is the date of that document, not a deadline.
_WHEN = re.compile(
    r"(?:(?:hoàn thành|chậm nhất(?: là)?|xong)\s+)?(?:(?:trước|trong|vào|đến hết|đến)\s+)?"
    r"(?:(?:vào\s+)?ngày\s+)?"
    r"(?:\d{1,2}/\d{1,2}/\d{4}|\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}"
    r"|tháng\s+\d{1,2}\s*(?:/|\s+năm\s+)\s*\d{4}|quý\s+[IV]{1,3}\s*(?:/|\s+năm\s+)\s*\d{4})",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\d{4}")
_CITED_BEFORE = re.compile(r"(?:số\s*\S*|/[A-ZĐ][\w&\-]*)\s*(?:ngày\s*)?$")


@dataclass
class _Paragraph:
    line: int
    text: str
    end: int = 0  # its last line


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def paragraphs(lines: list[str]) -> list[_Paragraph]:
    """Lines joined back into paragraphs (see the module docstring)."""
    out: list[_Paragraph] = []
    first_indent = 0
    previous_blank = True
    for index, raw in enumerate(lines):
        line = raw.replace("\f", "").rstrip()
        text = line.strip().strip("|").strip()
        if not text or _PAGE_NUMBER.match(line):
            previous_blank = previous_blank or not text
            continue
        indent = _indent(line)
        joins = (
            out
            and not previous_blank
            and not _MARKER.match(text)
            and "\t" not in raw
            and (
                indent < first_indent
                or (
                    indent == first_indent == 0
                    and (
                        text[:1].islower()
                        or not (re.search(r"[.:;!?]$", out[-1].text) or _shouting(out[-1].text))
                    )
                )
            )
        )
        if joins:
            out[-1].text = f"{out[-1].text} {text}"
            out[-1].end = index + 1
        else:
            out.append(_Paragraph(index + 1, text, index + 1))
            first_indent = indent
        previous_blank = False
    return _with_sub_items(out)


_SUB_ITEM = re.compile(r"^[+•]\s*")
_CLOSING = re.compile(r"^(?:Trên đây là|Nơi nhận)\b")


def _with_sub_items(found: list[_Paragraph]) -> list[_Paragraph]:
    """An item ending with ":" ("- Tham mưu Ủy ban nhân dân tỉnh:") takes the "+" items
    under it into its text: they are the parts of one piece of work."""
    out: list[_Paragraph] = []
    opened = False
    for paragraph in found:
        if opened and _SUB_ITEM.match(paragraph.text):
            out[-1].text = f"{out[-1].text} {paragraph.text}"
            continue
        out.append(paragraph)
        opened = paragraph.text.endswith(":") and not _MARKER_HEADING.match(paragraph.text)
    return out


_MARKER_HEADING = re.compile(r"^(?:[IVXL]{1,5}\.|\d{1,2}(?:\.\d{1,2})*\.?\s)")


def lead_in_charge(lines: list[str]) -> str:
    """The unit the body puts in charge of the plan's work ("giao Sở Nội vụ chủ trì")."""
    for paragraph in paragraphs(lines):
        match = re.search(r"\bgiao\s+(.+?)\s+(?:chủ trì|là cơ quan)", paragraph.text)
        if match and _is_unit_list(match.group(1)):
            return match.group(1)
    return ""


def _shouting(text: str) -> bool:
    """A heading in capitals ("IV. TIẾN ĐỘ"): the next line does not continue it."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters)


def _plain(text: str) -> str:
    return unicodedata.normalize("NFC", text).lower().strip(" ,;.:")


def _is_unit_list(text: str) -> bool:
    """Whether ``text`` is only unit names ("Sở Y tế, Công an tỉnh và các địa phương")."""
    text = _PARENTHESIS.sub("", text).strip(" ,;.:")
    if not text or len(text) > 160 or _VERB_RE.search(text):
        return False
    head = _HEAD_RE.match(text)
    if head is None:
        return False
    for piece in re.split(r"[;,]|\s+và\s+", text)[1:]:
        piece = piece.strip()
        if not piece or _plain(piece) in _MORE_UNITS:
            continue
        if _HEAD_RE.match(piece) is None and not piece[:1].isupper():
            return False
    return True


def unit_subject(text: str) -> tuple[str, str, bool] | None:
    """The units a heading names, what follows them and whether a colon parts them:
    ("Sở Tư pháp", "Lồng ghép …", True)."""
    body = _LEADING.sub("", text.strip())
    if _is_unit_list(body):
        return _PARENTHESIS.sub("", body).strip(" ,;.:"), "", False
    colon = body.find(":")
    if 0 < colon < 160 and _is_unit_list(body[:colon]):
        return _PARENTHESIS.sub("", body[:colon]).strip(" ,;."), body[colon + 1 :].strip(), True
    verb = _VERB_RE.search(body)
    if verb and verb.start() > 0 and _is_unit_list(body[: verb.start()]):
        units = _PARENTHESIS.sub("", body[: verb.start()]).strip(" ,;.")
        rest = body[verb.end() :].strip(" ,.:")
        return units, (body if rest else ""), False
    return None


_OWNER_BEFORE = re.compile(
    r"(?:của|theo|với|cho|tới|đến|về|gửi|giao|đề nghị|Sở|và)\s*$", re.IGNORECASE
)
_WHERE = re.compile(r"\s+(?:trên địa bàn|tại|thuộc)\b.*$", re.IGNORECASE)


def unit_in(text: str) -> str:
    """The first units a sentence names as the one doing something, or "".

    A unit after "của", "theo", "với"… ("Kế hoạch của UBND tỉnh") owns or receives
    something; the one that does the work stands right before what it does.
    """
    for head in _HEAD_RE.finditer(text):
        if _OWNER_BEFORE.search(text[: head.start()]):
            continue
        tail = text[head.start() :]
        verb = _VERB_RE.search(tail)
        candidate = tail[: verb.start()] if verb else tail[:80]
        candidate = _WHERE.sub("", re.split(r"[.:(]", candidate)[0])
        if verb and _is_unit_list(candidate):
            return _PARENTHESIS.sub("", candidate).strip(" ,;.")
    return ""


def deadline_in(text: str) -> str:
    """The deadline phrase of a sentence ("trong Quý I/2026", "trước ngày 15/02/2027")."""
    if not _YEAR.search(text):
        return ""  # every deadline form names its year; most sentences have none
    for match in _WHEN.finditer(text):
        if _CITED_BEFORE.search(text[max(0, match.start() - 30) : match.start()]):
            continue
        return match.group(0).strip()
    return ""


def coordinating_in(text: str) -> str:
    """The units "phối hợp (với) …" names; "quy chế phối hợp" names none."""
    for match in _COORDINATING.finditer(text):
        units = _WHERE.sub("", match.group(1).strip(" ,"))
        if _is_unit_list(units):
            return _PARENTHESIS.sub("", units).strip(" ,;.")
    return ""


@dataclass
class _Scope:
    units: str
    rank: int
    ref: str
    coordinating: str = ""
    # "5.2. Bộ Chỉ huy quân sự tỉnh chỉ đạo lực lượng Bộ đội Biên phòng": a heading that
    # goes on without a colon is a task only if no items follow it.
    pending: tuple[str, int] | None = None


def _rank(text: str) -> tuple[int, str, str]:
    """(rank, number, text) of a paragraph: roman 0, "1." 1, "1.1." 2, a) 10, bullets 20."""
    roman = _ROMAN.match(text)
    if roman:
        return 0, roman.group(1), roman.group(2)
    numbered = _DOTTED.match(text) or _NUMBERED.match(text)
    if numbered:
        number = numbered.group(1)
        return number.count(".") + 1, number, numbered.group(2)
    letter = _LETTER.match(text)
    if letter:
        return _LETTER_RANK, letter.group(1), letter.group(2)
    bullet = _BULLET.match(text)
    if bullet:
        return _BULLET_RANK, "", bullet.group(1)
    return _TEXT_RANK, "", text


def body_tasks(
    lines: list[str], factory: TaskFactory, tables: tuple[tuple[int, int], ...] = ()
) -> list[TaskDraft]:
    """Tasks the body assigns; see the module docstring. ``tables`` are the (first, last)
    lines of the tables already read: the paragraph right before one introduces it."""
    introductions = set()
    for first, _ in tables:
        before = [i for i in range(max(0, first - 4), first - 1) if lines[i].strip()]
        if before:
            introductions.add(before[-1] + 1)
    found: list[TaskDraft] = []
    refs: set[str] = set()
    scope: _Scope | None = None
    numbers: dict[int, str] = {}
    started = False
    counter = 0

    def add(ref: str, title: str, lead: str, line: int, coordinating: str = "") -> None:
        nonlocal counter
        title = title.strip()
        if len(title) < 8:
            return
        unique = ref or "1"
        suffix = 1
        while unique in refs:
            suffix += 1
            unique = f"{ref}-{suffix}"
        refs.add(unique)
        found.append(
            factory.make(
                ref=unique,
                title=repair(title).rstrip(" ;,"),
                group=None,
                time_text=deadline_in(title),
                lead=lead,
                coordinating=coordinating_in(title) or coordinating,
                points=None,
                evidence=None,
                line=line,
            )
        )

    def close(ended: _Scope | None) -> None:
        if ended is not None and ended.pending is not None:
            add(ended.ref, ended.pending[0], ended.units, ended.pending[1])

    for paragraph in paragraphs(lines):
        rank, number, text = _rank(paragraph.text)
        if _CLOSING.match(text):
            break
        if paragraph.end in introductions:
            continue  # it introduces a table, whose rows are the tasks
        if not started:
            if rank > 1 or _LEADING_PREAMBLE.match(text):
                continue
            started = True
        if rank <= 3:
            numbers = {r: n for r, n in numbers.items() if r < rank}
            numbers[rank] = number
        deepest = max((r for r in numbers if r > 0), default=None)
        here = ".".join(n for n in (numbers.get(0), numbers[deepest] if deepest else None) if n)
        if scope is not None and rank <= scope.rank:
            close(scope)
            scope = None
        if rank <= 3:
            subject = unit_subject(text)
            if subject is not None and scope is None:
                scope = _Scope(subject[0], rank, here, coordinating_in(text))
                counter = 0
                if subject[1] and subject[2]:
                    add(here, subject[1], subject[0], paragraph.line)
                elif subject[1]:
                    scope.pending = (subject[1], paragraph.line)
                continue
        if scope is not None:
            scope.pending = None
            counter += 1
            item = number if rank in (_LETTER_RANK,) else str(counter)
            ref = here if rank <= 3 else f"{here}.{item}"
            add(ref, text, scope.units, paragraph.line, scope.coordinating)
            continue
        if deadline_in(text) or re.search(r"(?<!\w)chủ trì(?!\w)", text, re.IGNORECASE):
            lead = unit_in(text)
            if lead or deadline_in(text):
                counter += 1
                add(f"{here}.{counter}" if here else str(counter), text, lead, paragraph.line)
    close(scope)
    return _without_repeats(found, factory)


# A body task whose word pairs are nearly all in an earlier task of the same lead says that
# task again: plans list an activity in one section and give it to its unit in "Tổ chức
# thực hiện" ("2. Tổ chức Cuộc thi …: Sở Nội vụ chủ trì …" / "b) Về tổ chức Cuộc thi …:
# Sở Nội vụ chủ trì …"), or repeat a sentence as a point of its own. Pairs of syllables,
# not syllables: a Vietnamese word is often two, and single syllables recur everywhere.
_REPEAT_SHARE = 0.75
_REPEAT_MIN_PAIRS = 8


def _pairs(text: str) -> set[tuple[str, str]]:
    words = fold(text).split()
    return set(pairwise(words))


def _without_repeats(found: list[TaskDraft], factory: TaskFactory) -> list[TaskDraft]:
    kept: list[tuple[TaskDraft, set[tuple[str, str]]]] = []
    for task in found:
        pairs = _pairs(task.title)
        twin = next(
            (
                other
                for other, other_pairs in kept
                if task.lead_units
                and other.lead_units == task.lead_units
                and min(len(pairs), len(other_pairs)) >= _REPEAT_MIN_PAIRS
                and len(pairs & other_pairs) >= _REPEAT_SHARE * min(len(pairs), len(other_pairs))
            ),
            None,
        )
        if twin is None:
            kept.append((task, pairs))
            continue
        factory.warnings.append(
            ImportWarning.of(
                task.line, messages.DUPLICATED_ROW, twin_line=twin.line, title=_short(task.title)
            )
        )
    return [task for task, _ in kept]


def _short(title: str, width: int = 60) -> str:
    return title if len(title) <= width else title[: width - 1].rstrip() + "…"


_LEADING_PREAMBLE = re.compile(r"^(?:Căn cứ|Thực hiện|Tiếp tục thực hiện|Theo đề nghị)\b")
