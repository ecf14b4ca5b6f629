"""Apprise URLs carry passwords and tokens: show them masked, scrub them from any text.

Masking is Apprise's own (`URLBase.url(privacy=True)`), which knows which part
of each service's URL is secret. Scrubbing removes, from messages and logs,
every piece of a raw URL that the masked form does not show.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from urllib.parse import unquote

import apprise

MASK = "****"
# A piece shorter than this is a word of the URL (a scheme, "to", a port), not a secret.
MIN_SECRET = 4
_PIECES = re.compile(r"[/:@?&=#,+\s]+")


def load_service(url: str):
    """The Apprise plugin for `url`, and Apprise's reason (secrets scrubbed) when none."""
    with apprise.LogCapture(level=logging.WARNING, fmt="%(message)s") as logs:
        service = apprise.Apprise.instantiate(url, suppress_exceptions=True)
    if service is not None:
        return service, None
    reason = " ".join(line for line in logs.getvalue().splitlines() if line.strip())
    return None, scrub(reason or "Apprise does not recognise this URL", [url])


def mask_url(url: str | None) -> str:
    """The URL as Apprise shows it with privacy on; never the raw secret."""
    if url is None:
        return ""
    service, _ = load_service(url)
    if service is None:
        scheme = url.split("://", 1)[0] if "://" in url else "?"
        return f"{scheme}://{MASK} (not a valid Apprise URL)"
    return service.url(privacy=True)


def secret_pieces(url: str) -> set[str]:
    """The parts of `url` that its masked form hides."""
    masked = unquote(mask_url(url))
    pieces = set()
    for piece in _PIECES.split(url):
        for form in {piece, unquote(piece)}:
            if len(form) >= MIN_SECRET and form not in masked:
                pieces.add(form)
    return pieces


def scrub(text: str | None, urls: Iterable[str | None]) -> str | None:
    """`text` with every secret piece of `urls` replaced by ****."""
    if not text:
        return text
    pieces: set[str] = set()
    for url in urls:
        if url:
            pieces.add(url)
            pieces |= _raw_pieces(url)
    for piece in sorted(pieces, key=len, reverse=True):
        text = text.replace(piece, MASK)
    return text


def _raw_pieces(url: str) -> set[str]:
    with apprise.LogCapture(level=logging.CRITICAL, fmt="%(message)s"):
        service = apprise.Apprise.instantiate(url, suppress_exceptions=True)
    if service is not None:
        return secret_pieces(url)
    # Without Apprise's help (an invalid URL): every long piece but the scheme.
    _, _, rest = url.partition("://")
    return {piece for piece in _PIECES.split(rest) if len(piece) >= MIN_SECRET}
