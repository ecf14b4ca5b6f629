"""A multi-page document's verdict: each page read alone, then combined.

Each page is classified on the same path as an HTML page's text
(`classify_extracted`), with its own address (`…/policy.pdf#page=3`), so the
evidence names the page a sentence is on. The pages are combined like the
pages of one site: they are one document, equally the program's own.
"""

from __future__ import annotations

from collections.abc import Sequence

from monitor.classify.verdict import UNKNOWN, Verdict, classify_extracted, combine
from monitor.extract.pdftext import page_url


def classify_pages(pages: Sequence[str], url: str) -> Verdict:
    verdicts = [
        (classify_extracted(text, page_url(url, number)), True)
        for number, text in enumerate(pages, start=1)
        if text
    ]
    return combine(verdicts) if verdicts else UNKNOWN
