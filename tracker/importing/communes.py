"""The communes (xã, phường, đặc khu) of every province after the July 2025 reorganisation.

The list comes from the maintained ``vietnam-provinces`` package, not from a hand-typed
table: Hải Phòng's 114, and the 3,321 of the country. Names are shown with the tone
placement our documents use ("Phường Hòa Bình", where the package writes "Hoà"); lookups
accept any spelling, case, Unicode form, tone placement or spacing, with or without the
"xã"/"phường"/"đặc khu" prefix or its abbreviation ("P. Hòa Bình", "X.Phú Thái"), numbers
with or without a leading zero ("Phường 01 Bảo Lộc"), and, when nothing matches with them,
without diacritics ("Hoa Binh").

Names repeat across the country (238 as the package writes them, 246 once "Hoà"/"Hòa" and
spacing are folded), so a name is looked up within one province: :func:`find_commune`
(Hải Phòng unless told another), or :func:`communes_named`, which says every commune of
the country a name may mean.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import lru_cache

from vietnam_provinces import Province, ProvinceCode, VietNamDivisionType, Ward

from tracker.importing.text import fold, old_style_tones

HAI_PHONG_CODENAME = "hai_phong"
HAI_PHONG_CODE = 31


class CommuneKind(StrEnum):
    XA = "xã"
    PHUONG = "phường"
    DAC_KHU = "đặc khu"


_KINDS = {
    VietNamDivisionType.XA: CommuneKind.XA,
    VietNamDivisionType.PHUONG: CommuneKind.PHUONG,
    VietNamDivisionType.DAC_KHU: CommuneKind.DAC_KHU,
}


@dataclass(frozen=True)
class RegisterCommune:
    name: str  # "Phường Hòa Bình"
    short_name: str  # "Hòa Bình"
    code: int  # the national ward code
    kind: CommuneKind
    slug: str  # "phuong-hoa-binh"
    province_code: int  # 31: Hải Phòng

    @property
    def issuer(self) -> str:
        """How a document names it as an issuer: "phường Hòa Bình"."""
        return f"{self.kind.value} {self.short_name}"


def _to_commune(ward: Ward) -> RegisterCommune:
    kind = _KINDS[ward.division_type]
    name = " ".join(old_style_tones(ward.name).split())  # "Phường  Tân An": one space
    prefix = kind.value
    short = name[len(prefix) :].strip() if name.lower().startswith(prefix) else name
    return RegisterCommune(
        name=name,
        short_name=short,
        code=int(ward.code),
        kind=kind,
        slug=ward.codename.replace("_", "-"),
        province_code=int(ward.province_code),
    )


@dataclass(frozen=True)
class RegisterProvince:
    code: int  # 31
    codename: str  # "hai_phong"
    name: str  # "Thành phố Hải Phòng"; the register writes a province bare: "Quảng Ninh"
    short_name: str  # "Hải Phòng"

    @property
    def full_name(self) -> str:
        """ "Thành phố Hải Phòng", "Tỉnh Quảng Ninh"."""
        return self.name if self.name != self.short_name else f"Tỉnh {self.name}"


def _to_province(province: Province) -> RegisterProvince:
    name = old_style_tones(province.name)
    short = name
    for prefix in ("Thành phố ", "Tỉnh "):
        if short.startswith(prefix):
            short = short[len(prefix) :]
    return RegisterProvince(int(province.code), province.codename, name, short)


@lru_cache(maxsize=1)
def all_provinces() -> tuple[RegisterProvince, ...]:
    """The 34 provinces and centrally-run cities of the register, in the package's order."""
    return tuple(_to_province(p) for p in Province.iter_all())


# "TP. Hồ Chí Minh", "TP.HCM": how documents shorten a centrally-run city.
_PROVINCE_PREFIXES = ("tỉnh", "thành phố", "tinh", "thanh pho", "tp", "t p")
_PROVINCE_ALIASES = {"hcm": 79, "tphcm": 79}


def find_province(text: str) -> RegisterProvince | None:
    """The province named by its code ("31"), codename ("hai_phong") or name, any spelling
    ("Tỉnh Quảng Ninh", "QUẢNG NINH", "TP. Hồ Chí Minh", "TP.HCM")."""
    key = fold(text.replace("_", " "))
    for prefix in (fold(p) + " " for p in _PROVINCE_PREFIXES):
        if key.startswith(prefix) and key != prefix:
            key = key[len(prefix) :]
            break
    alias = _PROVINCE_ALIASES.get(key.replace(" ", ""))
    for province in all_provinces():
        keys = {str(province.code), fold(province.codename.replace("_", " ")),
                fold(province.name), fold(province.short_name), fold(f"tỉnh {province.short_name}")}
        if key in keys or province.code == alias:
            return province
    return None


def home_province() -> RegisterProvince:
    """Hải Phòng, the province a document belongs to when nothing says another."""
    return next(p for p in all_provinces() if p.code == HAI_PHONG_CODE)


@lru_cache(maxsize=64)
def province_communes(code: int) -> tuple[RegisterCommune, ...]:
    """Every commune of one province, in the package's order."""
    communes = [_to_commune(w) for w in Ward.iter_by_province(ProvinceCode(code))]
    # "Xã Cẩm Giang" and "Xã Cẩm Giàng" share a codename; the code tells them apart.
    seen = Counter(c.slug for c in communes)
    return tuple(replace(c, slug=f"{c.slug}-{c.code}") if seen[c.slug] > 1 else c for c in communes)


def all_communes() -> tuple[RegisterCommune, ...]:
    """Every commune of Hải Phòng, in the package's order."""
    return province_communes(HAI_PHONG_CODE)


# The kind a name begins with: written out, or abbreviated ("P. Hòa Bình", "X.Phú Thái").
_KIND_WORDS = {fold(kind.value): kind for kind in CommuneKind} | {
    "p": CommuneKind.PHUONG,
    "x": CommuneKind.XA,
}


def _words(folded: str) -> list[str]:
    # "Phường 01" is "Phường 1"
    return [str(int(w)) if w.isascii() and w.isdigit() else w for w in folded.split()]


def _bare(text: str) -> str:
    """``text`` without any diacritics: the key of last resort ("Hoa Binh")."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return fold("".join(c for c in decomposed if not unicodedata.combining(c)))


def _name_key(name: str, bare: bool = False) -> tuple[CommuneKind | None, str]:
    """The kind the name says (if any) and the key of the rest: ("phường", "hoa2 binh2")."""
    words = _words(_bare(name) if bare else fold(name))
    kinds = _BARE_KIND_WORDS if bare else _KIND_WORDS
    for size in (2, 1):  # "đặc khu" is two words
        head = " ".join(words[:size])
        if head in kinds and len(words) > size:
            return kinds[head], " ".join(words[size:])
    return None, " ".join(words)


_BARE_KIND_WORDS = {_bare(word): kind for word, kind in _KIND_WORDS.items()}
_Index = dict[str, list[RegisterCommune]]


@lru_cache(maxsize=64)
def _province_index(code: int) -> tuple[_Index, _Index]:
    """The province's communes by their folded short name, and by it without diacritics."""
    exact: _Index = {}
    bare: _Index = {}
    for commune in province_communes(code):
        exact.setdefault(_name_key(commune.short_name)[1], []).append(commune)
        bare.setdefault(_name_key(commune.short_name, bare=True)[1], []).append(commune)
    return exact, bare


def _matches(name: str, kind: CommuneKind | None, codes: tuple[int, ...]) -> list[RegisterCommune]:
    for bare in (False, True):  # without diacritics only when nothing matches with them
        said, key = _name_key(name, bare)
        wanted = kind or said
        found = [
            c
            for code in codes
            for c in _province_index(code)[bare].get(key, [])
            if wanted is None or c.kind is wanted
        ]
        if found:
            return found
    return []


def communes_named(
    name: str, kind: CommuneKind | None = None, *, province: int | None
) -> tuple[RegisterCommune, ...]:
    """Every commune ``name`` may mean: of ``province`` (its code), or of the whole country
    when ``province`` is None; the province's order, then the register's."""
    codes = (province,) if province is not None else tuple(p.code for p in all_provinces())
    return tuple({c.code: c for c in _matches(name, kind, codes)}.values())


def find_commune(
    name: str, kind: CommuneKind | None = None, *, province: int = HAI_PHONG_CODE
) -> RegisterCommune | None:
    """The commune of ``province`` (Hải Phòng by default) called ``name`` ("phường Hoà Bình",
    "HÒA BÌNH", "Vĩnh Bảo"), or None.

    A bare name shared by a xã and a phường is ambiguous unless ``kind`` says which.
    """
    found = communes_named(name, kind, province=province)
    return found[0] if len(found) == 1 else None
