"""``tracker accounts`` and ``tracker plans import`` on a fresh database, without a developer."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from flask import Flask
from openpyxl import Workbook
from sqlalchemy import func, select

from tests.plan_texts import original_plan, revised_plan
from tracker.cli import main
from tracker.extensions import db
from tracker.models import ApiToken, Plan, PlanRevision, Province, Role, User, WorkflowInstance
from tracker.services.accounts import authenticate
from tracker.services.api_tokens import hash_token

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
HEADINGS = ["Tên đăng nhập", "Họ và tên", "Email", "Vai trò", "Xã, phường", "Đơn vị"]
PEOPLE = [
    ["chutich.anhung", "Nguyễn Văn An", "an@anhung.vn", "Chủ tịch", "Xã An Hưng", ""],
    ["dm.anhung", "Trần Thị Bình", "binh@anhung.vn", "Đầu mối", "An Hưng",
     "Phòng Văn hóa - Xã hội"],
    ["cc.anhung", "Lê Văn Cường", "cuong@anhung.vn", "công chức", "xã an hưng",
     "Văn phòng HĐND-UBND"],
]


def _run(database_url: str, *args: str, tmp_path: Path | None = None) -> tuple[int, str, str]:
    env = {"DATABASE_URL": database_url}
    if tmp_path is not None:
        env["UPLOAD_DIR"] = str(tmp_path / "uploads")
    if args[:2] == ("plans", "import"):
        args = (*args[:2], "--now", "2026-05-04T09:00:00+07:00", *args[2:])
    result = CliRunner().invoke(main, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


def _csv(path: Path, rows: list[list[str]]) -> Path:
    path.write_text("\n".join(",".join(f'"{c}"' for c in row) for row in rows) + "\n",
                    encoding="utf-8-sig")
    return path


def test_import_csv_creates_then_updates(app: Flask, database_url: str, tmp_path: Path) -> None:
    file = _csv(tmp_path / "anhung.csv", [HEADINGS, *PEOPLE])
    code, out, err = _run(database_url, "accounts", "import", str(file))
    assert code == 0, err
    assert out.count("created ") == 3 and "3 accounts created, 0 updated" in err
    password = out.split("cc.anhung", 1)[1].split("password: ", 1)[1].split()[0]
    db.session.expire_all()
    staff = authenticate("cc.anhung", password)
    assert staff is not None and staff.role == Role.UNIT_STAFF
    assert staff.commune.name == "Xã An Hưng" and staff.unit.name == "Văn phòng HĐND và UBND"
    moved = [*PEOPLE[:2], [*PEOPLE[2][:3], "Trưởng phòng", "Xã An Hưng",
                           "Trung tâm Phục vụ hành chính công"]]
    code, out, err = _run(database_url, "accounts", "import",
                          str(_csv(tmp_path / "again.csv", [HEADINGS, *moved])))
    assert code == 0 and "0 accounts created, 3 updated" in err and "password" not in out
    db.session.expire_all()
    staff = db.session.scalar(select(User).where(User.username == "cc.anhung"))
    assert staff.role == Role.UNIT_HEAD and staff.unit.name == "Trung tâm Phục vụ hành chính công"
    code, out, _ = _run(database_url, "accounts", "list", "--commune", "an hung")
    assert code == 0 and len(out.splitlines()) == 3 and "chutich.anhung" in out
    code, _, err = _run(database_url, "accounts", "list", "--commune", "Atlantis")
    assert code == 1 and "no commune 'Atlantis'" in err


def test_a_file_with_a_bad_row_loads_nothing(
    app: Flask, database_url: str, tmp_path: Path
) -> None:
    rows = [["username", "full name", "email", "role", "commune", "unit"],
            ["ok.user", "Ok", "ok@x.vn", "unit_staff", "Xã An Hưng", "Văn phòng HĐND và UBND"],
            ["bad user", "", "notmail", "Giám đốc", "Atlantis", ""],
            ["ok.user", "Dup", "d@x.vn", "chairman", "", ""]]
    code, out, err = _run(database_url, "accounts", "import",
                          str(_csv(tmp_path / "bad.csv", rows)))
    assert (code, out) == (1, "")
    lines = err.splitlines()
    assert any("dòng 3, cột username" in line for line in lines)
    assert any("dòng 3, cột email" in line for line in lines)
    assert any("dòng 3, cột role" in line and "Giám đốc" in line for line in lines)
    assert any("dòng 4, cột username" in line and "dòng 2" in line for line in lines)
    assert any("dòng 4, cột commune" in line for line in lines)
    db.session.expire_all()
    assert db.session.scalar(select(func.count(User.id))) == 0
    code, _, err = _run(database_url, "accounts", "import", str(tmp_path / "missing.xlsx"))
    assert code == 1 and "missing.xlsx" in err and "Traceback" not in err


def test_import_xlsx_and_make_a_token(app: Flask, database_url: str, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    for row in [HEADINGS, *PEOPLE]:
        sheet.append(row)
    book.save(tmp_path / "anhung.xlsx")
    code, _, err = _run(database_url, "accounts", "import", str(tmp_path / "anhung.xlsx"))
    assert code == 0, err
    code, out, err = _run(database_url, "accounts", "token", "DM.anhung", "--name", "Báo cáo")
    assert code == 0, err
    token = out.strip()
    assert token.startswith("han_")
    db.session.expire_all()
    row = db.session.scalar(select(ApiToken))
    assert row.name == "Báo cáo" and row.token_hash == hash_token(token)
    code, _, err = _run(database_url, "accounts", "token", "nobody")
    assert code == 1 and "no account 'nobody'" in err


def test_plans_import_stores_and_starts_like_the_web(
    app: Flask, database_url: str, tmp_path: Path
) -> None:
    hoa_binh = SEEDS / "000_96978fae4b697af7.txt"
    code, out, err = _run(database_url, "plans", "import", str(hoa_binh), tmp_path=tmp_path)
    assert code == 0, err
    assert "phuong-hoa-binh-102-kh-ubnd for Phường Hòa Bình, 9 tasks" in out
    assert "  ! line " in out  # the importer's warnings, as the preview shows them
    db.session.expire_all()
    plan = db.session.scalar(select(Plan))
    years = db.session.scalars(select(WorkflowInstance.year)).all()
    assert years == [2026]  # its first year; 2027 starts when it comes
    assert plan.commune.name == "Phường Hòa Bình"
    code, _, err = _run(database_url, "plans", "import", str(hoa_binh), tmp_path=tmp_path)
    assert code == 1 and "đã được nhập" in err  # the same text: caught as a duplicate
    code, _, err = _run(database_url, "plans", "import", "--commune", "Atlantis",
                        str(SEEDS / "001_d5d814e1c193d117.txt"), tmp_path=tmp_path)
    assert code == 1 and "Atlantis" in err
    code, out, err = _run(database_url, "plans", "import", "--commune", "Xã An Hưng",
                          str(SEEDS / "001_d5d814e1c193d117.txt"), tmp_path=tmp_path)
    assert code == 0 and "for Xã An Hưng" in out, err
    assert not list((tmp_path / "uploads" / "imports").iterdir())  # nothing left waiting


def test_plans_import_amend_applies_the_revised_version(
    app: Flask, database_url: str, tmp_path: Path
) -> None:
    original, revised = tmp_path / "ke-hoach-21.txt", tmp_path / "ke-hoach-35.txt"
    original.write_bytes(original_plan())
    revised.write_bytes(revised_plan())
    code, _, err = _run(database_url, "plans", "import", str(original), tmp_path=tmp_path)
    assert code == 0, err
    code, _, err = _run(database_url, "plans", "import", "--amend", "99/KH-UBND", str(revised),
                        tmp_path=tmp_path)
    assert code == 1 and "--amend 99/KH-UBND: no plan" in err
    code, out, err = _run(database_url, "plans", "import", "--amend", "21/KH-UBND",
                          str(revised), tmp_path=tmp_path)
    assert code == 0, err
    assert "  changed 2: " in out and "Quý II hằng năm -> Quý III hằng năm" in out
    assert "  removed 4: " in out and "  added 4: " in out
    assert "2 changed, 1 added, 1 removed, 1 unchanged" in out
    db.session.expire_all()
    assert db.session.scalar(select(func.count(PlanRevision.id))) == 1
    code, _, err = _run(database_url, "plans", "import", "--amend", "21/KH-UBND",
                        str(revised), tmp_path=tmp_path)
    assert code == 1 and "đã được áp dụng" in err


def test_import_within_another_province(app: Flask, database_url: str, tmp_path: Path) -> None:
    """--province: the file's communes are that province's (a name of Hải Phòng is not), and
    its Sở Nội vụ administers that province; without it, Hải Phòng as before."""
    code, _, err = _run(database_url, "provinces", "enable", "quang_ninh")
    assert code == 0, err
    rows = [
        HEADINGS,
        ["snv.quangninh", "Phạm Thị Dung", "dung@quangninh.vn", "Sở Nội vụ", "", ""],
        ["ct.halong", "Vũ Văn Em", "em@halong.vn", "Chủ tịch", "Phường Hạ Long", ""],
        ["tp.halong", "Đỗ Thị Gấm", "gam@halong.vn", "Trưởng phòng", "hạ long",
         "Văn phòng HĐND và UBND"],
    ]
    file = _csv(tmp_path / "quangninh.csv", rows)

    code, out, err = _run(database_url, "accounts", "import", str(file))
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        "error: quangninh.csv, dòng 3, cột commune: không có xã, phường, đặc khu “Phường Hạ "
        "Long” của Thành phố Hải Phòng.",
        "error: quangninh.csv, dòng 4, cột commune: không có xã, phường, đặc khu “hạ long” "
        "của Thành phố Hải Phòng.",
    ]

    code, out, err = _run(database_url, "accounts", "import", "--province", "22", str(file))
    assert code == 0, err
    db.session.expire_all()
    admin = db.session.scalar(select(User).where(User.username == "snv.quangninh"))
    head = db.session.scalar(select(User).where(User.username == "tp.halong"))
    assert admin is not None and head is not None
    quang_ninh = db.session.scalar(select(Province).where(Province.codename == "quang_ninh"))
    assert quang_ninh is not None and admin.province_id == quang_ninh.id
    assert head.commune.name == "Phường Hạ Long" and head.commune.province_id == quang_ninh.id
    assert head.unit.commune_id == head.commune_id

    haiphong = _csv(tmp_path / "haiphong.csv", [HEADINGS, [
        "ct.bachdang", "Ngô Văn Hải", "hai@bachdang.vn", "Chủ tịch", "Phường Bạch Đằng", ""]])
    code, out, err = _run(database_url, "accounts", "import", "--province", "quang_ninh",
                          str(haiphong))
    assert code == 1 and "của Tỉnh Quảng Ninh" in err
    code, _, err = _run(database_url, "accounts", "import", "--province", "lao_cai", str(file))
    assert code == 2 and "is not enabled (tracker provinces enable lao_cai)" in err
    code, _, err = _run(database_url, "accounts", "import", "--province", "Atlantis", str(file))
    assert code == 2 and "Atlantis" in err and "Traceback" not in err
