"""Synthetic program sites for the crawl benchmark, generated from the path on request.

One asyncio server process listens on many 127.0.x.y addresses (one per host);
each program site has a home page linking to four policy-like pages and two
others the spider should not follow. Pages are 30-100 KB of realistic
residency-site prose around a visa statement. A third of the sites send an
ETag, a third Last-Modified, a third neither; the server answers conditional
requests with 304 and counts what it sent (GET /__stats, POST-free: any host).
"""

from __future__ import annotations

import asyncio
import json
import random
import zlib
from dataclasses import dataclass

PAGES = ("index.html", "eligibility.html", "visa-sponsorship.html", "faq.html",
         "how-to-apply.html")
OTHER_PAGES = ("curriculum.html", "about-la.html")
LAST_MODIFIED = "Tue, 01 Dec 2026 08:00:00 GMT"

STATEMENTS = (
    "Our program sponsors both the J-1 visa through ECFMG and the H-1B visa for "
    "qualified applicants who have passed USMLE Step 3 before the rank list deadline.",
    "We accept international medical graduates on a J-1 visa sponsored by ECFMG only. "
    "We do not sponsor H-1B visas.",
    "The program does not sponsor visas of any kind. Applicants must be US citizens or "
    "permanent residents at the time of application.",
    "H-1B sponsorship is available on a limited, case-by-case basis for exceptional "
    "candidates; the J-1 visa is the usual route for our residents.",
    "Applicants who will need a visa should contact the program coordinator.",
)

FILLER = (
    "Residents rotate through the medical wards, intensive care units and the emergency "
    "department, with protected time for continuity clinic every week of the year.",
    "Our faculty are committed to teaching at the bedside and in daily morning report, "
    "noon conference, and a weekly grand rounds open to the whole department.",
    "The curriculum includes a research block in the second year; residents present "
    "their projects at the regional meeting of the American College of Physicians.",
    "Wellness is part of the program: residents have four weeks of vacation, a "
    "mentoring family, retreats each year and confidential counselling services.",
    "Ambulatory training takes place at the hospital's clinics and at a federally "
    "qualified health center serving a diverse community in Los Angeles County.",
    "Night float replaces traditional overnight call, and the program follows the "
    "ACGME duty hour requirements closely with monitoring by the chief residents.",
    "Electives are available in cardiology, gastroenterology, nephrology, infectious "
    "diseases, pulmonary and critical care, oncology, and palliative medicine.",
    "Graduates go on to fellowships across the country or practise as hospitalists "
    "and primary care physicians; board pass rates have been above the national mean.",
    "The hospital is a 500-bed teaching institution with a level one trauma center, "
    "a comprehensive stroke center, and a busy cardiac catheterization laboratory.",
    "Interview days are held virtually from October to January and include a meeting "
    "with the program director, faculty interviews and a social hour with residents.",
)


@dataclass(frozen=True)
class Site:
    index: int
    host: str  # 127.0.x.y
    prefix: str  # "/p00042/"

    def url(self, port: int, page: str = "") -> str:
        return f"http://{self.host}:{port}{self.prefix}{page}"


def hosts_for(count: int) -> int:
    """How many distinct hosts N programs share: about one in ten shares, at most 4000."""
    return max(1, min(count - count // 10, 4000))


def host_of(site_index: int, count: int) -> str:
    hosts = hosts_for(count)
    h = site_index % hosts
    return f"127.0.{h // 250 + 1}.{h % 250 + 1}"


def sites(count: int) -> list[Site]:
    return [Site(i, host_of(i, count), f"/p{i:05d}/") for i in range(count)]


def all_hosts(count: int) -> list[str]:
    return sorted({host_of(i, count) for i in range(count)})


def page_body(site_index: int, page: str) -> bytes:
    """The HTML of one page, the same every time it is asked for."""
    rng = random.Random(zlib.crc32(f"{site_index}/{page}".encode()))
    size = rng.randint(30_000, 100_000)
    links = "\n".join(
        f'<li><a href="{name}">{name.removesuffix(".html").replace("-", " ").title()}</a></li>'
        for name in (*PAGES[1:], *OTHER_PAGES)
    )
    title = f"Program {site_index} Internal Medicine Residency - {page}"
    head = (f"<!doctype html><html><head><title>{title}</title></head><body>"
            f"<header><nav><ul><li><a href=\"index.html\">Home</a></li>{links}</ul></nav>"
            f"</header><main><h1>{title}</h1>")
    parts = [head]
    total = len(head)
    statement = STATEMENTS[site_index % len(STATEMENTS)]
    placed = page == "index.html"  # the home page carries no statement
    while total < size:
        if not placed and total > size // 2:
            block = f"<h2>Visa sponsorship</h2><p>{statement}</p>"
            placed = True
        else:
            block = f"<p>{rng.choice(FILLER)} Section {len(parts)} of program {site_index}.</p>"
        parts.append(block)
        total += len(block)
    parts.append("<footer>Graduate Medical Education office</footer></main></body></html>")
    return "".join(parts).encode()


class Counts:
    def __init__(self):
        self.status: dict[int, int] = {}
        self.by_host: dict[str, int] = {}
        self.max_in_flight: dict[str, int] = {}


class SiteServer(asyncio.Protocol):
    """HTTP/1.1 with keep-alive, enough for Scrapy; pages come from `page_body`."""

    def __init__(self, count: int, counts: Counts, in_flight: dict, delay: float = 0.0):
        self.count = count
        self.counts = counts
        self.in_flight = in_flight
        self.delay = delay
        self.buffer = b""

    def connection_made(self, transport):
        self.transport = transport
        self.host = transport.get_extra_info("sockname")[0]

    def data_received(self, data):
        self.buffer += data
        while b"\r\n\r\n" in self.buffer:
            head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
            lines = head.decode("latin-1").split("\r\n")
            method, target, _ = lines[0].split(" ", 2)
            headers = {}
            for line in lines[1:]:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            if self.delay:
                asyncio.get_running_loop().create_task(self._slow(target, headers))
            else:
                self._respond(target, headers)

    async def _slow(self, target, headers):
        self.in_flight[self.host] = self.in_flight.get(self.host, 0) + 1
        peak = self.counts.max_in_flight
        peak[self.host] = max(peak.get(self.host, 0), self.in_flight[self.host])
        await asyncio.sleep(self.delay)
        self.in_flight[self.host] -= 1
        self._respond(target, headers)

    def _respond(self, target: str, headers: dict):
        status, extra, body = self._answer(target, headers)
        self.counts.status[status] = self.counts.status.get(status, 0) + 1
        self.counts.by_host[self.host] = self.counts.by_host.get(self.host, 0) + 1
        reason = {200: "OK", 304: "Not Modified", 404: "Not Found"}[status]
        head = [f"HTTP/1.1 {status} {reason}", f"Content-Length: {len(body)}", *extra]
        self.transport.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)

    def _answer(self, target: str, headers: dict):
        path = target.split("?", 1)[0]
        if path == "/robots.txt":
            return 200, ["Content-Type: text/plain"], b"User-agent: *\nDisallow: /private/\n"
        if path == "/__stats":
            body = json.dumps({"status": self.counts.status, "hosts": len(self.counts.by_host),
                               "max_in_flight": max(self.counts.max_in_flight.values(),
                                                    default=0)}).encode()
            return 200, ["Content-Type: application/json"], body
        if path == "/__reset":
            self.counts.status.clear()
            self.counts.by_host.clear()
            self.counts.max_in_flight.clear()
            return 200, ["Content-Type: text/plain"], b"ok"
        parts = path.lstrip("/").split("/")
        if len(parts) != 2 or not parts[0].startswith("p") or not parts[0][1:].isdigit():
            return 404, ["Content-Type: text/html"], b"<html>not found</html>"
        index = int(parts[0][1:])
        page = parts[1] or "index.html"
        if index >= self.count or page not in (*PAGES, *OTHER_PAGES):
            return 404, ["Content-Type: text/html"], b"<html>not found</html>"
        kind = ("etag", "last-modified", "none")[index % 3]
        extra = ["Content-Type: text/html; charset=utf-8"]
        etag = f'"{index}-{page}-v1"'
        if kind == "etag":
            extra.append(f"ETag: {etag}")
            if headers.get("if-none-match") == etag:
                return 304, [f"ETag: {etag}"], b""
        elif kind == "last-modified":
            extra.append(f"Last-Modified: {LAST_MODIFIED}")
            if headers.get("if-modified-since") == LAST_MODIFIED:
                return 304, [f"Last-Modified: {LAST_MODIFIED}"], b""
        return 200, extra, page_body(index, page)


def serve(count: int, port: int, ready, delay: float = 0.0) -> None:
    """Run the server (in its own process) until killed; `ready` is set once it listens."""

    async def main():
        counts, in_flight = Counts(), {}
        loop = asyncio.get_running_loop()
        for host in all_hosts(count):
            await loop.create_server(lambda: SiteServer(count, counts, in_flight, delay),
                                     host, port, backlog=512)
        ready.set()
        await asyncio.Event().wait()

    asyncio.run(main())
