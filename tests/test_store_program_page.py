"""The program list query: filtered, searched, sorted and paged by the database,
on SQLite and PostgreSQL, with programs written through monitor.detect.flow.finish_crawl."""

from __future__ import annotations

import pytest

from monitor.classify.assess import PageResult, assess_program
from monitor.classify.verdict import classify_text
from monitor.config import Program, Settings
from monitor.detect.flow import finish_crawl
from monitor.store import queries

TEXTS = {
    "h1b": "We sponsor both H-1B and J-1 visas for our residents.",
    "j1_only": "We do not sponsor H-1B visas. J-1 visas sponsored by ECFMG are accepted.",
    "none": "We do not sponsor any visas; applicants must be US citizens or permanent residents.",
    "unknown": "Our residents enjoy the beaches of Los Angeles and a strong curriculum.",
}
PROGRAMS = [  # id, name, institution, specialty, stance
    ("alpha-im", "Alpha Internal Medicine", "Alpha Hospital", "Internal Medicine", "h1b"),
    ("alpha-fm", "Alpha Family Medicine", "Alpha Hospital", "Family Medicine", "j1_only"),
    ("beta-im", "Beta Internal Medicine 100%_Done", "Beta Center", "Internal Medicine", "none"),
    ("gamma-im", "gamma internal medicine", "Gamma Clinic", "Internal Medicine", "unknown"),
    ("delta-ped", "Delta Pediatrics", "Delta Health", "Pediatrics", "h1b"),
    ("zeta-im", "Zeta Internal Medicine", "Zeta Hospital", "Internal Medicine", "h1b"),
]


def results(stances: dict[str, str]):
    out = []
    for slug, name, institution, specialty, _ in PROGRAMS:
        program = Program(id=slug, name=name, institution=institution, specialty=specialty,
                          city="Los Angeles", url=f"https://{slug}.example.org/")
        if stances.get(slug) == "down":
            pages = [PageResult(program.url, 503, True, error="HTTP 503")]
        else:
            text = TEXTS[stances[slug]]
            pages = [PageResult(program.url, 200, True, text, classify_text(text, program.url))]
        out.append(assess_program(program, pages))
    return out


@pytest.fixture
def filled(store):
    settings = Settings()
    stances = {slug: stance for slug, *_, stance in PROGRAMS}
    for changed in ({}, {"alpha-fm": "h1b", "delta-ped": "down"}):
        crawl = store.start_crawl(None, len(PROGRAMS))
        finish_crawl(store, crawl, results({**stances, **changed}), settings)
    return store


def slugs(page: dict) -> list[str]:
    return [p["program_id"] for p in page["programs"]]


def test_rows_carry_status_fields_and_last_change(filled):
    page = queries.program_page(filled)
    assert page["total"] == 6 and page["pages"] == 1
    by_id = {p["program_id"]: p for p in page["programs"]}
    assert by_id["alpha-fm"]["category"] == "h1b" and by_id["alpha-fm"]["changed_at"]
    assert by_id["alpha-im"]["changed_at"] is None  # still its first stance
    down = by_id["delta-ped"]
    assert (down["fetch_ok"], down["category"], down["changed_at"]) == (False, "h1b", None)
    assert "HTTP 503" in down["error"]
    assert set(by_id["beta-im"]) == {
        "program_id", "name", "institution", "specialty", "city", "category", "h1b", "j1",
        "step3_required", "checked_at", "fetch_ok", "error", "changed_at"}


def test_filters_and_search(filled):
    assert slugs(queries.program_page(filled, specialty="Internal Medicine")) == \
        ["alpha-im", "beta-im", "gamma-im", "zeta-im"]
    assert slugs(queries.program_page(filled, institution="Alpha Hospital")) == \
        ["alpha-fm", "alpha-im"]
    assert slugs(queries.program_page(filled, category="h1b")) == \
        ["alpha-fm", "alpha-im", "delta-ped", "zeta-im"]
    assert slugs(queries.program_page(filled, search="INTERNAL med")) == \
        ["alpha-im", "beta-im", "gamma-im", "zeta-im"]
    # LIKE wildcards in a search are plain characters.
    assert slugs(queries.program_page(filled, search="100%_")) == ["beta-im"]
    assert slugs(queries.program_page(filled, search="%")) == ["beta-im"]
    assert slugs(queries.program_page(filled, search="_")) == ["beta-im"]
    assert queries.program_page(filled, search="x", category="none")["total"] == 0


def test_sorting_by_each_column(filled):
    def order(sort, descending=False):
        return slugs(queries.program_page(filled, sort=sort, descending=descending))

    # Case does not decide: "gamma internal medicine" sorts among the capitals.
    assert order("name") == ["alpha-fm", "alpha-im", "beta-im", "delta-ped", "gamma-im",
                             "zeta-im"]
    assert order("name", True) == ["zeta-im", "gamma-im", "delta-ped", "beta-im", "alpha-im",
                                   "alpha-fm"]
    assert order("category") == ["alpha-fm", "alpha-im", "delta-ped", "zeta-im", "beta-im",
                                 "gamma-im"]
    assert order("category", True) == ["gamma-im", "beta-im", "alpha-fm", "alpha-im",
                                       "delta-ped", "zeta-im"]
    assert order("h1b")[:3] == ["alpha-fm", "alpha-im", "delta-ped"]
    assert order("j1")[-2:] == ["beta-im", "gamma-im"]  # no, then unknown
    assert order("specialty")[0] == "alpha-fm" and order("specialty")[-1] == "delta-ped"
    # Programs that never changed sort after the one that did, both ways.
    assert order("changed")[0] == "alpha-fm" and order("changed", True)[0] == "alpha-fm"
    assert len(order("checked")) == len(order("step3")) == 6
    with pytest.raises(ValueError, match="sort must be one of"):
        queries.program_page(filled, sort="evil; drop table")


def test_pages(filled):
    first = queries.program_page(filled, per_page=2)
    assert (slugs(first), first["pages"]) == (["alpha-fm", "alpha-im"], 3)
    assert slugs(queries.program_page(filled, per_page=2, page=3)) == ["gamma-im", "zeta-im"]
    assert queries.program_page(filled, per_page=2, page=0)["page"] == 1


def test_facets(filled):
    facets = queries.program_facets(filled)
    assert facets["specialties"] == ["Family Medicine", "Internal Medicine", "Pediatrics"]
    assert facets["institutions"][0] == "Alpha Hospital" and len(facets["institutions"]) == 5
    assert facets["categories"] == ["h1b", "none", "unknown"]


def test_program_and_timeline(filled):
    program = queries.program(filled, "alpha-fm")
    assert (program["institution"], program["category"]) == ("Alpha Hospital", "h1b")
    periods = queries.program_timeline(filled, "alpha-fm")
    assert [p["category"] for p in periods] == ["j1_only", "h1b"]
    assert periods[0]["until"] == periods[1]["from"] and periods[1]["until"] is None
    assert list(periods[1]["pages"].values()) == [TEXTS["h1b"]]
    with pytest.raises(LookupError):
        queries.program_timeline(filled, "nobody")


def test_changes_offset(filled):
    stances = {slug: stance for slug, *_, stance in PROGRAMS}
    crawl = filled.start_crawl(None, len(PROGRAMS))
    changed = {**stances, "alpha-fm": "h1b", "gamma-im": "h1b"}
    finish_crawl(filled, crawl, results(changed), Settings())
    everything = queries.changes(filled)
    assert [e["program_id"] for e in everything] == ["gamma-im", "alpha-fm"]
    assert queries.changes(filled, limit=1, offset=1) == everything[1:2]
    assert queries.changes(filled, offset=len(everything)) == []
