"""Pages in the less common states, on databases written through monitor.detect.flow.finish_crawl:
a program never read, many changes (paging), long texts (diff cut to context)."""

from __future__ import annotations

import pytest
from lxml import html
from starlette.testclient import TestClient

from monitor.classify.assess import PageResult, assess_program
from monitor.classify.verdict import classify_text
from monitor.config import Program, Settings
from monitor.detect.flow import finish_crawl
from monitor.web import create_app, views

PROGRAM = Program(id="solo-im", name="Solo Internal Medicine", institution="Solo Hospital",
                  specialty="Internal Medicine", city="Pasadena",
                  url="https://solo.example.org/")
FILLER = " ".join(f"word{n}" for n in range(300))
SPONSORS = f"{FILLER}. We sponsor H-1B and J-1 visas for residents. {FILLER}."
J1_ONLY = f"{FILLER}. We do not sponsor H-1B visas; J-1 visas are accepted. {FILLER}."


def crawl(store, text: str | None, url: str = "https://solo.example.org/visa") -> None:
    if text is None:
        pages = [PageResult(url, 503, True, error="HTTP 503")]
    else:
        pages = [PageResult(url, 200, True, text, classify_text(text, url))]
    crawl_id = store.start_crawl(None, 1)
    finish_crawl(store, crawl_id, [assess_program(PROGRAM, pages)], Settings())


@pytest.fixture
def client(store, db_url):
    app = create_app(db_url)
    with TestClient(app) as client:
        yield client


def test_a_program_never_read_is_listed_without_a_stance(store, client):
    crawl(store, None)
    doc = html.fromstring(client.get("/").text)
    assert doc.xpath("string(//td[@data-label='Category'])").strip() == "not assessed"
    assert "check failed" in doc.xpath("string(//td[@data-label='Last checked'])")
    page = client.get("/programs/solo-im")
    assert page.status_code == 200
    assert "No stance has been read for this program yet" in page.text
    assert "HTTP 503" in html.fromstring(page.text).xpath("string(//p[@class='warning'])")


def test_a_long_page_diff_shows_the_change_with_context_only(store, client):
    crawl(store, SPONSORS)
    crawl(store, J1_ONLY)
    doc = html.fromstring(client.get("/programs/solo-im").text)
    [diff] = doc.xpath("//ol[@class='timeline']/li[1]//p[@class='diff']")
    assert diff.xpath(".//ins") and diff.xpath(".//del")
    assert len(diff.xpath(".//span[@class='gap']")) == 2  # before and after the change
    assert "word150" not in diff.text_content()  # far from the change: left out
    assert "word299" in diff.text_content() and "word0 " in diff.text_content()


def test_the_changes_page_pages(store, client, monkeypatch):
    monkeypatch.setattr(views, "CHANGES_PER_PAGE", 3)
    for n in range(7):
        crawl(store, SPONSORS if n % 2 == 0 else J1_ONLY)  # a baseline, then 6 changes
    first = html.fromstring(client.get("/changes").text)
    assert len(first.xpath("//ol[@class='changes']/li")) == 3
    assert first.xpath("//a[@rel='next']/@href") == ["?page=2"]
    last = html.fromstring(client.get("/changes?page=2").text)
    assert len(last.xpath("//ol[@class='changes']/li")) == 3
    assert not last.xpath("//a[@rel='next']") and last.xpath("//a[@rel='prev']")
    times = [t for page in (first, last) for t in page.xpath("//ol//time/@datetime")]
    assert times == sorted(times, reverse=True) and len(set(times)) == 6


def test_filter_values_are_read_again_after_a_crawl(store, client):
    crawl(store, SPONSORS)
    specialties = "//select[@id='specialty']/option/@value"
    assert html.fromstring(client.get("/").text).xpath(specialties) == ["", "Internal Medicine"]
    other = Program(id="other-ped", name="Other Pediatrics", institution="Other Hospital",
                    specialty="Pediatrics", city="Pasadena", url="https://other.example.org/")
    url = "https://other.example.org/visa"
    pages = [PageResult(url, 200, True, SPONSORS, classify_text(SPONSORS, url))]
    crawl_id = store.start_crawl(None, 1)
    finish_crawl(store, crawl_id, [assess_program(other, pages)], Settings())
    doc = html.fromstring(client.get("/?specialty=Pediatrics").text)
    assert doc.xpath(specialties) == ["", "Internal Medicine", "Pediatrics"]
    assert [td.text_content() for td in doc.xpath("//td[@data-label='Program']")] == \
        ["Other Pediatrics"]
