"""The unit register and Hải Phòng's communes."""

from __future__ import annotations

import pytest

from tracker.importing.communes import CommuneKind, all_communes, find_commune
from tracker.importing.unit_register import (
    ALL_COMMUNES,
    ALL_UNITS,
    CITY_DEPARTMENTS,
    FOCAL_UNIT,
    MASS_ORGANISATIONS,
    UNITS,
    standard_units,
)
from tracker.importing.units import collective_members, resolve_units, unit_by_name, unit_meant_by


def test_hai_phong_has_114_communes_after_the_reorganisation() -> None:
    communes = all_communes()
    assert len(communes) == 114
    kinds = {kind: sum(1 for c in communes if c.kind is kind) for kind in CommuneKind}
    assert kinds == {CommuneKind.XA: 67, CommuneKind.PHUONG: 45, CommuneKind.DAC_KHU: 2}
    assert len({c.slug for c in communes}) == 114
    assert len({c.code for c in communes}) == 114


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("phường Hoà Bình", "Phường Hòa Bình"),
        ("HÒA BÌNH", "Phường Hòa Bình"),
        ("Vĩnh Bảo", "Xã Vĩnh Bảo"),
        ("xã Phú Thái", "Xã Phú Thái"),
        ("Đặc khu Bạch Long Vĩ", "Đặc khu Bạch Long Vĩ"),
        ("Thuỷ Nguyên", "Phường Thủy Nguyên"),
        ("Cẩm Giàng", "Xã Cẩm Giàng"),
        ("Cẩm Giang", "Xã Cẩm Giang"),
    ],
)
def test_find_commune_in_any_spelling(written: str, name: str) -> None:
    found = find_commune(written)
    assert found is not None and found.name == name


def test_unknown_commune() -> None:
    assert find_commune("Hà Nội") is None
    assert find_commune("phường Vĩnh Bảo") is None  # Vĩnh Bảo is a xã


@pytest.mark.parametrize(
    ("cell", "names"),
    [
        ("Văn phòng HĐND-UBND", ["Văn phòng HĐND và UBND"]),
        ("Văn phòng HĐND & UBND phường", ["Văn phòng HĐND và UBND"]),
        ("Phòng Văn hóa\n- Xã hội", [FOCAL_UNIT]),
        ("Trung tâm DV Sự nghiệp công", ["Trung tâm Dịch vụ sự nghiệp công"]),
        ("Các phòng chuyên môn, các đơn vị liên quan", [ALL_UNITS]),
        ("Các cơ quan, đơn vị thuộc UBND xã", [ALL_UNITS]),
        ("Các phòng, cơ quan, đơn vị", [ALL_UNITS]),
        (
            "Văn phòng HĐND-UBND và Trung tâm Phục vụ hành chính công",
            ["Văn phòng HĐND và UBND", "Trung tâm Phục vụ hành chính công"],
        ),
        (
            "Trung tâm Phục vụ hành chính công; Đoàn Thanh niên phường",
            ["Trung tâm Phục vụ hành chính công", "Đoàn Thanh niên"],
        ),
        (
            "Phòng Kinh tế, Hạ tầng và Đô thị; Phòng Văn hóa - Xã hội",
            ["Phòng Kinh tế, Hạ tầng và Đô thị", FOCAL_UNIT],
        ),
        (
            "Mặt trận Tổ quốc và các tổ chức chính trị - xã hội phường",
            ["Ủy ban MTTQ Việt Nam", MASS_ORGANISATIONS],
        ),
        (
            "Sở Nội vụ; Ủy ban Mặt trận Tổ quốc Việt Nam thành phố",
            ["Sở Nội vụ", "Ủy ban MTTQ Việt Nam thành phố"],
        ),
    ],
)
def test_resolve_cells(cell: str, names: list[str]) -> None:
    resolution = resolve_units(cell, CommuneKind.PHUONG)
    assert resolution.names == names
    assert resolution.unknown == []


def test_unknown_names_are_kept_as_written() -> None:
    resolution = resolve_units("Ban Quản lý chợ và Phòng Văn hóa - Xã hội")
    assert resolution.names == [FOCAL_UNIT]
    assert resolution.unknown == ["Ban Quản lý chợ"]


@pytest.mark.parametrize(
    ("cell", "names"),
    [
        # One unit a line, nothing between them: each line is a unit.
        (
            "Trung tâm Dịch vụ sự nghiệp công\nBan Xây dựng Đảng\nỦy ban MTTQ Việt Nam xã",
            ["Trung tâm Dịch vụ sự nghiệp công", "Ban Xây dựng Đảng", "Ủy ban MTTQ Việt Nam"],
        ),
        (
            "Ban Xây dựng Đảng\nỦy ban nhân dân thành phố",
            ["Ban Xây dựng Đảng", "Ủy ban nhân dân thành phố"],
        ),
        (
            "Ban Xây dựng Đảng\nỦy ban MTTQ thành phố",
            ["Ban Xây dựng Đảng", "Ủy ban MTTQ Việt Nam thành phố"],
        ),
        # One unit broken over lines: the lines are one name.
        (
            "Văn phòng HĐND và UBND; Trung\ntâm Phục vụ hành chính công",
            ["Văn phòng HĐND và UBND", "Trung tâm Phục vụ hành chính công"],
        ),
        ("Ủy ban MTTQ Việt Nam\nthành phố", ["Ủy ban MTTQ Việt Nam thành phố"]),
        ("Ban Xây dựng Đảng\nủy", ["Ban Xây dựng Đảng"]),
        (
            "Ban Xây dựng Đảng ủy; \nỦy ban Mặt trận Tổ quốc \nViệt Nam xã và các cơ quan \n"
            "có liên quan",
            ["Ban Xây dựng Đảng", "Ủy ban MTTQ Việt Nam", ALL_UNITS],
        ),
    ],
)
def test_line_breaks_in_a_cell_separate_units_only_where_names_end(
    cell: str, names: list[str]
) -> None:
    resolution = resolve_units(cell, CommuneKind.XA)
    assert resolution.names == names
    assert resolution.unknown == []


def test_an_unknown_line_is_kept_whole() -> None:
    resolution = resolve_units("Phòng Văn hóa - Xã hội\nBan Quản lý chợ\nCông an xã")
    assert resolution.names == [FOCAL_UNIT, "Công an"]
    assert resolution.unknown == ["Ban Quản lý chợ"]


def test_ward_and_commune_economics_office() -> None:
    assert resolve_units("Phòng Kinh tế", CommuneKind.XA).names == ["Phòng Kinh tế"]
    assert resolve_units("Phòng Kinh tế", CommuneKind.PHUONG).names == [
        "Phòng Kinh tế, Hạ tầng và Đô thị"
    ]
    assert resolve_units("Phòng Kinh tế - Hạ tầng và Đô thị").names == [
        "Phòng Kinh tế, Hạ tầng và Đô thị"
    ]


def test_standard_units_by_kind() -> None:
    commune = [u.name for u in standard_units(CommuneKind.XA)]
    ward = [u.name for u in standard_units(CommuneKind.PHUONG)]
    assert "Phòng Kinh tế" in commune and "Phòng Kinh tế, Hạ tầng và Đô thị" not in commune
    assert "Phòng Kinh tế, Hạ tầng và Đô thị" in ward and "Phòng Kinh tế" not in ward
    assert "Hội Nông dân" in commune and "Hội Nông dân" not in ward
    for names in (commune, ward):
        assert FOCAL_UNIT in names
        assert {
            "Văn phòng HĐND và UBND",
            "Trung tâm Phục vụ hành chính công",
            "Công an",
            "Ban Xây dựng Đảng",
            "Ủy ban MTTQ Việt Nam",
            "Đoàn Thanh niên",
        } <= set(names)
        assert ALL_UNITS not in names


def test_collectives_expand_to_the_commune_units() -> None:
    members = [u.name for u in collective_members(ALL_UNITS, CommuneKind.XA)]
    assert members == [
        "Văn phòng HĐND và UBND",
        FOCAL_UNIT,
        "Phòng Kinh tế",
        "Trung tâm Phục vụ hành chính công",
        "Trung tâm Dịch vụ sự nghiệp công",
        "Công an",
    ]
    organisations = [u.name for u in collective_members(MASS_ORGANISATIONS, CommuneKind.PHUONG)]
    assert "Đoàn Thanh niên" in organisations and "Hội Nông dân" not in organisations


@pytest.mark.parametrize(
    ("cell", "shown", "meaning"),
    [
        ("Các sở, ban, ngành", ["Các sở, ban, ngành"], [CITY_DEPARTMENTS]),
        ("Các cơ quan, đơn vị, địa phương", ["Các cơ quan, đơn vị, địa phương"], [ALL_UNITS]),
        ("các cơ quan, đơn vị liên quan", ["Các cơ quan, đơn vị liên quan"], [ALL_UNITS]),
        ("Các phòng, cơ quan, đơn vị", ["Các phòng, cơ quan, đơn vị"], [ALL_UNITS]),
        (
            "Sở Nội vụ; UBND các  xã, phường, đặc khu",
            ["Sở Nội vụ", "UBND các xã, phường, đặc khu"],
            ["Sở Nội vụ", ALL_COMMUNES],
        ),
    ],
)
def test_collective_names_keep_the_documents_wording(
    cell: str, shown: list[str], meaning: list[str]
) -> None:
    resolution = resolve_units(cell, CommuneKind.XA)
    assert resolution.ordered == shown  # what the task stores and every page shows
    assert resolution.names == meaning  # what the register makes of it
    meant = [unit_meant_by(name) for name in shown]
    assert [u.name for u in meant if u is not None] == meaning


def test_a_collective_wording_still_means_every_unit() -> None:
    every = collective_members(ALL_UNITS, CommuneKind.XA)
    wording = "Các cơ quan, đơn vị, địa phương có liên quan"
    assert collective_members(wording, CommuneKind.XA) == every
    assert unit_meant_by("Các cơ quan, đơn vị liên quan, Công an tỉnh") is None  # two units
    assert unit_meant_by("Tạp chí Diễn đàn doanh nghiệp") is None  # not in the register


def test_register_is_consistent() -> None:
    assert len({u.slug for u in UNITS}) == len(UNITS)
    assert len({u.name for u in UNITS}) == len(UNITS)
    focal = unit_by_name("Phòng VH-XH")
    assert focal is not None and focal.is_focal
    collective = unit_by_name("Các phòng chuyên môn, các đơn vị liên quan")
    assert collective is not None and collective.is_collective
