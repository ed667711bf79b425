"""Importing the plan of a commune outside Hải Phòng, through the import page and the CLI.

Khánh Hòa has a phường Đông Hải, and so has Hải Phòng: two communes, whose plans are looked
up, stored, and checked for duplicates each in its own province. The documents are written
here (tests.plan_texts), shaped like the seeds.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.factories import make_user
from tests.plan_texts import REVISED_ROWS, as_docx, commune_plan
from tests.web.conftest import World, login, page_text
from tracker.cli import main
from tracker.clock import FixedClock
from tracker.extensions import db
from tracker.importing import read_plan_bytes
from tracker.models import Commune, Plan, Province, Role, Task, Unit, User
from tracker.services import import_communes, plan_imports, provinces
from tracker.services.communes import load_register

KHANH_HOA, QUANG_NINH = 56, 22
DONG_HAI = "Phường Đông Hải"  # of Hải Phòng and of Khánh Hòa
# No title block: the place and the body name the ward, not its province.
DONG_HAI_PLAN = commune_plan("", "Đông Hải", "phường Đông Hải")
BAI_CHAY_PLAN = commune_plan(  # Quảng Ninh's, with its title block
    "TỈNH QUẢNG NINH\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "ỦY BAN NHÂN DÂN PHƯỜNG BÃI CHÁY\tĐộc lập - Tự do - Hạnh phúc",
    "Bãi Cháy", "phường Bãi Cháy", number="30/KH-UBND",
)


@pytest.fixture
def tenants(world: World, clock: FixedClock) -> dict[int, Province]:
    """Hải Phòng's register, and Khánh Hòa and Quảng Ninh switched on."""
    load_register()
    enabled = {code: provinces.enable_province(str(code), clock)[0]
               for code in (KHANH_HOA, QUANG_NINH)}
    db.session.commit()
    return enabled


def _commune(province: Province, name: str) -> Commune:
    found = db.session.scalars(
        select(Commune).where(Commune.name == name, Commune.province_id == province.id)).all()
    assert len(found) == 1, found
    return found[0]


def _hai_phong_dong_hai() -> Commune:
    home = provinces.home_province()
    assert home is not None
    return _commune(home, DONG_HAI)


def _admin_of(province: Province) -> User:
    user = make_user(Role.CITY_ADMIN, username=f"sonoivu.{province.codename}",
                     province_id=province.id)
    db.session.commit()
    return user


def _upload(client: FlaskClient, text: str, name: str = "ke-hoach.txt",
            data: bytes | None = None) -> object:
    return client.post(
        "/ke-hoach/nhap",
        data={"file": (io.BytesIO(data or text.encode("utf-8")), name)},
        content_type="multipart/form-data",
    )


def _imported() -> list[Plan]:
    """The plans imported here (the world has plans of its own), oldest first."""
    return list(db.session.scalars(
        select(Plan).where(Plan.source_name.like("ke-hoach%")).order_by(Plan.id)))


def _token(html: str) -> str:
    return html.split('name="token" value="')[1].split('"')[0]


def _confirm(client: FlaskClient, html: str, commune: str) -> object:
    return client.post("/ke-hoach/xac-nhan", data={"token": _token(html), "commune": commune})


def test_sở_nội_vụ_of_khánh_hòa_imports_its_ward_not_hải_phòngs(
    client: FlaskClient, tenants: dict[int, Province]
) -> None:
    khanh_hoa = tenants[KHANH_HOA]
    login(client, _admin_of(khanh_hoa))
    preview = _upload(client, DONG_HAI_PLAN)
    assert preview.status_code == 200  # type: ignore[attr-defined]
    html = page_text(preview)
    assert f'<option value="{DONG_HAI}" selected>' in html
    assert "Thành phố Hải Phòng" not in html.split('id="plan-commune"')[1].split("</select>")[0]
    assert "không nhập được" not in html and "Văn bản ghi “" not in html  # no mismatch
    confirm = _confirm(client, html, DONG_HAI)
    assert confirm.status_code == 302  # type: ignore[attr-defined]
    plan = _imported()[0]
    assert plan.commune.province_id == khanh_hoa.id
    assert plan.commune.slug == "phuong-dong-hai-khanh-hoa"
    assert plan.commune.id == _commune(khanh_hoa, DONG_HAI).id
    assert len(plan.tasks) == 4
    tasks = db.session.scalars(select(Task).where(Task.plan_id == plan.id)).all()
    units = {db.session.get(Unit, t.unit_id).commune_id for t in tasks}
    assert tasks and units == {plan.commune.id}  # its tasks are the ward's own units'
    assert db.session.scalars(
        select(Plan).where(Plan.commune_id == _hai_phong_dong_hai().id)).first() is None


def test_the_same_text_in_two_provinces_is_two_plans_and_duplicates_stay_in_each(
    client: FlaskClient, world: World, tenants: dict[int, Province]
) -> None:
    khanh_hoa = tenants[KHANH_HOA]
    # Hải Phòng's Sở Nội vụ first: the same document, read as Hải Phòng's Đông Hải.
    login(client, world.users[Role.CITY_ADMIN])
    html = page_text(_upload(client, DONG_HAI_PLAN))
    assert f'<option value="{DONG_HAI}" selected>' in html
    assert _confirm(client, html, DONG_HAI).status_code == 302  # type: ignore[attr-defined]
    home_plan = _imported()[0]
    assert home_plan.commune.id == _hai_phong_dong_hai().id
    # Khánh Hòa's: not a duplicate of Hải Phòng's, nor offered as its revised version.
    client.post("/dang-xuat")
    login(client, _admin_of(khanh_hoa))
    html = page_text(_upload(client, DONG_HAI_PLAN))
    assert "đã được nhập" not in html and "Xem kế hoạch đã nhập" not in html
    assert _confirm(client, html, DONG_HAI).status_code == 302  # type: ignore[attr-defined]
    far_plan = _imported()[1]
    assert far_plan.commune.id == _commune(khanh_hoa, DONG_HAI).id
    assert far_plan.slug != home_plan.slug
    # Again in Khánh Hòa: now it is a duplicate, of Khánh Hòa's plan.
    again = _upload(client, DONG_HAI_PLAN)
    assert "đã được nhập" in page_text(again)
    refused = _confirm(client, page_text(again), DONG_HAI)
    assert refused.status_code == 400  # type: ignore[attr-defined]
    assert len(_imported()) == 2
    # A revised version is looked for in the province: each finds its own plan.
    revised = read_plan_bytes(
        commune_plan("", "Đông Hải", "phường Đông Hải", number="13/KH-UBND",
                     rows=REVISED_ROWS).encode(), "sua-doi.txt", province=KHANH_HOA)
    assert plan_imports.revision_candidate(revised, DONG_HAI, khanh_hoa) == far_plan
    home = provinces.home_province()
    assert plan_imports.revision_candidate(revised, DONG_HAI, home) == home_plan


def test_a_plan_of_another_provinces_commune_is_refused(
    client: FlaskClient, tenants: dict[int, Province]
) -> None:
    login(client, _admin_of(tenants[KHANH_HOA]))
    html = page_text(_upload(client, BAI_CHAY_PLAN))
    message = ("Văn bản là kế hoạch của Phường Bãi Cháy (Tỉnh Quảng Ninh), không phải của một "
               "xã, phường thuộc Tỉnh Khánh Hòa: không nhập được.")
    assert message in html
    refused = _confirm(client, html, DONG_HAI)  # whichever commune is chosen
    assert refused.status_code == 400  # type: ignore[attr-defined]
    assert message in page_text(refused)
    assert _imported() == []
    # Hải Phòng's Sở Nội vụ cannot import it either, even with a reason.
    assert import_communes.foreign_text(
        read_plan_bytes(BAI_CHAY_PLAN.encode(), "x.txt"), provinces.home_province())


def test_focal_officer_of_a_quảng_ninh_commune_imports_a_word_file(
    client: FlaskClient, tenants: dict[int, Province]
) -> None:
    # "Thống Nhất" is a xã of Quảng Ninh and of Lạng Sơn; the document says neither. The
    # focal officer's own province decides.
    quang_ninh = tenants[QUANG_NINH]
    commune = _commune(quang_ninh, "Xã Thống Nhất")
    focal = db.session.scalars(
        select(Unit).where(Unit.commune_id == commune.id, Unit.is_focal.is_(True))).one()
    officer = make_user(Role.FOCAL_OFFICER, commune=commune, unit=focal, username="dm.thongnhat")
    db.session.commit()
    text = commune_plan("", "Thống Nhất", "xã Thống Nhất", number="7/KH-UBND")
    assert read_plan_bytes(text.encode(), "x.txt").commune is None  # ambiguous without it
    login(client, officer)
    html = page_text(_upload(client, text, "ke-hoach.docx", as_docx(text)))
    assert '<option value="Xã Thống Nhất" selected>' in html
    assert "có thể là" not in html  # no doubt left in the preview
    assert _confirm(client, html, "Xã Thống Nhất").status_code == 302  # type: ignore[attr-defined]
    plan = _imported()[0]
    assert plan.commune.id == commune.id and plan.number == "7/KH-UBND"


def test_the_command_line_with_and_without_province(
    app: Flask, database_url: str, tmp_path: Path
) -> None:
    env = {"DATABASE_URL": database_url, "UPLOAD_DIR": str(tmp_path / "uploads")}
    runner = CliRunner()

    def run(*args: str) -> tuple[int, str, str]:
        result = runner.invoke(main, ["plans", "import", "--now", "2026-05-04T09:00:00+07:00",
                                      *args], env=env)
        return result.exit_code, result.stdout, result.stderr

    help_text = runner.invoke(main, ["plans", "import", "--help"]).output
    assert "--province CODE" in help_text and "Sở Nội vụ" in help_text
    for code in ("khanh_hoa", "quang_ninh"):
        assert runner.invoke(main, ["provinces", "enable", code], env=env).exit_code == 0
    dong_hai = tmp_path / "dong-hai.txt"
    dong_hai.write_text(DONG_HAI_PLAN, encoding="utf-8")
    code, out, err = run("--province", "56", str(dong_hai))
    assert code == 0, err
    assert f"phuong-dong-hai-khanh-hoa-12-kh-ubnd for {DONG_HAI}" in out
    code, out, err = run(str(dong_hai))  # no province: Hải Phòng's, the default
    assert code == 0, err
    assert f"phuong-dong-hai-12-kh-ubnd for {DONG_HAI}" in out
    # A name two provinces share, and nothing to say which: refused, with the way out.
    tien_yen = tmp_path / "tien-yen.txt"
    tien_yen.write_text(commune_plan("ỦY BAN NHÂN DÂN XÃ TIÊN YÊN", "Tiên Yên", "xã Tiên Yên"),
                        encoding="utf-8")
    code, _out, err = run(str(tien_yen))
    assert code == 1 and "Xã Tiên Yên (Tuyên Quang)" in err and "--province CODE" in err
    code, out, err = run("--province", "Quảng Ninh", str(tien_yen))
    assert code == 0 and "xa-tien-yen-quang-ninh" in out, err
    # A province the document names is used without --province; one that is off is said so.
    bai_chay = tmp_path / "bai-chay.txt"
    bai_chay.write_text(BAI_CHAY_PLAN, encoding="utf-8")
    code, out, err = run(str(bai_chay))
    assert code == 0 and "phuong-bai-chay-quang-ninh" in out, err
    code, _out, err = run("--province", "khanh_hoa", str(bai_chay))
    assert code == 1 and "không phải của một xã, phường thuộc Tỉnh Khánh Hòa" in err
    code, _out, err = run("--province", "ha_noi", str(dong_hai))
    assert code == 2 and "not enabled" in err
    code, _out, err = run("--province", "Atlantis", str(dong_hai))
    assert code == 2 and "Atlantis" in err
    db.session.expire_all()
    slugs = {p.commune.slug for p in db.session.scalars(select(Plan))}
    assert slugs == {"phuong-dong-hai-khanh-hoa", "phuong-dong-hai", "xa-tien-yen-quang-ninh",
                     "phuong-bai-chay-quang-ninh"}
