"""Every route of the web app on a database filled by real crawls of the fixture sites
(tests/web_history.py): pages, filters, sorting, the timeline, feeds, JSON, errors."""

from __future__ import annotations

import json

import feedparser
import pytest
from lxml import html
from starlette.testclient import TestClient
from typer.testing import CliRunner
from web_history import CHANGED, FAILED, INJECTED, PROGRAMS

from monitor.cli.main import app as cli
from monitor.store import queries
from monitor.web import create_app
from monitor.web.security import HEADERS

# The shared history takes two real crawls (over 10 s) to build.
pytestmark = pytest.mark.slow

CATEGORY_ORDER = ["h1b", "h1b_limited", "j1_only", "none", "unknown"]
PAGES = ["/", "/?sort=category&order=desc", f"/programs/{CHANGED}", "/changes",
         "/changes?kind=stance"]
ROUTES = [*PAGES, "/feed.atom", f"/programs/{CHANGED}/feed.atom", "/api/status.json",
          "/api/changes.json", "/static/style.css"]


@pytest.fixture(scope="module")
def client(web_db):
    app = create_app(web_db)
    with TestClient(app) as client:
        yield client


def page(client, path: str):
    response = client.get(path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    return html.fromstring(response.text)


def rows(doc) -> list[dict]:
    """The program table as {column label: cell text}."""
    return [
        {td.get("data-label"): " ".join(td.text_content().split()) for td in tr.iter("td")}
        for tr in doc.xpath("//table[contains(@class, 'programs')]/tbody/tr")
    ]


def cli_json(db: str, *args: str):
    result = CliRunner().invoke(cli, [*args, "--json", "--db", db])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize("path", ROUTES)
def test_every_route_answers_with_the_security_headers(client, path):
    response = client.get(path)
    assert response.status_code == 200
    for name, value in HEADERS.items():
        assert response.headers[name] == value
    csp = response.headers["content-security-policy"]
    assert "unsafe-inline" not in csp and "script-src" not in csp  # default-src 'none'
    assert "frame-ancestors 'none'" in csp


@pytest.mark.parametrize("path", PAGES)
def test_pages_have_no_script_no_inline_style_and_escape_site_text(client, path):
    text = client.get(path).text
    assert "<script" not in text.lower()
    assert " style=" not in text and "<style" not in text
    if path in (f"/programs/{CHANGED}", "/changes", "/changes?kind=stance"):
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in text
        assert INJECTED in html.fromstring(text).text_content()


def test_the_list_shows_every_checked_program_as_status_does(client, web_db):
    status = cli_json(web_db, "status")
    doc = page(client, "/")
    shown = rows(doc)
    assert [r["Program"] for r in shown] == sorted(s["name"] for s in status)
    by_name = {s["name"]: s for s in status}
    for row in shown:
        expected = by_name[row["Program"]]
        if expected["category"] is None:  # checked, but no page could be read yet
            assert (row["Category"], row["H-1B"], row["J-1"]) == ("not assessed", "—", "—")
            continue
        assert row["Category"] == expected["category"]
        assert (row["H-1B"], row["J-1"]) == (expected["h1b"], expected["j1"])
    badges = doc.xpath("//td[@data-label='Category']/span/@class")
    assert all(b.startswith("badge badge-") for b in badges)
    assert f"{PROGRAMS} programs" in doc.xpath("string(//p[@class='count'])")


def test_a_failed_check_and_the_last_change_are_shown(client):
    shown = {r["Program"]: r for r in rows(page(client, "/"))}
    failed = next(r for name, r in shown.items() if "Westbay Health Internal" in name)
    assert "check failed" in failed["Last checked"]
    assert failed["Category"] == "h1b"  # a failed fetch is not a change
    changed = next(r for name, r in shown.items() if name.startswith("Pacific Coast"))
    assert changed["Last changed"][:2] == "20" and "check failed" not in changed["Last checked"]
    assert sum(r["Last changed"] == "never" for r in shown.values()) == len(shown) - 1


@pytest.mark.parametrize(("query", "column", "value"), [
    ("specialty=Internal+Medicine", "Specialty", "Internal Medicine"),
    ("institution=Westbay+Health", "Institution", "Westbay Health"),
    ("category=j1_only", "Category", "j1_only"),
])
def test_filters(client, query, column, value):
    everything = rows(page(client, "/"))
    filtered = rows(page(client, f"/?{query}"))
    assert filtered and len(filtered) < len(everything)
    assert all(r[column] == value for r in filtered)
    assert len(filtered) == sum(r[column] == value for r in everything)


def test_search_by_name_is_case_insensitive_and_literal(client):
    found = rows(page(client, "/?q=INTERNAL+medicine"))
    assert found and all("internal medicine" in r["Program"].lower() for r in found)
    assert rows(page(client, "/?q=%25")) == []  # a % is a character, not a wildcard
    doc = page(client, "/?q=nothing+like+this")
    assert "No program matches" in doc.xpath("string(//p[@class='count'])")


def test_filter_form_keeps_its_values_and_has_labels(client):
    doc = page(client, "/?q=west&specialty=Pediatrics&sort=j1&order=desc")
    assert doc.get_element_by_id("q").get("value") == "west"
    assert doc.xpath("//select[@id='specialty']/option[@selected]/@value") == ["Pediatrics"]
    for control in doc.xpath("//form//input[@type!='hidden'] | //form//select"):
        assert doc.xpath(f"//label[@for='{control.get('id')}']"), control.get("id")
    assert doc.xpath("//input[@name='sort']/@value") == ["j1"]


NOT_ASSESSED = ("not assessed", "—")
SORTS = {
    "name": ("Program", str.lower),
    "institution": ("Institution", str.lower),
    "specialty": ("Specialty", str.lower),
    "category": ("Category", CATEGORY_ORDER.index),
    "h1b": ("H-1B", ["yes", "limited", "no", "unknown"].index),
    "j1": ("J-1", ["yes", "no", "unknown"].index),
}


@pytest.mark.parametrize("sort", [*SORTS, "step3", "checked", "changed"])
@pytest.mark.parametrize("order", ["asc", "desc"])
def test_every_column_sorts_both_ways(client, sort, order):
    doc = page(client, f"/?sort={sort}&order={order}")
    shown = rows(doc)
    assert len(shown) == PROGRAMS
    header = doc.xpath("//th[@aria-sort]")
    assert len(header) == 1
    assert header[0].get("aria-sort") == ("descending" if order == "desc" else "ascending")
    if sort in SORTS:
        column, key = SORTS[sort]
        # A program never assessed has no value to sort by: it comes last, both ways.
        values = [r[column] for r in shown]
        known = [v for v in values if v not in NOT_ASSESSED]
        assert values[len(known):] == [v for v in values if v in NOT_ASSESSED]
        keys = [key(v) for v in known]
        assert keys == sorted(keys, reverse=order == "desc")
    if sort == "changed":
        # The only program that changed comes first (nulls last, both ways).
        assert shown[0]["Program"].startswith("Pacific Coast")
    # The header links flip the order of the active column.
    link = doc.xpath("//th[@aria-sort]/a/@href")[0]
    assert ("order=asc" if order == "desc" else "order=desc") in link


def test_pages_of_the_list(web_db):
    app = create_app(web_db)
    store = app.state.store
    pages = -(-PROGRAMS // 4)
    first = queries.program_page(store, per_page=4, page=1)
    last = queries.program_page(store, per_page=4, page=pages)
    assert (first["total"], first["pages"]) == (PROGRAMS, pages)
    assert len(last["programs"]) == PROGRAMS - 4 * (pages - 1)
    names = [p["name"] for page_no in range(1, pages + 1)
             for p in queries.program_page(store, per_page=4, page=page_no)["programs"]]
    assert names == sorted(names) and len(set(names)) == PROGRAMS
    assert queries.program_page(store, per_page=4, page=99)["page"] == pages
    store.close()


def test_the_list_paginates_with_links(client, monkeypatch):
    from monitor.web import views

    monkeypatch.setattr(views, "PER_PAGE", 5)
    doc = page(client, "/?sort=name")
    assert len(rows(doc)) == 5
    next_link = doc.xpath("//a[@rel='next']/@href")[0]
    assert "page=2" in next_link and "sort=name" in next_link
    pages = -(-PROGRAMS // 5)
    last = page(client, f"/?sort=name&page={pages}")
    assert len(rows(last)) == PROGRAMS - 5 * (pages - 1) and not last.xpath("//a[@rel='next']")
    assert f"Page {pages} of {pages}" in last.xpath("string(//nav[@class='pager'])")


def test_program_page_timeline_with_evidence_links_and_diff(client, web_db):
    doc = page(client, f"/programs/{CHANGED}")
    assert doc.xpath("string(//h1)") == "Pacific Coast Medical Center Internal Medicine Residency"
    periods = doc.xpath("//ol[@class='timeline']/li")
    history = cli_json(web_db, "history", CHANGED)
    assert len(periods) == len(history) == 2
    newest, oldest = periods
    assert newest.xpath("string(.//span[contains(@class,'badge')])") == "j1_only"
    assert oldest.xpath("string(.//span[contains(@class,'badge')])") == "h1b"
    assert "now" in newest.xpath("string(.//h3)")
    quotes = [q.text_content() for q in oldest.xpath(".//blockquote")]
    assert quotes == [e["text"] for e in history[0]["evidence"]]
    sources = oldest.xpath(".//ul[@class='evidence']//a/@href")
    assert sources and all(s.endswith("/pacific-im/eligibility.html") for s in sources)
    inserted = " ".join(i.text_content() for i in newest.xpath(".//p[@class='diff']//ins"))
    removed = " ".join(d.text_content() for d in newest.xpath(".//p[@class='diff']//del"))
    assert "is not able to sponsor" in inserted and "sponsors both" in removed
    assert "First stance read" in oldest.text_content()
    assert doc.xpath(f"//a[@href='/programs/{CHANGED}/feed.atom']")
    assert "Stance changed" in doc.xpath("string(//ul[@class='events'])")


def test_program_page_says_when_the_last_check_failed(client):
    doc = page(client, f"/programs/{FAILED}")
    warning = doc.xpath("string(//p[@class='warning'])")
    assert "could not read the pages" in warning and "503" in warning
    assert doc.xpath("string(//dd/span[contains(@class,'badge')])") == "h1b"


def test_changes_page_and_its_kind_filter(client, web_db):
    events = cli_json(web_db, "changes")
    doc = page(client, "/changes")
    items = doc.xpath("//ol[@class='changes']/li")
    assert len(items) == len(events) == 1
    assert items[0].xpath("string(.//h2/a/@href)") == f"/programs/{CHANGED}"
    assert "Stance changed" in items[0].text_content()
    assert len(page(client, "/changes?kind=stance").xpath("//ol[@class='changes']/li")) == 1
    empty = page(client, "/changes?kind=wording")
    assert not empty.xpath("//ol[@class='changes']/li")
    assert "No change of this kind" in empty.text_content()
    assert empty.xpath("//select[@id='kind']/option[@selected]/@value") == ["wording"]


def _feed(client, path: str):
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/atom+xml"
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed, response.content


def test_feeds_are_atom_with_one_stable_entry_per_event(client, web_db):
    events = cli_json(web_db, "changes")
    parsed, raw = _feed(client, "/feed.atom")
    assert len(parsed.entries) == len(events) == 1
    entry = parsed.entries[0]
    assert entry.id == (f"tag:visa-monitor,2026:change/{CHANGED}/stance/"
                        f"{events[0]['detected_at']}")
    assert "h1b → j1_only" in entry.title
    assert entry.link == f"http://testserver/programs/{CHANGED}"
    assert "&lt;script&gt;" in entry.content[0].value  # escaped inside the HTML content
    assert entry.updated_parsed is not None
    assert _feed(client, "/feed.atom")[1] == raw  # nothing new: the same bytes
    etag = client.get("/feed.atom").headers["etag"]
    unchanged = client.get("/feed.atom", headers={"If-None-Match": etag})
    assert unchanged.status_code == 304 and unchanged.content == b""
    assert client.get("/feed.atom", headers={"If-None-Match": '"other"'}).status_code == 200

    program, _ = _feed(client, f"/programs/{CHANGED}/feed.atom")
    assert [e.id for e in program.entries] == [entry.id]
    assert program.feed.title.endswith("Pacific Coast Medical Center Internal Medicine Residency")
    quiet, _ = _feed(client, "/programs/harbor-fm/feed.atom")
    assert quiet.entries == [] and quiet.feed.id.endswith("program/harbor-fm")


def test_api_answers_are_the_cli_json(client, web_db):
    assert client.get("/api/status.json").json() == cli_json(web_db, "status")
    assert client.get("/api/changes.json").json() == cli_json(web_db, "changes")
    assert client.get(f"/api/status.json?program={FAILED}").json() == \
        cli_json(web_db, "status", "--program", FAILED)
    assert client.get("/api/changes.json?kind=wording").json() == []
    assert client.get("/api/changes.json?since=2999-01-01").json() == []
    assert len(client.get("/api/changes.json?since=2000-01-01&limit=1").json()) == 1


@pytest.mark.parametrize(("path", "message"), [
    ("/api/changes.json?kind=oops", "kind must be one of"),
    ("/api/changes.json?since=yesterday", "since: not an ISO date"),
    ("/api/changes.json?limit=0", "limit must be"),
])
def test_api_bad_parameters_are_400_naming_the_parameter(client, path, message):
    response = client.get(path)
    assert response.status_code == 400 and message in response.json()["error"]


@pytest.mark.parametrize("path", ["/nowhere", "/programs/nobody", "/programs/nobody/feed.atom",
                                  "/programs/%3Cb%3Ex%3C%2Fb%3E"])
def test_not_found_is_a_page(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["content-security-policy"] == HEADERS["Content-Security-Policy"]
    doc = html.fromstring(response.text)
    assert doc.xpath("string(//h1)") == "Page not found"
    assert doc.xpath("//a[@href='/']")
    assert "<b>x</b>" not in response.text


def test_api_not_found_is_json(client):
    response = client.get("/api/nothing.json")
    assert response.status_code == 404 and response.json() == {"error": "Not Found"}
