"""Vietnamese syllable structure and the repair of spaced-apart extraction."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.importing.text import fold, is_syllable, join_syllables, old_style_tones, repair


@pytest.mark.parametrize(
    "word",
    ["nghiêng", "quyền", "những", "người", "khuya", "giữ", "gìn", "hoạch", "thuở", "Ủy", "ĐU"],
)
def test_well_formed_syllables(word: str) -> None:
    assert is_syllable(word)


@pytest.mark.parametrize("word", ["PH", "C", "ng", "UBND", "iêu", "tyên", "hòá", "wifi", "KH"])
def test_pieces_that_are_not_syllables(word: str) -> None:
    assert not is_syllable(word)


@pytest.mark.parametrize(
    ("spaced", "repaired"),
    [
        ("PH Ụ   L Ụ C   NHI Ệ M   V Ụ   C Ụ   TH Ể", "PHỤ LỤC NHIỆM VỤ CỤ THỂ"),
        ("Th ự c   hi ệ n   mô hình", "Thực hiện mô hình"),
        ("xã  Vĩnh B ả o     giai đo ạ n", "xã Vĩnh Bảo giai đoạn"),
        ("“Chính   quy ề n   thân   thi ệ n”", "“Chính quyền thân thiện”"),
        ("và nhữ ng năm, Bộ t iêu chí", "và những năm, Bộ tiêu chí"),
        (
            "Kế   hoạch   số   761 /KH - UBND   ngày   06/ 4/ 2026",
            "Kế hoạch số 761/KH-UBND ngày 06/4/2026",
        ),
        ("Đề   án  số 04 - ĐA/TU", "Đề án số 04-ĐA/TU"),
        ("của   Ủy   ban   nhân   dân   xã )", "của Ủy ban nhân dân xã)"),
    ],
)
def test_repair_spaced_apart_text(spaced: str, repaired: str) -> None:
    assert repair(spaced) == repaired


@pytest.mark.parametrize(
    "sentence",
    [
        "tiếp thu ý kiến của Nhân dân",  # "thu" + "ý" would make "thuý": both stand alone
        "Ban chấp hành Đảng bộ phường khóa I về mục tiêu",
        "công chức ở cơ sở, nhà ở, TT ĐU phường, UBMTTQ VN",
        "wifi miễn phí, ứng dụng Hải Phòng Smart, trí tuệ nhân tạo (AI)",
    ],
)
def test_ordinary_text_is_left_alone(sentence: str) -> None:
    assert join_syllables(sentence) == sentence


_SYLLABLES = [
    "chính",
    "quyền",
    "thân",
    "thiện",
    "phục",
    "vụ",
    "nhân",
    "dân",
    "hằng",
    "năm",
    "tiếp",
    "theo",
    "những",
    "địa",
    "bàn",
    "Bảo",
    "Ủy",
    "ban",
    "xã",
    "phường",
]


@given(st.lists(st.sampled_from(_SYLLABLES), min_size=1, max_size=12))
def test_whole_syllables_are_never_glued(words: list[str]) -> None:
    assert join_syllables(" ".join(words)) == " ".join(words)


def _space_apart(word: str) -> str:
    """What PDF extraction does: the letter carrying diacritics stands apart."""
    for index, letter in enumerate(word):
        if not letter.isascii():
            return f"{word[:index]} {letter} {word[index + 1 :]}".strip()
    return word


# A piece that cannot stand alone tells us where to join; so does a lone toned vowel before
# one plain letter ("Ủ y"), which is how extraction breaks a word, never how one is written.
_RECOVERABLE = [w for w in _SYLLABLES if not all(map(is_syllable, _space_apart(w).split()))]


def test_most_syllables_leave_a_telling_piece() -> None:
    assert len(_RECOVERABLE) >= len(_SYLLABLES) - 3


@given(st.lists(st.sampled_from(_RECOVERABLE), min_size=1, max_size=8))
def test_spaced_apart_syllables_come_back(words: list[str]) -> None:
    spaced = "   ".join(_space_apart(w) for w in words)
    assert join_syllables(spaced) == " ".join(words)


def test_fold_ignores_form_case_and_tone_placement() -> None:
    decomposed = unicodedata.normalize("NFD", "Phường HOÀ Bình")
    assert fold(decomposed) == fold("phường Hòa  Bình")
    assert fold("Cẩm Giang") != fold("Cẩm Giàng")


def test_old_style_tone_placement() -> None:
    assert old_style_tones("Phường Hoà Bình, Thuỷ Nguyên, HOÀ, hoàn") == (
        "Phường Hòa Bình, Thủy Nguyên, HÒA, hoàn"
    )


@pytest.mark.parametrize(
    ("spaced", "joined"),
    [
        ("Ủ y ban nhân dân", "Ủy ban nhân dân"),
        ("Ủ Y BAN NHÂN DÂN", "ỦY BAN NHÂN DÂN"),
        ("Đ ả ng ủ y xã", "Đảng ủy xã"),
        ("Khen thư ở ng", "Khen thưởng"),
        ("(Kh en thưởng)", "(Khen thưởng)"),
        ("x ã ch í nh", "xã chính"),  # "xãch": a syllable closed by ch takes sắc or nặng only
        ("và nh ững năm", "và những năm"),
        ("ở y tế", "ở y tế"),  # real words stay apart
    ],
)
def test_capital_vowels_tones_and_punctuation(spaced: str, joined: str) -> None:
    assert repair(spaced) == joined


def test_stop_codas_take_only_sharp_or_heavy_tones() -> None:
    assert is_syllable("thực") and is_syllable("chính") and is_syllable("tháp")
    assert not is_syllable("xãch") and not is_syllable("thàt")
