"""Onboarding a commune: its people's accounts from a spreadsheet (CSV or .xlsx).

One row per person: username, full name, email, role, commune, unit (English or Vietnamese
headings, in any order). Every row is checked before anything is written: a file with one
bad row loads nothing, and each bad row is reported by its line and field. A username that
exists is updated (name, email, role, commune, unit); a new one gets a random password,
returned once so the administrator can hand it over.

A file is imported within one province (Hải Phòng unless another enabled province is given):
its communes are that province's (names repeat across the country), and its Sở Nội vụ rows
administer that province.
"""

from __future__ import annotations

import csv
import io
import re
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from tracker.clock import Clock
from tracker.extensions import db
from tracker.i18n import _
from tracker.importing.communes import find_commune
from tracker.importing.units import unit_by_name
from tracker.models import Commune, Province, Role, Unit, User
from tracker.services.accounts import hash_password
from tracker.services.communes import ensure_commune, ensure_unit
from tracker.services.import_communes import is_home, province_title, stored_commune_named

ACCOUNT_EXTENSIONS = ("csv", "xlsx")

# The column a heading names, by its folded form (no case, no diacritics).
_HEADINGS = {
    "username": ("username", "tai khoan", "ten dang nhap", "ten tai khoan"),
    "full_name": ("full name", "name", "ho va ten", "ho ten", "ten"),
    "email": ("email", "e mail", "thu dien tu", "dia chi thu"),
    "role": ("role", "vai tro", "chuc vu", "quyen"),
    "commune": ("commune", "xa", "xa phuong", "xa phuong dac khu", "don vi hanh chinh"),
    "unit": ("unit", "don vi", "phong", "phong ban", "co quan"),
}
_REQUIRED = ("username", "full_name", "email", "role")

# Role words as people write them, folded; the role's own value is accepted too.
_ROLE_WORDS = {
    Role.NATIONAL: ("bo noi vu", "national"),
    Role.CITY_ADMIN: ("so noi vu", "quan tri thanh pho", "city admin"),
    Role.CHAIRMAN: ("chu tich", "chu tich ubnd"),
    Role.VICE_CHAIRMAN: ("pho chu tich", "pho chu tich ubnd"),
    Role.FOCAL_OFFICER: ("dau moi", "can bo dau moi", "dau moi vh xh", "focal officer"),
    Role.UNIT_HEAD: ("truong phong", "truong don vi", "unit head"),
    Role.UNIT_STAFF: ("cong chuc", "chuyen vien", "unit staff"),
}
_USERNAME = re.compile(r"^[A-Za-z0-9._-]{2,80}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_UNIT_ROLES = {Role.UNIT_HEAD, Role.UNIT_STAFF}
_ABOVE_COMMUNES = {Role.NATIONAL, Role.CITY_ADMIN}  # accounts of no commune


class AccountImportError(ValueError):
    """The file was refused; ``problems`` names each bad line and field. Nothing was loaded."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class AccountRow:
    line: int
    username: str
    full_name: str
    email: str
    role: Role
    commune: str | None
    unit: str | None


@dataclass(frozen=True)
class ImportedAccount:
    user: User
    created: bool
    password: str | None  # only for a new account: shown once, never stored


def fold(text: str) -> str:
    """A heading or role word as a key: lower case, no diacritics, words split on punctuation
    ("Họ và tên" → "ho va ten", "Xã, phường" → "xa phuong")."""
    bare = "".join(c for c in unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
                   if not unicodedata.combining(c))
    return " ".join(re.findall(r"[a-z0-9]+", bare))


def role_from_text(text: str) -> Role | None:
    key = fold(text)
    for role in Role:
        if key in (fold(role.value), *_ROLE_WORDS[role]):
            return role
    return None


def read_table(path: Path) -> list[tuple[int, list[str]]]:
    """(line number, cells) of every non-empty row of a CSV or .xlsx file."""
    ext = path.suffix.lower().lstrip(".")
    if ext not in ACCOUNT_EXTENSIONS:
        raise AccountImportError(
            [_("%(name)s: chỉ nhận tệp .csv hoặc .xlsx.", name=path.name)]
        )
    try:
        data = path.read_bytes()
    except OSError as error:
        raise AccountImportError(
            [_("%(name)s: không đọc được tệp (%(why)s).", name=path.name,
               why=error.strerror or str(error))]
        ) from error
    rows: list[tuple[int, list[str]]] = []
    if ext == "csv":
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise AccountImportError(
                [_("%(name)s: tệp CSV phải mã hóa UTF-8.", name=path.name)]
            ) from error
        first = text.split("\n", 1)[0]
        delimiter = max(",;\t", key=first.count)  # Excel writes ";" in some locales
        for number, cells in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter),
                                       start=1):
            rows.append((number, [c.strip() for c in cells]))
    else:
        from openpyxl import load_workbook  # only for spreadsheets

        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
        except Exception as error:  # openpyxl raises many kinds for a file that is not xlsx
            raise AccountImportError(
                [_("%(name)s: không phải bảng tính .xlsx đọc được.", name=path.name)]
            ) from error
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            rows.append((number, ["" if v is None else str(v).strip() for v in values]))
    return [(n, cells) for n, cells in rows if any(cells)]


def _knows_commune(name: str, province: Province | None) -> bool:
    """The home province's communes are all in the register (a row is made when needed);
    another province's were stored when it was switched on."""
    if is_home(province):
        return find_commune(name) is not None
    return stored_commune_named(name, province) is not None


def parse_rows(path: Path, province: Province | None = None) -> list[AccountRow]:
    """The file's account rows, every one checked; refuses the file on any bad row.

    ``province``: the enabled province the file's communes are in (None: Hải Phòng)."""
    table = read_table(path)
    if not table:
        raise AccountImportError([_("%(name)s: tệp không có dòng nào.", name=path.name)])
    header_line, header = table[0]
    columns: dict[str, int] = {}
    for index, heading in enumerate(header):
        key = fold(heading)
        for field, names in _HEADINGS.items():
            if key in names and field not in columns:
                columns[field] = index
    missing = [f for f in _REQUIRED if f not in columns]
    if missing:
        raise AccountImportError([
            _("%(name)s, dòng %(line)d: thiếu cột %(columns)s.", name=path.name,
              line=header_line, columns=", ".join(missing))
        ])
    problems: list[str] = []
    rows: list[AccountRow] = []
    seen: dict[str, int] = {}
    for line, cells in table[1:]:
        def cell(field: str, cells: list[str] = cells) -> str:
            index = columns.get(field)
            return cells[index] if index is not None and index < len(cells) else ""

        def bad(field: str, message: str, line: int = line) -> None:
            problems.append(_("%(name)s, dòng %(line)d, cột %(field)s: %(message)s",
                              name=path.name, line=line, field=field, message=message))

        before = len(problems)
        username, full_name, email = cell("username"), cell("full_name"), cell("email")
        if not _USERNAME.match(username):
            bad("username", _("tên đăng nhập “%(value)s” chỉ gồm chữ không dấu, số, “.”, “_”, "
                              "“-” (2–80 ký tự).", value=username))
        elif username.lower() in seen:
            bad("username", _("“%(value)s” đã có ở dòng %(other)d.", value=username,
                              other=seen[username.lower()]))
        else:
            seen[username.lower()] = line
        if not full_name:
            bad("full name", _("không được để trống."))
        if not _EMAIL.match(email):
            bad("email", _("“%(value)s” không phải địa chỉ thư.", value=email))
        role = role_from_text(cell("role"))
        if role is None:
            bad("role", _("không biết vai trò “%(value)s”.", value=cell("role")))
        commune_text, unit_text = cell("commune") or None, cell("unit") or None
        if role is not None and role not in _ABOVE_COMMUNES:
            if commune_text is None:
                bad("commune", _("vai trò này cần xã, phường."))
            elif not _knows_commune(commune_text, province):
                bad("commune", _("không có xã, phường, đặc khu “%(value)s” của %(province)s.",
                                 value=commune_text, province=province_title(province)))
            if unit_text is not None and unit_by_name(unit_text) is None:
                bad("unit", _("không biết đơn vị “%(value)s”.", value=unit_text))
            elif unit_text is None and role in _UNIT_ROLES:
                bad("unit", _("vai trò này cần đơn vị."))
        if len(problems) == before and role is not None:
            rows.append(AccountRow(line, username, full_name, email, role,
                                   commune_text if role not in _ABOVE_COMMUNES else None,
                                   unit_text if role not in _ABOVE_COMMUNES else None))
    if problems:
        raise AccountImportError(problems)
    if not rows:
        raise AccountImportError([_("%(name)s: tệp không có tài khoản nào.", name=path.name)])
    return rows


def import_accounts(
    path: Path, clock: Clock, province: Province | None = None
) -> list[ImportedAccount]:
    """Create or update every account of the file, within ``province`` (None: Hải Phòng).
    Flushes only; the command commits."""
    results: list[ImportedAccount] = []
    home = is_home(province)
    for row in parse_rows(path, province):
        commune: Commune | None = None
        if row.commune and home:
            commune = ensure_commune(row.commune)
        elif row.commune:
            commune = stored_commune_named(row.commune, province)
            assert commune is not None  # checked by parse_rows
        unit: Unit | None = None
        if commune is not None and row.unit is not None:
            canonical = unit_by_name(row.unit)
            assert canonical is not None  # checked by parse_rows
            unit = db.session.scalar(
                select(Unit).where(Unit.commune_id == commune.id, Unit.name == canonical.name))
            if unit is None:
                unit = ensure_unit(commune, canonical.name)
        user = db.session.scalar(
            select(User).where(func.lower(User.username) == row.username.lower()))
        password = None
        created = user is None
        if user is None:
            password = secrets.token_urlsafe(9)
            user = User(username=row.username, password_hash=hash_password(password),
                        created_at=clock.now(), full_name=row.full_name, email=row.email,
                        role=str(row.role))
            db.session.add(user)
        user.full_name, user.email, user.role = row.full_name, row.email, str(row.role)
        user.commune_id = commune.id if commune else None
        user.unit_id = unit.id if unit else None
        # A Sở Nội vụ administers the file's province (no row: the home province).
        administers = row.role is Role.CITY_ADMIN and not home and province is not None
        user.province_id = province.id if administers and province is not None else None
        results.append(ImportedAccount(user, created, password))
    db.session.flush()
    return results
