"""Refuse requests that lead into the monitor's own network (server-side request forgery).

A program's site may redirect or link anywhere. Followed blindly, a redirect to
169.254.169.254 (the cloud metadata service), to 127.0.0.1:6379 or to an
intranet host makes the monitor a proxy into the machine and network it runs
on. So every request, including each hop of a redirect, is checked before it
is sent: its host is resolved, and every address it resolves to must be a
public one, or be exactly an address and port of the program's own configured
URLs (`url`, `visa_urls`, `scope`), which is how the demo and the tests serve
their sites on 127.0.0.x. A refused request fails with `IgnoreRequest`; the
spider records it as that page's error, and the refusal is logged.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
from collections.abc import Iterable
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import threads

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


async def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address `host` resolves to (an IP literal is itself); [] when it does not."""
    try:
        return [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        pass
    try:
        infos = await maybe_deferred_to_future(
            threads.deferToThread(socket.getaddrinfo, host, port, type=socket.SOCK_STREAM))
    except OSError:
        return []  # the download reports the DNS error itself
    return [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]


class PrivateAddressGuard:
    """Downloader middleware: runs before robots.txt, so a refused host is never contacted."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.allowed: dict[str | None, set[Endpoint]] = {}

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def process_request(self, request):
        target = endpoint_of(request.url)
        if target is None:
            return None
        host, port = target
        allowed = await self._allowed(request.meta.get("program"))
        reason = refusal(request.url, await resolve(host, port), port, allowed)
        if reason is not None:
            self.crawler.stats.inc_value("visa_monitor/refused_non_public_address")
            logger.warning("%s: %s", request.meta.get("program", "-"), reason)
            raise IgnoreRequest(reason)
        return None

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
