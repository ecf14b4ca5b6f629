"""Visible text of an HTML page, one block element per line.

The classifier reads sentences and lines, so the text must keep the page's
block structure (a heading, a list item, a table row each on its own line)
while text split across inline tags (``H-<b>1B</b>``) is joined back together.

How it works, and why it is fast: lxml parses the page (C), the elements that
are not page content are removed with a few XPath queries (C), block elements
get a private-use marker character appended to their text and tail, and the
text is then read in one ``itertext`` pass (C).  Source whitespace (newlines in
the HTML) collapses to single spaces; only the markers become line breaks, so
the two never mix.  The Python-level work is one attribute write per block
element, which keeps HTML-to-text within a small multiple of the parse itself.

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

# Accordion / tab panels: collapsed content that is still part of the page.
_PANEL = (
    "contains(@class,'accordion') or contains(@class,'collapse') or contains(@class,'panel')"
    " or contains(@class,'faq') or contains(@class,'toggle') or contains(@class,'tab')"
    " or contains(@class,'expand') or @role='region' or @role='tabpanel'"
)

# Class/id tokens naming site chrome.  translate() turns '-' and '_' into spaces
# so "main-nav" and "site_footer" are matched token-wise; "navigation-free" words
# such as "canvas" or "footnote" do not match because whole tokens are compared.
_CHROME_TOKENS = (
    "nav", "navbar", "navigation", "menu", "menubar", "megamenu", "mainmenu", "footer",
    "breadcrumb", "breadcrumbs", "cookie", "cookies", "skip", "skiplink", "offcanvas",
)
_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ-_"
_LOWER = "abcdefghijklmnopqrstuvwxyz  "


def _token_test(attr: str) -> str:
    norm = f"concat(' ', normalize-space(translate(@{attr}, '{_UPPER}', '{_LOWER}')), ' ')"
    return " or ".join(f"contains({norm}, ' {tok} ')" for tok in _CHROME_TOKENS)


_CHROME_XPATH = etree.XPath(
    "//nav | //*[@role='navigation' or @role='contentinfo' or @role='banner'"
    " or @role='menubar' or @role='menu']"
    " | //header[not(ancestor::main or ancestor::article)]"
    " | //footer[not(ancestor::main or ancestor::article)]"
    f" | //*[(@hidden and @hidden!='until-found') and not({_PANEL})]"
    f" | //*[@aria-hidden='true' and not({_PANEL})]"
    # Chrome containers by class/id, but never a wrapper of the whole content:
    # a <body class="has-navbar"> or a page wrapper holding <main> must stay.
    " | //*[not(self::html or self::body or self::main or self::article)"
    f" and (({_token_test('class')}) or ({_token_test('id')}))"
    " and not(.//main or .//article or .//h1)]"
)

_PARSER = etree.HTMLParser(
    remove_comments=True, remove_pis=True, huge_tree=True, no_network=True, recover=True
)

# --- text normalisation -------------------------------------------------------

# Zero-width and invisible format characters, deleted outright (they split words).
_INVISIBLE = dict.fromkeys(
    map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff\u180e\u2061\u2062\u2063\u2064"), None
)
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


def normalize_text(text: str) -> str:
    """Unicode clean-up shared by the HTML reader and the classifier.

    Deletes zero-width characters and soft hyphens, turns every Unicode space
    (NBSP, thin space, ...) into a plain space while keeping line breaks, and
    replaces non-ASCII hyphens/dashes inside visa names (H‑1B, J–1) by '-'.
    """
    text = text.translate(_INVISIBLE)
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

_CELL_RUN = re.compile(rf"\s*(?:{_CELL}\s*)+")


def html_to_text(html: str | bytes) -> str:
    """Visible text of `html`, one block per line, table cells joined by ' | '."""
    if isinstance(html, bytes | bytearray | memoryview):
        html = decode_html(bytes(html))
    if not html or not html.strip():
        return ""
    # The markers must only come from us; XML declarations are rejected by lxml
    # when parsing str input.
    html = html.replace(_LINE, "").replace(_CELL, "")
    html = _XML_DECL.sub("", html, count=1)
    try:
        root = etree.fromstring(html, _PARSER)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        root = None
    if root is None:
        return _fallback_text(html)
    return _tree_text(root)


def _tree_text(root) -> str:
    # Materialise the lists first: removing while iterating skips elements.
    for el in list(root.iter(_DROP_TAGS)):
        _drop(el)
    for el in _CHROME_XPATH(root):
        _drop(el)
    for el in root.iter(_BLOCK_TAGS):
        if el.tag != "br":
            el.text = _LINE + el.text if el.text else _LINE
        el.tail = _LINE + el.tail if el.tail else _LINE
    for el in root.iter(_CELL_TAGS):
        el.tail = _CELL + el.tail if el.tail else _CELL
    return _finish("".join(root.itertext()))


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
    """Collapse source whitespace, then turn the markers into lines and cells."""
    text = normalize_text(raw)
    text = re.sub(r"\s+", " ", text)
    lines = []
    for line in text.split(_LINE):
        line = _CELL_RUN.sub(" | ", line).strip(" |")
        if line:
            lines.append(line)
    return "\n".join(lines)


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
