"""One request at a time to a host that answers slowly.

Scrapy's AutoThrottle only stretches the delay between requests; a host's
concurrency stays what `concurrency_per_host` says, so a slow host can still
be sent two requests at once (the second leaves before the first returns).
This extension paces by concurrency instead, like TCP's slow start:

- a host's downloader slot starts at one request at a time;
- a response faster than `slow_host_seconds` opens it to `concurrency_per_host`;
- a slower one (or a timeout) closes it to one again.

Slots are adjusted from Scrapy's own signals, before the downloader looks at
its queue: `request_reached_downloader` is sent once the slot exists and
before its queue is processed, `response_downloaded` before the finished
request frees its place.
"""

from __future__ import annotations

from scrapy import signals
from scrapy.exceptions import NotConfigured

_MIN_GAP_SECONDS = 0.001


class HostPacing:
    def __init__(self, crawler, slow_seconds: float, open_concurrency: int):
        self.crawler = crawler
        self.slow_seconds = slow_seconds
        self.open_concurrency = open_concurrency
        # slot key -> id of the slot object last started; Scrapy drops idle slots
        # and makes new ones, which must start closed again.
        self.started: dict[str, int] = {}

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        slow_seconds = settings.getfloat("VISA_MONITOR_SLOW_HOST_SECONDS")
        open_concurrency = settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN")
        if slow_seconds <= 0 or open_concurrency <= 1:
            raise NotConfigured  # nothing to pace: one at a time already, or asked not to
        pacing = cls(crawler, slow_seconds, open_concurrency)
        crawler.signals.connect(pacing.request_reached, signal=signals.request_reached_downloader)
        crawler.signals.connect(pacing.response_downloaded, signal=signals.response_downloaded)
        crawler.signals.connect(
            pacing.request_dropped_by_error, signal=signals.request_left_downloader
        )
        return pacing

    def _slot(self, request):
        key = request.meta.get("download_slot")
        return key, self.crawler.engine.downloader.slots.get(key)

    def request_reached(self, request, spider):
        key, slot = self._slot(request)
        if slot is None or self.started.get(key) == id(slot):
            return
        self.started[key] = id(slot)
        slot.concurrency = 1
        # The downloader counts a request against the slot's concurrency only
        # once its download task has started, so two requests queued in one
        # event-loop turn both pass a limit of one. Any delay makes it hand out
        # one request per turn: a millisecond costs nothing and closes that gap.
        slot.delay = max(slot.delay, _MIN_GAP_SECONDS)

    def response_downloaded(self, response, request, spider):
        key, slot = self._slot(request)
        if slot is None:
            return
        latency = request.meta.get("download_latency")
        fast = latency is not None and latency < self.slow_seconds
        slot.concurrency = self.open_concurrency if fast else 1

    def request_dropped_by_error(self, request, spider):
        # A request that left with no response (timeout, reset) says the host
        # is struggling: back to one at a time.
        if "download_latency" in request.meta:
            return
        key, slot = self._slot(request)
        if slot is not None:
            slot.concurrency = 1
