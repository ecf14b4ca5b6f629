"""Pipelines: classify each page, then record the whole crawl in the store.

Results are written once, when the spider closes, in one transaction: a
crawl that finished normally is `completed` and moves change detection; one
that was stopped (Ctrl-C, a shutdown, a limit) is `aborted` and does not;
one in which most programs could not be reached at all is `failed` and does
not either (see `monitor.crawl.health`).
"""

from __future__ import annotations

import hashlib
import os
from collections import defaultdict

from scrapy import signals

from monitor.classify.assess import PageResult, assess_program, page_error
from monitor.classify.document import classify_pages
from monitor.classify.verdict import classify_extracted, classify_text
from monitor.crawl.health import outage_reason
from monitor.detect.flow import finish_crawl
from monitor.extract.htmltext import html_to_text
from monitor.extract.pdftext import PdfError, PdfText, pdf_to_text, reader_version
from monitor.scrapers.progress import ProgressReporter
from monitor.store.documents import find_document, remember_document
from monitor.store.writer import ABORTED, COMPLETED, FAILED, Store

PDF_TYPE = "application/pdf"


class ClassifyPipeline:
    def __init__(self, db_url: str | None = None, pdf_maxsize: int | None = None,
                 progress: ProgressReporter | None = None):
        self.db_url = db_url
        self.pdf_maxsize = pdf_maxsize
        self.progress = progress or ProgressReporter(False)
        self.store: Store | None = None

    @classmethod
    def from_crawler(cls, crawler):
        spider = crawler.spider
        return cls(
            crawler.settings.get("VISA_MONITOR_DB") or None,
            spider.config.settings.pdf_maxsize if spider is not None else None,
            ProgressReporter.from_settings(crawler.settings),
        )

    def close_spider(self):
        if self.store is not None:
            self.store.close()

    def process_item(self, item):
        if item.get("content_type") == PDF_TYPE and item.get("error") is None:
            return self._read_pdf(item)
        body = item.get("body")
        plain = item.get("content_type") == "text/plain"
        text = None
        if body is not None:
            text = body if plain else html_to_text(body)
        item["text"] = text
        item["error"] = item.get("error") or page_error(item.get("status"), text)
        if item["error"] is None:
            classify = classify_text if plain else classify_extracted
            item["verdict"] = classify(text, item["url"])
        item["body"] = None  # the HTML is not needed past this point
        return item

    def _read_pdf(self, item):
        """A PDF's text, page by page; an unreadable document is an error, never a verdict."""
        body = item["body"]
        item["body"] = None
        if self.pdf_maxsize is not None and len(body) > self.pdf_maxsize:
            item["error"] = f"larger than the size limit ({self.pdf_maxsize / 1_000_000:g} MB)"
            return item
        text, error = self._pdf_text(body, item["url"])
        if text is not None:
            error = page_error(item.get("status"), text)
        item["text"] = text
        item["error"] = error
        if error is None:
            item["verdict"] = classify_pages(PdfText.from_text(text).pages, item["url"])
        return item

    def _pdf_text(self, body: bytes, url: str) -> tuple[str | None, str | None]:
        """(text, None) or (None, error); an unchanged document is not parsed again."""
        sha256 = hashlib.sha256(body).hexdigest()
        reader = reader_version()
        stored = find_document(self._store(), sha256, reader)
        if stored is not None:
            self.progress.emit("document", url=url, sha256=sha256, extracted=False)
            return stored.text, stored.error
        try:
            text, error = pdf_to_text(body).text, None
        except PdfError as exc:
            text, error = None, str(exc)
        remember_document(self._store(), sha256, reader, text, error)
        self.progress.emit("document", url=url, sha256=sha256, extracted=True)
        return text, error

    def _store(self) -> Store:
        # Opened on the first PDF: most crawls read none.
        if self.store is None:
            self.store = Store.open(self.db_url)
        return self.store


class StorePipeline:
    def __init__(self, crawler, db_url: str | None, progress: ProgressReporter):
        self.crawler = crawler
        self.db_url = db_url
        self.progress = progress
        self.pages: dict[str, list[PageResult]] = defaultdict(list)
        self.store: Store | None = None
        self.crawl_id: int | None = None

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls(
            crawler,
            crawler.settings.get("VISA_MONITOR_DB") or None,
            ProgressReporter.from_settings(crawler.settings),
        )
        # The close reason (finished, shutdown, ...) only comes with this signal.
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self):
        spider = self.crawler.spider
        self.store = Store.open(self.db_url)
        config = spider.config
        self.crawl_id = self.store.start_crawl(config.path, len(config.programs))
        self.progress.emit("crawl", crawl_id=self.crawl_id, programs=len(config.programs),
                           pid=os.getpid())

    def process_item(self, item):
        self.pages[item["program_id"]].append(
            PageResult(
                url=item["url"],
                status=item.get("status"),
                own=bool(item.get("own")),
                text=item.get("text"),
                verdict=item.get("verdict"),
                error=item.get("error"),
                depth=item.get("depth") or 0,
            )
        )
        return item

    def spider_closed(self, spider, reason: str):
        outcome = COMPLETED if reason == "finished" else ABORTED
        results = [
            assess_program(program, self.pages.get(program.id, []))
            for program in spider.config.programs
        ]
        # Most programs failing at once is the monitor's trouble, never theirs.
        outage = outage_reason(results, spider.config.settings) if outcome == COMPLETED else None
        if outage:
            outcome, reason = FAILED, outage
        changes = finish_crawl(
            self.store, self.crawl_id, results, spider.config.settings,
            outcome=outcome, reason=reason,
        )
        self.progress.emit("done", crawl_id=self.crawl_id, outcome=outcome,
                           changes=len(changes))
        self.store.close()
