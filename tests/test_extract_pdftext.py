"""PDF text extraction on the generated fixture PDFs (tools/make_fixture_pdfs.py)."""

from io import BytesIO
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader, PdfWriter

from monitor.classify import classify_extracted, classify_text
from monitor.extract.pdftext import PdfError, PdfText, page_url, pdf_to_text

SITES = Path(__file__).resolve().parents[1] / "fixtures" / "sites"
POLICY = SITES / "riverside-im/docs/visa-sponsorship-policy.pdf"
ENCRYPTED = SITES / "riverside-im/docs/img-eligibility.pdf"
SCAN = SITES / "riverside-health/gme/visa-policy-scan.pdf"


def test_text_per_page_with_wrapped_lines_rejoined():
    document = pdf_to_text(POLICY.read_bytes())
    assert len(document.pages) == 2
    assert "Policy GME-12: Visa Sponsorship" in document.pages[0]
    # pypdf breaks this sentence over two lines; it comes back as one.
    assert ("The Riverside Internal Medicine Residency sponsors J-1 visas only, through ECFMG."
            in document.pages[1].split("\n")[1])


def test_a_page_reads_like_plain_text_through_classify_text():
    raw = PdfReader(POLICY).pages[1].extract_text()
    page = pdf_to_text(POLICY.read_bytes()).pages[1]
    url = page_url("http://x.test/policy.pdf", 2)
    assert classify_extracted(page, url) == classify_text(raw, url)
    verdict = classify_extracted(page, url)
    assert (verdict.category, verdict.h1b, verdict.j1) == ("j1_only", "no", "yes")
    assert {item.url for item in verdict.evidence} == {"http://x.test/policy.pdf#page=2"}


def test_stored_text_splits_back_into_its_pages():
    document = pdf_to_text(POLICY.read_bytes())
    assert PdfText.from_text(document.text) == document


def test_page_url_replaces_any_fragment():
    assert page_url("http://x.test/a.pdf#view=fit", 3) == "http://x.test/a.pdf#page=3"


def test_encrypted_with_a_password_is_an_error():
    with pytest.raises(PdfError, match="encrypted PDF: it needs a password"):
        pdf_to_text(ENCRYPTED.read_bytes())


def test_encrypted_with_the_empty_password_opens():
    writer = PdfWriter(clone_from=PdfReader(POLICY))
    writer.encrypt(user_password="", owner_password="owner-only", algorithm="AES-128")
    out = BytesIO()
    writer.write(out)
    document = pdf_to_text(out.getvalue())
    assert document == pdf_to_text(POLICY.read_bytes())


def test_a_scan_without_text_layer_is_an_error():
    with pytest.raises(PdfError, match="scanned PDF without a text layer \\(1 page\\)"):
        pdf_to_text(SCAN.read_bytes())


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<html><body>Not found</body></html>", "not a PDF document"),
        (b"", "not a PDF document"),
        (b"%PDF-1.7\n" + b"\x00" * 200, "broken PDF"),
        (POLICY.read_bytes()[:600], "broken PDF"),
    ],
)
def test_broken_documents_are_errors(data, message):
    with pytest.raises(PdfError, match=message):
        pdf_to_text(data)


def test_size_limit():
    data = POLICY.read_bytes()
    with pytest.raises(PdfError, match=r"larger than the size limit \(0.001 MB\)"):
        pdf_to_text(data, max_bytes=1000)
    assert pdf_to_text(data, max_bytes=len(data)).pages


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_damaged_files_give_a_pdf_error_or_text_never_a_crash(data):
    original = bytearray(POLICY.read_bytes())
    for _ in range(data.draw(st.integers(1, 8))):
        index = data.draw(st.integers(0, len(original) - 1))
        original[index] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(len(original) // 2, len(original)))
    try:
        document = pdf_to_text(bytes(original[:cut]))
    except PdfError as exc:
        assert str(exc)
    else:
        assert any(document.pages)
