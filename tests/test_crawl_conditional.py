"""Re-crawls ask conditionally and reuse what the store read, through the real crawl path.

A real HTTP server on 127.0.0.3 honours If-None-Match / If-Modified-Since
(tests/conditional_sites.py); crawls run through `run_crawl` (the worker
process, Scrapy, the pipelines) into a real SQLite file and PostgreSQL.
"""

from __future__ import annotations

import pytest
from conditional_sites import ConditionalServer, Page
from sqlalchemy import select

from monitor.config import load_config
from monitor.crawl.runner import run_crawl
from monitor.store import models
from monitor.store.writer import Store

SPONSORS_BOTH = ("Our program sponsors both the J-1 visa through ECFMG and the H-1B visa for "
                 "qualified applicants who have passed USMLE Step 3 before the deadline.")
SPONSORS_NONE = ("The program does not sponsor visas of any kind. Applicants must be US "
                 "citizens or permanent residents at the time of application.")
FILLER = ("Residents rotate through the medical wards, intensive care units and the emergency "
          "department, with protected time for continuity clinic every week. ")

PROGRAMS = {"cond-etag": "etag", "cond-lm": "last-modified", "cond-none": "none"}


def page(title: str, statement: str = "", links: str = "") -> str:
    return (f"<html><head><title>{title}</title></head><body><nav>{links}</nav>"
            f"<h1>{title}</h1><p>{FILLER * 3}</p><p>{statement}</p></body></html>")


def site_pages(prefix: str, validators: str) -> dict[str, Page]:
    links = ('<a href="visa-sponsorship.html">Visa sponsorship</a> '
             '<a href="faq.html">FAQ</a> <a href="curriculum.html">Curriculum</a>')
    return {
        f"/{prefix}/": Page(page("Internal Medicine Residency", links=links), validators),
        f"/{prefix}/visa-sponsorship.html": Page(page("Visa sponsorship", SPONSORS_BOTH),
                                                 validators),
        f"/{prefix}/faq.html": Page(page("Frequently asked questions"), validators),
        f"/{prefix}/curriculum.html": Page(page("Curriculum"), validators),
    }


def write_config(path, server: ConditionalServer, extra: str = "") -> None:
    lines = ["[settings]", "max_pages_per_program = 5", "max_depth = 1",
             "download_delay = 0", "concurrency_per_host = 4", "autothrottle = false", extra]
    for program_id in PROGRAMS:
        home = server.url(f"/{program_id}/")
        lines += ["", "[[programs]]", f'id = "{program_id}"', f'name = "{program_id} residency"',
                  'institution = "Conditional Health"', 'specialty = "Internal Medicine"',
                  'city = "Los Angeles"', f'url = "{home}"', f'scope = ["{home}"]']
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture
def server():
    with ConditionalServer() as server:
        for program_id, validators in PROGRAMS.items():
            server.pages.update(site_pages(program_id, validators))
        yield server


@pytest.fixture
def config(tmp_path, server):
    path = tmp_path / "programs.toml"
    write_config(path, server)
    return load_config(path)


def crawl_rows(db_url: str, crawl_id: int) -> dict:
    """What a crawl recorded: per program its verdict id and pages, and its change events."""
    store = Store.open(db_url)
    try:
        with store.sessions() as session:
            assessments = dict(session.execute(
                select(models.Program.slug, models.Assessment.verdict_id)
                .join(models.Assessment, models.Assessment.program_id == models.Program.id)
                .where(models.Assessment.crawl_id == crawl_id)
            ).all())
            pages = {url: (status, text_id, error) for url, status, text_id, error in
                     session.execute(
                         select(models.Url.url, models.PageFetch.status,
                                models.PageFetch.text_id, models.PageFetch.error)
                         .join(models.PageFetch, models.PageFetch.url_id == models.Url.id)
                         .where(models.PageFetch.crawl_id == crawl_id))}
            events = session.execute(
                select(models.Program.slug, models.ChangeEvent.kind)
                .join(models.ChangeEvent, models.ChangeEvent.program_id == models.Program.id)
                .where(models.ChangeEvent.crawl_id == crawl_id)
            ).all()
            programs = {p.slug: p for p in session.scalars(select(models.Program))}
    finally:
        store.close()
    return {"verdicts": assessments, "pages": pages, "events": sorted(events),
            "programs": programs}


def test_an_unchanged_recrawl_asks_conditionally_and_reuses_the_stored_reading(
    db_url, server, config
):
    first = run_crawl(config, db_url)
    before = crawl_rows(db_url, first.crawl_id)
    assert set(before["verdicts"]) == set(PROGRAMS) and None not in before["verdicts"].values()
    assert len(before["pages"]) == 9  # home, visa page, FAQ of each; never the curriculum
    server.seen.clear()

    events = []
    second = run_crawl(config, db_url, on_event=events.append)
    after = crawl_rows(db_url, second.crawl_id)

    # Validators went back to the server as it gave them.
    for seen in server.seen:
        if seen.path.startswith("/cond-etag/"):
            assert seen.headers.get("If-None-Match") == '"v0"', seen
        if seen.path.startswith("/cond-lm/"):
            assert seen.headers.get("If-Modified-Since") == server.pages[seen.path].last_modified
    assert server.statuses("/cond-etag/") == {304: 3}
    assert server.statuses("/cond-lm/") == {304: 3}
    assert server.statuses("/cond-none/") == {200: 3}  # no validators: the body hash decides

    # Nothing was extracted or classified again; every page reused its reading.
    timings = next(e for e in events if e["event"] == "timings")
    assert timings["reused"] == 9 and timings["pages"] == 9
    assert "extract" not in timings and "classify" not in timings

    # A 304 is a successful fetch: same verdicts, same texts, no change, no failure.
    assert second.outcome == "completed" and second.changes == 0
    assert after["verdicts"] == before["verdicts"]
    assert after["events"] == []
    for url, (status, text_id, error) in after["pages"].items():
        assert error is None and text_id == before["pages"][url][1], url
        assert status == (200 if "/cond-none/" in url else 304), url
    for slug, program in after["programs"].items():
        assert program.last_fetch_ok and program.fail_streak == 0, slug


def test_a_changed_page_is_read_again_and_its_change_reported(db_url, server, config):
    first = run_crawl(config, db_url)
    before = crawl_rows(db_url, first.crawl_id)
    server.change("/cond-etag/visa-sponsorship.html", page("Visa sponsorship", SPONSORS_NONE))
    server.change("/cond-none/visa-sponsorship.html", page("Visa sponsorship", SPONSORS_NONE))
    server.seen.clear()

    events = []
    second = run_crawl(config, db_url, on_event=events.append)
    after = crawl_rows(db_url, second.crawl_id)

    assert server.statuses("/cond-etag/") == {304: 2, 200: 1}
    assert server.statuses("/cond-none/") == {200: 3}
    timings = next(e for e in events if e["event"] == "timings")
    assert timings["reused"] == 7  # the two changed pages were read
    assert after["events"] == [("cond-etag", "stance"), ("cond-none", "stance")]
    assert after["verdicts"]["cond-lm"] == before["verdicts"]["cond-lm"]
    assert after["verdicts"]["cond-etag"] != before["verdicts"]["cond-etag"]

    # The new validators are kept: a third crawl gets 304 for the changed page too.
    server.seen.clear()
    third = run_crawl(config, db_url)
    assert server.statuses("/cond-etag/") == {304: 3}
    assert crawl_rows(db_url, third.crawl_id)["events"] == []


@pytest.mark.slow
def test_a_slow_host_gets_one_request_at_a_time(tmp_path, sqlite_url, server):
    """Never two at once to a slow host, whatever `concurrency_per_host` allows."""
    server.delay = 0.5
    path = tmp_path / "slow.toml"
    write_config(path, server, "slow_host_seconds = 0.25")
    text = path.read_text().replace("concurrency_per_host = 4", "concurrency_per_host = 2")
    path.write_text(text)  # AutoThrottle stays off: the pacing alone must hold
    run = run_crawl(load_config(path).select(["cond-etag"]), sqlite_url)
    assert run.outcome == "completed"
    assert server.statuses("/cond-etag/") == {200: 3}
    assert server.max_in_flight == 1


def test_a_fast_host_gets_the_configured_concurrency(tmp_path, sqlite_url, server):
    """The pacing opens up for a host that answers quickly."""
    server.delay = 0.2  # long enough for two requests to overlap, under the slow mark
    path = tmp_path / "fast.toml"
    write_config(path, server, "slow_host_seconds = 5")
    run = run_crawl(load_config(path).select(["cond-etag"]), sqlite_url)
    assert run.outcome == "completed"
    assert server.statuses("/cond-etag/") == {200: 3}
    assert server.max_in_flight == 2
