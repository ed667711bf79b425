"""``tracker tasks``: filters, and a clear error for a commune or unit that is not there."""

from __future__ import annotations

import json

from click.testing import CliRunner
from flask import Flask

from tests.factories import make_commune
from tracker.cli import main
from tracker.extensions import db
from tracker.models import Commune


def _tasks(database_url: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["tasks", *args], env={"DATABASE_URL": database_url})
    return result.exit_code, result.stdout, result.stderr


def test_unknown_unit_is_an_error_not_an_empty_list(app: Flask, database_url: str) -> None:
    make_commune("Phường Hòa Bình")
    db.session.commit()
    code, out, err = _tasks(database_url, "--unit", "Phòng Không Có")
    assert (code, out) == (1, "")
    assert err == "Error: no unit 'Phòng Không Có' in the database\n"


def test_known_unit_any_spelling(app: Flask, database_url: str) -> None:
    make_commune("Phường Hòa Bình")
    db.session.commit()
    for spelling in ("Văn phòng HĐND-UBND", "Văn phòng HĐND & UBND", "Văn phòng HĐND và UBND"):
        code, out, _ = _tasks(database_url, "--unit", spelling, "--json")
        assert (code, json.loads(out)) == (0, [])


def test_unknown_commune_and_status(app: Flask, database_url: str) -> None:
    code, out, err = _tasks(database_url, "--commune", "Atlantis")
    assert (code, out, err) == (1, "", "Error: no commune 'Atlantis' in the database\n")
    code, _, err = _tasks(database_url, "--status", "late")
    assert code == 2 and "Invalid value for '--status'" in err


def test_commune_by_slug_or_without_diacritics(app: Flask, database_url: str) -> None:
    make_commune("Phường Hòa Bình", with_units=False)
    make_commune("Xã Phú Thái", kind="xa", with_units=False)
    db.session.commit()
    for spelling in ("Hòa Bình", "phường Hoà Bình", "hoa binh", "phuong-hoa-binh", "Phu Thai"):
        code, out, err = _tasks(database_url, "--commune", spelling, "--json")
        assert (code, json.loads(out)) == (0, []), (spelling, err)


def test_a_name_without_diacritics_that_fits_two_communes_is_refused(
    app: Flask, database_url: str
) -> None:
    # Their slugs carry the official code, as the register makes them: the ASCII forms collide.
    db.session.add(Commune(name="Xã Cẩm Giang", slug="xa-cam-giang-10888", kind="xa"))
    db.session.add(Commune(name="Xã Cẩm Giàng", slug="xa-cam-giang-10903", kind="xa"))
    db.session.commit()
    code, _out, err = _tasks(database_url, "--commune", "cam giang")
    assert code == 1 and "no commune 'cam giang'" in err
    code, _out, _err = _tasks(database_url, "--commune", "Cẩm Giàng", "--json")
    assert code == 0
