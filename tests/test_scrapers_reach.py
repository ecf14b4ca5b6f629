"""Which PDFs the spider reads and which pages it renders (link and page checks)."""

from pathlib import Path

import pytest
from scrapy.http import HtmlResponse

from monitor.config import parse_config
from scrapers.browser import browser_available, browser_settings, looks_script_rendered
from scrapers.links import is_document, is_pdf_url, link_score, pdf_link_score

SITES = Path(__file__).resolve().parents[1] / "fixtures" / "sites"


@pytest.mark.parametrize(
    ("url", "text"),
    [
        ("https://h.org/gme/policy-17.pdf", "GME Policy: Visa Sponsorship"),
        ("https://h.org/docs/International%20Medical%20Graduates.pdf", "Download"),
        ("https://h.org/docs/a.pdf", "Eligibility requirements (PDF)"),
        ("https://h.org/docs/a.pdf", "IMG applicants"),
        ("https://h.org/docs/h1b-faq.pdf", "FAQ"),
    ],
)
def test_policy_like_pdf_links_are_followed(url, text):
    assert is_pdf_url(url) and not is_document(url)
    assert pdf_link_score(url, text) > 0


@pytest.mark.parametrize(
    ("url", "text"),
    [
        ("https://h.org/docs/resident-handbook.pdf", "Resident Handbook 2025 (PDF)"),
        ("https://h.org/docs/parking-map.pdf", "Parking map (PDF)"),
        # "Apply" makes a page worth reading, not a PDF.
        ("https://h.org/docs/application-checklist.pdf", "How to apply (PDF)"),
    ],
)
def test_other_pdf_links_are_not(url, text):
    assert pdf_link_score(url, text) == 0
    assert link_score(url, text) >= 0  # the page scorer would have taken some of them


def test_word_documents_and_media_are_still_skipped():
    assert is_document("https://h.org/visa-policy.docx")
    assert is_document("https://h.org/visa.png")


def _response(path: str, body: str | None = None) -> HtmlResponse:
    html = body if body is not None else (SITES / path).read_text(encoding="utf-8")
    return HtmlResponse(f"http://127.0.0.1/{path}", body=html.encode(), encoding="utf-8")


def test_an_empty_shell_that_runs_scripts_needs_rendering():
    assert looks_script_rendered(_response("summit-cards/index.html"))


def test_full_pages_with_small_scripts_do_not():
    for path in ("pacific-im/index.html", "eastgate-gs/eligibility.html", "riverside-im/faq.html"):
        assert not looks_script_rendered(_response(path)), path


def test_a_short_page_without_running_scripts_does_not():
    json_only = ('<html><body><p>Moved.</p><script type="application/json">{"a": 1}'
                 "</script></body></html>")
    assert not looks_script_rendered(_response("x.html", json_only))


def test_no_browser_means_no_browser_handler():
    config = parse_config("""
[settings]
browser_path = "/nonexistent/chromium"

[[programs]]
id = "a"
name = "A"
institution = "A"
specialty = "IM"
city = "LA"
url = "https://a.org/"
""")
    assert not browser_available("/nonexistent/chromium")
    assert browser_settings(config) == {}


@pytest.mark.browser
def test_the_browser_handler_drives_the_configured_chromium():
    config = parse_config("""
[[programs]]
id = "a"
name = "A"
institution = "A"
specialty = "IM"
city = "LA"
url = "https://a.org/"
render = "browser"
""")
    settings = browser_settings(config)
    assert settings["PLAYWRIGHT_LAUNCH_OPTIONS"]["executable_path"] == "/usr/bin/chromium"
    assert settings["DOWNLOAD_HANDLERS"]["https"] == (
        "scrapers.playwright_handler.LazyPlaywrightDownloadHandler")
    never = config.model_copy(update={"programs": [
        config.programs[0].model_copy(update={"render": "never"})]})
    assert browser_settings(never) == {}
