"""Real crawls of the fixture sites through Scrapy and a real HTTP server."""

import os
import signal
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select
from store_reads import page_errors

from monitor.crawl.runner import CrawlError, run_crawl
from monitor.store import models, queries
from monitor.store.writer import Store

ROOT = Path(__file__).resolve().parents[1]


def fetched_urls(db_url: str) -> dict[str, set[str]]:
    """Program id -> every URL the crawl recorded for it."""
    store = Store.open(db_url)
    try:
        with store.sessions() as session:
            rows = session.execute(
                select(models.Program.slug, models.Url.url)
                .join(models.PageFetch, models.PageFetch.program_id == models.Program.id)
                .join(models.Url, models.Url.id == models.PageFetch.url_id)
            ).all()
    finally:
        store.close()
    urls: dict[str, set[str]] = {}
    for slug, url in rows:
        urls.setdefault(slug, set()).add(url)
    return urls


@pytest.fixture
def full_crawl(sites, sqlite_url):
    events = []
    run = run_crawl(sites.config(), sqlite_url, on_event=events.append)
    store = Store.open(sqlite_url)
    report = {row["program_id"]: row for row in queries.crawl_report(store, run.crawl_id)}
    store.close()
    return run, report, events


@pytest.mark.browser
def test_every_fixture_program_gets_its_expected_verdict(full_crawl, expected):
    run, report, _ = full_crawl
    assert run.outcome == "completed"
    assert set(report) == set(expected)
    for program_id, want in expected.items():
        got = report[program_id]
        if want.get("fetch_ok", True) is False:
            # A page the program cannot read is an error, never an "unknown" stance.
            assert got["category"] is None and not got["fetch_ok"], program_id
            assert want["error"] in got["error"], (program_id, got["error"])
            continue
        assert got["fetch_ok"], (program_id, got["error"])
        axes = {k: got[k] for k in ("category", "h1b", "j1")}
        assert axes == {k: want[k] for k in ("category", "h1b", "j1")}, program_id
        assert got["step3_required"] == want.get("step3_required"), program_id
        if "deciding_url_path" in want:
            paths = [urlsplit(e["url"]).path for e in got["evidence"]]
            assert want["deciding_url_path"] in paths, (program_id, paths)
            if "deciding_url_fragment" in want:
                fragments = {urlsplit(e["url"]).fragment for e in got["evidence"]
                             if urlsplit(e["url"]).path == want["deciding_url_path"]}
                assert fragments == {want["deciding_url_fragment"]}, (program_id, fragments)
        else:
            assert got["evidence"] == [], program_id


@pytest.mark.browser
def test_script_pages_are_rendered_by_their_scripts_in_the_browser(full_crawl, sites, expected):
    fetched = set(sites.fetched_paths())
    wanted = [path for want in expected.values() for path in want.get("browser_fetches", [])]
    assert wanted and set(wanted) <= fetched


@pytest.mark.browser
def test_unreadable_documents_are_recorded_errors(full_crawl, expected, sqlite_url):
    run, _, _ = full_crawl
    errors = page_errors(sqlite_url, run.crawl_id)
    wanted = {pid: want["page_errors"] for pid, want in expected.items() if "page_errors" in want}
    assert wanted, "expected.toml lists documents that cannot be read"
    for program_id, documents in wanted.items():
        for path, message in documents.items():
            assert (errors[program_id].get(path) or "").startswith(message), (program_id, path)


@pytest.mark.browser
def test_forbidden_pages_are_never_fetched(full_crawl, sites, expected):
    fetched = {urlsplit(path).path for path in sites.fetched_paths()}
    assert "/robots.txt" in fetched
    for program_id, want in expected.items():
        for path in want.get("must_not_read", []):
            assert path not in fetched, (program_id, path)


@pytest.mark.browser
def test_programs_read_only_their_scope_and_visa_urls(full_crawl, sites, sqlite_url):
    config = sites.config()
    for program_id, urls in fetched_urls(sqlite_url).items():
        program = config.program(program_id)
        allowed = set(program.visa_urls)
        outside = {u for u in urls if not program.scope_rules.contains(u) and u not in allowed}
        assert outside == set(), program_id


@pytest.mark.browser
def test_requests_carry_the_configured_user_agent(full_crawl, sites):
    agents = {agent for _, agent in sites.server.requests}
    assert agents == {sites.config().settings.user_agent}


@pytest.mark.browser
def test_progress_events_cover_every_program(full_crawl, sites):
    _, _, events = full_crawl
    done = [e["program"] for e in events if e["event"] == "program_done"]
    assert sorted(done) == sorted(p.id for p in sites.config().programs)
    assert events[0]["event"] == "crawl" and events[-1]["event"] == "done"


def test_programs_started_a_few_at_a_time_read_the_same(sites, sqlite_url, tmp_path,
                                                         expected, monkeypatch):
    """The next program starts when one finishes (memory stays bounded): same pages,
    same verdicts, same errors as with every program started at once."""
    ids = [program_id for program_id, want in expected.items()
           if not want.get("browser_fetches")]
    config = sites.config(*ids)
    at_once = run_crawl(config, sqlite_url)
    windowed_url = f"sqlite:///{tmp_path / 'windowed.db'}"
    monkeypatch.setenv("VISA_MONITOR_PROGRAMS_IN_FLIGHT", "2")
    events = []
    windowed = run_crawl(config, windowed_url, on_event=events.append)
    assert at_once.outcome == windowed.outcome == "completed"
    assert fetched_urls(windowed_url) == fetched_urls(sqlite_url)
    assert (page_errors(windowed_url, windowed.crawl_id)
            == page_errors(sqlite_url, at_once.crawl_id))
    assert _verdicts(windowed_url, windowed.crawl_id) == _verdicts(sqlite_url, at_once.crawl_id)
    in_flight, most = set(), 0
    for event in events:
        if event["event"] == "program_started":
            in_flight.add(event["program"])
            most = max(most, len(in_flight))
        elif event["event"] == "program_done":
            in_flight.discard(event["program"])
    assert most == 2 and not in_flight


def _verdicts(db_url: str, crawl_id: int) -> dict[str, tuple]:
    return {program_id: (row["category"], row["h1b"], row["j1"], row["error"],
                         [e["url"] for e in row["evidence"]])
            for program_id, row in _report(db_url, crawl_id).items()}


def test_page_budget_is_respected(sites, sqlite_url):
    text = sites.config_path.read_text()
    sites.config_path.write_text(
        text.replace("max_pages_per_program = 8", "max_pages_per_program = 2"))
    run_crawl(sites.config(), sqlite_url)
    urls = fetched_urls(sqlite_url)
    assert len(urls) == len(sites.config().programs)
    assert max(len(found) for found in urls.values()) == 2


def test_depth_zero_reads_only_the_start_pages(sites, sqlite_url):
    text = sites.config_path.read_text()
    sites.config_path.write_text(text.replace("max_depth = 2", "max_depth = 0"))
    config = sites.config()
    run_crawl(config, sqlite_url)
    for program_id, urls in fetched_urls(sqlite_url).items():
        assert urls <= set(config.program(program_id).start_urls), program_id


def test_a_site_that_is_down_gives_errors_not_verdicts(sites, sqlite_url):
    sites.server.failing.add("/pacific-im/")
    run = run_crawl(sites.config("pacific-im", "harbor-fm"), sqlite_url)
    store = Store.open(sqlite_url)
    report = {r["program_id"]: r for r in queries.crawl_report(store, run.crawl_id)}
    store.close()
    assert run.outcome == "completed"
    assert report["pacific-im"]["fetch_ok"] is False
    assert report["pacific-im"]["category"] is None
    assert "503" in report["pacific-im"]["error"]
    assert report["harbor-fm"]["fetch_ok"] is True
    # The failing home page was retried, RETRY_TIMES (2) more times.
    assert sites.fetched_paths().count("/pacific-im/") == 3


def test_unwritable_database_is_a_crawl_error(sites, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(CrawlError):
        run_crawl(sites.config("pacific-im"), f"sqlite:///{blocker}/sub/monitor.db")


def test_scrapy_crawl_from_the_repository(sites, tmp_path):
    db_path = tmp_path / "scrapy.db"
    completed = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "programs",
         "-s", f"VISA_MONITOR_CONFIG={sites.config_path}",
         "-s", f"VISA_MONITOR_DB={db_path}",
         "-s", "VISA_MONITOR_PROGRAMS=pacific-im"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert "Telnet console listening" not in completed.stderr
    assert "RemoteControl" not in completed.stderr
    store = Store.open(f"sqlite:///{db_path}")
    [row] = queries.status(store)
    store.close()
    assert row["program_id"] == "pacific-im" and row["fetch_ok"] is True


def _crawl_outcomes(db_url: str) -> list[str]:
    store = Store.open(db_url)
    try:
        with store.sessions() as session:
            return list(session.scalars(select(models.Crawl.outcome).order_by(models.Crawl.id)))
    finally:
        store.close()


def _slow(sites) -> None:
    text = sites.config_path.read_text()
    sites.config_path.write_text(text.replace("download_delay = 0", "download_delay = 1.5"))


def test_an_interrupted_crawl_is_aborted_and_never_counts(sites, sqlite_url):
    _slow(sites)
    child = subprocess.Popen(
        [sys.executable, "-m", "monitor.crawl.worker", "--config", str(sites.config_path),
         "--programs", "pacific-im"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        env={**os.environ, "VISA_MONITOR_DB": sqlite_url},
    )
    for line in child.stdout:
        if '"event": "page"' in line:
            child.send_signal(signal.SIGINT)  # what Ctrl-C does
            break
    child.stdout.read()
    assert child.wait(timeout=60) == 0
    assert _crawl_outcomes(sqlite_url) == ["aborted"]
    store = Store.open(sqlite_url)
    assert queries.status(store) == [] and queries.changes(store) == []
    store.close()


def test_a_crawl_process_that_dies_is_recorded_as_failed(sites, sqlite_url):
    _slow(sites)

    def kill_on_first_page(event):
        if event["event"] == "crawl":
            kill_on_first_page.pid = event["pid"]
        elif event["event"] == "page":
            os.kill(kill_on_first_page.pid, signal.SIGKILL)

    with pytest.raises(CrawlError, match="exit code -9"):
        run_crawl(sites.config("pacific-im"), sqlite_url, on_event=kill_on_first_page)
    assert _crawl_outcomes(sqlite_url) == ["failed"]


def _report(sqlite_url: str, crawl_id: int) -> dict[str, dict]:
    store = Store.open(sqlite_url)
    try:
        return {r["program_id"]: r for r in queries.crawl_report(store, crawl_id)}
    finally:
        store.close()


def test_redirects_are_followed_only_within_scope(sites, sqlite_url, expected):
    sites.page("pacific-im/faq-moved.html").write_text(
        "<html><body><main><h1>FAQ</h1><p>Frequently asked questions about our program "
        "and the application process for all applicants.</p></main></body></html>")
    sites.server.redirects["/pacific-im/faq.html"] = "/pacific-im/faq-moved.html"
    sites.server.redirects["/pacific-im/about.html"] = (
        f"{sites.origin}/sierra-psych/eligibility.html")
    run = run_crawl(sites.config("pacific-im"), sqlite_url)
    fetched = sites.fetched_paths()
    assert "/pacific-im/faq-moved.html" in fetched
    assert "/sierra-psych/eligibility.html" not in fetched
    assert _report(sqlite_url, run.crawl_id)["pacific-im"]["category"] == (
        expected["pacific-im"]["category"])


def test_a_page_that_hangs_times_out_as_an_error(sites, sqlite_url):
    text = sites.config_path.read_text()
    sites.config_path.write_text(text.replace(
        "autothrottle = false", "autothrottle = false\ndownload_timeout = 1\nretry_times = 0"))
    sites.server.slow_seconds = 3
    sites.server.slow.add("/pacific-im/")
    run = run_crawl(sites.config("pacific-im"), sqlite_url)
    report = _report(sqlite_url, run.crawl_id)["pacific-im"]
    assert run.outcome == "completed"
    assert report["fetch_ok"] is False and report["category"] is None
    assert "timeout" in report["error"].lower()
