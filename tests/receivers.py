"""Real receivers for alert tests: an HTTP endpoint (Apprise json://) and an SMTP server."""

from __future__ import annotations

import base64
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class JsonReceiver:
    """An HTTP endpoint on 127.0.0.1 recording every JSON notification it accepts.

    `stop()` closes the port (a receiver that is down); `start()` opens the
    same port again. Each received message is (path, payload, user, password).
    """

    def __init__(self, port: int = 0):
        self.port = port
        self.messages: list[dict] = []
        self.delay = 0.0  # seconds before answering, to widen races between senders
        self.lock = threading.Lock()
        self.server: ThreadingHTTPServer | None = None
        self.thread: threading.Thread | None = None

    def start(self) -> JsonReceiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the http.server API
                length = int(self.headers.get("Content-Length") or 0)
                payload = json.loads(self.rfile.read(length) or b"{}")
                user = password = None
                auth = self.headers.get("Authorization", "")
                if auth.startswith("Basic "):
                    user, _, password = base64.b64decode(auth[6:]).decode().partition(":")
                if receiver.delay:
                    time.sleep(receiver.delay)
                with receiver.lock:
                    receiver.messages.append(
                        {"path": self.path, "payload": payload, "user": user,
                         "password": password}
                    )
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def url(self, path: str = "hook", user: str = "alerts", password: str = "s3cret-Tok3n") -> str:
        return f"json://{user}:{password}@127.0.0.1:{self.port}/{path}"

    def at(self, path: str) -> list[dict]:
        with self.lock:
            return [m["payload"] for m in self.messages if m["path"] == f"/{path}"]
