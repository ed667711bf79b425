"""Hải Phòng's 114 communes (xã, phường, đặc khu) after the July 2025 reorganisation.

The list comes from the maintained ``vietnam-provinces`` package, not from a hand-typed
table. Names are shown with the tone placement our documents use ("Phường Hòa Bình",
where the package writes "Hoà"); lookups accept any spelling, case, Unicode form or tone
placement, with or without the "xã"/"phường"/"đặc khu" prefix.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import lru_cache

from vietnam_provinces import Province, ProvinceCode, VietNamDivisionType, Ward

from tracker.importing.text import fold, old_style_tones

HAI_PHONG_CODENAME = "hai_phong"


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

    @property
    def issuer(self) -> str:
        """How a document names it as an issuer: "phường Hòa Bình"."""
        return f"{self.kind.value} {self.short_name}"


def _to_commune(ward: Ward) -> RegisterCommune:
    kind = _KINDS[ward.division_type]
    name = old_style_tones(ward.name)
    prefix = kind.value
    short = name[len(prefix) :].strip() if name.lower().startswith(prefix) else name
    return RegisterCommune(
        name=name,
        short_name=short,
        code=int(ward.code),
        kind=kind,
        slug=ward.codename.replace("_", "-"),
    )


@dataclass(frozen=True)
class RegisterProvince:
    code: int  # 31
    codename: str  # "hai_phong"
    name: str  # "Thành phố Hải Phòng"
    short_name: str  # "Hải Phòng"


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


def find_province(text: str) -> RegisterProvince | None:
    """The province named by its code ("31"), codename ("hai_phong") or name, any spelling."""
    key = fold(text.replace("_", " "))
    for prefix in (fold("tỉnh") + " ", fold("thành phố") + " ", "tinh ", "thanh pho "):
        if key.startswith(prefix) and key != prefix:
            key = key[len(prefix) :]
    for province in all_provinces():
        keys = {str(province.code), fold(province.codename.replace("_", " ")),
                fold(province.name), fold(province.short_name), fold(f"tỉnh {province.short_name}")}
        if key in keys:
            return province
    return None


@lru_cache(maxsize=64)
def province_communes(code: int) -> tuple[RegisterCommune, ...]:
    """Every commune of one province, in the package's order."""
    communes = [_to_commune(w) for w in Ward.iter_by_province(ProvinceCode(code))]
    # "Xã Cẩm Giang" and "Xã Cẩm Giàng" share a codename; the code tells them apart.
    seen = Counter(c.slug for c in communes)
    return tuple(replace(c, slug=f"{c.slug}-{c.code}") if seen[c.slug] > 1 else c for c in communes)


def all_communes() -> tuple[RegisterCommune, ...]:
    """Every commune of Hải Phòng, in the package's order."""
    city = next(p for p in all_provinces() if p.codename == HAI_PHONG_CODENAME)
    return province_communes(city.code)


@lru_cache(maxsize=1)
def _index() -> dict[str, list[RegisterCommune]]:
    index: dict[str, list[RegisterCommune]] = {}
    for commune in all_communes():
        for key in (fold(commune.name), fold(commune.short_name)):
            index.setdefault(key, []).append(commune)
    return index


_PREFIXES = {fold(kind.value): kind for kind in CommuneKind}


def find_commune(name: str, kind: CommuneKind | None = None) -> RegisterCommune | None:
    """The commune called ``name`` ("phường Hoà Bình", "HÒA BÌNH", "Vĩnh Bảo"), or None.

    A bare name shared by a xã and a phường is ambiguous unless ``kind`` says which.
    """
    key = fold(name)
    for prefix, prefix_kind in _PREFIXES.items():
        if key.startswith(prefix + " "):
            kind = kind or prefix_kind
            key = key[len(prefix) + 1 :]
            break
    matches = [c for c in _index().get(key, []) if kind is None or c.kind is kind]
    unique = {c.code: c for c in matches}
    return next(iter(unique.values())) if len(unique) == 1 else None
