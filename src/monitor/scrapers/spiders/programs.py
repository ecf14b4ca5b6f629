"""The `programs` spider: each program's pages likely to state its visa policy.

Per program it starts at the home page and the configured `visa_urls`, then
follows the links most likely to lead to eligibility, visa, IMG, FAQ or
application pages, breadth-first, within the program's scope, up to
`max_depth` and `max_pages_per_program`. Every request is accounted for: a
page that fails becomes an item with its error, never silence.

PDFs are followed when their link looks like a policy document
(`pdf_link_score`), with a size limit of their own (`pdf_maxsize`), and handed
on as bytes for the pipeline to read. An HTML page that only scripts fill in
(`scrapers.browser`) is requested again through the browser; where there is
no browser, or the program says `render = "never"`, it becomes an item with
that error.

Settings it reads (also settable with `scrapy crawl programs -s NAME=value`):
VISA_MONITOR_CONFIG (path), VISA_MONITOR_PROGRAMS (comma-separated ids),
VISA_MONITOR_DB and VISA_MONITOR_PROGRESS (used by the pipelines),
VISA_MONITOR_READERS (processes that read pages, `scrapers.reading`; 0 reads
them in the spider's own process; by default a crawl of 1,000 programs or more
gets one per core but the reactor's, a smaller one reads in-process),
VISA_MONITOR_PROGRAMS_IN_FLIGHT (programs crawled at once, default 1,000: the
next program starts when one finishes, so memory does not grow with the
programs' queued requests).
"""

from __future__ import annotations

import asyncio
from collections import defaultdict

import scrapy
from scrapy.exceptions import IgnoreRequest, ResponseDataLossError
from scrapy.http import TextResponse
from twisted.python.failure import Failure

from monitor.classify import classifier_version
from monitor.classify.assess import NEEDS_BROWSER
from monitor.config import Config, Program, load_config
from monitor.extract.pdftext import is_pdf
from monitor.scrapers.browser import (
    NOT_RENDERED,
    browser_settings,
    may_render,
    render_meta,
)
from monitor.scrapers.items import PageItem
from monitor.scrapers.links import (
    canonical,
    clean_url,
    is_document,
    is_pdf_url,
    link_score,
    pdf_link_score,
)
from monitor.scrapers.pipelines import add_time
from monitor.scrapers.progress import ProgressReporter
from monitor.scrapers.reading import PageReaders, PageToRead, response_class
from monitor.store.validators import Validators, load_validators
from monitor.store.writer import Store

# Programs crawled at once (VISA_MONITOR_PROGRAMS_IN_FLIGHT): enough hosts to keep
# every download slot busy, few enough that waiting requests do not fill the memory.
PROGRAMS_IN_FLIGHT = 1000
_REDIRECTS = (301, 302, 303, 307, 308)
# Let callbacks see error answers so that they are recorded, not dropped.
_ERRORS = list(range(400, 600))
# A 304 answers a conditional request: the page is as the store holds it.
_NOT_MODIFIED = 304
# The statuses a request's callback sees, shared by every request (Scrapy only reads
# them): a list of 200 statuses built per request was 1.7 KB held by each queued one.
_START_STATUSES = (_NOT_MODIFIED, *_ERRORS)
_FOLLOW_STATUSES = (_NOT_MODIFIED, *_REDIRECTS, *_ERRORS)
_RENDER_STATUSES = tuple(_ERRORS)
_TEXT_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
PDF_TYPE = "application/pdf"


def config_from_settings(settings) -> Config:
    config = load_config(settings.get("VISA_MONITOR_CONFIG") or None)
    wanted = settings.get("VISA_MONITOR_PROGRAMS") or ""
    if isinstance(wanted, str):
        wanted = [part.strip() for part in wanted.split(",") if part.strip()]
    return config.select(list(wanted))


class ProgramsSpider(scrapy.Spider):
    name = "programs"

    @classmethod
    def update_settings(cls, settings) -> None:
        super().update_settings(settings)
        config = config_from_settings(settings)
        options = config.settings
        settings.setdict(
            {
                "USER_AGENT": options.user_agent,
                "DOWNLOAD_DELAY": options.download_delay,
                "CONCURRENT_REQUESTS_PER_DOMAIN": options.concurrency_per_host,
                "AUTOTHROTTLE_ENABLED": options.autothrottle,
                "AUTOTHROTTLE_START_DELAY": max(options.download_delay, 1.0),
                "VISA_MONITOR_SLOW_HOST_SECONDS": options.slow_host_seconds,
                "DOWNLOAD_TIMEOUT": options.download_timeout,
                "DOWNLOAD_MAXSIZE": options.download_maxsize,
                "DOWNLOAD_WARNSIZE": options.download_maxsize // 2,
                "RETRY_TIMES": options.retry_times,
                **browser_settings(config),
            },
            priority="spider",
        )

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.config = config_from_settings(crawler.settings)
        spider.progress = ProgressReporter.from_settings(crawler.settings)
        spider.db_url = crawler.settings.get("VISA_MONITOR_DB") or None
        spider.browser = may_render(spider.config)
        readers = crawler.settings.getint("VISA_MONITOR_READERS", -1)
        spider.readers = (PageReaders.for_crawl(len(spider.config.programs)) if readers < 0
                          else PageReaders(readers))
        spider.in_flight = crawler.settings.getint("VISA_MONITOR_PROGRAMS_IN_FLIGHT",
                                                   PROGRAMS_IN_FLIGHT)
        return spider

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.readers = PageReaders(0)
        self.seen: dict[str, set[str]] = defaultdict(set)  # program id -> canonical URLs
        self.pending: dict[str, int] = defaultdict(int)  # program id -> requests in flight
        self.validators: dict[str, Validators] = {}  # URL -> what the store holds
        self.in_flight = PROGRAMS_IN_FLIGHT

    async def start(self):
        self.readers.start()
        self.validators = self._stored_validators()
        for program in self.config.programs:
            # A program starts once fewer than `in_flight` are being crawled: the
            # requests waiting in the scheduler stay bounded instead of growing with
            # the programs (every start page queued at once, then its links).
            while len(self.pending) >= self.in_flight:
                await asyncio.sleep(0.02)
            self.progress.emit("program_started", program=program.id)
            requests = [self._request(program, url, depth=0) for url in program.start_urls]
            requests = [request for request in requests if request is not None]
            if not requests:
                self.progress.emit("program_done", program=program.id)
            for request in requests:
                yield request

    def closed(self, reason: str) -> None:
        self.readers.close()

    def _stored_validators(self) -> dict[str, Validators]:
        store = Store.open(self.db_url)
        try:
            return load_validators(store, classifier_version())
        finally:
            store.close()

    # -- requests -------------------------------------------------------

    def _request(self, program: Program, url: str, depth: int) -> scrapy.Request | None:
        key = canonical(url)
        seen = self.seen[program.id]
        if key in seen or len(seen) >= self.config.settings.max_pages_per_program:
            return None
        seen.add(key)
        self.pending[program.id] += 1
        start = depth == 0
        url = url if start else clean_url(url)
        meta = {}
        if is_pdf_url(url):
            # A policy PDF may be larger than a page: it has a size limit of its own.
            limit = self.config.settings.pdf_maxsize
            meta = {"download_maxsize": limit, "download_warnsize": limit // 2}
        return scrapy.Request(
            url,
            headers=self._conditional_headers(program, url),
            callback=self.parse_page,
            errback=self.on_error,
            dont_filter=True,  # de-duplication is per program (self.seen), not global
            priority=-depth,  # breadth-first
            meta={
                **meta,
                "program": program.id,
                "depth": depth,
                # The configured home page is the program's own even when it
                # redirects elsewhere (CMS node URLs often do).
                "home": start and url == program.url,
                # Start pages may redirect anywhere; followed links are redirected
                # by hand so that a redirect cannot lead out of scope.
                "dont_redirect": not start,
                "handle_httpstatus_list": _START_STATUSES if start else _FOLLOW_STATUSES,
            },
        )

    def _conditional_headers(self, program: Program, url: str) -> dict[str, str]:
        if program.render == "browser":
            # Its stored reading may not be what the browser shows: always read it.
            return {}
        stored = self.validators.get(url)
        headers = {}
        if stored is not None and stored.etag:
            headers["If-None-Match"] = stored.etag
        if stored is not None and stored.last_modified:
            headers["If-Modified-Since"] = stored.last_modified
        return headers

    def _done_with(self, program_id: str) -> None:
        self.pending[program_id] -= 1
        if self.pending[program_id] == 0:
            # Nothing more can be requested for it (requests only come from its own
            # answers): what it has seen is not held to the end of the crawl.
            del self.pending[program_id]
            self.seen.pop(program_id, None)
            self.progress.emit("program_done", program=program_id)

    # -- responses ------------------------------------------------------

    async def parse_page(self, response):
        program = self.config.program(response.meta["program"])
        depth = response.meta["depth"]
        add_time(self.crawler.stats, "download", response.meta.get("download_latency", 0.0))
        try:
            if response.status in _REDIRECTS:
                for request in self._follow_redirect(program, response, depth):
                    yield request
                return
            if response.status == _NOT_MODIFIED:
                for output in self._not_modified(program, response, depth):
                    yield output
                return
            own = _is_own(program, response.meta, response.url)
            if _is_pdf_response(response):
                yield self._item(program, response.url, response.status, own, depth,
                                 body=response.body, content_type=PDF_TYPE)
                return
            readable, content_type = self._text_media(response)
            ok = 200 <= response.status < 300
            error = None
            if ok and not readable:
                error = f"not a text page ({content_type or 'no type'})"
            # A rendered page's text also comes from what its scripts fetched: a 304
            # for the page itself would not say that text is unchanged.
            keeps_validators = readable and ok and not response.meta.get("playwright")
            # An HTML page whose text only scripts can show (or a program that always
            # renders) goes to the browser.
            may_be_shell = keeps_validators and content_type != "text/plain"
            to_render = may_be_shell and program.render == "browser"
            stored = self.validators.get(response.url) if keeps_validators else None
            reading = None
            if readable and not to_render:
                reading = await self.readers.read(PageToRead(
                    url=response.url, status=response.status, body=response.body,
                    content_type=_header(response, "Content-Type"),
                    response_class=response_class(response),
                    plain=content_type == "text/plain", check_shell=may_be_shell,
                    want_links=own and ok and depth < self.config.settings.max_depth,
                    want_digest=keeps_validators,
                    stored_sha256=stored.body_sha256 if stored is not None else None,
                ))
                self._count_reading(reading)
                to_render = reading.shell
            if to_render:
                if program.render != "never" and self.browser:
                    yield self._render_request(program, response)
                    return
                readable = False
                error = NOT_RENDERED if program.render == "never" else NEEDS_BROWSER
            item = self._item(program, response.url, response.status, own, depth,
                              content_type=content_type, error=error)
            if readable and keeps_validators:
                self._add_validators(item, response, reading.body_sha256, reading.unchanged)
            links = []
            if readable:
                if reading.body is not None:  # unchanged: the pipeline reuses its stored reading
                    item["body"] = reading.body
                else:
                    item.update(text=reading.text, error=reading.error,
                                verdict=reading.verdict, read=True)
                links = self._policy_links(program, reading.links)
            item["links"] = links
            yield item
            for request in self._follow(program, links, depth):
                yield request
        finally:
            self._done_with(program.id)

    def _count_reading(self, reading) -> None:
        """Where the readers' time went (overlapped with the downloads), and their memory."""
        stats = self.crawler.stats
        for part, seconds in reading.seconds.items():
            add_time(stats, part, seconds)
        if reading.pid is not None:
            stats.max_value(f"visa_monitor/reader_rss_kb/{reading.pid}", reading.rss_kb)

    def _render_request(self, program: Program, response) -> scrapy.Request:
        """The same page again, through the browser (it was counted once, when first fetched)."""
        self.pending[program.id] += 1
        meta = response.meta
        return scrapy.Request(
            response.url,
            callback=self.parse_page,
            errback=self.on_error,
            dont_filter=True,
            priority=-meta["depth"],
            meta={
                "program": program.id,
                "depth": meta["depth"],
                "home": meta["home"],
                "handle_httpstatus_list": _RENDER_STATUSES,
                **render_meta(),
            },
        )

    def on_error(self, failure: Failure):
        request = failure.request
        program = self.config.program(request.meta["program"])
        try:
            yield self._item(
                program, request.url, _status_of(failure),
                _is_own(program, request.meta, request.url), request.meta["depth"],
                error=_describe_failure(failure),
            )
        finally:
            self._done_with(program.id)

    def _follow_redirect(self, program: Program, response, depth: int):
        location = response.headers.get("Location")
        target = response.urljoin(location.decode("latin-1")) if location else None
        if target and program.scope_rules.contains(target):
            request = self._request(program, target, depth)
            if request is not None:
                yield request
        else:
            self.logger.debug("%s: not following redirect out of scope to %s",
                              program.id, target)

    def _not_modified(self, program: Program, response, depth: int):
        """The page is as stored: its stored reading stands, its stored links are followed."""
        stored = self.validators.get(response.url) or self.validators.get(response.request.url)
        item = self._item(program, response.url, response.status,
                          _is_own(program, response.meta, response.url), depth)
        if stored is None:
            # Only possible when the store changed under the crawl: read it next time.
            item["error"] = "not modified, but no stored reading of it"
            yield item
            return
        item.update(etag=stored.etag, last_modified=stored.last_modified,
                    body_sha256=stored.body_sha256, unchanged=True, links=list(stored.links))
        yield item
        in_scope = [url for url in stored.links if program.scope_rules.contains(url)]
        yield from self._follow(program, in_scope, depth)

    @staticmethod
    def _add_validators(item: PageItem, response, digest: str, unchanged: bool) -> None:
        item["etag"] = _header(response, "ETag") or None
        item["last_modified"] = _header(response, "Last-Modified") or None
        item["body_sha256"] = digest
        item["unchanged"] = unchanged

    def _follow(self, program: Program, links: list[str], depth: int):
        if depth >= self.config.settings.max_depth:
            return
        for url in links:
            request = self._request(program, url, depth + 1)
            if request is not None:
                yield request

    def _policy_links(self, program: Program, links: list[tuple[str, str]]) -> list[str]:
        """In-scope links that look like policy pages, best first."""
        candidates = []
        for url, text in links:
            if is_document(url) or not program.scope_rules.contains(url):
                continue
            score = (pdf_link_score if is_pdf_url(url) else link_score)(url, text)
            if score > 0:
                candidates.append((-score, canonical(url), url))
        # Best first, so the page budget goes to the likeliest pages.
        return [url for _, _, url in sorted(set(candidates))]

    @staticmethod
    def _text_media(response) -> tuple[bool, str]:
        """(whether it is a text page to read, its media type)."""
        media = _media(response)
        return isinstance(response, TextResponse) and (not media or media in _TEXT_TYPES), media

    def _item(self, program, url, status, own, depth, body=None, content_type=None, error=None):
        self.progress.emit("page", program=program.id, url=url, status=status)
        return PageItem(
            program_id=program.id, url=url, status=status, own=own, depth=depth,
            body=body, content_type=content_type, error=error,
        )


def _is_own(program: Program, meta: dict, url: str) -> bool:
    """A page of the program itself, not an institution-wide one (see `combine`)."""
    return meta["home"] or program.scope_rules.contains(url)


def _header(response, name: str) -> str:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else ""


def _media(response) -> str:
    """The media type of the Content-Type header ("text/html"), "" without one."""
    return _header(response, "Content-Type").split(";")[0].strip().lower()


def _is_pdf_response(response) -> bool:
    media = _media(response)
    if media == PDF_TYPE:
        return True
    # Servers label PDFs application/octet-stream or nothing at all.
    return media not in _TEXT_TYPES and is_pdf(response.body)


def _status_of(failure: Failure) -> int | None:
    response = getattr(failure.value, "response", None)
    return getattr(response, "status", None)


def _describe_failure(failure: Failure) -> str:
    error = failure.value
    if isinstance(error, ResponseDataLossError):
        # Never read the part that came: it looks like a page without a statement.
        return "page cut off: the connection closed before the whole page arrived"
    if isinstance(error, IgnoreRequest) and "robots" in str(error).lower():
        return "blocked by robots.txt"
    if isinstance(error, IgnoreRequest):
        return f"not fetched: {error}" if str(error) else "not fetched"
    if "larger than download max size" in str(error):
        # Scrapy cancels a download past DOWNLOAD_MAXSIZE (or a request's download_maxsize).
        limit = failure.request.meta.get("download_maxsize")
        size = f" ({limit / 1_000_000:g} MB)" if limit else ""
        return f"larger than the size limit{size}"
    name = type(error).__name__
    detail = str(error).strip()
    if failure.request.meta.get("playwright"):
        # Playwright's messages run to many lines of call log; the first one says it.
        first = detail.splitlines()[0] if detail else name
        return f"browser could not render the page: {first}"
    return f"{name}: {detail}" if detail else name
