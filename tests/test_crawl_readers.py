"""Page readers (scrapers/reading.py): the same reading as before, and they die with the crawl."""

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse
from scrapy.linkextractors import LinkExtractor

from monitor.classify.verdict import classify_extracted
from monitor.crawl.runner import CrawlError, run_crawl
from monitor.extract.htmltext import html_to_text
from monitor.scrapers.browser import looks_script_rendered
from monitor.scrapers.links import SKIP_EXTENSIONS
from monitor.scrapers.reading import PageToRead, read_page

ROOT = Path(__file__).resolve().parents[1]
SITES = ROOT / "fixtures" / "sites"


def _page(path: str, **wanted) -> PageToRead:
    options = {"check_shell": True, "want_links": True, "want_digest": True, **wanted}
    return PageToRead(
        url=f"http://127.0.0.1/{path}", status=200, body=(SITES / path).read_bytes(),
        content_type="text/html; charset=utf-8", response_class="HtmlResponse",
        plain=False, **options,
    )


def _response(path: str) -> HtmlResponse:
    return HtmlResponse(f"http://127.0.0.1/{path}", body=(SITES / path).read_bytes(),
                        headers={"Content-Type": "text/html; charset=utf-8"})


@pytest.mark.parametrize("path", ["pacific-im/index.html", "riverside-im/faq.html",
                                  "eastgate-gs/eligibility.html"])
def test_a_reader_reads_a_page_as_the_spider_and_pipeline_did(path):
    reading = read_page(_page(path))
    response = _response(path)
    extractor = LinkExtractor(deny_extensions=[ext.lstrip(".") for ext in SKIP_EXTENSIONS])
    assert not reading.shell
    assert reading.links == [(link.url, link.text or "")
                             for link in extractor.extract_links(response)]
    assert reading.text == html_to_text(response.text)
    assert reading.verdict == classify_extracted(reading.text, response.url)
    assert reading.error is None
    assert reading.body_sha256 == hashlib.sha256(response.body).hexdigest()
    assert not reading.unchanged


def test_a_reader_finds_the_empty_shell_that_scripts_fill_in():
    assert looks_script_rendered(_response("summit-cards/index.html"))
    reading = read_page(_page("summit-cards/index.html"))
    assert reading.shell and reading.text is None and reading.links == []


def test_a_page_whose_stored_reading_stands_is_only_decoded():
    body = (SITES / "pacific-im/index.html").read_bytes()
    stored = hashlib.sha256(body).hexdigest()
    reading = read_page(_page("pacific-im/index.html", stored_sha256=stored))
    assert reading.unchanged and reading.body_sha256 == stored
    assert reading.text is None and reading.verdict is None
    assert reading.body == _response("pacific-im/index.html").text
    assert reading.links  # still followed


def _slow(sites) -> None:
    text = sites.config_path.read_text()
    sites.config_path.write_text(text.replace("download_delay = 0", "download_delay = 1.5"))


def _children(pid: int) -> dict[int, str]:
    """Child process id -> its command line."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found[int(entry.name)] = cmdline
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has exited; only its parent's reaping is left


def _wait_gone(pids, seconds: float = 30.0) -> list[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        left = [pid for pid in pids if _alive(pid)]
        if not left:
            return []
        time.sleep(0.1)
    return left


def _readers(pid: int) -> list[int]:
    return [child for child, cmdline in _children(pid).items() if "spawn_main" in cmdline]


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_a_crawl_killed_with_sigkill_leaves_no_reader_behind(sites, sqlite_url, monkeypatch):
    monkeypatch.setenv("VISA_MONITOR_READERS", "2")
    _slow(sites)
    seen = {"pid": None, "readers": []}

    def kill_on_first_page(event):
        if event["event"] == "crawl":
            seen["pid"] = event["pid"]
        elif event["event"] == "page" and not seen["readers"]:
            seen["readers"] = _readers(seen["pid"])
            os.kill(seen["pid"], signal.SIGKILL)

    with pytest.raises(CrawlError, match="exit code -9"):
        run_crawl(sites.config("pacific-im"), sqlite_url, on_event=kill_on_first_page)
    assert len(seen["readers"]) == 2
    assert _wait_gone(seen["readers"]) == []


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_an_interrupted_crawl_stops_its_readers_and_is_aborted(sites, sqlite_url):
    _slow(sites)
    child = subprocess.Popen(
        [sys.executable, "-m", "monitor.crawl.worker", "--config", str(sites.config_path),
         "--programs", "pacific-im"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        env={**os.environ, "VISA_MONITOR_DB": sqlite_url, "VISA_MONITOR_READERS": "1"},
    )
    readers = []
    for line in child.stdout:
        if '"event": "page"' in line:
            readers = _readers(child.pid)
            child.send_signal(signal.SIGTERM)
            break
    rest = child.stdout.read()
    assert child.wait(timeout=60) == 0
    assert '"outcome": "aborted"' in rest
    assert len(readers) == 1
    assert _wait_gone(readers) == []
