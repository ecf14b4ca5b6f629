"""A page of several programs gives each program its own section, through the real crawl.

One department page on a real HTTP server (127.0.0.3, with an ETag) holds a
family medicine residency that sponsors the H-1B and a sports medicine
fellowship that takes the J-1 only, as real department pages do. Three
programs read it: the two it names, and one it does not name. A second crawl
gets a 304 and reuses the stored reading, which must keep the sections, or
the two programs would fall back to the page's verdict and report a change.
"""

from __future__ import annotations

import pytest
from conditional_sites import ConditionalServer, Page

from monitor.config import load_config
from monitor.crawl.runner import run_crawl
from monitor.store import queries
from monitor.store.writer import Store

FILLER = ("Residents and fellows train at the main hospital and its community clinics, "
          "with protected time for teaching conferences every week. ")
DEPARTMENT_PAGE = f"""<html><head><title>Northside Department of Family Medicine</title></head>
<body><h1>Northside Department of Family Medicine</h1><p>{FILLER * 3}</p>
<h2>Family Medicine Residency</h2>
<p>The residency sponsors both J-1 and H-1B visas for qualified applicants.</p>
<p>{FILLER}</p>
<h2>Sports Medicine Fellowship</h2>
<p>The fellowship accepts only J-1 visas sponsored by ECFMG.</p>
<p>{FILLER}</p>
</body></html>"""

PROGRAMS = {  # id: (name, specialty)
    "northside-fm": ("Northside Family Medicine Residency", "Family Medicine"),
    "northside-sports": ("Northside Sports Medicine Fellowship", "Sports Medicine"),
    "northside-peds": ("Northside Pediatrics Residency", "Pediatrics"),
}


@pytest.fixture
def server():
    with ConditionalServer() as server:
        server.pages["/family-medicine/"] = Page(DEPARTMENT_PAGE, "etag")
        yield server


@pytest.fixture
def config(tmp_path, server):
    home = server.url("/family-medicine/")
    lines = ["[settings]", "max_pages_per_program = 2", "max_depth = 0",
             "download_delay = 0", "autothrottle = false"]
    for program_id, (name, specialty) in PROGRAMS.items():
        others = ", ".join(f'"{other}"' for other in PROGRAMS if other != program_id)
        lines += ["", "[[programs]]", f'id = "{program_id}"', f'name = "{name}"',
                  'institution = "Northside Hospital"', f'specialty = "{specialty}"',
                  'city = "Los Angeles"', f'url = "{home}"', f'scope = ["{home}"]',
                  f"shares_scope_with = [{others}]"]
    path = tmp_path / "programs.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return load_config(path)


def stances(db_url: str) -> dict[str, tuple[str, list[str]]]:
    """Each program's category and the sentences it was read from."""
    store = Store.open(db_url)
    try:
        return {row["program_id"]: (row["category"], [e["text"] for e in row["evidence"]])
                for row in queries.status(store)}
    finally:
        store.close()


def test_each_program_on_a_shared_page_gets_its_own_section(db_url, server, config):
    first = run_crawl(config, db_url)
    assert first.outcome == "completed"
    read = stances(db_url)
    assert read["northside-fm"] == (
        "h1b", ["The residency sponsors both J-1 and H-1B visas for qualified applicants."])
    assert read["northside-sports"] == (
        "j1_only", ["The fellowship accepts only J-1 visas sponsored by ECFMG."])
    # A program the page does not name gets what the whole page says: H-1B in one
    # of its programs only.
    assert read["northside-peds"][0] == "h1b_limited"

    server.seen.clear()
    second = run_crawl(config, db_url)
    assert server.statuses("/family-medicine/") == {304: 3}
    assert second.outcome == "completed" and second.changes == 0
    assert stances(db_url) == read
