"""Fixtures for the importer's tests: the five seed documents, read once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from tracker.importing import PlanDraft, read_plan

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
HOA_BINH = SEEDS / "000_96978fae4b697af7.txt"
PHU_THAI = SEEDS / "001_d5d814e1c193d117.txt"
BACH_DANG = SEEDS / "002_d308d95e65e133c3.txt"
CITY = SEEDS / "003_80dc5f4b86ad70f0.txt"
VINH_BAO = SEEDS / "004_7ea1da0f64562392.txt"
ALL_SEEDS = (HOA_BINH, PHU_THAI, BACH_DANG, CITY, VINH_BAO)


@pytest.fixture(scope="session")
def hoa_binh() -> PlanDraft:
    return read_plan(HOA_BINH)


@pytest.fixture(scope="session")
def phu_thai() -> PlanDraft:
    return read_plan(PHU_THAI)


@pytest.fixture(scope="session")
def bach_dang() -> PlanDraft:
    return read_plan(BACH_DANG)


@pytest.fixture(scope="session")
def city() -> PlanDraft:
    return read_plan(CITY)


@pytest.fixture(scope="session")
def vinh_bao() -> PlanDraft:
    return read_plan(VINH_BAO)
