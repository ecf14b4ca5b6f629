"""Which links on a program's page are likely to lead to its visa policy."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

# Words in a link's text or URL that point at eligibility and visa pages.
# Text is weighed above the URL: "How to apply" is a better sign than /apply.
_STRONG = re.compile(
    r"visa|h-?1b|j-?1\b|immigration|international|foreign|\bimgs?\b|ecfmg|eligib"
    r"|international[-_ ]medical|non-?citizen",
    re.IGNORECASE,
)
_MEDIUM = re.compile(
    r"appl(y|ication|icant)|faq|frequently|question|requirement|selection|admission"
    r"|prospective|recruit|how[-_ ]to|qualif|criteria|match|interview",
    re.IGNORECASE,
)

# Words in a PDF link's text or URL that make it a policy document worth
# reading ("GME Policy: Visa Sponsorship", "International Medical Graduates.pdf");
# a handbook or a parking map is not.
_POLICY_DOCUMENT = re.compile(
    r"polic(?:y|ies)|visa|h-?1b|j-?1\b|immigration|eligib|\bimgs?\b|sponsor"
    r"|international[-_ ]medical|foreign[-_ ]medical|non-?citizen",
    re.IGNORECASE,
)

# Binary documents and media we do not read (PDFs are read when they look like a policy).
SKIP_EXTENSIONS = (
    ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".zip", ".jpg", ".jpeg",
    ".png", ".gif", ".svg", ".webp", ".mp4", ".mp3", ".mov", ".ics", ".css", ".js",
)

# Query parameters that only track where a click came from.
_TRACKING = re.compile(r"^(utm_\w+|ref|source|fbclid|gclid)$", re.IGNORECASE)


def link_score(url: str, text: str) -> int:
    """How likely a link leads to the policy: 0 means do not follow."""
    score = 0
    if _STRONG.search(text):
        score += 6
    elif _MEDIUM.search(text):
        score += 3
    path = urlsplit(url).path
    if _STRONG.search(path):
        score += 4
    elif _MEDIUM.search(path):
        score += 2
    return score


def pdf_link_score(url: str, text: str) -> int:
    """Like `link_score` for a link to a PDF: only policy-like documents count."""
    score = 6 if _POLICY_DOCUMENT.search(text) else 0
    # File names carry the title, often with encoded spaces: "International%20Medical...pdf".
    if _POLICY_DOCUMENT.search(unquote(urlsplit(url).path)):
        score += 4
    return score


def clean_url(url: str) -> str:
    """The URL to request: no fragment, no click-tracking parameters.

    The rest of the query is kept byte for byte: some sites serve their
    pages by query (`?p=17587`, `?id=...`).
    """
    parts = urlsplit(url)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(k, v) for k, v in pairs if not _TRACKING.match(k)]
    query = parts.query if len(kept) == len(pairs) else urlencode(kept)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


def canonical(url: str) -> str:
    """The key that tells two links to the same page apart from different pages."""
    parts = urlsplit(clean_url(url))
    return urlunsplit(
        (parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, "")
    )


def is_document(url: str) -> bool:
    """A binary document or media file that is never read."""
    return urlsplit(url).path.lower().endswith(SKIP_EXTENSIONS)


def is_pdf_url(url: str) -> bool:
    return urlsplit(url).path.lower().endswith(".pdf")
