"""Visible text of an HTML page, one block element per line.

The classifier reads sentences and lines, so the text must keep the page's
block structure (a heading, a list item, a table row each on its own line)
while text split across inline tags (``H-<b>1B</b>``) is joined back together.

How it works, and why it is fast: lxml parses the page (C); the elements that
are not page content are found with tag iteration and one attribute XPath
(C) and removed; block elements get a private-use marker character prepended
to their text and tail, and the text is then read in one ``itertext`` pass
(C).  Source whitespace (newlines in the HTML) collapses to single spaces and
only the markers become line breaks, so the two never mix.  The Python-level
work is a few attribute writes per block element and a check of the elements
whose class/id/role looks like chrome, which keeps HTML-to-text within a small
multiple of the parse itself (see benchmarks/classifier.py).

A page lxml cannot read, or one nested deeper than libxml2's limit (2048
levels, where it stops parsing), is read by a crude regex tag stripper
instead, so that no input raises and no text is silently lost.

What is dropped: ``script``/``style``/``noscript``/``template`` and other
non-text elements, ``<head>``, ``<nav>``, page-level ``<header>``/``<footer>``
(those outside ``main``/``article``), ``role=navigation``/``contentinfo``/
``banner``, elements marked ``hidden`` or ``aria-hidden="true"``, and containers
whose class or id names a menu, navigation bar, footer, breadcrumb trail, skip
link or cookie banner.  What is kept on purpose: accordions and FAQ panels that
are only collapsed (by CSS classes, ``details``/``summary``, or an
``aria-hidden``/``hidden`` flag on an element that is itself an accordion or tab
panel), because program pages very often put the visa policy in exactly such
a collapsed FAQ answer.
"""

from __future__ import annotations

import codecs
import html as html_lib
import re
import threading

from lxml import etree

__all__ = ["html_to_text", "normalize_text", "decode_html"]

# Private-use characters used as structure markers inside the lxml tree.  They
# are valid XML characters (lxml accepts them) and never whitespace, so source
# whitespace can be collapsed without touching them.  Any occurrence in the
# input is removed first.
_LINE = "\ue000"
_CELL = "\ue001"

_BLOCK_TAGS = (
    "address", "article", "aside", "blockquote", "body", "button", "caption", "center",
    "dd", "details", "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure",
    "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html",
    "legend", "li", "main", "menu", "nav", "ol", "p", "pre", "section", "summary", "table",
    "tbody", "tfoot", "thead", "tr", "ul", "br",
)
_CELL_TAGS = ("td", "th")

# Elements that never carry visible prose.
_DROP_TAGS = (
    "head", "script", "style", "noscript", "template", "svg", "math", "canvas", "iframe",
    "object", "embed", "select", "option", "textarea", "input", "map", "audio", "video",
)

# Candidates for removal: <nav>/<header>/<footer> by tag, and elements whose
# class/id/role/hidden attributes suggest chrome.  One XPath scan returns those
# attribute values as smart strings that know their name and element; class
# and id values are screened by a regex and then checked token-wise
# (_is_chrome), so that "footnote" is not taken for a footer.  (XPath string
# functions such as contains()/translate() copy the attribute on every call
# and were 10-30x slower than this.)
_MARKING_ATTRIBUTES = etree.XPath("//@class | //@id | //@role | //@hidden | //@aria-hidden")
_CHROME_HINT = re.compile(r"nav|menu|footer|breadcrumb|cookie|skip|canvas", re.I)
_CHROME_TOKENS = frozenset({
    "nav", "navbar", "navigation", "navmenu", "mainnav", "topnav", "subnav", "sidenav",
    "sitenav", "globalnav", "menu", "menus", "menubar", "megamenu", "mainmenu", "footer",
    "sitefooter", "pagefooter", "breadcrumb", "breadcrumbs", "cookie", "cookies",
    "cookiebanner", "cookieconsent", "skip", "skiplink", "offcanvas",
})
_CHROME_ROLES = frozenset({"navigation", "contentinfo", "banner", "menubar", "menu"})
# Collapsed accordion / tab panels are content, whatever hides them.
_PANEL_WORDS = ("accordion", "collapse", "panel", "faq", "toggle", "tab", "expand", "answer")
_PANEL_ROLES = frozenset({"region", "tabpanel"})
_TOKEN_SPLIT = re.compile(r"[\s\-_]+")
_CAMEL = re.compile(r"([a-z])([A-Z])")


def _names(el) -> str:
    return el.get("class", "") + " " + el.get("id", "")


def _is_panel(el) -> bool:
    names = _names(el).lower()
    return el.get("role") in _PANEL_ROLES or any(word in names for word in _PANEL_WORDS)


def _holds_content(el) -> bool:
    """A wrapper around the main content (a page wrapper with a "nav" class)."""
    return next(el.iter("main", "article", "h1"), None) is not None


def _is_chrome(el) -> bool:
    """Whether a candidate element is site chrome (or hidden) rather than content."""
    tag = el.tag
    if tag == "nav":
        return True
    if tag in ("header", "footer"):
        # Page-level only: an article's own header/footer is content.
        return next(el.iterancestors("main", "article"), None) is None
    if el.get("role") in _CHROME_ROLES:
        return True
    hidden = el.get("hidden")
    is_hidden = (hidden is not None and hidden != "until-found") or el.get("aria-hidden") == "true"
    if is_hidden and not _is_panel(el):
        return True
    if tag in ("html", "body", "main", "article"):
        return False
    tokens = _TOKEN_SPLIT.split(_CAMEL.sub(r"\1 \2", _names(el)).lower())
    return not _CHROME_TOKENS.isdisjoint(tokens) and not _holds_content(el)


_local = threading.local()


def _parser() -> etree.HTMLParser:
    """One parser per thread: lxml parsers must not be shared across threads."""
    parser = getattr(_local, "parser", None)
    if parser is None:
        parser = _local.parser = etree.HTMLParser(
            remove_comments=True, remove_pis=True, huge_tree=True, no_network=True, recover=True
        )
    return parser


# Control characters are not allowed in lxml text nodes (and are never visible);
# the structure markers must only come from us.
_FORBIDDEN = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff{_LINE}{_CELL}]+")
_CONTROL_BYTES = bytes([*range(0, 9), 11, 12, *range(14, 32)])
_FORBIDDEN_FAST = ("\ufffe", "\uffff", _LINE, _CELL)

# --- text normalisation -------------------------------------------------------

# Zero-width and invisible format characters, deleted outright (they split words).
_INVISIBLE_CHARS = "\u00ad\u200b\u200c\u200d\u2060\ufeff\u180e\u2061\u2062\u2063\u2064"
_INVISIBLE = re.compile(f"[{_INVISIBLE_CHARS}]+")
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
# A dash between the letter and the digit of a visa name, or between the digit
# and the letter (H1–B).  Only these spots are rewritten, so an em dash used as
# punctuation elsewhere stays verbatim in the evidence.
_VISA_DASH = re.compile(
    rf"(?<![A-Za-z0-9])([HhJjFfOo])\s?[{_DASHES}]\s?([1-2])(?:\s?[{_DASHES}]\s?([Bb]))?"
    rf"|(?<![A-Za-z0-9])([Hh]-?1)[{_DASHES}]([Bb])"
)
_SPACES = re.compile(r"[^\S\n]+")


def _fix_visa_dash(match: re.Match) -> str:
    if match.group(1):
        tail = f"-{match.group(3)}" if match.group(3) else ""
        return f"{match.group(1)}-{match.group(2)}{tail}"
    return f"{match.group(4)}-{match.group(5)}"


def _clean_chars(text: str) -> str:
    """Delete invisible characters and fix dashes in visa names (no spacing changes)."""
    if any(ch in text for ch in _INVISIBLE_CHARS):  # C-speed scans; usually none
        text = _INVISIBLE.sub("", text)
    if any(ch in text for ch in _DASHES):
        text = _VISA_DASH.sub(_fix_visa_dash, text)
    return text


def normalize_text(text: str) -> str:
    """Unicode clean-up shared by the HTML reader and the classifier.

    Deletes zero-width characters and soft hyphens, turns every Unicode space
    (NBSP, thin space, ...) into a plain space while keeping line breaks, and
    replaces non-ASCII hyphens/dashes inside visa names (H‑1B, J–1) by '-'.
    """
    text = _INVISIBLE.sub("", text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _SPACES.sub(" ", text)
    if any(ch in text for ch in _DASHES):
        text = _VISA_DASH.sub(_fix_visa_dash, text)
    return text


# --- decoding -----------------------------------------------------------------

_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]{1,40})""", re.I
)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]{0,100}?encoding\s*=\s*["']([A-Za-z0-9_.\-]{1,40})""")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*>")


def decode_html(data: bytes) -> str:
    """Bytes to text: BOM, else <meta charset>/XML declaration, else UTF-8.

    Undecodable bytes become U+FFFD instead of failing: a page in a broken
    encoding still has its ASCII words (and visa names) readable.
    """
    for bom, codec in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                       (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom):].decode(codec, errors="replace")
    head = data[:4096]
    match = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    codec = "utf-8"
    if match:
        name = match.group(1).decode("ascii", "replace").lower()
        # Per the HTML standard, latin-1 labels mean windows-1252.
        if name in ("iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii"):
            name = "cp1252"
        try:
            codec = codecs.lookup(name).name
        except LookupError:
            codec = "utf-8"
        if codec.startswith("utf-16") or codec.startswith("utf-32"):
            # A meta tag readable as ASCII means the bytes are not UTF-16.
            codec = "utf-8"
    return data.decode(codec, errors="replace")


# --- extraction ---------------------------------------------------------------



def html_to_text(html: str | bytes) -> str:
    """Visible text of `html`, one block per line, table cells joined by ' | '."""
    if isinstance(html, bytes | bytearray | memoryview):
        # Deleting control bytes before decoding is a C-speed translate; in
        # UTF-8 and single-byte encodings these bytes only ever encode controls.
        html = decode_html(bytes(html).translate(None, _CONTROL_BYTES))
        if any(ch in html for ch in _FORBIDDEN_FAST):
            html = _FORBIDDEN.sub("", html)
    else:
        html = _FORBIDDEN.sub("", html)
    if not html or not html.strip():
        return ""
    # XML declarations are rejected by lxml when parsing str input.
    html = _XML_DECL.sub("", html, count=1)
    parser = _parser()
    try:
        root = etree.fromstring(html, parser)
        last = parser.error_log.last_error
        if root is not None and not (last is not None and last.type_name == "ERR_RESOURCE_LIMIT"):
            return _tree_text(root)
    except (etree.LxmlError, ValueError, UnicodeError):
        pass
    # lxml refused the input, or stopped at its nesting limit (2048 levels):
    # read the whole page with the crude but complete regex reader instead.
    return _fallback_text(html)


def _tree_text(root) -> str:
    # Collect first, then remove: removing while iterating skips elements.
    for el in list(root.iter(_DROP_TAGS)):
        _drop(el)
    for el in list(root.iter("nav", "header", "footer")):
        if _attached(el, root) and _is_chrome(el):
            _drop(el)
    for el in _chrome_candidates(root):  # document order: a menu comes before its items
        if _attached(el, root) and _is_chrome(el):
            _drop(el)
    for el in root.iter(_BLOCK_TAGS):
        if el.tag != "br":
            el.text = _LINE + el.text if el.text else _LINE
        el.tail = _LINE + el.tail if el.tail else _LINE
    for el in root.iter(_CELL_TAGS):
        el.tail = _CELL + el.tail if el.tail else _CELL
    return _finish("".join(root.itertext()))


def _chrome_candidates(root) -> list:
    """Elements whose class/id/role/hidden attributes suggest chrome (checked later)."""
    out = []
    for value in _MARKING_ATTRIBUTES(root):
        name = value.attrname
        if name in ("class", "id"):
            if not _CHROME_HINT.search(value):
                continue
        elif name == "role":
            if value not in _CHROME_ROLES:
                continue
        elif name == "hidden":
            if value == "until-found":
                continue
        elif value != "true":  # aria-hidden
            continue
        out.append(value.getparent())
    return out


def _attached(el, root) -> bool:
    """False for an element inside an already removed subtree (a dropped menu's items)."""
    top = el
    for top in el.iterancestors():  # noqa: B007 -- only the last ancestor matters
        pass
    return top is root


def _drop(el) -> None:
    """Remove an element but keep its tail text (which belongs to the parent)."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    if tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


def _finish(raw: str) -> str:
    """Collapse source whitespace, then turn the markers into lines and cells.

    This is the hot path: str.split/join do the whitespace work in C, and the
    only Python loop is over lines (empty cells and empty lines are dropped).
    """
    text = " ".join(_clean_chars(raw).split())  # all Unicode whitespace -> one space
    out = []
    for line in text.split(_LINE):
        if _CELL in line:
            line = " | ".join(filter(None, [cell.strip() for cell in line.split(_CELL)]))
        else:
            line = line.strip()
        if line:
            out.append(line)
    return "\n".join(out)


_FALLBACK_DROP = re.compile(
    r"<(script|style|noscript|template|head)\b.*?</\1\s*>", re.I | re.S
)
_FALLBACK_BLOCK = re.compile(
    r"<\s*/?\s*(?:p|div|br|li|h[1-6]|tr|dt|dd|table|ul|ol|section|article|summary)\b[^>]*>",
    re.I,
)
_FALLBACK_TAG = re.compile(r"<[^>]*>")


def _fallback_text(html: str) -> str:
    """Regex tag stripping for input lxml refuses; crude but never fails."""
    text = _FALLBACK_DROP.sub(" ", html)
    text = _FALLBACK_BLOCK.sub(_LINE, text)
    text = html_lib.unescape(_FALLBACK_TAG.sub("", text))
    return _finish(text)
