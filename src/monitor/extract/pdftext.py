"""PDF documents to text, page by page, read the way HTML text is read.

pypdf gives each page's text with the document's line breaks, which wrap
sentences mid-word ("spon-" / "sor", "H-" / "1B"). Each page is cleaned
(`normalize_text`) and its wrapped lines re-joined (`reflow`, the same step
`classify_text` applies to plain text), so the result is "extracted" text,
one block per line, stored as is and classified with `classify_extracted`:
the one reading path HTML pages take.

A document that cannot be read gives a `PdfError` whose message is meant
for the user (an encrypted file, a scan without a text layer, a broken or
oversized file); it is recorded for that document and never classified.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from functools import cache
from io import BytesIO
from pathlib import Path

import pypdf
from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PyPdfError

from monitor.classify.units import reflow
from monitor.extract.htmltext import normalize_text

# Pages are joined with a form feed in the stored text, so a stored
# document can be split into its pages again without a second extraction.
PAGE_BREAK = "\f"

# A PDF may have junk (a BOM, an HTTP error banner) before its header; readers
# accept the header within the first kilobyte.
_HEADER_WINDOW = 1024


class PdfError(Exception):
    """The document cannot be read as text; the message says why, for the user."""


@dataclass(frozen=True)
class PdfText:
    pages: tuple[str, ...]  # extracted text of each page ("" for a page without text)

    @property
    def text(self) -> str:
        return PAGE_BREAK.join(self.pages)

    @classmethod
    def from_text(cls, text: str) -> PdfText:
        """The pages of a document stored as `text`."""
        return cls(tuple(text.split(PAGE_BREAK)))


@cache
def reader_version() -> str:
    """A digest of this reader and the pypdf release: a stored extraction is reused
    only when the same code would read the same bytes again."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    digest.update(pypdf.__version__.encode())
    return digest.hexdigest()[:16]


def page_url(url: str, number: int) -> str:
    """The address of one page of a PDF (`…/policy.pdf#page=3`), as browsers open it."""
    return f"{url.split('#', 1)[0]}#page={number}"


def is_pdf(data: bytes) -> bool:
    return b"%PDF-" in data[:_HEADER_WINDOW]


def pdf_to_text(data: bytes, max_bytes: int | None = None) -> PdfText:
    """The text of each page of the PDF `data`; PdfError when there is none to read."""
    if max_bytes is not None and len(data) > max_bytes:
        raise PdfError(f"PDF larger than the size limit ({_megabytes(max_bytes)})")
    if not is_pdf(data):
        raise PdfError("not a PDF document")
    try:
        reader = _open(data)
        raw_pages = [_page_text(page) for page in reader.pages]
    except PdfError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError,
            RecursionError, OSError, ArithmeticError) as exc:
        # pypdf raises a range of errors on malformed files; none of them may
        # stop a crawl.
        raise PdfError(f"broken PDF: {_reason(exc)}") from None
    if not raw_pages:
        raise PdfError("broken PDF: no pages")
    pages = tuple(_clean(raw) for raw in raw_pages)
    if not any(pages):
        count = len(pages)
        raise PdfError(
            f"scanned PDF without a text layer ({count} page{'s' if count != 1 else ''}); "
            "its text cannot be read"
        )
    return PdfText(pages)


def _open(data: bytes) -> PdfReader:
    # pypdf logs every recoverable defect as a warning; a crawl log full of
    # "incorrect startxref" lines helps nobody.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    reader = PdfReader(BytesIO(data))
    if reader.is_encrypted:
        # Many published PDFs are encrypted only to forbid editing: they open
        # with the empty user password.
        try:
            opened = reader.decrypt("")
        except DependencyError as exc:
            raise PdfError(f"encrypted PDF that cannot be decrypted here: {exc}") from None
        except (FileNotDecryptedError, NotImplementedError) as exc:
            raise PdfError(f"encrypted PDF: {_reason(exc)}") from None
        if not opened:
            raise PdfError("encrypted PDF: it needs a password to open")
    return reader


def _page_text(page) -> str:
    try:
        return page.extract_text() or ""
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError,
            ArithmeticError):
        # One unreadable page (a broken content stream) should not hide the others.
        return ""


def _clean(raw: str) -> str:
    text = normalize_text(raw.replace(PAGE_BREAK, "\n"))
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return "\n".join(reflow([line for line in lines if line]))


def _reason(exc: BaseException) -> str:
    detail = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return detail[:200] or type(exc).__name__


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:g} MB"
