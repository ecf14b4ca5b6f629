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
import resource
import time
from collections import defaultdict

from scrapy import signals

from monitor.classify import classifier_version
from monitor.classify.assess import PageResult, assess_program, page_error
from monitor.classify.document import classify_pages
from monitor.crawl.health import outage_reason
from monitor.extract.pdftext import PdfError, PdfText, pdf_to_text, reader_version
from monitor.scrapers.progress import ProgressReporter
from monitor.scrapers.reading import read_text
from monitor.scrapers.usage import peak_rss_kb
from monitor.store.documents import find_document, remember_document
from monitor.store.texts import TextWriter
from monitor.store.validators import Readings
from monitor.store.writer import ABORTED, COMPLETED, FAILED, Store

PDF_TYPE = "application/pdf"


class ClassifyPipeline:
    def __init__(self, db_url: str | None = None, pdf_maxsize: int | None = None,
                 progress: ProgressReporter | None = None, stats=None):
        self.db_url = db_url
        self.pdf_maxsize = pdf_maxsize
        self.progress = progress or ProgressReporter(False)
        self.stats = stats
        self.store: Store | None = None
        self.readings: Readings | None = None
        self.version = classifier_version()

    @classmethod
    def from_crawler(cls, crawler):
        spider = crawler.spider
        return cls(
            crawler.settings.get("VISA_MONITOR_DB") or None,
            spider.config.settings.pdf_maxsize if spider is not None else None,
            ProgressReporter.from_settings(crawler.settings),
            crawler.stats,
        )

    def close_spider(self):
        if self.readings is not None:
            self.readings.close()
        if self.store is not None:
            self.store.close()

    def process_item(self, item):
        if item.get("read"):
            return item  # read by the spider's page readers (scrapers/reading.py)
        if item.get("content_type") == PDF_TYPE and item.get("error") is None:
            return self._read_pdf(item)
        if item.get("unchanged"):
            return self._reuse(item)
        plain = item.get("content_type") == "text/plain"
        text, error, verdict, seconds = read_text(
            item.get("body"), plain, item.get("status"), item["url"], item.get("error"))
        item.update(text=text, error=error, body=None)  # the HTML is not needed past this point
        if verdict is not None:
            item["verdict"] = verdict
        for part, spent in seconds.items():
            add_time(self.stats, part, spent)
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
        # Opened on the first PDF or unchanged page: a first crawl of HTML needs none.
        if self.store is None:
            self.store = Store.open(self.db_url)
        return self.store

    def _reuse(self, item):
        """A page not modified since its stored reading: no extraction, no classification."""
        started = time.perf_counter()
        reading = self._readings().find(item["url"], item["body_sha256"])
        add_time(self.stats, "cache", time.perf_counter() - started)
        item["unchanged"] = False
        if reading is None:
            if item.get("body") is None:  # a 304 whose reading went away meanwhile
                item["error"] = "not modified, but no stored reading of it"
                return item
            return self.process_item(item)
        item.update(text=None, text_sha256=reading.text_sha256, verdict=reading.verdict,
                    error=None, reused=True, body=None)
        if self.stats is not None:
            self.stats.inc_value("visa_monitor/reused")
        return item

    def _readings(self) -> Readings:
        # Opened on the first unchanged page: a first crawl has none.
        if self.readings is None:
            self.readings = Readings(self._store(), self.version)
        return self.readings


def add_time(stats, part: str, seconds: float) -> None:
    """Where a crawl's time goes (benchmarks/crawl.py prints it from the `timings` event)."""
    if stats is not None:
        stats.inc_value(f"visa_monitor/time/{part}", seconds)


def timings(stats) -> dict:
    prefix = "visa_monitor/time/"
    found = {key.removeprefix(prefix): value for key, value in stats.get_stats().items()
             if key.startswith(prefix)}
    readers = [value for key, value in stats.get_stats().items()
               if key.startswith("visa_monitor/reader_rss_kb/")]
    own = resource.getrusage(resource.RUSAGE_SELF)
    return {**found, "pages": stats.get_value("item_scraped_count", 0),
            "reused": stats.get_value("visa_monitor/reused", 0),
            # This process's CPU time (the reactor's thread and its helpers) and peak
            # memory, and the page readers' peaks (scrapers/reading.py).
            "cpu": own.ru_utime + own.ru_stime, "rss_kb": peak_rss_kb(),
            "readers_rss_kb": readers}


def page_result(item, text_sha256: str | None) -> PageResult:
    # The links are kept for the validators a fully read page gets (store.validators);
    # a reused reading keeps its stored ones, a failed page gets none.
    keeps_links = (item.get("error") is None and item.get("verdict") is not None
                   and item.get("body_sha256") is not None and not item.get("reused"))
    return PageResult(
        url=item["url"],
        status=item.get("status"),
        own=bool(item.get("own")),
        verdict=item.get("verdict"),
        error=item.get("error"),
        depth=item.get("depth") or 0,
        text_sha256=text_sha256,
        etag=item.get("etag"),
        last_modified=item.get("last_modified"),
        body_sha256=item.get("body_sha256"),
        reused=bool(item.get("reused")),
        links=(item.get("links") or []) if keeps_links else [],
    )


class StorePipeline:
    def __init__(self, crawler, db_url: str | None, progress: ProgressReporter):
        self.crawler = crawler
        self.db_url = db_url
        self.progress = progress
        self.pages: dict[str, list[PageResult]] = defaultdict(list)
        self.store: Store | None = None
        self.texts: TextWriter | None = None
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
        self.texts = TextWriter(self.store)
        config = spider.config
        self.crawl_id = self.store.start_crawl(config.path, len(config.programs))
        self.progress.emit("crawl", crawl_id=self.crawl_id, programs=len(config.programs),
                           pid=os.getpid())

    def process_item(self, item):
        started = time.perf_counter()
        # The text goes to the store now; only its hash stays in memory.
        text = item.get("text")
        digest = item.get("text_sha256")
        if text is not None and item.get("error") is None:
            digest = self.texts.add(text)
        item["text"] = None
        self.pages[item["program_id"]].append(page_result(item, digest))
        add_time(self.crawler.stats, "pipeline", time.perf_counter() - started)
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

        # Imported here: detection and the outbox pull in Apprise, which a crawl
        # needs only at its end (half a second of start-up otherwise).
        from monitor.detect.flow import finish_crawl

        started = time.perf_counter()
        self.texts.flush()
        changes = finish_crawl(
            self.store, self.crawl_id, results, spider.config.settings,
            outcome=outcome, reason=reason,
        )
        add_time(self.crawler.stats, "database", time.perf_counter() - started)
        self.progress.emit("timings", **timings(self.crawler.stats))
        self.progress.emit("done", crawl_id=self.crawl_id, outcome=outcome,
                           changes=len(changes))
        self.store.close()
