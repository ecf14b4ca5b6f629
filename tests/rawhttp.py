"""A raw-socket HTTP server for tests that need a site to misbehave at the byte level.

`http.server` always finishes a response; this one sends exactly the bytes a
route gives and then closes the connection, so a test can cut a body short of
its Content-Length, end a chunked body early, or redirect anywhere. Each route
is a path mapped to the full response (status line, headers and body) as
bytes; an unknown path answers 404. `requests` records every request line's
path, in order.
"""

from __future__ import annotations

import socket
import threading


def response(status: str, body: bytes = b"", headers: dict[str, str] | None = None) -> bytes:
    """A complete HTTP/1.1 response with a correct Content-Length."""
    head = {"Content-Type": "text/html; charset=utf-8", "Content-Length": str(len(body)),
            "Connection": "close", **(headers or {})}
    lines = [f"HTTP/1.1 {status}", *(f"{k}: {v}" for k, v in head.items()), "", ""]
    return "\r\n".join(lines).encode("latin-1") + body


def redirect(location: str) -> bytes:
    return response("302 Found", headers={"Location": location})


class RawHTTPServer:
    def __init__(self, host: str = "127.0.0.1"):
        self.routes: dict[str, bytes] = {}
        self.requests: list[str] = []
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((host, 0))
        self.sock.listen(32)
        self.host, self.port = self.sock.getsockname()[:2]
        self.thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def origin(self) -> str:
        return f"http://{self.host}:{self.port}"

    def __enter__(self) -> RawHTTPServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.sock.close()
        self.thread.join(timeout=5)

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self.sock.accept()
            except OSError:
                return  # the listening socket was closed
            threading.Thread(target=self._answer, args=(connection,), daemon=True).start()

    def _answer(self, connection: socket.socket) -> None:
        with connection:
            connection.settimeout(10)
            request = b""
            try:
                while b"\r\n\r\n" not in request:
                    chunk = connection.recv(4096)
                    if not chunk:
                        return
                    request += chunk
                path = request.split(b" ", 2)[1].decode("latin-1")
                self.requests.append(path)
                connection.sendall(self.routes.get(path, response("404 Not Found", b"")))
                connection.shutdown(socket.SHUT_WR)
            except OSError:
                return
