"""Reading the files `visa-monitor classify` is given: text or HTML, nothing else.

A binary file (an executable, an image, a database) has no policy to read;
classifying its bytes would answer `none` with garbage as evidence. Such
input is refused with a reason instead.
"""

from __future__ import annotations

from dataclasses import dataclass

# How much of the start of a file decides whether it looks like HTML.
SNIFF_BYTES = 4096


class NotTextError(ValueError):
    """The input is not text; the message says why."""


@dataclass(frozen=True)
class Document:
    data: bytes
    is_html: bool
    text: str | None  # decoded text for plain-text input; HTML decodes itself


def read_document(data: bytes) -> Document:
    """Decide what `data` is: HTML, UTF-8 text, or not text (NotTextError)."""
    if b"\x00" in data:
        raise NotTextError("not a text file (it contains NUL bytes)")
    head = data[:SNIFF_BYTES]
    if b"<" in head and b">" in head:
        # HTML declares its own encoding, which the HTML reader honours.
        return Document(data, True, None)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise NotTextError(
            f"not UTF-8 text (undecodable byte at offset {exc.start}); "
            "save it as UTF-8 or give the HTML page itself"
        ) from None
    if _mostly_control(text):
        raise NotTextError("not a text file (mostly control characters)")
    return Document(data, False, text)


def _mostly_control(text: str) -> bool:
    sample = text[:SNIFF_BYTES]
    if not sample:
        return False
    control = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    return control > len(sample) * 0.1
