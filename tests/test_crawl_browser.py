"""Script-rendered pages in real crawls: Scrapy, the fixture server and Debian's chromium."""

import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from monitor.crawl.runner import run_crawl
from monitor.store import queries
from monitor.store.writer import Store

SCRIPT = "/summit-cards/app.js"
ROOT = Path(__file__).resolve().parents[1]


def _set(sites, line: str, after: str = "[settings]") -> None:
    text = sites.config_path.read_text()
    sites.config_path.write_text(text.replace(after, f"{after}\n{line}", 1))


def _report(sites, db_url, *program_ids) -> dict[str, dict]:
    run = run_crawl(sites.config(*program_ids), db_url)
    store = Store.open(db_url)
    try:
        return {row["program_id"]: row for row in queries.crawl_report(store, run.crawl_id)}
    finally:
        store.close()


def test_without_a_browser_a_script_page_is_an_error_shown_in_status(sites, sqlite_url):
    _set(sites, 'browser_path = "/nonexistent/chromium"')
    report = _report(sites, sqlite_url, "summit-cards", "pacific-im")
    assert report["summit-cards"]["category"] is None
    assert report["summit-cards"]["fetch_ok"] is False
    assert "this page needs a browser (install chromium)" in report["summit-cards"]["error"]
    # Static pages are read as before, without a browser.
    assert report["pacific-im"]["category"] == "h1b"
    assert SCRIPT not in sites.fetched_paths()
    store = Store.open(sqlite_url)
    status = {row["program_id"]: row for row in queries.status(store)}
    store.close()
    assert status["summit-cards"]["error"].endswith(
        "/summit-cards/: this page needs a browser (install chromium)")


def test_without_a_browser_an_unknown_stance_names_the_page_it_could_not_read(sites, sqlite_url):
    _set(sites, 'browser_path = "/nonexistent/chromium"')
    # canyon-rad states no policy; its FAQ becomes a page that only a script fills.
    shell = sites.page("summit-cards/index.html").read_text().replace(
        'src="app.js"', 'src="/summit-cards/app.js"')
    sites.page("canyon-rad/faq.html").write_text(shell)
    report = _report(sites, sqlite_url, "canyon-rad")["canyon-rad"]
    assert report["category"] == "unknown" and report["fetch_ok"] is True
    assert report["error"].startswith("stance unknown; could not read ")
    assert report["error"].endswith("/canyon-rad/faq.html: this page needs a browser "
                                    "(install chromium)")


@pytest.mark.browser
def test_render_never_reads_only_the_server_html(sites, sqlite_url):
    report = _report(sites, sqlite_url, "summit-neuro")["summit-neuro"]
    assert report["category"] is None and report["fetch_ok"] is False
    assert 'render = "never"' in report["error"]
    assert "/summit-neuro/app.js" not in sites.fetched_paths()


@pytest.mark.browser
@pytest.mark.slow
def test_render_browser_reads_what_scripts_add_to_a_full_page(sites, sqlite_url):
    # canyon-rad states no policy; a script adds one to its (long, static) home page.
    home = sites.page("canyon-rad/index.html")
    home.write_text(home.read_text().replace("</body>", (
        "<script>var p = document.createElement('p');"
        "p.textContent = 'The Canyon Ridge Radiology Residency sponsors H-1B visas.';"
        "document.querySelector('main').appendChild(p);</script></body>")))
    assert _report(sites, sqlite_url, "canyon-rad")["canyon-rad"]["category"] == "unknown"
    _set(sites, 'render = "browser"', after='id = "canyon-rad"')
    report = _report(sites, sqlite_url, "canyon-rad")["canyon-rad"]
    assert (report["category"], report["h1b"]) == ("h1b", "yes")
    assert [e["text"] for e in report["evidence"]] == [
        "The Canyon Ridge Radiology Residency sponsors H-1B visas."]


@pytest.mark.browser
@pytest.mark.slow
def test_a_page_the_browser_cannot_load_is_an_error(sites, sqlite_url):
    _set(sites, "download_timeout = 2\nretry_times = 0")
    # The page's script waits on a data file that never comes in time.
    sites.server.slow_seconds = 5
    sites.server.slow.add("/summit-cards/data/")
    report = _report(sites, sqlite_url, "summit-cards")["summit-cards"]
    assert report["fetch_ok"] is False and report["category"] is None
    assert "browser could not render the page" in report["error"]


@pytest.mark.browser
@pytest.mark.slow
def test_the_browser_starts_only_when_a_page_needs_it(sites, tmp_path):
    def scrapy_log(program_id: str) -> str:
        completed = subprocess.run(
            [sys.executable, "-m", "scrapy", "crawl", "programs",
             "-s", f"VISA_MONITOR_CONFIG={sites.config_path}",
             "-s", f"VISA_MONITOR_DB={tmp_path / 'scrapy.db'}",
             "-s", f"VISA_MONITOR_PROGRAMS={program_id}"],
            cwd=ROOT, capture_output=True, text=True, timeout=180,
            env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        )
        assert completed.returncode == 0, completed.stderr[-2000:]
        return completed.stderr

    static = scrapy_log("pacific-im")
    assert "Starting download handler" not in static and "launched" not in static
    assert "Browser chromium launched" in scrapy_log("summit-cards")


class _InternalService:
    """A service on the monitor's own machine (127.0.0.9) that no page may reach."""

    TEXT = b"The Canyon Ridge Radiology Residency sponsors H-1B visas."

    def __enter__(self):
        service = self
        self.hits: list[str] = []

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - the http.server API
                service.hits.append(self.path)
                self.send_response(200)
                self.send_header("Access-Control-Allow-Origin", "*")
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(service.TEXT)))
                self.end_headers()
                self.wfile.write(service.TEXT)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.9", 0), Handler)
        self.url = f"http://127.0.0.9:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.mark.browser
@pytest.mark.slow
def test_a_rendered_pages_scripts_cannot_reach_the_monitors_own_network(sites, sqlite_url):
    """A script's fetch() to an internal address is aborted before chromium sends it,
    unless the program's config names that address (as the control run does)."""
    with _InternalService() as internal:
        home = sites.page("canyon-rad/index.html")
        home.write_text(home.read_text().replace("</body>", (
            f"<script>fetch('{internal.url}/policy').then(r => r.text()).then(t => {{"
            "var p = document.createElement('p'); p.textContent = t;"
            "document.querySelector('main').appendChild(p); });</script></body>")))
        _set(sites, 'render = "browser"', after='id = "canyon-rad"')

        report = _report(sites, sqlite_url, "canyon-rad")["canyon-rad"]
        assert internal.hits == []
        assert report["fetch_ok"] is True and report["category"] == "unknown"

        # Control: the same page with the address in the program's scope is read whole.
        text = sites.config_path.read_text()
        scope = f'scope = ["{sites.origin}/canyon-rad/"]'
        assert scope in text
        sites.config_path.write_text(
            text.replace(scope, f'scope = ["{sites.origin}/canyon-rad/", "{internal.url}/"]'))
        report = _report(sites, sqlite_url, "canyon-rad")["canyon-rad"]
        assert internal.hits == ["/policy"]
        assert report["category"] == "h1b"
