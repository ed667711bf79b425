"""Reading unit names from a cell, against the register (:mod:`tracker.importing.unit_register`).

A cell such as "Văn phòng HĐND-UBND và Trung tâm Phục vụ hành chính công" names several
units; :func:`resolve_units` returns their canonical names and keeps any name it does not
know, as written.

Collective names ("Các phòng chuyên môn, các đơn vị liên quan", "Các cơ quan, đơn vị thuộc
UBND xã") all mean every unit of the commune: they resolve to
:data:`~tracker.importing.unit_register.ALL_UNITS` in ``names``, but a task keeps the
document's wording (``ordered``), which :func:`unit_meant_by` reads back as the collective
it means.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from tracker.importing.communes import CommuneKind
from tracker.importing.text import fold_word, repair
from tracker.importing.unit_register import (
    ALL_UNITS,
    MASS_ORGANISATIONS,
    UNITS,
    WARD_LIKE,
    RegisterUnit,
    UnitLevel,
    standard_units,
)

# Words that follow a unit name without changing which unit it is.
_SUFFIXES: tuple[str, ...] = (
    "trực thuộc UBND xã",
    "trực thuộc UBND phường",
    "thuộc UBND xã",
    "thuộc UBND phường",
    "thuộc Ủy ban nhân dân xã",
    "thuộc Ủy ban nhân dân phường",
    "thuộc xã",
    "thuộc phường",
    "UBND xã",
    "UBND phường",
    "cấp xã",
    "xã",
    "phường",
    "đặc khu",
    "của xã",
    "của phường",
    "có liên quan",
    "liên quan",
    "khác",
    "thành phố",
    "TP",
)
# Words between two unit names.
_SEPARATORS = frozenset({",", ";", ".", "và", "cùng", "với", "&", ":"})

_TOKEN = re.compile(r"\w+|[^\w\s]", re.UNICODE)


def _tokens(text: str) -> list[tuple[str, int, int]]:
    """Folded tokens of ``text`` with their spans; "&" reads as "và"."""
    text = unicodedata.normalize("NFC", text)
    out = []
    for m in _TOKEN.finditer(text):
        word = fold_word(m.group(0))
        if word == "&":
            word = fold_word("và")
        out.append((word, m.start(), m.end()))
    # "HĐND-UBND" and "HĐND - UBND" tokenise alike; a dash is never significant on its own.
    return [t for t in out if t[0] not in {"-", "–"}]


def _key(text: str) -> tuple[str, ...]:
    return tuple(t[0] for t in _tokens(text))


@lru_cache(maxsize=1)
def _variant_index() -> dict[tuple[str, ...], list[RegisterUnit]]:
    index: dict[tuple[str, ...], list[RegisterUnit]] = {}
    for unit in UNITS:
        for spelling in {unit.name, *unit.variants}:
            index.setdefault(_key(spelling), []).append(unit)
    return index


@lru_cache(maxsize=1)
def _suffix_keys() -> list[tuple[str, ...]]:
    return sorted({_key(s) for s in _SUFFIXES}, key=len, reverse=True)


_SEPARATOR_KEYS = frozenset(fold_word(s) for s in _SEPARATORS)
_CAC = fold_word("các")
_MAX_VARIANT = 12


def unit_by_name(name: str) -> RegisterUnit | None:
    """The unit whose canonical name or a variant is exactly ``name``."""
    units = _variant_index().get(_key(name))
    return units[0] if units else None


def _pick(units: list[RegisterUnit], kind: CommuneKind | None) -> RegisterUnit:
    if kind is not None:
        for unit in units:
            if kind in unit.kinds:
                return unit
    return units[0]


@dataclass(frozen=True)
class UnitResolution:
    names: list[str]  # canonical names, in the order the cell gives them
    unknown: list[str]  # names not in the register, as written
    # Every unit the cell names, in its order: canonical names, collective names and unknown
    # ones as written. An unknown unit is kept, never dropped and never replaced by another.
    ordered: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Reading:
    names: tuple[str, ...]
    unknown: tuple[str, ...]
    ordered: tuple[str, ...]
    unknown_words: int  # words no unit explains: what a reading is judged by


# A cell broken over more lines than this is read as one text: no unit list runs so long,
# and trying every way to group its lines would cost O(lines²) readings.
_MAX_LINES = 24


def resolve_units(cell: str, kind: CommuneKind | None = None) -> UnitResolution:
    """Every unit a cell names. ``kind`` chooses between the xã and phường forms.

    "Phòng Kinh tế" in a phường reads as "Phòng Kinh tế, Hạ tầng và Đô thị", the unit a
    phường actually has.

    A line break in ``cell`` (a paragraph of a Word cell, a line of an extracted one) may
    separate two units written without a separator ("Ban Xây dựng Đảng" / "Ủy ban MTTQ
    Việt Nam xã") or only break one name ("Phòng Văn hóa" / "- Xã hội"). Each break is
    tried both ways: the cell reads as the grouping of its lines that leaves the fewest
    words unexplained and, among those, joins the most. A break therefore separates only
    where joining would leave a doubt the separation does not: no name is dropped or
    made up, and a cell whose joined text reads cleanly reads as before.
    """
    lines = [" ".join(piece.split()) for piece in cell.split("\n")]
    lines = [line for line in lines if line]
    if len(lines) > _MAX_LINES:
        lines = [" ".join(lines)]
    count = len(lines)
    # best[j]: the cheapest reading of lines[:j] as (unknown words, groups) and its groups.
    best: list[tuple[tuple[int, int], list[_Reading]]] = [((0, 0), [])]
    for end in range(1, count + 1):
        choice: tuple[tuple[int, int], list[_Reading]] | None = None
        for start in range(end):
            (words, groups), readings = best[start]
            reading = _read(" ".join(lines[start:end]), kind)
            cost = (words + reading.unknown_words, groups + 1)
            if choice is None or cost < choice[0]:
                choice = (cost, [*readings, reading])
        assert choice is not None
        best.append(choice)
    names: list[str] = []
    unknown: list[str] = []
    ordered: list[str] = []
    for reading in best[count][1]:
        names.extend(n for n in reading.names if n not in names)
        unknown.extend(u for u in reading.unknown if u not in unknown)
        ordered.extend(n for n in reading.ordered if n not in ordered)
    return UnitResolution(names, unknown, ordered)


# Words a unit name begins with, whatever the province or level ("Sở Tư pháp", "Thanh tra
# tỉnh", "Ban Quản lý các khu công nghiệp"): a comma or "và" before one of them separates two
# units; before anything else it is part of one name ("Sở Văn hóa, Thể thao và Du lịch").
_HEAD_WORDS = (
    "sở", "ban", "phòng", "văn phòng", "ủy ban", "uỷ ban", "ubnd", "hđnd", "công an", "trung tâm",
    "báo", "đài", "hội", "đoàn", "thanh tra", "các", "cơ quan", "đơn vị", "tòa án", "toà án",
    "viện", "ngân hàng", "bộ", "cục", "chi cục", "trường", "liên đoàn", "tỉnh ủy", "tỉnh uỷ",
    "đảng ủy", "đảng uỷ", "kho bạc", "bảo hiểm", "quỹ", "bệnh viện", "ủy ban mttq", "mttq",
    "bộ chỉ huy", "bộ đội", "ban chỉ huy", "chủ tịch", "hiệu trưởng", "tổ", "thôn", "chi nhánh",
    "tạp chí", "cổng", "lực lượng", "hạt", "trạm", "xã", "phường", "đặc khu", "huyện", "tỉnh",
    "thành phố", "cảng vụ", "hải quan", "biên phòng", "ubmttq", "liên hiệp", "tổng công ty",
    "công ty", "doanh nghiệp", "cơ sở", "nhà trường", "phòng gd", "sở gd",
)  # fmt: skip
# Words before a unit name that do not change which unit it is ("Lãnh đạo Sở Công Thương").
_PREFIXES = ("lãnh đạo", "thủ trưởng", "người đứng đầu", "giao", "đề nghị")
# A register unit followed by one of these is another level's unit ("Công an tỉnh" is not
# the commune's police): it is kept as written.
_OTHER_LEVEL = ("tỉnh", "huyện", "trung ương", "quận", "thị xã")
_ALWAYS_SEPARATE = frozenset(fold_word(s) for s in (";", ".", ":"))


@lru_cache(maxsize=1)
def _head_keys() -> list[tuple[str, ...]]:
    return sorted({_key(w) for w in _HEAD_WORDS}, key=len, reverse=True)


@lru_cache(maxsize=1)
def _prefix_keys() -> list[tuple[str, ...]]:
    return sorted({_key(w) for w in _PREFIXES}, key=len, reverse=True)


@lru_cache(maxsize=1)
def _other_level_keys() -> list[tuple[str, ...]]:
    return sorted({_key(w) for w in _OTHER_LEVEL}, key=len, reverse=True)


def _starts_with(tokens: list[tuple[str, int, int]], i: int, keys: list[tuple[str, ...]]) -> int:
    """The length of the first of ``keys`` that ``tokens[i:]`` starts with, else 0."""
    for key in keys:
        if tuple(t[0] for t in tokens[i : i + len(key)]) == key:
            return len(key)
    return 0


def _variant_at(
    tokens: list[tuple[str, int, int]], i: int
) -> tuple[int, list[RegisterUnit]] | None:
    index = _variant_index()
    word = tokens[i][0]
    for size in range(min(_MAX_VARIANT, len(tokens) - i), 0, -1):
        key = tuple(t[0] for t in tokens[i : i + size])
        found = index.get(key) or (index.get((_CAC, *key)) if word != _CAC else None)
        if found:
            return size, found
    return None


def _starts_unit(tokens: list[tuple[str, int, int]], i: int) -> bool:
    while i < len(tokens) and tokens[i][0] in _SEPARATOR_KEYS:
        i += 1
    if i >= len(tokens):
        return True
    return bool(_starts_with(tokens, i, _head_keys())) or _variant_at(tokens, i) is not None


@lru_cache(maxsize=4096)
def _read(text: str, kind: CommuneKind | None) -> _Reading:
    """The units of one line of text (spaced-apart syllables repaired first)."""
    cell_text = repair(text)
    tokens = _tokens(cell_text)
    cell_text = unicodedata.normalize("NFC", cell_text)
    names: list[str] = []
    unknown: list[str] = []
    ordered: list[str] = []
    unknown_words = 0
    pending: tuple[int, int] | None = None  # span of words no variant explains

    def flush() -> None:
        nonlocal pending
        if pending is not None:
            written = cell_text[pending[0] : pending[1]].strip(" ,;.:-()")
            if written and any(ch.isalpha() for ch in written):
                if written not in unknown:
                    unknown.append(written)
                if written not in ordered:
                    ordered.append(written)
        pending = None

    i = 0
    while i < len(tokens):
        word = tokens[i][0]
        if word in _SEPARATOR_KEYS:
            # Inside an unknown name, a comma or "và" separates only before another unit.
            if (
                pending is not None
                and word not in _ALWAYS_SEPARATE
                and not _starts_unit(tokens, i + 1)
            ):
                pending = (pending[0], tokens[i][2])
            else:
                flush()
            i += 1
            continue
        if pending is None:
            skip = _starts_with(tokens, i, _prefix_keys())
            if skip and i + skip < len(tokens):
                i += skip
                continue
        match = _variant_at(tokens, i)
        level = _starts_with(tokens, i + match[0], _other_level_keys()) if match else 0
        if match is not None and level:
            # "Công an tỉnh", "Văn phòng UBND tỉnh": another level's unit, as written.
            flush()
            pending = (tokens[i][1], tokens[i + match[0] + level - 1][2])
            unknown_words += 1
            i += match[0] + level
            continue
        if match is None:
            pending = (pending[0] if pending else tokens[i][1], tokens[i][2])
            if any(ch.isalnum() for ch in word):
                unknown_words += 1
            i += 1
            continue
        flush()
        size, found = match
        unit = _pick(found, kind)
        if unit.slug == "kinh-te" and kind in WARD_LIKE:
            unit = next(u for u in UNITS if u.slug == "kinh-te-ha-tang-do-thi")
        start, end = i, i + size
        for suffix in _suffix_keys():
            if tuple(t[0] for t in tokens[end : end + len(suffix)]) == suffix:
                end += len(suffix)
                break
        if unit.name not in names:
            names.append(unit.name)
            # A collective name is shown as the document words it ("Các sở, ban, ngành
            # liên quan"); the register still tells what it means (``unit_meant_by``).
            shown = unit.name
            if unit.is_collective:
                shown = _as_written(cell_text[tokens[start][1] : tokens[end - 1][2]])
            if shown not in ordered:
                ordered.append(shown)
        i = end
    flush()
    return _Reading(tuple(names), tuple(unknown), tuple(ordered), unknown_words)


def _as_written(text: str) -> str:
    """A collective name as the document writes it, read as a name of its own: one space
    between words, no stray punctuation at the ends, a capital first letter."""
    text = " ".join(text.split()).strip(" ,;.:-")
    return text[:1].upper() + text[1:]


def unit_meant_by(name: str, kind: CommuneKind | None = None) -> RegisterUnit | None:
    """The register unit ``name`` means, also when it is a collective name as a document
    wrote it ("Các cơ quan, đơn vị liên quan"): None unless it names exactly one unit."""
    found = unit_by_name(name)
    if found is not None:
        return found
    reading = _read(name, kind)
    if len(reading.names) != 1 or reading.unknown or reading.unknown_words:
        return None
    return unit_by_name(reading.names[0])


def collective_members(name: str, kind: CommuneKind) -> list[RegisterUnit]:
    """What a collective name (canonical or as written) stands for in a commune of ``kind``."""
    unit = unit_meant_by(name, kind)
    if unit is not None and unit.name == ALL_UNITS:
        return [u for u in standard_units(kind) if u.level is UnitLevel.COMMUNE]
    if unit is not None and unit.name == MASS_ORGANISATIONS:
        return [u for u in standard_units(kind) if u.level is UnitLevel.MASS]
    return [unit] if unit is not None and not unit.is_collective else []
