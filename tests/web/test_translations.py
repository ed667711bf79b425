"""The English catalogue translates every message; pages switch language completely.

The catalogue is checked against a fresh extraction of the sources (not against the
committed messages.pot, which can be stale), so a new `_()` without an English translation
fails here. Vietnamese pages are walked for English words that would betray a string shown
without `_()`.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import RequestRedirect

from tests.web.conftest import World, login, page_text
from tracker.extensions import db, get_clock
from tracker.models import Role, User
from tracker.services.demo import DEMO_PASSWORD, build_demo
from tracker.services.mail import unsubscribe_url
from tracker.services.reminders import run_reminder_sweep

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "tracker/translations/en/LC_MESSAGES/messages.po"
MARKERS = re.compile(r"(?<![\w.])(?:_|_l|N_|gettext|ngettext|lazy_gettext)\(")


def _english() -> Catalog:
    with CATALOGUE.open("rb") as handle:
        return read_po(handle, locale="en")


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    """What `pybabel extract` finds in the sources now, with the flags of docs/web.md."""
    out = tmp_path_factory.mktemp("babel") / "messages.pot"
    CommandLineInterface().run(
        [
            "pybabel",
            "--quiet",
            "extract",
            "-F",
            str(ROOT / "babel.cfg"),
            "-k",
            "_l",
            "--sort-output",
            "-o",
            str(out),
            str(ROOT / "tracker"),
        ]
    )
    with out.open("rb") as handle:
        return read_po(handle)


def _untranslated(string: object) -> bool:
    if isinstance(string, str):
        return not string
    return not all(string)  # type: ignore[call-overload]


def test_every_extracted_message_is_translated(extracted: Catalog) -> None:
    english = _english()
    assert len(extracted) > 400  # the extraction did run over the sources
    missing = [m.id for m in extracted if m.id and m.id not in english]
    untranslated = [
        m.id
        for m in extracted
        if m.id and m.id in english and _untranslated(english[m.id].string)  # type: ignore[index]
    ]
    fuzzy = [m.id for m in extracted if m.id and m.id in english and english[m.id].fuzzy]  # type: ignore[index]
    assert missing == [], "run the extract/update steps of docs/web.md and translate these"
    assert untranslated == []
    assert fuzzy == []


def test_singular_and_plural_are_extracted_alike(extracted: Catalog) -> None:
    """A message that became an ngettext (or stopped being one) is updated in the catalogue."""
    english = _english()
    plural_kind = [
        m.id
        for m in extracted
        if m.id
        and m.id in english
        and isinstance(m.id, tuple) != isinstance(english[m.id].id, tuple)  # type: ignore[index]
    ]
    assert plural_kind == []


def test_the_catalogue_is_complete_and_consistent() -> None:
    english = _english()
    untranslated = [m.id for m in english if m.id and _untranslated(m.string)]
    fuzzy = [m.id for m in english if m.id and m.fuzzy]
    obsolete = list(english.obsolete)
    assert untranslated == [] and fuzzy == [] and obsolete == []
    # Placeholders: "%(name)s" in the msgid must be in the translation, and the reverse.
    problems = [(m.id, [str(e) for e in errors]) for m, errors in english.check()]
    assert problems == []


def test_every_file_with_messages_is_extracted(extracted: Catalog) -> None:
    """babel.cfg covers every source and template that marks a message (the .txt mails
    were once left out)."""
    seen = {Path(path).resolve() for m in extracted for path, _line in m.locations}
    sources = [
        p
        for p in [*(ROOT / "tracker").rglob("*.py"), *(ROOT / "tracker/templates").rglob("*")]
        # i18n.py and cadence/wording.py define the markers, they mark nothing
        if p.is_file() and p.suffix in {".py", ".html", ".txt"}
        and p.name not in {"i18n.py", "wording.py"}
    ]
    marking = [p for p in sources if MARKERS.search(p.read_text(encoding="utf-8"))]
    assert len(marking) > 20
    left_out = [str(p.relative_to(ROOT)) for p in marking if p.resolve() not in seen]
    assert left_out == []


def test_task_page_in_english(client: FlaskClient, world: World) -> None:
    login(client, world.users[Role.FOCAL_OFFICER])
    client.post("/ngon-ngu/en")
    text = page_text(client.get(f"/viec/{world.overdue.id}"))
    for english in ("Text in the annex", "Lead unit", "Due date", "History", "Upload evidence"):
        assert english in text, english
    # The annex text is the document's own words and stays Vietnamese.
    assert "Niêm yết công khai thủ tục hành chính tại trụ sở" in text
    assert "Nội dung theo phụ lục" not in text
    assign = page_text(client.get(f"/viec/{world.overdue.id}/phan-cong"))
    assert "Assign task 1" in assign and "Point person" in assign


def test_vietnamese_by_default(client: FlaskClient, world: World) -> None:
    login(client, world.users[Role.FOCAL_OFFICER])
    text = page_text(client.get(f"/viec/{world.overdue.id}"))
    assert "Nội dung theo phụ lục" in text and "Text in the annex" not in text
    assert "ngày 01 tháng 05 năm 2026" in text  # the formal date style


# ---------------------------------------------------------------- no English on Vietnamese pages

# English words of our own interface (taken from the catalogue's translations): on a
# Vietnamese page any of them means a string reached the page without `_()`, or a
# framework's English default (werkzeug's "Not Found") got through. Names that are the same
# in both languages (Google Calendar, Outlook, API, iCalendar) are not in the list.
ENGLISH_WORDS = (
    "Overdue", "Due", "Due date", "Deadline", "Submit", "Dashboard", "Task", "Tasks",
    "Login", "Log in", "Log out", "Logout", "Sign in", "Status", "Save", "Cancel", "Search",
    "Filter", "Year", "Unit", "Units", "Commune", "Review", "Approve", "Return", "Assign",
    "Evidence", "Comment", "Comments", "History", "Upload", "Download", "Send", "Sent",
    "Failed", "Retry", "Pending", "Settings", "Home", "Next", "Previous", "Done", "Open",
    "Reminder", "Reminders", "Outbox", "Subscribe", "Revoke", "Create", "Delete", "Edit",
    "Password", "Username", "Total", "Points", "Report", "Error", "Not Found", "Forbidden",
    "Bad Request", "Unauthorized", "Internal Server Error", "Warning", "Warnings", "Line",
    "Preview", "Confirm", "Import", "Plan", "Plans", "Point person", "Lead unit", "Week",
    "Today", "Never", "None", "True", "False", "row", "task", "unknown", "missing",
    "the", "and", "of", "is", "not", "with", "for",
)
_ENGLISH = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in ENGLISH_WORDS) + r")\b")
# Shown as they are in both languages.
ALLOWED = {"English"}  # the language switch names the other language in its own words

HTML_GETS = {
    "tasks.home",
    "tasks.task_list",
    "tasks.task_detail",
    "assignments.assignment_list",
    "assignments.assign",
    "reviews.review_queue",
    "plans.import_plan",
    "plans.amend_plan",
    "plans.plan_list",
    "deadlines.needing_deadline",
    "deadlines.extension_queue",
    "calendars.calendar_page",
    "dashboards.overdue_board",
    "dashboards.commune_rollup",
    "dashboards.city_rollup",
    "national.national_rollup",
    "admin.commune_accounts",
    "reports.assessment",
    "tokens.token_list",
    "outbox.outbox",
    "outbox.mail_detail",
    "outbox.preferences",
}
# GET routes that are not HTML pages for a logged-in person, or are read on their own below.
NOT_WALKED = {
    "static",
    "calendars.feed",  # iCalendar
    "calendars_legacy.legacy_feed",  # the same feed at its old address
    "calendars_legacy.legacy_page",  # a 308 to calendars.calendar_page, walked there
    "dashboards.record_level",  # GET: a redirect to reports.assessment, walked there
    "plans.show_preview",  # a pending import's preview, read in tests/web/test_expired_forms.py
    "tasks.download_evidence",  # the file itself
    "auth.login",  # read before logging in
    "outbox.unsubscribe",  # reached from a mail's link
    "health.healthz",  # JSON probes for the load balancer
    "health.readyz",
    # Files (Word, Excel), read back in tests/web/test_reports.py.
    "reports.download_report",
    "reports.download_scoring",
    "reports.download_tasks",
    "reports.download_overdue",
    "reports.download_commune_rollup",
    "reports.download_city_rollup",
}
PER_ENDPOINT = 4  # pages of one endpoint to read per person (other ids, other filters)


class _Visible(HTMLParser):
    """The text a reader meets: text nodes and the labels read aloud, not markup or code."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.links: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style"}:
            self._skip += 1
        values = dict(attrs)
        for name in ("aria-label", "title", "placeholder", "alt"):
            if values.get(name):
                self.parts.append(str(values[name]))
        if tag == "a" and values.get("href"):
            self.links.append(str(values["href"]))
        if tag == "input" and values.get("type") in {"submit", "button"} and values.get("value"):
            self.parts.append(str(values["value"]))

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"} and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def _read(html: str) -> _Visible:
    parser = _Visible()
    parser.feed(html)
    parser.close()
    return parser


def _english_in(text: str) -> list[str]:
    return sorted({m.group(0) for m in _ENGLISH.finditer(text)} - ALLOWED)


def _endpoint(app: Flask, url: str) -> str | None:
    parts = urlsplit(url)
    if parts.netloc and parts.netloc not in {"localhost", "han.test"}:
        return None
    try:
        endpoint, _args = app.url_map.bind("localhost").match(parts.path, method="GET")
    except (NotFound, MethodNotAllowed, RequestRedirect):
        return None
    return str(endpoint)


def _walk(app: Flask, client: FlaskClient, reached: set[str]) -> dict[str, list[str]]:
    """Every HTML page this person reaches from the pages without parameters, following
    links (up to PER_ENDPOINT pages of one endpoint).

    Returns url → the English words found on it; adds the endpoints read to ``reached``;
    asserts every page answered 200 (403: not this role's page).
    """
    start = sorted(
        r.rule for r in app.url_map.iter_rules() if r.endpoint in HTML_GETS and not r.arguments
    )
    queue, seen, found = list(start), set(start), {}
    per_endpoint: dict[str, int] = {}
    while queue:
        url = queue.pop(0)
        response = client.get(url, follow_redirects=True)
        if response.status_code == 403:
            continue  # not this role's page
        assert response.status_code == 200, f"{url}: {response.status_code}"
        reached.update({str(_endpoint(app, url)), str(_endpoint(app, response.request.path))})
        page = _read(page_text(response))
        words = _english_in(" ".join(page.parts))
        if words:
            found[url] = words
        for link in page.links:
            endpoint = _endpoint(app, link)
            target = urlsplit(link)
            local = target.path + (f"?{target.query}" if target.query else "")
            if endpoint not in HTML_GETS or local in seen:
                continue
            if per_endpoint.get(endpoint, 0) >= PER_ENDPOINT:
                continue
            per_endpoint[endpoint] = per_endpoint.get(endpoint, 0) + 1
            seen.add(local)
            queue.append(local)
    return found


def test_the_walk_knows_every_page(app: Flask) -> None:
    """A new page is added to HTML_GETS (or NOT_WALKED) so the walk below reads it."""
    pages = {
        r.endpoint
        for r in app.url_map.iter_rules()
        if "GET" in (r.methods or set()) and not r.rule.startswith("/api/")
    }
    assert pages - NOT_WALKED == HTML_GETS


def test_the_english_word_check_sees_a_hard_coded_string() -> None:
    page = _read('<p>Việc <b>Overdue</b></p><button aria-label="Submit">Gửi</button><a>ok</a>')
    assert _english_in(" ".join(page.parts)) == ["Overdue", "Submit"]
    assert _english_in("Quá hạn · Tiếng Việt · English · Google Calendar") == []


DEMO_PEOPLE = (
    "sonoivu",
    "bonoivu",
    "chutich.hoabinh",
    "phochutich.hoabinh",
    "daumoi.hoabinh",
    "truongphong.van-hoa-xa-hoi.hoabinh",
    "congchuc.hoabinh",
)


def test_vietnamese_pages_show_no_english(
    app: Flask, client: FlaskClient, seeds_dir: Path
) -> None:
    """The demo's people in every role, every page they can open, in Vietnamese."""
    clock = get_clock(app)
    build_demo(seeds_dir, clock)
    db.session.commit()
    assert run_reminder_sweep(clock)  # the outbox pages have mail to show
    db.session.commit()

    for public in ("/dang-nhap", urlsplit(unsubscribe_url(1)).path):
        page = _read(page_text(client.get(public)))
        assert page.parts and _english_in(" ".join(page.parts)) == [], public
    problems: dict[str, list[str]] = {}
    reached: set[str] = set()
    roles = set()
    for username in DEMO_PEOPLE:
        response = client.post(
            "/dang-nhap", data={"username": username, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302
        roles.add(db.session.scalars(db.select(User.role).filter_by(username=username)).one())
        found = _walk(app, client, reached)
        problems.update({f"{username} {url}": words for url, words in found.items()})
        for missing in ("/khong-co-trang-nay", "/viec/999999"):
            error_page = _read(page_text(client.get(missing)))
            words = _english_in(" ".join(error_page.parts))
            if words:
                problems[f"{username} {missing}"] = words
        client.post("/dang-xuat")
    assert roles == {str(r) for r in Role}
    assert reached == HTML_GETS  # every kind of page was read by someone
    assert problems == {}
