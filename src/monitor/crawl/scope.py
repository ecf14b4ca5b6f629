"""Which URLs a program may read.

A scope is a list of URL prefixes. Matching ignores the scheme (sites move
between http and https), a leading ``www.``, default ports, the query and the
fragment, and the letter case of the path (many hospital sites run on servers
that treat ``/Education/`` and ``/education/`` alike). A prefix matches on
path-segment boundaries, so ``/gme/im`` never admits ``/gme/imaging``.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

_DEFAULT_PORTS = {"http": 80, "https": 443}


def normalise_url(url: str) -> str:
    """A canonical form of an absolute http(s) URL; ValueError when it is not one."""
    if not isinstance(url, str) or not url.strip():
        raise ValueError("URL is empty")
    stripped = url.strip()
    # Whitespace inside: split() breaks it in two (a scan in C; a crawl asks per link).
    if len(stripped.split(maxsplit=1)) > 1:
        raise ValueError(f"URL contains whitespace: {url!r}")
    parts = urlsplit(stripped)
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        raise ValueError(f"not an http(s) URL: {url!r}")
    if not parts.hostname:
        raise ValueError(f"URL has no host: {url!r}")
    try:
        port = parts.port
    except ValueError:
        raise ValueError(f"URL has a bad port: {url!r}") from None
    host = parts.hostname.lower()
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))


def _host_key(url: str) -> tuple[str, str]:
    parts = urlsplit(normalise_url(url))
    host = parts.netloc.removeprefix("www.")
    return host, parts.path.lower()


@dataclass(frozen=True)
class Scope:
    prefixes: tuple[tuple[str, str], ...]  # (host[:port], lower-case path prefix)

    @classmethod
    def from_config(cls, home_url: str, prefixes: list[str]) -> Scope:
        if prefixes:
            return cls(tuple(_host_key(p) for p in prefixes))
        host, _ = _host_key(home_url)
        return cls(((host, "/"),))

    def contains(self, url: str) -> bool:
        try:
            host, path = _host_key(url)
        except ValueError:
            return False
        return any(host == h and _path_within(path, p) for h, p in self.prefixes)

    def overlaps(self, other: Scope) -> bool:
        """True when some URL could be in both scopes."""
        return any(
            h1 == h2 and (_path_within(p1, p2) or _path_within(p2, p1))
            for h1, p1 in self.prefixes
            for h2, p2 in other.prefixes
        )

    def describe(self) -> list[str]:
        return [f"{host}{path}" for host, path in self.prefixes]


def _path_within(path: str, prefix: str) -> bool:
    if prefix.endswith("/"):
        return path.startswith(prefix) or path == prefix.rstrip("/")
    return path == prefix or path.startswith(prefix + "/")
