"""Who issued a plan and where it is from: the issuing body, its commune and its province.

A commune plan names its commune in the title block ("ỦY BAN NHÂN DÂN XÃ TIÊN YÊN"), on
the place-and-date line ("Tiên Yên, ngày …"), in the body ("Ủy ban nhân dân xã Tiên Yên
ban hành …") or in its title. Names repeat across the country, so the commune is looked up
within one province:

* the province the document names — a title-block line above the commune's ("TỈNH QUẢNG
  NINH", "UBND THÀNH PHỐ HỒ CHÍ MINH") or the place-and-date line ("Quảng Ninh, ngày …");
  then only that province's communes count;
* else the caller's hint (the importing person's province), else Hải Phòng, first; a name
  that province does not have is looked up in the whole country, from the title block and
  the place line only (the body and title are searched within the province).

A name two provinces share, with nothing to choose between them, gives no commune and a
warning naming the candidates and their provinces: never a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tracker.importing import messages
from tracker.importing.communes import (
    HAI_PHONG_CODE,
    CommuneKind,
    RegisterCommune,
    RegisterProvince,
    all_provinces,
    communes_named,
    find_province,
    home_province,
)
from tracker.importing.model import ImportWarning
from tracker.importing.text import fold

CITY_ISSUER = "UBND thành phố Hải Phòng"
HEAD_LINES = 40  # the title block sits in the first lines of a plan

NUMBER_LINE = re.compile(r"^[\s|*]*Số\s*:?\s*(\d*)\s*/\s*([A-ZĐ][A-ZĐ&\-]*)", re.IGNORECASE)
NUMBER_WORD = re.compile(r"^[\s|*]*Số\s*:?\s*$", re.IGNORECASE)
PLACE_DATE = re.compile(
    r"^\**([^\W\d][\w\s]*?),\s*ngày\s*(\d{0,2})\s*tháng\s*(\d{0,2})\s*năm\s*(\d{4})",
    re.IGNORECASE,
)
TYPE_LINE = re.compile(r"^\**(KẾ HOẠCH|QUYẾT ĐỊNH|ĐỀ ÁN|CHƯƠNG TRÌNH)\**$")

_COMMITTEE = r"(?:ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN|UBND)"
# "ỦY BAN NHÂN DÂN PHƯỜNG HÒA BÌNH", "UBND P. MÓNG CÁI 1", "ỦY BAN NHÂN DÂN THÀNH PHỐ …"
UPPER_ISSUER = re.compile(_COMMITTEE + r"\s+(XÃ\s|PHƯỜNG\s|ĐẶC KHU\s|THÀNH PHỐ\s|P\.|X\.)\s*(.+)")
_COMMITTEE_ALONE = re.compile(r"^\**" + _COMMITTEE + r"\**$")
# A name: words, and the number of a numbered ward ("phường Móng Cái 1", "Phường 1 Bảo Lộc").
_NAME = r"(?:[^\W\d]\w*|\d{1,2})(?:\s+(?:[^\W\d]\w*|\d{1,2})){0,3}"
_BODY_ISSUER = re.compile(
    r"(?:Ủy ban nhân dân|UBND)\s+(xã\s|phường\s|đặc khu\s|P\.|X\.)\s*(" + _NAME + ")",
    re.IGNORECASE,
)
_NAMED_COMMUNE = re.compile(r"\b(xã\s|phường\s|đặc khu\s)\s*(" + _NAME + ")", re.IGNORECASE)
_KIND_WORDS = {fold(kind.value): kind for kind in CommuneKind} | {
    "p": CommuneKind.PHUONG,
    "x": CommuneKind.XA,
}
# The province's line of a commune's title block: "TỈNH QUẢNG NINH", "UBND TP. HỒ CHÍ MINH".
_PROVINCE_CELL = re.compile(_COMMITTEE + r"?\s*(?:TỈNH|THÀNH PHỐ|TP\b\.?)\s*(.+)$")
_MOTTO = re.compile(r"CỘNG H[OÒ]À|Độc lập|ĐỘC LẬP|Số\s*:|^Số$|, ngày", re.IGNORECASE)


def is_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def head_cells(line: str) -> list[str]:
    """The cells of a title-block line: tab-, box- or wide-gap-separated."""
    cells = re.split(r"\t|\||\s{3,}", line)
    return [c.strip(" *") for c in cells if c.strip(" *")]


def left_cell(line: str) -> str:
    """The title block's left column on this line, the national motto cut off."""
    cells = head_cells(line)
    first = cells[0] if cells else ""
    cut = _MOTTO.search(first)
    return first[: cut.start()].strip() if cut else first


@dataclass(frozen=True)
class Issuer:
    issuer: str | None  # "phường Hòa Bình", "UBND thành phố Hải Phòng"
    commune: RegisterCommune | None
    province: RegisterProvince | None  # of the commune, or the one the document names


@dataclass(frozen=True)
class _Doubt:
    name: str  # as the document writes it
    line: int
    candidates: tuple[RegisterCommune, ...]


def _province_of(code: int) -> RegisterProvince:
    return next(p for p in all_provinces() if p.code == code)


def _in_sentence(province: RegisterProvince) -> str:
    """ "tỉnh Quảng Ninh", "thành phố Hồ Chí Minh"."""
    return province.full_name[:1].lower() + province.full_name[1:]


def _listed(communes: tuple[RegisterCommune, ...]) -> str:
    """ "Phường Việt Hưng (Hà Nội), Phường Việt Hưng (Quảng Ninh)"."""
    return ", ".join(f"{c.name} ({_province_of(c.province_code).short_name})" for c in communes)


@dataclass
class _CommuneSearch:
    """Commune names looked up within the document's province, else the hint's, else the
    country's; what was doubtful is kept for one warning."""

    named: RegisterProvince | None
    first: int  # the province to try first when the document names none
    doubt: _Doubt | None = None
    elsewhere: _Doubt | None = None  # a name the named province does not have

    def _candidates(
        self, name: str, kind: CommuneKind | None, wide: bool
    ) -> tuple[RegisterCommune, ...]:
        if self.named is not None:
            return communes_named(name, kind, province=self.named.code)
        found = communes_named(name, kind, province=self.first)
        if found or not wide:
            return found
        return communes_named(name, kind, province=None)

    def find(
        self, kind_word: str | None, words: str, line: int, *, wide: bool
    ) -> RegisterCommune | None:
        """The commune the first words of ``words`` name (the longest name that is one)."""
        kind = _KIND_WORDS.get(fold(kind_word)) if kind_word else None
        parts = words.split()
        sizes = range(min(4, len(parts)), 0, -1)
        for size in sizes:
            name = " ".join(parts[:size])
            found = self._candidates(name, kind, wide)
            if len(found) == 1:
                if self.doubt is not None and found[0] not in self.doubt.candidates:
                    return None  # another reading than the doubtful one: not a choice
                return found[0]
            if found:
                if self.doubt is None:
                    self.doubt = _Doubt(name, line, found)
                return None
        if wide and self.named is not None and self.elsewhere is None:
            for size in sizes:
                name = " ".join(parts[:size])
                found = communes_named(name, kind, province=None)
                if found:
                    self.elsewhere = _Doubt(name, line, found)
                    break
        return None

    def warn(self, warnings: list[ImportWarning]) -> None:
        """Say why no commune was chosen (called only when none was)."""
        if self.doubt is not None:
            warnings.append(ImportWarning.of(
                self.doubt.line, messages.COMMUNE_AMBIGUOUS, name=self.doubt.name,
                candidates=_listed(self.doubt.candidates),
            ))
        elif self.elsewhere is not None and self.named is not None:
            warnings.append(ImportWarning.of(
                self.elsewhere.line, messages.COMMUNE_NOT_IN_PROVINCE,
                province=_in_sentence(self.named), name=self.elsewhere.name,
                elsewhere=_listed(self.elsewhere.candidates),
            ))


def places(line: str) -> list[str]:
    """The place of each place-and-date cell of a line ("Quảng Ninh, ngày … tháng …"): a
    cell between tabs or boxes, or what follows a wide gap ("Số: 20   …   Hiệp Hòa, ngày")."""
    found = []
    for cell in re.split(r"\t|\|", line):
        for start in [0, *(gap.end() for gap in re.finditer(r"\s{3,}", cell))]:
            match = PLACE_DATE.match(" ".join(cell[start:].split()).strip(" *"))
            if match:
                found.append(match.group(1))
                break
    return found


def named_province(lines: list[str]) -> RegisterProvince | None:
    """The province the document names: a title-block line above the number ("TỈNH QUẢNG
    NINH", "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG", "UBND THÀNH PHỐ HỒ CHÍ MINH"), else its
    place-and-date line ("Quảng Ninh, ngày …")."""
    for line in lines[:HEAD_LINES]:
        text = line.strip()
        if TYPE_LINE.match(text) or NUMBER_LINE.match(text) or NUMBER_WORD.match(text):
            break
        cell = left_cell(text)
        match = _PROVINCE_CELL.match(cell) if is_upper(cell) else None
        found = find_province(match.group(1)) if match else None
        if found is not None:
            return found
    for line in lines[:HEAD_LINES]:
        for place in places(line):
            return find_province(place)
    return None


def _upper_issuers(lines: list[str]) -> list[tuple[int, str, str]]:
    """(line index, kind word, the words after it) of each "ỦY BAN NHÂN DÂN XÃ …" line; a
    committee written alone on its line is read with the next ("ỦY BAN NHÂN DÂN" /
    "PHƯỜNG HÒA BÌNH")."""
    found = []
    for index, line in enumerate(lines):
        match = UPPER_ISSUER.search(line)
        if match is None and index < HEAD_LINES and _COMMITTEE_ALONE.match(left_cell(line)):
            following = next((i for i in range(index + 1, min(index + 3, len(lines)))
                              if lines[i].strip()), None)
            if following is not None:
                match = UPPER_ISSUER.search(f"ỦY BAN NHÂN DÂN {left_cell(lines[following])}")
        if match:
            found.append((index, match.group(1).strip(" ."), match.group(2)))
    return found


def _commune_follows(issuers: list[tuple[int, str, str]], index: int) -> bool:
    """Whether a commune's committee is named on the next lines: the city or province
    above it is its superior, not the issuer."""
    return any(index < at <= index + 5 and kind != "THÀNH PHỐ" for at, kind, _words in issuers)


def read_issuer(
    lines: list[str], title: str | None, warnings: list[ImportWarning], hint: int | None = None
) -> Issuer:
    """The commune (or city) that issued the plan; ``hint``: the province to look in first
    when the document names none (its code; Hải Phòng by default)."""
    named = named_province(lines)
    search = _CommuneSearch(named, hint if hint is not None else HAI_PHONG_CODE)
    found = _issuer(lines, title, search)
    if found.commune is not None or found.issuer is not None:
        return found
    search.warn(warnings)
    if search.doubt is not None:
        issuers = {c.issuer for c in search.doubt.candidates}
        provinces = {c.province_code for c in search.doubt.candidates}
        return Issuer(
            issuers.pop() if len(issuers) == 1 else None,
            None,
            _province_of(provinces.pop()) if len(provinces) == 1 else named,
        )
    return Issuer(None, None, named)


def _found(commune: RegisterCommune) -> Issuer:
    return Issuer(commune.issuer, commune, _province_of(commune.province_code))


def _issuer(lines: list[str], title: str | None, search: _CommuneSearch) -> Issuer:
    issuers = _upper_issuers(lines)
    for index, kind_word, words in issuers:
        if kind_word == "THÀNH PHỐ":
            if _commune_follows(issuers, index):
                continue
            city = find_province(left_cell(words))
            if city is None or city.code == HAI_PHONG_CODE:
                return Issuer(CITY_ISSUER, None, home_province())
            return Issuer(f"UBND {_in_sentence(city)}", None, city)
        commune = search.find(kind_word, words, index + 1, wide=True)
        if commune:
            return _found(commune)
    for index, line in enumerate(lines[:HEAD_LINES]):
        for place in places(line):
            if find_province(place) is None:  # "Quảng Ninh, ngày …": the province's line
                commune = search.find(None, place, index + 1, wide=True)
                if commune:
                    return _found(commune)
    for index, line in enumerate(lines):
        for match in _BODY_ISSUER.finditer(line):
            commune = search.find(match.group(1), match.group(2), index + 1, wide=False)
            if commune:
                return _found(commune)
    for match in _NAMED_COMMUNE.finditer(title or ""):
        commune = search.find(match.group(1), match.group(2), 1, wide=False)
        if commune:
            return _found(commune)
    at_home = search.named is None or search.named.code == HAI_PHONG_CODE
    if search.doubt is None and at_home and any(
        "THÀNH PHỐ HẢI PHÒNG" in line.upper() for line in lines[:HEAD_LINES]
    ):
        return Issuer(CITY_ISSUER, None, home_province())
    return Issuer(None, None, None)
