"""A real HTTP server on 127.0.0.x whose pages honour conditional requests, counting them.

Each page is served with an ETag, a Last-Modified date, or neither (by its
`validators`); If-None-Match / If-Modified-Since that match get a 304. Tests
change a page's body (and its validators move with it) and read back every
request with its headers and the status it got. `delay` makes the host slow,
and `max_in_flight` says how many requests it ever served at once.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LAST_MODIFIED = ("Tue, 01 Dec 2026 08:00:00 GMT", "Wed, 02 Dec 2026 09:30:00 GMT",
                 "Thu, 03 Dec 2026 10:45:00 GMT", "Fri, 04 Dec 2026 11:15:00 GMT")


@dataclass
class Page:
    body: str
    validators: str  # "etag" | "last-modified" | "none"
    version: int = 0

    @property
    def etag(self) -> str:
        return f'"v{self.version}"'

    @property
    def last_modified(self) -> str:
        return LAST_MODIFIED[self.version % len(LAST_MODIFIED)]


@dataclass
class Seen:
    path: str
    headers: dict
    status: int


@dataclass
class ConditionalServer:
    host: str = "127.0.0.3"
    pages: dict[str, Page] = field(default_factory=dict)
    robots: str = "User-agent: *\nDisallow: /private/\n"
    delay: float = 0.0
    seen: list[Seen] = field(default_factory=list)
    max_in_flight: int = 0

    def change(self, path: str, body: str) -> None:
        page = self.pages[path]
        page.body = body
        page.version += 1

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"

    def statuses(self, prefix: str = "/") -> dict[int, int]:
        counts: dict[int, int] = {}
        for seen in self.seen:
            if seen.path.startswith(prefix) and seen.path != "/robots.txt":
                counts[seen.status] = counts.get(seen.status, 0) + 1
        return counts

    def __enter__(self) -> ConditionalServer:
        server = self
        lock = threading.Lock()
        in_flight = [0]

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                with lock:
                    in_flight[0] += 1
                    server.max_in_flight = max(server.max_in_flight, in_flight[0])
                try:
                    if server.delay and self.path != "/robots.txt":
                        time.sleep(server.delay)
                    status, headers, body = server._answer(self.path, self.headers)
                finally:
                    with lock:
                        in_flight[0] -= 1
                server.seen.append(Seen(self.path, dict(self.headers), status))
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer((self.host, 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def _answer(self, path: str, request_headers) -> tuple[int, dict, bytes]:
        if path == "/robots.txt":
            return 200, {"Content-Type": "text/plain"}, self.robots.encode()
        page = self.pages.get(path)
        if page is None:
            return 404, {"Content-Type": "text/html"}, b"<html>not found</html>"
        headers = {"Content-Type": "text/html; charset=utf-8"}
        if page.validators == "etag":
            headers["ETag"] = page.etag
            if request_headers.get("If-None-Match") == page.etag:
                return 304, {"ETag": page.etag}, b""
        elif page.validators == "last-modified":
            headers["Last-Modified"] = page.last_modified
            if request_headers.get("If-Modified-Since") == page.last_modified:
                return 304, {"Last-Modified": page.last_modified}, b""
        return 200, headers, page.body.encode()
