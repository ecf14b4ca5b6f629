"""Visible text of an HTML page, one block element per line.

The classifier reads sentences and lines, so the text must keep the page's
block structure (a heading, a list item, a table row each on its own line)
while text split across inline tags (``H-<b>1B</b>``) is joined back together.
A list item's first line is written ``- item``, as lists are written in plain
text: the classifier reads a bulleted line as an item of the title above it
("Requirements:" ... "- Permanent resident status").

How it works, and why it is fast: lxml parses the page (C).  What is not page
content is removed in three steps: non-text elements and ``nav`` by tag with
``strip_elements`` (C), page-level ``header``/``footer`` found by tag
iteration (C), and containers whose class/id/role/hidden attributes mark them
as chrome, found in one Python pass over the remaining elements that skips the
subtree of each element it removes.  A small XSLT stylesheet then reads the text
in one walk (libxslt, C), writing a private-use marker character around every
block element and after every table cell.  Source whitespace (newlines in the
HTML) collapses to single spaces and only the markers become line breaks, so
the two never mix.  The Python-level work is one attribute read or two per
element and a few string operations over the text, which keeps HTML-to-text
within a small multiple of the parse itself (see benchmarks/classifier.py).

A page lxml cannot read, or one nested deeper than libxml2's limit (2048
levels, where it stops parsing), is read by a crude regex tag stripper
instead, so that no input raises and no text is silently lost.  A tree nested
deeper than 100 levels is read without XSLT, whose recursion could exhaust a
thread's C stack.

What is dropped: ``script``/``style``/``noscript``/``template`` and other
non-text elements, ``<head>``, ``<nav>``, page-level ``<header>``/``<footer>``
(those outside ``main``/``article``; a footer that mentions a visa is still
read when nothing else on the page does, as some sites state eligibility
only in a footer column), ``role=navigation``/``contentinfo``/
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
import functools
import html as html_lib
import re
import threading

from lxml import etree

__all__ = ["html_to_text", "normalize_text", "decode_html"]

# Private-use characters used as structure markers in the extracted text.  They
# are valid XML characters (libxslt writes them) and never whitespace, so source
# whitespace can be collapsed without touching them.  Any occurrence in the
# input is removed first.
_LINE = "\ue000"
_CELL = "\ue001"
# A list item's start: the line it begins is written "- item", as lists are in
# plain text, so that the classifier reads an item as an item of the title above it.
_ITEM = "\ue002"

_BLOCK_TAGS = (
    "address", "article", "aside", "blockquote", "body", "button", "caption", "center",
    "dd", "details", "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure",
    "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html",
    "legend", "main", "menu", "nav", "ol", "p", "pre", "section", "summary", "table",
    "tbody", "tfoot", "thead", "tr", "ul", "br",
)
_CELL_TAGS = ("td", "th")

# Elements that never carry visible prose.
_DROP_TAGS = (
    "head", "script", "style", "noscript", "template", "svg", "math", "canvas", "iframe",
    "object", "embed", "select", "option", "textarea", "input", "map", "audio", "video",
)

# Candidates for removal: <nav>/<header>/<footer> by tag, and elements whose
# class/id/role/hidden attributes suggest chrome.  Class and id values are
# screened by a regex (_CHROME_HINT) and then checked token-wise (_is_chrome),
# so that "footnote" is not taken for a footer.
_CHROME_HINT = re.compile(r"nav|menu|footer|breadcrumb|cookie|skip|canvas", re.I)
_CHROME_TOKENS = frozenset({
    "nav", "navbar", "navigation", "navmenu", "mainnav", "topnav", "subnav", "sidenav",
    "sitenav", "globalnav", "menu", "menus", "menubar", "megamenu", "mainmenu", "footer",
    "sitefooter", "pagefooter", "breadcrumb", "breadcrumbs", "cookie", "cookies",
    "cookiebanner", "cookieconsent", "skip", "skiplink", "offcanvas",
})
_CHROME_ROLES = frozenset({"navigation", "contentinfo", "banner", "menubar", "menu"})
_RARE_MARKINGS = frozenset({"id", "role", "hidden", "aria-hidden"})  # all but "class"
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
    return _names_chrome(_names(el)) and not _holds_content(el)


@functools.lru_cache(maxsize=4096)
def _names_chrome(names: str) -> bool:
    """Whether a "class id" string has a chrome word among its tokens (mainNav,
    site_footer, navbar-expand); cached, as a site repeats its class strings."""
    tokens = _TOKEN_SPLIT.split(_CAMEL.sub(r"\1 \2", names).lower())
    return not _CHROME_TOKENS.isdisjoint(tokens)


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
_FORBIDDEN = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff{_LINE}{_CELL}{_ITEM}]+")
_CONTROL_BYTES = bytes([*range(0, 9), 11, 12, *range(14, 32)])
_FORBIDDEN_FAST = ("\ufffe", "\uffff", _LINE, _CELL, _ITEM)


def _without_forbidden(text: str) -> str:
    """`text` without control characters, non-characters and our markers.

    The control characters are deleted from the UTF-8 bytes (in UTF-8 those
    bytes only ever encode controls): bytes.translate runs at memory speed,
    while a regex character-class scan of a 60 KB page costs half a millisecond.
    The other characters are rare and found by C-speed `in` scans.
    """
    data = text.encode("utf-8", "surrogatepass")
    kept = data.translate(None, _CONTROL_BYTES)
    if len(kept) != len(data):
        text = kept.decode("utf-8", "surrogatepass")
    if any(ch in text for ch in _FORBIDDEN_FAST):
        text = _FORBIDDEN.sub("", text)
    return text


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
# Hyphens that are only ever hyphens (U+2010 hyphen, U+2011 non-breaking hyphen: "case‑by‑case",
# "non‑U.S.") are the ASCII one everywhere; a dash (en, em, minus) may be punctuation and stays.
_HYPHENS = str.maketrans({"\u2010": "-", "\u2011": "-"})


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
    (NBSP, thin space, ...) into a plain space while keeping line breaks,
    replaces non-ASCII hyphens/dashes inside visa names (H‑1B, J–1) by '-', and
    Unicode hyphens (not dashes) anywhere by '-'.
    """
    text = _INVISIBLE.sub("", text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _SPACES.sub(" ", text)
    if any(ch in text for ch in _DASHES):
        text = _VISA_DASH.sub(_fix_visa_dash, text).translate(_HYPHENS)
    return text


# --- decoding -----------------------------------------------------------------

_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]{1,40})""", re.I
)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]{0,100}?encoding\s*=\s*["']([A-Za-z0-9_.\-]{1,40})""")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*>")
_CLOSING_ROOT = re.compile(r"</(?:body|html)\s*>", re.IGNORECASE)


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
        html = _decode_page(bytes(html))
    else:
        html = _without_forbidden(html)
    if not html or html.isspace():
        return ""
    # XML declarations are rejected by lxml when parsing str input.
    html = _XML_DECL.sub("", html, count=1)
    # libxml2 drops whatever follows a closing </html> or </body>; browsers
    # show it, and stray closing tags are common in templated pages.
    html = _CLOSING_ROOT.sub("", html)
    parser = _parser()
    try:
        root = etree.fromstring(html, parser)
        last = parser.error_log.last_error
        if root is not None and not (last is not None and last.type_name == "ERR_RESOURCE_LIMIT"):
            return _tree_text(root)
    except (etree.LxmlError, ValueError, UnicodeError):
        pass
    # lxml refused the input, or stopped at its nesting limit (2048 levels), or
    # the XSLT failed: read the whole page with the crude but complete regex
    # reader instead.
    return _fallback_text(html)


def _decode_page(data: bytes) -> str:
    """Page bytes to text without control characters, non-characters or markers."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # In UTF-16 most characters have a zero byte: decode first.
        return _without_forbidden(decode_html(data))
    # Deleting control bytes before decoding is a C-speed translate; in
    # UTF-8 and single-byte encodings these bytes only ever encode controls.
    text = decode_html(data.translate(None, _CONTROL_BYTES))
    if any(ch in text for ch in _FORBIDDEN_FAST):
        text = _FORBIDDEN.sub("", text)
    return text


def _tree_text(root) -> str:
    # Removal runs in three steps, each on the tree the previous one left, so
    # that a "nav-wrapper" whose only <h1> sat in a dropped <header> is chrome.
    # 1. Non-text elements, and <nav>, which always goes: by tag, in C.
    etree.strip_elements(root, *_DROP_TAGS, "nav", with_tail=False)  # tails stay in place
    # 2. Page-level <header>/<footer> (decided on ancestors alone, then dropped).
    # A page-level footer that mentions a visa is set aside: it is read only when
    # the rest of the page never does ("Eligibility" column of a site footer).
    kept_footers = []
    for el in [el for el in root.iter("header", "footer") if _is_chrome(el)]:
        _drop(el)
        if el.tag == "footer" and _mentions_visa(" ".join(el.itertext())):
            kept_footers.append(el)
    # 3. Containers whose attributes mark them as chrome.
    for el in _named_chrome(root):
        _drop(el)
    text = _finish(_marked_text(root))
    if kept_footers and not _mentions_visa(text):
        for footer in kept_footers:
            for el in _named_chrome(footer):
                _drop(el)
        text = "\n".join(filter(None, [text, *(_finish(_marked_text(f)) for f in kept_footers)]))
    return text


# A word naming a visa (the screen for footers kept as a page's only visa text).
# The statuses that decide a stance count too ("must be US citizens or permanent residents").
# "Visa and Mastercard accepted" in a site footer is the card brand, not a visa.
_VISA_WORD = re.compile(
    r"\bvisas?\b(?!,? ?(?:and|&|/|,) ?(?:master|american|amex|discover))(?! ?(?:cards?|debit)\b)"
    r"|\b[hj][-\u2010-\u2015 ]?1|\bcitizens?(?:hip)?\b|\bpermanent (?:resid|work)"
    r"|\bgreen cards?\b|\bwork authori[sz]",
    re.I,
)
# Every match of _VISA_WORD starts with one of these words (lower-cased) or
# with a match of _VISA_NAME.
_VISA_STARTS = ("visa", "citizen", "permanent ", "green card", "work authori")
_VISA_NAME = re.compile(r"[hjHJ][-\u2010-\u2015 ]?1")


# Non-ASCII letters that re.IGNORECASE matches to an ASCII letter of _VISA_WORD.
_FOLDS_TO_ASCII = "\u017f\u0130\u0131\u212a"  # long s, dotted I, dotless i, Kelvin sign


def _mentions_visa(text: str) -> bool:
    """Whether `text` matches _VISA_WORD, without running the regex over a whole page.

    The regex costs about 0.2 ms on a page's text; C-speed `find` calls locate
    the first place a match could start, and the regex runs from there.
    """
    if any(ch in text for ch in _FOLDS_TO_ASCII):
        # The regex's case folding matches these to ASCII letters and lower()
        # does not (or changes their length): ask the regex directly.
        return _VISA_WORD.search(text) is not None
    lower = text.lower()
    starts = [pos for pos in map(lower.find, _VISA_STARTS) if pos != -1]
    name = _VISA_NAME.search(text)
    if name is not None:
        starts.append(name.start())
    return bool(starts) and _VISA_WORD.search(text, min(starts)) is not None


def _named_chrome(root) -> list:
    """The outermost elements whose class/id/role/hidden attributes make them chrome.

    One pass in document order; this loop is the hot spot of the module, hence
    the inlined screen.  Nearly every element has a class and few have anything
    else, so the class is read on its own (class strings repeat a lot within a
    page, so their regex verdicts are memoised) and the other attributes only
    when the element has one of them.  Once an element is found to be chrome,
    its subtree is skipped, as it goes as a whole.  (An XPath screen was slower:
    libxml2 spends more per element on an attribute predicate than lxml's get().)
    """
    found = []
    hinted: dict[str | None, bool] = {None: False}  # class -> _CHROME_HINT matches
    resume = None  # the first node after the subtree being skipped
    # The root itself cannot be removed (<html role="menu">): only look inside it.
    for el in root.iterdescendants():
        if resume is not None:
            if el is not resume:
                continue
            resume = None
        cls = el.get("class")
        hint = hinted.get(cls)
        if hint is None:
            hint = hinted[cls] = _CHROME_HINT.search(cls) is not None
        if not hint and (_RARE_MARKINGS.isdisjoint(el.keys()) or not _rare_marking(el)):
            continue
        if _is_chrome(el):
            found.append(el)
            resume = _next_outside(el)
            if resume is None:  # the chrome runs to the end of the page
                break
    return found


def _rare_marking(el) -> bool:
    """An id, role or hidden/aria-hidden attribute that suggests chrome."""
    ident = el.get("id")
    hidden = el.get("hidden")
    return (
        (ident is not None and _CHROME_HINT.search(ident) is not None)
        or el.get("role") in _CHROME_ROLES
        or (hidden is not None and hidden != "until-found")
        or el.get("aria-hidden") == "true"
    )


def _next_outside(el):
    """The first node after `el`'s subtree in document order, or None."""
    for node in (el, *el.iterancestors()):
        following = node.getnext()
        if following is not None:
            return following
    return None


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


def _marked_text(root) -> str:
    """The text of the tree, with a line marker around every block element and a
    cell marker after every table cell (source whitespace still in place)."""
    if _DEEPER_THAN_XSLT_DEPTH(root):
        return _marked_text_iteratively(root)
    return str(_text_transform()(root))


# libxslt walks the tree in C, several times faster than marking the elements
# from Python and reading them with itertext().  Everything but block elements
# and cells is read by XSLT's built-in rules: text and tails in document order.
_TEXT_XSLT = f"""\
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:output method="text" encoding="UTF-8"/>
  <!-- Only the root element: after a stray </html> libxml2 may start a second
       top-level <html>, which lxml's root (and thus the chrome removal) excludes. -->
  <xsl:template match="/"><xsl:apply-templates select="*[1]"/></xsl:template>
  <xsl:template match="{"|".join(_BLOCK_TAGS)}">\
&#x{ord(_LINE):X};<xsl:apply-templates/>&#x{ord(_LINE):X};</xsl:template>
  <xsl:template match="li">\
&#x{ord(_LINE):X};&#x{ord(_ITEM):X};<xsl:apply-templates/>&#x{ord(_LINE):X};</xsl:template>
  <xsl:template match="{"|".join(_CELL_TAGS)}">\
<xsl:apply-templates/>&#x{ord(_CELL):X};</xsl:template>
</xsl:stylesheet>
"""

# libxslt recurses once per nesting level, using about 1 KB of C stack each
# time, and a thread's stack may be as small as 128 KB (musl's default, or a
# threading.stack_size() setting).  Deeper trees (pathological: real pages stay
# well under 100 levels) are marked by the iterative Python reader instead.
_XSLT_MAX_DEPTH = 100
_DEEPER_THAN_XSLT_DEPTH = etree.XPath(f"boolean({'*/' * _XSLT_MAX_DEPTH}*)")


def _text_transform() -> etree.XSLT:
    """One compiled stylesheet per thread, like the parser."""
    transform = getattr(_local, "transform", None)
    if transform is None:
        transform = _local.transform = etree.XSLT(etree.XML(_TEXT_XSLT))
    return transform


def _marked_text_iteratively(root) -> str:
    """What _TEXT_XSLT produces, by writing the markers into the tree (for deep
    trees: no recursion, but several times slower)."""
    for el in root.iter(_BLOCK_TAGS):
        el.text = _LINE + el.text if el.text else _LINE
        el.tail = _LINE + el.tail if el.tail else _LINE
    for el in root.iter("li"):
        el.text = _LINE + _ITEM + el.text if el.text else _LINE + _ITEM
        el.tail = _LINE + el.tail if el.tail else _LINE
    for el in root.iter(_CELL_TAGS):
        el.tail = _CELL + el.tail if el.tail else _CELL
    return "".join(root.itertext())


_BULLETS = "-\u2022*\u2013\u00b7"  # a list item that brings its own bullet keeps it


def _finish(raw: str) -> str:
    """Collapse source whitespace, then turn the markers into lines and cells.

    This is the hot path: str.split/join do the whitespace work in C, and the
    only Python loop is over lines (empty cells and empty lines are dropped).
    """
    text = " ".join(_clean_chars(raw).split())  # all Unicode whitespace -> one space
    out = []
    item = False  # a list item began and its first line is still to come
    for line in text.split(_LINE):
        if _ITEM in line:
            item = True
            line = line.replace(_ITEM, "")
        if _CELL in line:
            line = " | ".join(filter(None, [cell.strip() for cell in line.split(_CELL)]))
        else:
            line = line.strip()
        if line:
            out.append(f"- {line}" if item and line[:1] not in _BULLETS else line)
            item = False
    return "\n".join(out)


_FALLBACK_DROP = re.compile(
    r"<(script|style|noscript|template|head)\b.*?</\1\s*>", re.I | re.S
)
_FALLBACK_BLOCK = re.compile(
    r"<\s*/?\s*(?:p|div|br|li|h[1-6]|tr|dt|dd|table|ul|ol|section|article|summary)\b[^>]*>",
    re.I,
)
_FALLBACK_ITEM = re.compile(r"<\s*li\b[^>]*>", re.I)
_FALLBACK_TAG = re.compile(r"<[^>]*>")


def _fallback_text(html: str) -> str:
    """Regex tag stripping for input lxml refuses; crude but never fails."""
    text = _FALLBACK_DROP.sub(" ", html)
    text = _FALLBACK_ITEM.sub(_LINE + _ITEM, text)
    text = _FALLBACK_BLOCK.sub(_LINE, text)
    text = html_lib.unescape(_FALLBACK_TAG.sub("", text))
    return _finish(text)
