"""Plans of communes outside Hải Phòng: the province a document names, its commune looked up
in that province's register, a name two provinces share never guessed."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.importing.conftest import ALL_SEEDS
from tests.plan_texts import as_docx, commune_plan
from tracker.importing import PlanDraft, messages, read_plan, read_plan_bytes
from tracker.importing.communes import (
    CommuneKind,
    communes_named,
    find_commune,
    find_province,
)

QUANG_NINH, HO_CHI_MINH, TUYEN_QUANG, HAI_PHONG = 22, 79, 8, 31


def _read(text: str, province: int | None = None) -> PlanDraft:
    return read_plan_bytes(text.encode("utf-8"), "ke-hoach.txt", province=province)


def _province_code(draft: PlanDraft) -> int | None:
    return draft.province.code if draft.province else None


# ---------------------------------------------------------------- the register lookup


@pytest.mark.parametrize(
    ("written", "province", "name"),
    [
        ("phường Bãi Cháy", QUANG_NINH, "Phường Bãi Cháy"),
        ("BÃI CHÁY", QUANG_NINH, "Phường Bãi Cháy"),
        ("P. Bãi Cháy", QUANG_NINH, "Phường Bãi Cháy"),
        ("P.Bãi   Cháy", QUANG_NINH, "Phường Bãi Cháy"),
        ("Bai Chay", QUANG_NINH, "Phường Bãi Cháy"),  # no diacritics: only when unique
        ("X. Tiên Yên", QUANG_NINH, "Xã Tiên Yên"),
        ("phường Móng Cái 1", QUANG_NINH, "Phường Móng Cái 1"),
        ("Phường 01 Bảo Lộc", 68, "Phường 1 Bảo Lộc"),  # Lâm Đồng's numbered wards
        ("Phường 1 - Bảo Lộc", 68, "Phường 1 Bảo Lộc"),
        ("phường Hoà Bình", HO_CHI_MINH, "Phường Hòa Bình"),  # tone placement
        ("Phường Tân An", 66, "Phường Tân An"),  # the register writes "Phường  Tân An"
    ],
)
def test_a_commune_of_any_province_in_any_spelling(written: str, province: int, name: str) -> None:
    found = find_commune(written, province=province)
    assert found is not None and found.name == name and found.province_code == province


def test_a_name_shared_by_provinces_is_every_one_of_them() -> None:
    shared = communes_named("Tiên Yên", CommuneKind.XA, province=None)
    assert {c.province_code for c in shared} == {TUYEN_QUANG, QUANG_NINH}
    assert len({c.code for c in shared}) == 2  # two communes, not one
    assert find_commune("Tiên Yên") is None  # not Hải Phòng's
    assert find_commune("Hòa Bình") is not None  # Hải Phòng's: the default, unchanged
    assert find_commune("phường Bãi Cháy", province=HO_CHI_MINH) is None
    assert communes_named("Cam Giang", province=HAI_PHONG) and find_commune("Cam Giang") is None


@pytest.mark.parametrize(
    ("written", "code"),
    [("TỈNH QUẢNG NINH", 22), ("Quảng Ninh", 22), ("TP. Hồ Chí Minh", 79), ("TP.HCM", 79),
     ("THÀNH PHỐ HỒ CHÍ MINH", 79), ("hai_phong", 31), ("31", 31)],
)
def test_find_province(written: str, code: int) -> None:
    found = find_province(written)
    assert found is not None and found.code == code


# ---------------------------------------------------------------- reading the document


def test_a_commune_of_quảng_ninh_read_from_its_title_block() -> None:
    draft = _read(commune_plan(
        "TỈNH QUẢNG NINH\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "ỦY BAN NHÂN DÂN PHƯỜNG BÃI CHÁY\tĐộc lập - Tự do - Hạnh phúc",
        "Bãi Cháy", "phường Bãi Cháy",
    ))
    assert (draft.commune, draft.issuer, _province_code(draft)) == (
        "Phường Bãi Cháy", "phường Bãi Cháy", QUANG_NINH)
    assert draft.province is not None and draft.province.full_name == "Tỉnh Quảng Ninh"
    assert draft.number == "12/KH-UBND" and len(draft.tasks) == 4
    assert draft.to_json()["province"] == {"code": 22, "name": "Tỉnh Quảng Ninh"}


def test_a_ward_of_hồ_chí_minh_city_read_from_its_title_block() -> None:
    # Hải Phòng has a phường Hòa Bình too: the title block says which city this one is in.
    draft = _read(commune_plan(
        "UBND THÀNH PHỐ HỒ CHÍ MINH\nỦY BAN NHÂN DÂN\nPHƯỜNG HÒA BÌNH", "Hòa Bình",
        "phường Hòa Bình",
    ))
    assert (draft.commune, _province_code(draft)) == ("Phường Hòa Bình", HO_CHI_MINH)
    assert draft.issuer == "phường Hòa Bình"  # the city above it is not the issuer


def test_the_province_on_the_place_and_date_line() -> None:
    draft = _read(commune_plan("", "Quảng Ninh", "phường Hạ Long"))
    assert (draft.commune, _province_code(draft)) == ("Phường Hạ Long", QUANG_NINH)


def test_a_name_two_provinces_share_is_resolved_by_the_title_block() -> None:
    draft = _read(commune_plan(
        "UBND TỈNH QUẢNG NINH\nỦY BAN NHÂN DÂN XÃ TIÊN YÊN", "Tiên Yên", "xã Tiên Yên"))
    assert (draft.commune, _province_code(draft)) == ("Xã Tiên Yên", QUANG_NINH)
    other = _read(commune_plan(
        "UBND TỈNH TUYÊN QUANG\nỦY BAN NHÂN DÂN XÃ TIÊN YÊN", "Tiên Yên", "xã Tiên Yên"))
    assert (other.commune, _province_code(other)) == ("Xã Tiên Yên", TUYEN_QUANG)
    assert not [w for w in draft.warnings + other.warnings
                if w.template == messages.COMMUNE_AMBIGUOUS]


def test_a_name_two_provinces_share_without_a_province_is_not_guessed() -> None:
    draft = _read(commune_plan("ỦY BAN NHÂN DÂN XÃ TIÊN YÊN", "Tiên Yên", "xã Tiên Yên"))
    assert draft.commune is None and draft.province is None
    assert draft.issuer == "xã Tiên Yên"  # what the document says, with no commune chosen
    doubt = [w for w in draft.warnings if w.template == messages.COMMUNE_AMBIGUOUS]
    assert len(doubt) == 1 and doubt[0].line == 1
    assert "Xã Tiên Yên (Tuyên Quang)" in doubt[0].message
    assert "Xã Tiên Yên (Quảng Ninh)" in doubt[0].message
    assert len(draft.tasks) == 4  # the plan is read all the same


def test_the_importing_persons_province_decides_what_the_document_does_not() -> None:
    text = commune_plan("", "Tiên Yên", "xã Tiên Yên")
    draft = _read(text, province=QUANG_NINH)
    assert (draft.commune, _province_code(draft)) == ("Xã Tiên Yên", QUANG_NINH)
    assert not draft.warnings
    # The document's own province outranks the hint (the service then refuses it).
    named = _read(commune_plan("TỈNH TUYÊN QUANG\nỦY BAN NHÂN DÂN XÃ TIÊN YÊN", "Tiên Yên",
                               "xã Tiên Yên"), province=QUANG_NINH)
    assert _province_code(named) == TUYEN_QUANG
    # A name the hinted province lacks is looked for in the whole country.
    elsewhere = _read(commune_plan("", "Bãi Cháy", "phường Bãi Cháy"), province=HO_CHI_MINH)
    assert (elsewhere.commune, _province_code(elsewhere)) == ("Phường Bãi Cháy", QUANG_NINH)


def test_hải_phòng_stays_the_default() -> None:
    # "Hòa Bình" is a phường of Hải Phòng, Phú Thọ and Hồ Chí Minh City: with nothing
    # saying which, it is Hải Phòng's, as it always was; the hint or the header moves it.
    text = commune_plan("", "Hòa Bình", "phường Hòa Bình")
    assert _province_code(_read(text)) == HAI_PHONG and _read(text).commune == "Phường Hòa Bình"
    assert not _read(text).warnings
    assert _province_code(_read(text, province=HO_CHI_MINH)) == HO_CHI_MINH


def test_a_commune_the_named_province_does_not_have() -> None:
    # Hà Nội and Nghệ An have a phường Hoàng Mai; Quảng Ninh has none: no commune, said so.
    draft = _read(commune_plan("TỈNH QUẢNG NINH\nỦY BAN NHÂN DÂN PHƯỜNG HOÀNG MAI",
                               "Hoàng Mai", "phường Hoàng Mai"))
    assert draft.commune is None and _province_code(draft) == QUANG_NINH
    (warning,) = [w for w in draft.warnings if w.template == messages.COMMUNE_NOT_IN_PROVINCE]
    assert warning.line == 2
    assert "tỉnh Quảng Ninh không có xã, phường “HOÀNG MAI”" in warning.message
    assert "Phường Hoàng Mai (Hà Nội), Phường Hoàng Mai (Nghệ An)" in warning.message


def test_the_same_reading_from_a_word_document() -> None:
    text = commune_plan("UBND TỈNH QUẢNG NINH\nỦY BAN NHÂN DÂN XÃ TIÊN YÊN", "Tiên Yên",
                        "xã Tiên Yên")
    from_docx = read_plan_bytes(as_docx(text), "ke-hoach.docx")
    assert (from_docx.commune, from_docx.province) == (_read(text).commune, _read(text).province)


@pytest.mark.parametrize("seed", ALL_SEEDS, ids=lambda p: p.name[:3])
def test_the_seeds_are_hải_phòngs(seed: Path) -> None:
    draft = read_plan(seed)
    assert draft.province is not None and draft.province.code == HAI_PHONG
    assert not [w for w in draft.warnings if w.template in (
        messages.COMMUNE_AMBIGUOUS, messages.COMMUNE_NOT_IN_PROVINCE)]


def test_the_city_above_a_communes_committee_is_not_the_issuer() -> None:
    # Before the commune's own line, Hải Phòng's committee was taken for the issuer.
    draft = _read(commune_plan("ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG\nỦY BAN NHÂN DÂN XÃ PHÚ THÁI",
                               "Phú Thái", "xã Phú Thái"))
    assert (draft.issuer, draft.commune, _province_code(draft)) == (
        "xã Phú Thái", "Xã Phú Thái", HAI_PHONG)
    city = _read(commune_plan("ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH", "Hồ Chí Minh",
                              "các xã, phường"))
    assert (city.issuer, city.commune, _province_code(city)) == (
        "UBND thành phố Hồ Chí Minh", None, HO_CHI_MINH)
