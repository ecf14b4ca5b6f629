"""The offline demo: the bundled fixture sites served by a real HTTP server.

`fixtures/programs.toml` points at http://127.0.0.1:8631; when that port is
taken the sites are served on a free one and the config is rewritten to
match. The tests use the same server.
"""

from __future__ import annotations

import functools
import threading
import time
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FIXTURE_ORIGIN = "http://127.0.0.1:8631"
FIXTURE_PORT = 8631


def find_fixtures(path: str | Path | None = None) -> Path:
    """The fixtures folder: the argument, ./fixtures, or the one beside the sources."""
    candidates = [Path(path)] if path else [
        Path.cwd() / "fixtures",
        Path(__file__).resolve().parents[2] / "fixtures",
    ]
    for candidate in candidates:
        if (candidate / "programs.toml").is_file() and (candidate / "sites").is_dir():
            return candidate
    raise FileNotFoundError(
        "fixtures not found (looked in " + ", ".join(str(c) for c in candidates) + "); "
        "run from the repository or pass --fixtures"
    )


class _Handler(SimpleHTTPRequestHandler):
    fixture: FixtureServer

    def do_GET(self):  # noqa: N802 - the name http.server dispatches to
        fixture = self.fixture
        fixture.requests.append((self.path, self.headers.get("User-Agent", "")))
        if any(self.path.startswith(prefix) for prefix in fixture.slow):
            time.sleep(fixture.slow_seconds)
        if any(self.path.startswith(prefix) for prefix in fixture.failing):
            self.send_error(HTTPStatus.SERVICE_UNAVAILABLE, "fixture set to fail")
            return
        if self.path in fixture.redirects:
            self.send_response(HTTPStatus.FOUND)
            self.send_header("Location", fixture.redirects[self.path])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        super().do_GET()

    def log_message(self, format, *args):  # keep the demo's output to the table
        pass


class FixtureServer:
    """A threaded static HTTP server on 127.0.0.1 for the fixture sites.

    Tests play a misbehaving site through it without touching its files:
    `failing` holds path prefixes that answer 503, `slow` prefixes that answer
    after `slow_seconds`, `redirects` maps a path to a Location. `requests`
    records (path, user agent) of every request.
    """

    def __init__(self, root: Path, port: int = 0, host: str = "127.0.0.1"):
        self.failing: set[str] = set()
        self.slow: set[str] = set()
        self.slow_seconds = 5.0
        self.redirects: dict[str, str] = {}
        self.requests: list[tuple[str, str]] = []
        handler = type("FixtureHandler", (_Handler,), {"fixture": self})
        self.httpd = ThreadingHTTPServer(
            (host, port), functools.partial(handler, directory=str(root))
        )
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def origin(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> FixtureServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


def start_fixture_server(fixtures: Path) -> FixtureServer:
    """Serve on the port the fixture config names, or on a free one."""
    try:
        return FixtureServer(fixtures / "sites", FIXTURE_PORT)
    except OSError:
        return FixtureServer(fixtures / "sites", 0)


def fixture_config_text(fixtures: Path, origin: str) -> str:
    text = (fixtures / "programs.toml").read_text(encoding="utf-8")
    return text.replace(FIXTURE_ORIGIN, origin)
