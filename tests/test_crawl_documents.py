"""PDF policy documents in real crawls: the fixture server, Scrapy, an SQLite store."""

from urllib.parse import urlsplit

import pytest
from fpdf import FPDF
from store_reads import page_errors

from monitor.crawl.runner import run_crawl
from monitor.store import queries
from monitor.store.writer import Store

POLICY = "/riverside-im/docs/visa-sponsorship-policy.pdf"
DOCUMENTS = {POLICY, "/riverside-im/docs/img-eligibility.pdf",
             "/riverside-health/gme/visa-policy-scan.pdf"}


def _crawl(sites, db_url):
    events = []
    run = run_crawl(sites.config("riverside-im"), db_url, on_event=events.append)
    store = Store.open(db_url)
    [report] = queries.crawl_report(store, run.crawl_id)
    store.close()
    documents = {urlsplit(e["url"]).path: e["extracted"]
                 for e in events if e["event"] == "document"}
    return report, documents


@pytest.mark.slow
def test_an_unchanged_pdf_is_not_parsed_again(sites, sqlite_url):
    first, documents = _crawl(sites, sqlite_url)
    assert documents == dict.fromkeys(DOCUMENTS, True)
    second, documents = _crawl(sites, sqlite_url)
    assert documents == dict.fromkeys(DOCUMENTS, False)
    assert second["category"] == first["category"] == "j1_only"
    assert second["evidence"] == first["evidence"]
    assert any(e["url"].endswith(f"{POLICY}#page=2") for e in second["evidence"])


@pytest.mark.slow
def test_a_changed_pdf_is_read_again(sites, sqlite_url):
    _crawl(sites, sqlite_url)
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 6, "Policy GME-12, revised. The Riverside Internal Medicine Residency "
                         "sponsors H-1B visas and accepts J-1 visas sponsored by ECFMG.")
    sites.page(POLICY.lstrip("/")).write_bytes(bytes(pdf.output()))
    report, documents = _crawl(sites, sqlite_url)
    assert documents[POLICY] is True
    assert documents["/riverside-im/docs/img-eligibility.pdf"] is False
    assert (report["category"], report["h1b"], report["j1"]) == ("h1b", "yes", "yes")
    assert {e["url"].rsplit("/", 1)[-1] for e in report["evidence"]} == {
        "visa-sponsorship-policy.pdf#page=1"}


def test_an_oversized_pdf_is_an_error_not_a_verdict(sites, sqlite_url):
    text = sites.config_path.read_text()
    sites.config_path.write_text(text.replace("[settings]", "[settings]\npdf_maxsize = 10000"))
    policy = sites.page(POLICY.lstrip("/"))
    policy.write_bytes(policy.read_bytes() + b"%" * 20_000)
    run = run_crawl(sites.config("riverside-im"), sqlite_url)
    store = Store.open(sqlite_url)
    [report] = queries.crawl_report(store, run.crawl_id)
    store.close()
    assert report["category"] == "unknown"
    errors = page_errors(sqlite_url, run.crawl_id)["riverside-im"]
    assert errors[POLICY] == "larger than the size limit (0.01 MB)"
