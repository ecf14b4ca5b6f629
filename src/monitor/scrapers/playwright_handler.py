"""scrapy-playwright's download handler, started on the first page that needs it.

The stock handler starts Playwright's driver (a Node.js process) when the
engine starts, for every crawl. Here most crawls render nothing, so the driver
and the browser start with the first request marked `meta["playwright"]`.

Every request the browser makes for a page passes `_abort` first: pictures,
fonts and media are skipped, and addresses the SSRF rule refuses are never
reached (`address_guard.BrowserRequestGuard`).
"""

from __future__ import annotations

import asyncio

from scrapy import signals
from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler

from monitor.scrapers.address_guard import BrowserRequestGuard
from monitor.scrapers.browser import skip_resource


class LazyPlaywrightDownloadHandler(ScrapyPlaywrightDownloadHandler):
    def __init__(self, crawler):
        super().__init__(crawler)
        for receiver in ("_maybe_launch_in_thread", "_engine_started"):
            if hasattr(self, receiver):
                crawler.signals.disconnect(getattr(self, receiver), signals.engine_started)
        self._start_lock = asyncio.Lock()
        self._started = False
        self._guard = BrowserRequestGuard(crawler)
        self.abort_request = self._abort

    async def _abort(self, request) -> bool:
        return skip_resource(request) or await self._guard.refuses(request.url)

    async def _download_request(self, request, spider=None):
        async with self._start_lock:
            if not self._started:
                await self._launch()
                self._started = True
        return await super()._download_request(request, spider)
