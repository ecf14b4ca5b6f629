"""Real receivers for alert tests: an HTTP endpoint (Apprise json://) and an SMTP server."""

from __future__ import annotations

import base64
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# The password of every JsonReceiver URL: no output of the test run may show
# it (tests/output_watch.py fails the run when one does).
TOKEN = "s3cret-Tok3n"


class JsonReceiver:
    """An HTTP endpoint on 127.0.0.1 recording every JSON notification it accepts.

    `stop()` closes the port (a receiver that is down); `start()` opens the
    same port again. Each received message is (path, payload, user, password).
    """

    def __init__(self, port: int = 0):
        self.port = port
        self.messages: list[dict] = []
        self.delay = 0.0  # seconds before answering, to widen races between senders
        self.requested = threading.Event()  # set when the first message starts to arrive
        self.lock = threading.Lock()
        self.server: ThreadingHTTPServer | None = None
        self.thread: threading.Thread | None = None

    def start(self) -> JsonReceiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the http.server API
                receiver.requested.set()
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

    def url(self, path: str = "hook", user: str = "alerts", password: str = TOKEN) -> str:
        return f"json://{user}:{password}@127.0.0.1:{self.port}/{path}"

    def at(self, path: str) -> list[dict]:
        with self.lock:
            return [m["payload"] for m in self.messages if m["path"] == f"/{path}"]


class SmtpReceiver:
    """An SMTP server on 127.0.0.1 (aiosmtpd) keeping every message it accepts."""

    def __init__(self):
        self.messages: list = []  # email.message.EmailMessage
        self.controller = None
        self.port = 0

    def start(self) -> SmtpReceiver:
        from email import message_from_bytes, policy

        from aiosmtpd.controller import Controller

        receiver = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd API
                message = message_from_bytes(envelope.content, policy=policy.default)
                receiver.messages.append(message)
                return "250 Message accepted for delivery"

        # aiosmtpd needs a fixed port to check it is up: take a free one.
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def url(self, to: str = "adviser@example.org", fmt: str = "html") -> str:
        return (f"mailto://127.0.0.1:{self.port}?to={to}&from=monitor@example.org"
                f"&mode=insecure&format={fmt}")
