"""The register of units that plans assign work to.

Each :class:`RegisterUnit` has one canonical name (what we store and show), a slug, the commune
kinds that have it, and the spellings documents use. Reading unit names from a cell is
:mod:`tracker.importing.units`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from tracker.importing.communes import CommuneKind

FOCAL_UNIT = "Phòng Văn hóa - Xã hội"
ALL_UNITS = "Các phòng, cơ quan, đơn vị"
MASS_ORGANISATIONS = "Các tổ chức chính trị - xã hội"
VILLAGES = "Các thôn, tổ dân phố"
CITY_DEPARTMENTS = "Các sở, ban, ngành thành phố"
ALL_COMMUNES = "Ủy ban nhân dân các xã, phường, đặc khu"


class UnitLevel(StrEnum):
    COMMUNE = "commune"  # a unit of the commune's People's Committee
    PARTY = "party"  # the commune's Party committee and its boards
    MASS = "mass"  # the Fatherland Front and the socio-political organisations
    VILLAGE = "village"
    CITY = "city"
    COLLECTIVE = "collective"  # a name for a group of units


_EVERY_KIND = frozenset(CommuneKind)


@dataclass(frozen=True)
class RegisterUnit:
    slug: str
    name: str
    level: UnitLevel
    variants: tuple[str, ...] = ()
    kinds: frozenset[CommuneKind] = _EVERY_KIND  # commune kinds that have this unit
    is_standard: bool = False  # created for every commune of its kinds

    @property
    def is_focal(self) -> bool:
        return self.name == FOCAL_UNIT

    @property
    def is_collective(self) -> bool:
        return self.level is UnitLevel.COLLECTIVE


_COMMUNE = UnitLevel.COMMUNE
# RegisterCommune kinds whose economic office is "Phòng Kinh tế, Hạ tầng và Đô thị".
WARD_LIKE = frozenset({CommuneKind.PHUONG, CommuneKind.DAC_KHU})

UNITS: tuple[RegisterUnit, ...] = (
    RegisterUnit("van-phong", "Văn phòng HĐND và UBND", _COMMUNE, (
        "Văn phòng HĐND-UBND", "Văn phòng HĐND & UBND", "Văn phòng HĐND - UBND",
        "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân", "Văn phòng HĐND và UBND",
        "VP HĐND-UBND", "VP HĐND và UBND", "Văn phòng UBND xã", "Văn phòng UBND phường",
    ), is_standard=True),
    RegisterUnit("van-hoa-xa-hoi", FOCAL_UNIT, _COMMUNE, (
        "Phòng Văn hóa - Xã hội", "Phòng Văn hóa và Xã hội", "Phòng Văn hóa, Xã hội",
        "Phòng VH-XH", "Phòng VHXH",
    ), is_standard=True),
    RegisterUnit("kinh-te", "Phòng Kinh tế", _COMMUNE, ("Phòng Kinh tế",),
         kinds=frozenset({CommuneKind.XA}), is_standard=True),
    RegisterUnit("kinh-te-ha-tang-do-thi", "Phòng Kinh tế, Hạ tầng và Đô thị", _COMMUNE, (
        "Phòng Kinh tế, Hạ tầng và Đô thị", "Phòng Kinh tế - Hạ tầng và Đô thị",
        "Phòng Kinh tế, Hạ tầng, Đô thị", "Phòng Kinh tế - Hạ tầng - Đô thị",
        "Phòng KT-HT&ĐT", "Phòng KTHT&ĐT",
    ), kinds=WARD_LIKE, is_standard=True),
    RegisterUnit("phuc-vu-hanh-chinh-cong", "Trung tâm Phục vụ hành chính công", _COMMUNE, (
        "Trung tâm Phục vụ hành chính công", "Trung tâm PVHCC", "TTPVHCC",
        "Bộ phận một cửa",
    ), is_standard=True),
    RegisterUnit("dich-vu-su-nghiep-cong", "Trung tâm Dịch vụ sự nghiệp công", _COMMUNE, (
        "Trung tâm Dịch vụ sự nghiệp công", "Trung tâm DV Sự nghiệp công",
        "Trung tâm DVSNC", "TTDVSNC",
    ), is_standard=True),
    RegisterUnit("cong-an", "Công an", _COMMUNE, ("Công an",), is_standard=True),
    RegisterUnit("dang-uy", "Đảng ủy", UnitLevel.PARTY, ("Đảng ủy", "Ban Thường vụ Đảng ủy"),
         is_standard=True),
    RegisterUnit("ban-xay-dung-dang", "Ban Xây dựng Đảng", UnitLevel.PARTY, (
        "Ban Xây dựng Đảng", "Ban Xây dựng Đảng ủy", "Ban Xây dựng Đảng của Đảng ủy",
        "Ban XDĐ",
    ), is_standard=True),
    RegisterUnit("mat-tran", "Ủy ban MTTQ Việt Nam", UnitLevel.MASS, (
        "Ủy ban MTTQ Việt Nam", "Ủy ban Mặt trận Tổ quốc Việt Nam", "Ủy ban MTTQ VN",
        "UBMTTQ Việt Nam", "UBMTTQVN", "UBMTTQ VN", "UBMTTQ", "Ủy ban MTTQ", "MTTQ",
        "Mặt trận Tổ quốc", "Mặt trận Tổ quốc Việt Nam", "Ủy ban Mặt trận Tổ quốc",
    ), is_standard=True),
    RegisterUnit("doan-thanh-nien", "Đoàn Thanh niên", UnitLevel.MASS, (
        "Đoàn Thanh niên", "Đoàn Thanh niên Cộng sản Hồ Chí Minh", "Đoàn TNCS Hồ Chí Minh",
        "Đoàn TN",
    ), is_standard=True),
    RegisterUnit("hoi-phu-nu", "Hội Liên hiệp Phụ nữ", UnitLevel.MASS, (
        "Hội Liên hiệp Phụ nữ", "Hội LHPN", "Hội Phụ nữ",
    ), is_standard=True),
    RegisterUnit("hoi-cuu-chien-binh", "Hội Cựu chiến binh", UnitLevel.MASS, (
        "Hội Cựu chiến binh", "Hội CCB",
    ), is_standard=True),
    RegisterUnit("hoi-nong-dan", "Hội Nông dân", UnitLevel.MASS, ("Hội Nông dân", "Hội ND"),
         kinds=frozenset({CommuneKind.XA}), is_standard=True),
    RegisterUnit("thon-to-dan-pho", VILLAGES, UnitLevel.VILLAGE, (
        "Các thôn, tổ dân phố", "Các thôn", "Các tổ dân phố", "Tổ dân phố", "Thôn",
        "Các thôn trên địa bàn xã", "Tổ trưởng tổ dân phố", "Trưởng thôn",
    )),
    # City level.
    RegisterUnit("ubnd-thanh-pho", "Ủy ban nhân dân thành phố", UnitLevel.CITY, (
        "Ủy ban nhân dân thành phố", "UBND thành phố", "UBND TP",
    )),
    RegisterUnit(
        "so-noi-vu", "Sở Nội vụ", UnitLevel.CITY, ("Sở Nội vụ", "Sở Nội vụ thành phố", "SNV")
    ),
    RegisterUnit("so-tai-chinh", "Sở Tài chính", UnitLevel.CITY, ("Sở Tài chính",)),
    RegisterUnit("so-van-hoa", "Sở Văn hóa, Thể thao và Du lịch", UnitLevel.CITY, (
        "Sở Văn hóa, Thể thao và Du lịch", "Sở Văn hóa - Thể thao và Du lịch", "Sở VHTTDL",
    )),
    RegisterUnit("van-phong-ubnd-thanh-pho", "Văn phòng UBND thành phố", UnitLevel.CITY, (
        "Văn phòng UBND thành phố", "Văn phòng Ủy ban nhân dân thành phố", "VP UBND TP",
    )),
    RegisterUnit("ban-tuyen-giao-dan-van", "Ban Tuyên giáo và Dân vận Thành ủy", UnitLevel.CITY, (
        "Ban Tuyên giáo và Dân vận Thành ủy", "Ban Tuyên giáo và Dân vận TU",
    )),
    RegisterUnit("mat-tran-thanh-pho", "Ủy ban MTTQ Việt Nam thành phố", UnitLevel.CITY, (
        "Ủy ban MTTQ Việt Nam thành phố", "Ủy ban Mặt trận Tổ quốc Việt Nam thành phố",
        "UBMTTQ thành phố", "Ủy ban MTTQ thành phố",
    )),
    # Collective names.
    RegisterUnit("tat-ca-don-vi", ALL_UNITS, UnitLevel.COLLECTIVE, (
        "Các phòng, cơ quan, đơn vị", "Các phòng chuyên môn, các đơn vị liên quan",
        "Các phòng chuyên môn, đơn vị", "Các phòng chuyên môn", "Các phòng, ban, đơn vị",
        "Các cơ quan, đơn vị thuộc UBND", "Các cơ quan, đơn vị", "Các cơ quan",
        "Các phòng, cơ quan", "Các phòng, đơn vị", "Các đơn vị", "Các cơ quan, đơn vị khác",
        "Các phòng, cơ quan, đơn vị, cán bộ, công chức", "Các bộ phận chuyên môn",
        "Các cơ quan, đơn vị, địa phương", "Cơ quan, đơn vị, địa phương",
        "Các cơ quan, địa phương", "Cơ quan, địa phương", "Các đơn vị, địa phương",
        "Các cơ quan, đơn vị, địa phương có liên quan", "Các ngành, địa phương",
    )),
    RegisterUnit("to-chuc-chinh-tri-xa-hoi", MASS_ORGANISATIONS, UnitLevel.COLLECTIVE, (
        "Các tổ chức chính trị - xã hội", "Tổ chức chính trị - xã hội", "Các đoàn thể",
        "Các tổ chức đoàn thể", "Các tổ chức chính trị xã hội",
    )),
    RegisterUnit("so-ban-nganh", CITY_DEPARTMENTS, UnitLevel.COLLECTIVE, (
        "Các sở, ban, ngành thành phố", "Sở, ban, ngành thành phố", "Các sở, ngành",
        "Các sở, ban, ngành", "Sở, ban, ngành", "Các sở, ngành thành phố",
        "Các sở, ban, ngành, địa phương", "Các sở, ban, ngành và địa phương",
        "Các sở, ngành, địa phương", "Các sở, ban, ngành, đoàn thể",
    )),
    RegisterUnit("ubnd-cac-xa", ALL_COMMUNES, UnitLevel.COLLECTIVE, (
        "Ủy ban nhân dân các xã, phường, đặc khu", "UBND các xã, phường, đặc khu",
        "Ủy ban nhân dân cấp xã", "UBND cấp xã", "Các xã, phường, đặc khu",
    )),
)  # fmt: skip


def standard_units(kind: CommuneKind) -> list[RegisterUnit]:
    """The units every commune of this kind has: the web app creates RegisterUnit rows from it."""
    return [u for u in UNITS if u.is_standard and kind in u.kinds]
