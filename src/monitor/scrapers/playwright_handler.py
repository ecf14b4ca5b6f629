"""scrapy-playwright's download handler, started on the first page that needs it.

The stock handler starts Playwright's driver (a Node.js process) when the
engine starts, for every crawl. Here most crawls render nothing, so the driver
and the browser start with the first request marked `meta["playwright"]`.

Every request the browser makes for a page passes `_abort` first: pictures,
fonts and media are skipped, and addresses the SSRF rule refuses are never
reached (`address_guard.BrowserRequestGuard`). Every answer it gets is judged
again by the address it came from (`_AnswerPeers`); a page with a refused
answer fails as that page's error, like any refused request.
"""

from __future__ import annotations

import asyncio
import ipaddress

from playwright.async_api import Error as PlaywrightError
from scrapy import signals
from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler

from monitor.scrapers.address_guard import BrowserRequestGuard
from monitor.scrapers.browser import skip_resource


class _AnswerPeers:
    """The peers of one rendered page's answers, each judged as it arrives."""

    def __init__(self, guard: BrowserRequestGuard):
        self.guard = guard
        self.judgements: list[asyncio.Future] = []

    def on_response(self, response) -> None:
        # A page event handler: the judgement runs beside the page, and is awaited
        # (with every other) once the page is read.
        self.judgements.append(asyncio.ensure_future(self._judge(response)))

    async def _judge(self, response) -> str | None:
        try:
            peer = await response.server_addr()
        except PlaywrightError:
            return None  # the page is gone: no answer of it is read any more
        try:
            address = ipaddress.ip_address(peer["ipAddress"].strip("[]"))
        except (TypeError, KeyError, ValueError):
            return None  # not from the network (a data: URL, the memory cache)
        return await self.guard.peer_refusal(response.url, address, peer["port"])

    async def refusal(self) -> str | None:
        reasons = await asyncio.gather(*self.judgements)
        return next((reason for reason in reasons if reason), None)


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
        peers = _AnswerPeers(self._guard)
        request.meta["playwright_page_event_handlers"] = {"response": peers.on_response}
        response = await super()._download_request(request, spider)
        reason = await peers.refusal()
        if reason is not None:
            self._guard.refuse(request, reason)
        return response
