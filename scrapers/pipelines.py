"""Pipelines: classify each page, then record the whole crawl in the store.

Results are written once, when the spider closes, in one transaction: a
crawl that finished normally is `completed` and moves change detection; one
that was stopped (Ctrl-C, a shutdown, a limit) is `aborted` and does not.
"""

from __future__ import annotations

import os
import time
from collections import defaultdict

from scrapy import signals

from monitor.classify.assess import PageResult, assess_program, page_error
from monitor.classify.verdict import classify_extracted, classify_text
from monitor.detect.flow import finish_crawl
from monitor.extract.htmltext import html_to_text
from monitor.store.writer import ABORTED, COMPLETED, Store
from scrapers.progress import ProgressReporter


class ClassifyPipeline:
    def __init__(self, stats=None):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_item(self, item):
        body = item.get("body")
        plain = item.get("content_type") == "text/plain"
        text = None
        started = time.perf_counter()
        if body is not None:
            text = body if plain else html_to_text(body)
        extracted = time.perf_counter()
        item["text"] = text
        item["error"] = item.get("error") or page_error(item.get("status"), text)
        if item["error"] is None:
            classify = classify_text if plain else classify_extracted
            item["verdict"] = classify(text, item["url"])
        item["body"] = None  # the HTML is not needed past this point
        add_time(self.stats, "extract", extracted - started)
        add_time(self.stats, "classify", time.perf_counter() - extracted)
        return item


def add_time(stats, part: str, seconds: float) -> None:
    """Where a crawl's time goes (benchmarks/crawl.py prints it from the `timings` event)."""
    if stats is not None:
        stats.inc_value(f"visa_monitor/time/{part}", seconds)


def timings(stats) -> dict:
    prefix = "visa_monitor/time/"
    found = {key.removeprefix(prefix): value for key, value in stats.get_stats().items()
             if key.startswith(prefix)}
    return {**found, "pages": stats.get_value("item_scraped_count", 0)}


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
        started = time.perf_counter()
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
        add_time(self.crawler.stats, "pipeline", time.perf_counter() - started)
        return item

    def spider_closed(self, spider, reason: str):
        outcome = COMPLETED if reason == "finished" else ABORTED
        results = [
            assess_program(program, self.pages.get(program.id, []))
            for program in spider.config.programs
        ]
        started = time.perf_counter()
        changes = finish_crawl(
            self.store, self.crawl_id, results, spider.config.settings,
            outcome=outcome, reason=reason,
        )
        add_time(self.crawler.stats, "database", time.perf_counter() - started)
        self.progress.emit("timings", **timings(self.crawler.stats))
        self.progress.emit("done", crawl_id=self.crawl_id, outcome=outcome,
                           changes=len(changes))
        self.store.close()
