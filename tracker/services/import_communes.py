"""Whose plan an import is: the province it is imported in, and the commune in it.

Commune names repeat across the country, so a name means a commune only within a province.
An import happens in one province (``province``: a ``Province`` row, None for the home
province's rows without one): the importing person's (a Sở Nội vụ its own, a commune's
people their commune's), or on the command line ``--province``, else the one the document
names. The document's commune is looked up there; a document whose commune is in another
province is refused. Flushes only (``stored_commune`` may create a home commune's row).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, select

from tracker.extensions import db
from tracker.i18n import _
from tracker.importing import PlanDraft
from tracker.importing.communes import HAI_PHONG_CODE, all_communes, find_commune, home_province
from tracker.importing.communes import find_province as find_register_province
from tracker.models import Commune, Province, Role, User
from tracker.services.communes import CITY_KIND, CITY_NAME, CommuneError, ensure_commune
from tracker.services.dashboards import dashboard_communes
from tracker.services.permissions import role_of
from tracker.services.provinces import (
    HOME_PROVINCE,
    account_province,
    commune_province,
    province_by_code,
    province_clause,
)
from tracker.services.provinces import home_province as stored_home_province


def import_province(user: User) -> Province | None:
    """The province this person imports plans in (None: the home province, no row yet)."""
    if role_of(user) is Role.CITY_ADMIN or user.commune is None:
        return account_province(user)
    return commune_province(user.commune)


def document_province(draft: PlanDraft) -> Province | None:
    """The province of the document's commune (the home one when it names none: a plan
    without a commune is the city's, as it always was).

    Raises :class:`CommuneError` for a province that is not switched on.
    """
    if not draft.commune or draft.province is None or draft.province.code == HAI_PHONG_CODE:
        return stored_home_province()
    found = province_by_code(draft.province.code)
    if found is None:
        raise CommuneError(
            _("%(province)s chưa được bật trong hệ thống (tracker provinces enable %(code)s).",
              province=draft.province.full_name, code=draft.province.code)
        )
    return found


def scope_clause(province: Province | None) -> ColumnElement[bool]:
    """SQL on ``Commune``: it belongs to ``province`` (None: to the home province)."""
    return province_clause(province if province is not None else stored_home_province())


def is_home(province: Province | None) -> bool:
    return province is None or province.codename == HOME_PROVINCE


def _code(province: Province | None) -> int:
    return HAI_PHONG_CODE if province is None else province.code


def province_title(province: Province | None) -> str:
    """ "Thành phố Hải Phòng", "Tỉnh Quảng Ninh": the register's full name."""
    found = find_register_province(str(_code(province)))
    return (found or home_province()).full_name


def commune_choices(user: User) -> list[str]:
    """The communes this person may import a plan for: Sở Nội vụ any of its province, others
    their own."""
    if role_of(user) is Role.CITY_ADMIN:
        if is_home(account_province(user)):  # the register's, stored or not yet
            return [CITY_NAME, *(c.name for c in all_communes())]
        return [c.name for c in dashboard_communes(user)]
    if user.commune is None:
        return []
    return [user.commune.name]


def foreign_commune(draft: PlanDraft, province: Province | None) -> str | None:
    """ "Xã Tiên Yên (Tỉnh Tuyên Quang)" when the document's commune is in another province
    than ``province``, else None."""
    if not draft.commune or draft.province is None or draft.province.code == _code(province):
        return None
    return f"{draft.commune} ({draft.province.full_name})"


def foreign_text(draft: PlanDraft, province: Province | None) -> str | None:
    """Why a document of another province's commune is not imported here (else None)."""
    named = foreign_commune(draft, province)
    if named is None:
        return None
    return _("Văn bản là kế hoạch của %(commune)s, không phải của một xã, phường thuộc "
             "%(own)s: không nhập được.", commune=named, own=province_title(province))


def _in_province(province: Province | None) -> Select[tuple[Commune]]:
    return select(Commune).where(scope_clause(province), Commune.kind != CITY_KIND)


def stored_commune_of(draft: PlanDraft, province: Province | None) -> Commune | None:
    """The stored row of the document's commune within ``province`` (None: not stored, or
    the document's commune is another province's)."""
    if not draft.commune or foreign_commune(draft, province) is not None:
        return None
    return stored_commune_named(draft.commune, province)


def stored_commune_named(name: str, province: Province | None) -> Commune | None:
    """The stored row of the commune called ``name`` (any spelling the register knows) within
    ``province`` (None: the home province), or None."""
    found = find_commune(name, province=_code(province))
    if found is not None:  # by the national code: the row's name may be spelt otherwise
        row = db.session.scalars(_in_province(province).where(Commune.code == str(found.code)))
        commune = row.first()
        if commune is not None:
            return commune
    return db.session.scalars(_in_province(province).where(Commune.name == name)).first()


def suggested_commune(draft: PlanDraft, province: Province | None = None) -> str:
    """The commune the document names, as stored (the city when none)."""
    if not draft.commune:
        return CITY_NAME
    stored = stored_commune_of(draft, province)
    return stored.name if stored is not None else draft.commune


def commune_mismatch(draft: PlanDraft, commune_name: str,
                     province: Province | None = None) -> str | None:
    """The commune the document names when it is not the one chosen (else None)."""
    if not draft.commune:
        return None
    named = suggested_commune(draft, province)
    return None if named == commune_name else named


def mismatch_text(named: str, chosen: str, may_override: bool) -> str:
    if may_override:
        return _("Văn bản ghi “%(named)s”, không phải “%(chosen)s”. Chọn đúng xã, phường, hoặc "
                 "ghi lý do để vẫn nhập cho “%(chosen)s”.", named=named, chosen=chosen)
    return _("Văn bản ghi “%(named)s”, không phải “%(chosen)s”: không nhập được. Nếu văn bản "
             "đúng là của “%(chosen)s”, đề nghị Sở Nội vụ nhập thay.", named=named,
             chosen=chosen)


def stored_commune(name: str, province: Province | None) -> Commune:
    """The row of the commune called ``name`` in ``province``, the plan's home.

    The home province's communes (and the city) get their row from the register when
    missing; another province's exist once it is enabled. Raises :class:`CommuneError`.
    """
    if is_home(province):
        return ensure_commune(name)
    found = db.session.scalars(_in_province(province).where(Commune.name == name.strip()))
    commune = found.first()
    if commune is None:
        raise CommuneError(_("Không tìm thấy xã, phường “%(name)s” của %(province)s.",
                             name=name, province=province_title(province)))
    return commune
