"""From the pages fetched for one program to that program's result.

A page that could not be read never counts as a statement: the program's
verdict combines only the pages that answered with content, and a program
none of whose pages answered gets no verdict at all.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from monitor.classify.sections import part_for
from monitor.classify.verdict import Verdict, combine
from monitor.config import Program

# A page this short after text extraction is an empty shell (a login wall, a
# script-only page, a truncated response), not a page that stopped saying something.
MIN_TEXT_CHARS = 40

# Answers that say the page is gone, as opposed to the site failing.
GONE_STATUSES = frozenset({404, 410})

# A page that only a browser can show, on a machine without one: the monitor's
# own shortcoming, not the site's (see ProgramResult.unread_here).
NEEDS_BROWSER = "this page needs a browser (install chromium)"


@dataclass
class PageResult:
    url: str
    status: int | None
    own: bool
    text: str | None = None
    verdict: Verdict | None = None
    error: str | None = None
    depth: int = 0
    # A crawl keeps the text in the store and only its hash here (see monitor.store.texts).
    text_sha256: str | None = None
    # What the store keeps to re-check the page cheaply next time (monitor.store.validators).
    etag: str | None = None
    last_modified: str | None = None
    body_sha256: str | None = None
    reused: bool = False  # not modified: text and verdict are the stored reading
    links: list[str] = field(default_factory=list)  # policy-like links it led to

    @property
    def digest(self) -> str | None:
        """SHA-256 of the page text (None when there is none)."""
        if self.text_sha256 is not None:
            return self.text_sha256
        if self.text is None:
            return None
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @property
    def ok(self) -> bool:
        return self.error is None and self.verdict is not None

    @property
    def transient_failure(self) -> bool:
        """Failed in a way that says nothing about the page's content."""
        return not self.ok and self.status not in GONE_STATUSES


@dataclass
class ProgramResult:
    program: Program
    pages: list[PageResult] = field(default_factory=list)
    verdict: Verdict | None = None
    error: str | None = None

    @property
    def fetch_ok(self) -> bool:
        return self.verdict is not None

    @property
    def unread_here(self) -> bool:
        """No page was read only because this machine lacks the browser they need."""
        return (
            not self.fetch_ok
            and bool(self.pages)
            and all(page.error == NEEDS_BROWSER for page in self.pages if not page.ok)
        )

    def failed_urls(self) -> set[str]:
        return {page.url for page in self.pages if page.transient_failure}


def page_error(status: int | None, text: str | None) -> str | None:
    """Why a fetched page cannot be read as a statement, or None when it can."""
    if status is not None and not 200 <= status < 300:
        return f"HTTP {status}"
    if text is None or len(text.strip()) < MIN_TEXT_CHARS:
        return "empty page"
    return None


def assess_program(program: Program, pages: list[PageResult]) -> ProgramResult:
    readable = [page for page in pages if page.ok]
    if not readable:
        return ProgramResult(program, pages, None, _summarise_errors(program, pages))
    verdict = combine([_for_program(page, program) for page in readable])
    return ProgramResult(program, pages, verdict, _unread_note(verdict, pages))


def _for_program(page: PageResult, program: Program) -> tuple[Verdict, bool]:
    """What a page says for this program: the page's verdict, or on a page of several
    programs the part titled with this one (then the program's own statement)."""
    part = part_for(page.verdict.parts, program.name, program.specialty, program.institution)
    if part is None:
        return page.verdict, page.own
    return part.verdict, True


def _unread_note(verdict: Verdict, pages: list[PageResult]) -> str | None:
    """Why an `unknown` stance may only be unread: pages that answered but could not be
    read (one that needs a browser, a scanned PDF) are not silent, so the result says so."""
    if verdict.category != "unknown":
        return None
    unread = [page for page in pages
              if page.error and page.status is not None and 200 <= page.status < 300]
    if not unread:
        return None
    first = min(unread, key=lambda page: (page.depth, page.url))
    others = len(unread) - 1
    more = f" (and {others} more page{'s' if others != 1 else ''})" if others else ""
    return f"stance unknown; could not read {first.url}: {first.error}{more}"


def _summarise_errors(program: Program, pages: list[PageResult]) -> str:
    if not pages:
        return "no page was fetched"
    # The home page's error first: it is the one a user can check in a browser.
    first = min(pages, key=lambda page: (page.depth, page.url != program.url, page.url))
    others = len(pages) - 1
    more = f" (and {others} more page{'s' if others != 1 else ''})" if others else ""
    return f"{first.url}: {first.error or 'unreadable'}{more}"
