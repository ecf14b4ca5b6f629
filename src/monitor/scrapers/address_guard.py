"""Refuse requests that lead into the monitor's own network (server-side request forgery).

A program's site may redirect or link anywhere. Followed blindly, a redirect to
169.254.169.254 (the cloud metadata service), to 127.0.0.1:6379 or to an
intranet host makes the monitor a proxy into the machine and network it runs
on. The rule: every address a request reaches must be a public one, or be
exactly an address and port of the program's own configured URLs (`url`,
`visa_urls`, `scope`), which is how the demo and the tests serve their sites
on 127.0.0.x. It is applied twice:

- Before a request is sent (`PrivateAddressGuard`, each redirect hop
  included), its host is resolved and the address checked, so a refused host
  is normally never contacted at all.
- When a response arrives (`PeerAddressCheck`; for a rendered page's own
  requests, `BrowserRequestGuard.peer_refusal`), the address the connection
  actually reached (`response.ip_address`, the socket's peer) is checked
  again. This is what closes DNS rebinding: a hostile name server can answer
  a public address to the first lookup and a private one to the next, so a
  check of one lookup says nothing about the address another lookup gives
  the connection. The peer is the one fact no resolver can disagree with; a
  response from a refused peer is dropped before any other middleware (or
  redirect, retry, decompression) reads it.

The check before sending resolves through the resolver Scrapy installed on
the reactor (`reactor.resolve`, by default `CachingThreadedResolver`), not
with a resolution of its own: its answer is put in Scrapy's `dnscache`, which
the connection then reads, so with the cache on (forced in settings.py) the
address checked is the address connected to, and a rebinding answer normally
never gets a request at all. The cache is a bounded LRU without expiry, so an
entry can still be evicted between the check and the connection, or a
resolver without a cache be configured; the peer check covers both.

A refused request or response fails with `IgnoreRequest`; the spider records
it as that page's error (never a page), and the refusal is logged. A response
whose peer the download handler cannot name (`ip_address` is None: not an
HTTP connection) is not refused on that ground.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Iterable
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.error import DNSLookupError
from twisted.internet.error import TimeoutError as TwistedTimeout

logger = logging.getLogger(__name__)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Endpoint = tuple[IPAddress, int]

_DEFAULT_PORTS = {"http": 80, "https": 443}


def non_public_kind(address: IPAddress) -> str | None:
    """What kind of non-public address this is, or None for a public one."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    if address.is_loopback:
        return "loopback"
    if address.is_link_local:
        return "link-local (cloud metadata)"
    if address.is_unspecified:
        return "unspecified"
    if address.is_multicast:
        return "multicast"
    if address.is_private:
        return "private"
    if not address.is_global:
        return "reserved"
    return None


def endpoint_of(url: str) -> tuple[str, int] | None:
    """(host, port) of an http(s) URL, None when it has none."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if not parts.hostname or parts.scheme not in _DEFAULT_PORTS:
        return None
    return parts.hostname, port or _DEFAULT_PORTS[parts.scheme]


def refusal(url: str, addresses: Iterable[IPAddress], port: int,
            allowed: set[Endpoint]) -> str | None:
    """Why `url`, resolving to `addresses`, may not be fetched; None when it may."""
    for address in addresses:
        kind = non_public_kind(address)
        if kind is not None and (address, port) not in allowed:
            return (f"refused {url}: it leads to {address}, a {kind} address that is not "
                    "one of the program's configured sites")
    return None


def peer_refusal(url: str, address: IPAddress, port: int,
                 allowed: set[Endpoint]) -> str | None:
    """Why a response to `url` that came from `address` may not be read; None when it may."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped  # a dual-stack socket's name for an IPv4 peer
    kind = non_public_kind(address)
    if kind is not None and (address, port) not in allowed:
        return (f"refused {url}: its answer came from {address}, a {kind} address that is "
                "not one of the program's configured sites")
    return None


async def resolve(host: str, port: int) -> list[IPAddress]:
    """The address `host` resolves to (an IP literal is itself); [] when it does not.

    Through the reactor's installed resolver, the one (and the cache) the
    connection uses, so that what is checked is what will be connected to.
    """
    try:
        return [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        pass
    # Imported here: importing the reactor at module load would install the
    # default one before Scrapy installs the configured (asyncio) reactor.
    from twisted.internet import reactor

    try:
        address = await maybe_deferred_to_future(reactor.resolve(host))
    except (DNSLookupError, TwistedTimeout, TimeoutError):  # DNSLookupError is an OSError
        return []  # the download reports the DNS error itself
    return [ipaddress.ip_address(address.split("%")[0])]


class _ConfiguredEndpoints:
    """The addresses and ports a program's own configured URLs resolve to."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.allowed: dict[str | None, set[Endpoint]] = {}

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def refuse(self, request, reason: str):
        self.crawler.stats.inc_value("visa_monitor/refused_non_public_address")
        logger.warning("%s: %s", request.meta.get("program", "-"), reason)
        raise IgnoreRequest(reason)

    async def _allowed(self, program_id: str | None) -> set[Endpoint]:
        """The configured endpoints of this program; of every program for requests
        that belong to none (robots.txt)."""
        if program_id not in self.allowed:
            config = self.crawler.spider.config
            programs = [p for p in config.programs if program_id in (None, p.id)]
            endpoints: set[Endpoint] = set()
            for program in programs:
                for url in {str(program.url), *map(str, program.visa_urls),
                            *map(str, program.scope)}:
                    target = endpoint_of(url)
                    if target is not None:
                        endpoints.update((address, target[1])
                                         for address in await resolve(*target))
            self.allowed[program_id] = endpoints
        return self.allowed[program_id]


    async def check(self, url: str, program_id: str | None) -> str | None:
        """Why `url` may not be fetched for this program; None when it may."""
        target = endpoint_of(url)
        if target is None:
            return None
        host, port = target
        return refusal(url, await resolve(host, port), port, await self._allowed(program_id))


class PrivateAddressGuard(_ConfiguredEndpoints):
    """Downloader middleware: runs before robots.txt, so a refused host is never contacted."""

    async def process_request(self, request):
        reason = await self.check(request.url, request.meta.get("program"))
        if reason is not None:
            self.refuse(request, reason)
        return None


class BrowserRequestGuard(_ConfiguredEndpoints):
    """The same rule for what a rendered page's scripts ask chromium to fetch.

    Those requests (scripts, styles, a script's `fetch()` of data) leave from
    the browser, outside Scrapy's downloader and its middlewares, so a hostile
    page could otherwise make chromium reach 169.254.169.254 or a service on
    the monitor's own machine and write the answer into the text we store.
    They belong to no one program, so the configured sites of every program
    are allowed. Both checks apply: `refuses` before chromium sends a request,
    and `peer_refusal` on the address each answer came from -- chromium
    resolves names with its own resolver, so (as with DNS rebinding in the
    downloader) the address checked before sending need not be the one it
    connected to. A rendered page with one refused answer is dropped whole:
    what a script wrote from that answer cannot be told apart from the rest.
    """

    async def refuses(self, url: str) -> bool:
        reason = await self.check(url, None)
        if reason is not None:
            self.crawler.stats.inc_value("visa_monitor/refused_non_public_address")
            logger.warning("browser: %s", reason)
        return reason is not None

    async def peer_refusal(self, url: str, address: IPAddress, port: int) -> str | None:
        """Why an answer to the browser from `address`:`port` may not be read."""
        return peer_refusal(url, address, port, await self._allowed(None))


class PeerAddressCheck(_ConfiguredEndpoints):
    """Downloader middleware next to the download handler: the first to see a response."""

    async def process_response(self, request, response):
        target = endpoint_of(request.url)
        address = getattr(response, "ip_address", None)
        if target is None or address is None:
            return response
        allowed = await self._allowed(request.meta.get("program"))
        reason = peer_refusal(request.url, address, target[1], allowed)
        if reason is not None:
            self.refuse(request, reason)
        return response
