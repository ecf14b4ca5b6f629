"""Reading fetched pages off the reactor: a small pool of child processes.

Scrapy's reactor is one thread, and a bare spider already keeps one core busy
downloading. Everything CPU-bound about a page (decoding it, the script-shell
check, its links, HTML to text, classification) runs here instead, in a
process pool, so that on a machine with two cores it overlaps with the
downloads. The spider awaits the result; what is read is exactly what the
same functions read in the spider before (`read_page` calls them).

The pool's processes die with the crawl: they ask the kernel for SIGKILL when
their parent dies (kill -9 included) and check that it has not died already;
they ignore SIGINT and SIGTERM, which are the crawl's to handle (it shuts the
pool down when it closes); and they (and multiprocessing's resource tracker)
start with /dev/null as standard output, so that only the crawl holds its
progress pipe, whose end tells the parent that the crawl has ended.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import functools
import hashlib
import multiprocessing
import os
import re
import signal
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from monitor.classify.assess import page_error
from monitor.classify.verdict import Verdict, classify_extracted, classify_text
from monitor.extract.htmltext import html_to_text
from monitor.scrapers.links import SKIP_EXTENSIONS
from monitor.scrapers.usage import peak_rss_kb

_PR_SET_PDEATHSIG = 1
_SCRIPT_TAG = re.compile("<script", re.IGNORECASE)

# Which Scrapy response class a page was (its selector and link extraction
# depend on it); rebuilt in the pool by name.
_RESPONSE_CLASSES = ("HtmlResponse", "XmlResponse", "TextResponse")


@dataclass(frozen=True)
class PageToRead:
    url: str
    status: int
    body: bytes
    content_type: str  # the Content-Type header: with the body, it decides the encoding
    response_class: str  # one of _RESPONSE_CLASSES
    plain: bool  # text/plain: the text is the body
    check_shell: bool  # does it look like an empty shell that scripts fill in?
    want_links: bool  # the links to follow from it
    want_digest: bool  # the SHA-256 of its body (a page that keeps validators)
    # The body hash the store holds: a page with that hash keeps its stored reading
    # (no text, no verdict).
    stored_sha256: str | None = None


@dataclass
class Reading:
    shell: bool = False
    links: list[tuple[str, str]] = field(default_factory=list)  # (URL, link text)
    body: str | None = None  # the decoded page, only when its text was not wanted
    body_sha256: str | None = None
    unchanged: bool = False  # its body hash is the stored one
    text: str | None = None
    error: str | None = None
    verdict: Verdict | None = None
    seconds: dict[str, float] = field(default_factory=dict)  # where the time went
    pid: int | None = None  # the reader's process and its peak memory so far
    rss_kb: int = 0


def read_text(body: str | None, plain: bool, status: int | None, url: str,
              error: str | None = None) -> tuple[str | None, str | None, Verdict | None, dict]:
    """(text, error, verdict, seconds): one page read as the crawl has always read it."""
    started = time.perf_counter()
    text = None
    if body is not None:
        text = body if plain else html_to_text(body)
    extracted = time.perf_counter()
    error = error or page_error(status, text)
    verdict = None
    if error is None:
        verdict = (classify_text if plain else classify_extracted)(text, url)
    seconds = {"extract": extracted - started, "classify": time.perf_counter() - extracted}
    return text, error, verdict, seconds


def read_page(page: PageToRead) -> Reading:
    """Everything CPU-bound about one fetched text page, from a single decoding of it."""
    from scrapy import http

    from monitor.scrapers.browser import looks_script_rendered

    started = time.perf_counter()
    reading = Reading()
    if page.want_digest:
        reading.body_sha256 = hashlib.sha256(page.body).hexdigest()
        reading.unchanged = reading.body_sha256 == page.stored_sha256
    cls = getattr(http, page.response_class)
    response = cls(page.url, status=page.status, body=page.body,
                   headers={"Content-Type": page.content_type} if page.content_type else {})
    # Only a <script> element can make a shell, and lxml makes one only from a
    # "<script" tag in the source: a page without one needs no selector at all.
    reading.shell = (page.check_shell and _SCRIPT_TAG.search(response.text) is not None
                     and looks_script_rendered(response))
    if reading.shell:
        reading.seconds = {"parse": time.perf_counter() - started}
        return reading
    if page.want_links:
        reading.links = [(link.url, link.text or "")
                         for link in _link_extractor().extract_links(response)]
    parsed = time.perf_counter() - started
    if reading.unchanged:
        reading.body = response.text
        reading.seconds = {"parse": parsed}
        return reading
    reading.text, reading.error, reading.verdict, seconds = read_text(
        response.text, page.plain, page.status, page.url)
    reading.seconds = {"parse": parsed, **seconds}
    return reading


@functools.cache
def _link_extractor():
    from scrapy.linkextractors import LinkExtractor

    return LinkExtractor(deny_extensions=[ext.lstrip(".") for ext in SKIP_EXTENSIONS])


def response_class(response) -> str:
    name = type(response).__name__
    return name if name in _RESPONSE_CLASSES else "TextResponse"


# From this many programs up, a crawl reads its pages in a process pool
# (measured: at 300 programs the pool's start-up made the re-crawl slower).
LARGE_CRAWL_PROGRAMS = 1000


class PageReaders:
    """`await readers.read(page)`: in a child process, or here when `processes` is 0."""

    def __init__(self, processes: int):
        self.processes = processes
        self.pool: ProcessPoolExecutor | None = None

    @classmethod
    def for_crawl(cls, programs: int) -> PageReaders:
        """Readers for a crawl of this many programs on this machine.

        One core is the reactor's; the others read. On one core a pool would
        only add copying, and a small crawl never pays back the readers'
        start-up (about a second and 140 MB): it reads in the crawl process.
        """
        if programs < LARGE_CRAWL_PROGRAMS:
            return cls(0)
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
        return cls(max(0, min((cores or 1) - 1, 4)))

    def start(self) -> None:
        """Start the processes now (their imports overlap with the first downloads)."""
        if self.processes <= 0 or self.pool is not None:
            return
        # spawn, not fork: a fork of the reactor's process would copy its sockets,
        # threads' locks and memory into every reader. The readers, and the
        # resource tracker multiprocessing starts beside them, are all started
        # here (one process per submit) with /dev/null as their standard output.
        with _output_to_devnull():
            self.pool = ProcessPoolExecutor(
                self.processes, mp_context=multiprocessing.get_context("spawn"),
                initializer=_reader_started, initargs=(os.getpid(),),
            )
            for _ in range(self.processes):
                self.pool.submit(_warm_up)

    async def read(self, page: PageToRead) -> Reading:
        if self.pool is None:
            return read_page(page)
        return await asyncio.wrap_future(self.pool.submit(_read_in_reader, page))

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = None

    def pids(self) -> list[int]:
        processes = getattr(self.pool, "_processes", None) or {}
        return list(processes)


def _read_in_reader(page: PageToRead) -> Reading:
    reading = read_page(page)
    reading.pid = os.getpid()
    reading.rss_kb = peak_rss_kb()
    return reading


def _reader_started(parent: int) -> None:
    """In each reader: die with the crawl, leave its signals and its output alone."""
    if not _kill_me_with_parent():
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    if os.getppid() != parent:
        os._exit(0)  # the crawl died while this process was starting
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)


@contextlib.contextmanager
def _output_to_devnull():
    """File descriptor 1 is /dev/null inside: processes started here do not inherit it.

    The crawl's standard output is its progress pipe, whose end tells the parent
    that the crawl is over: no process but the crawl may hold it.
    """
    sys.stdout.flush()
    saved = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)


def _kill_me_with_parent() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch_parent(parent: int, poll: float = 0.5) -> None:
    # Where the kernel cannot do it: a reader outlives its crawl by one poll at most.
    while os.getppid() == parent:
        time.sleep(poll)
    os._exit(0)


def _warm_up() -> None:
    from scrapy import http  # noqa: F401
    from scrapy.linkextractors import LinkExtractor  # noqa: F401
