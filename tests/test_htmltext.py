"""html_to_text: visible text, one block per line, chrome dropped, Unicode cleaned."""

from __future__ import annotations

import threading
import time

import pytest

from monitor.classify import classify_text
from monitor.extract.htmltext import decode_html, html_to_text, normalize_text


def lines(html: str | bytes) -> list[str]:
    return html_to_text(html).split("\n")


# --- inline joining and block boundaries ---------------------------------------


def test_text_split_across_inline_tags_is_joined_without_spaces():
    assert html_to_text("<p>We sponsor <b>H-</b>1B and J-<i>1</i> visas.</p>") == (
        "We sponsor H-1B and J-1 visas."
    )


def test_inline_tags_keep_the_spaces_the_source_has():
    assert html_to_text("<p>We <em>do</em> <strong>not</strong> sponsor</p>") == (
        "We do not sponsor"
    )


def test_block_elements_become_lines():
    html = "<h2>Visas</h2><p>First.</p><div>Second</div><ul><li>J-1</li><li>H-1B</li></ul>"
    assert lines(html) == ["Visas", "First.", "Second", "- J-1", "- H-1B"]


def test_list_items_are_marked_as_in_plain_text():
    """A list item's first line starts "- ", as lists are written in text, so that the
    classifier reads it as an item of the title above it; one bullet, however the
    item is built."""
    html = ("<p>Requirements:</p><ul><li><p>Hold a J-1 visa</p><p>(ECFMG)</p></li>"
            "<li>- Own bullet</li><li></li><li><table><tr><td>a</td><td>b</td></tr></table>"
            "</li></ul>")
    assert lines(html) == ["Requirements:", "- Hold a J-1 visa", "(ECFMG)", "- Own bullet",
                           "- a | b"]


def test_the_fallback_reader_marks_list_items_too():
    deep = "<div>" * 3000 + "<ul><li>J-1 only</li></ul>" + "</div>" * 3000
    assert "- J-1 only" in lines(deep)


def test_br_breaks_a_line():
    assert lines("<p>Visa sponsorship<br>J-1 only</p>") == ["Visa sponsorship", "J-1 only"]


def test_source_newlines_inside_a_paragraph_are_spaces():
    assert html_to_text("<p>We sponsor\n   J-1\n visas.</p>") == "We sponsor J-1 visas."


def test_table_rows_are_cells_joined_by_pipes():
    html = (
        "<table><tr><th>Visa sponsorship</th><td>J-1 only</td></tr>"
        "<tr><td>Step 3</td><td></td><td>Required</td></tr></table>"
    )
    assert lines(html) == ["Visa sponsorship | J-1 only", "Step 3 | Required"]


def test_definition_lists_and_details_accordions_are_kept():
    html = (
        "<dl><dt>Do you sponsor H-1B?</dt><dd>No.</dd></dl>"
        "<details><summary>Visas</summary><p>J-1 accepted.</p></details>"
    )
    assert lines(html) == ["Do you sponsor H-1B?", "No.", "Visas", "J-1 accepted."]


# --- what is dropped and what is kept -------------------------------------------


def test_non_content_elements_are_dropped():
    html = (
        "<html><head><title>T</title><style>p{}</style></head><body>"
        "<script>var a = 'H-1B';</script><noscript>enable JS</noscript>"
        "<template><p>tmpl</p></template><p>Body</p></body></html>"
    )
    assert html_to_text(html) == "Body"


def test_page_level_nav_header_footer_are_dropped_but_article_header_kept():
    html = (
        "<body><header>Site banner</header><nav>Home About</nav>"
        "<article><header><h1>Visa policy</h1></header><p>We sponsor J-1.</p></article>"
        "<footer>Visa and Mastercard accepted</footer></body>"
    )
    assert lines(html) == ["Visa policy", "We sponsor J-1."]


def test_hidden_and_role_based_chrome_is_dropped():
    html = (
        '<div role="navigation">Menu</div><div role="contentinfo">Footer</div>'
        '<span aria-hidden="true">icon</span><div hidden>secret</div><p>Visible</p>'
    )
    assert html_to_text(html) == "Visible"


@pytest.mark.parametrize(
    "attrs",
    ['class="main-menu"', 'id="site_footer"', 'class="breadcrumb"', 'class="cookie-banner"',
     'class="navbar navbar-expand"', 'id="skip-link"', 'class="mainNav"', 'id="siteFooter"'],
)
def test_chrome_containers_named_by_class_or_id_are_dropped(attrs):
    assert html_to_text(f"<div {attrs}>chrome text</div><p>Content</p>") == "Content"


def test_class_token_match_is_whole_word():
    # "footnote" and "canvas-wrap" are not chrome.
    html = '<div class="footnote">Note one</div><div class="canvas-wrap">Shown</div>'
    assert lines(html) == ["Note one", "Shown"]


def test_wrapper_holding_main_content_is_not_dropped_for_its_class():
    html = '<body class="has-navbar"><div id="nav-wrapper"><main><p>Policy</p></main></div></body>'
    assert html_to_text(html) == "Policy"


def test_same_class_can_be_wrapper_on_one_element_and_chrome_on_another():
    html = (
        '<div class="nav-area"><main><p>Policy</p></main></div>'
        '<div class="nav-area">Home About</div><p>End</p>'
    )
    assert lines(html) == ["Policy", "End"]


def test_everything_inside_dropped_chrome_goes_and_what_follows_it_stays():
    html = (
        "<section><p>Intro</p>"
        '<div class="main-menu"><ul><li class="menu-item"><a class="nav-link">Home</a></li>'
        '<li hidden>x</li></ul><div class="panel">menu panel</div></div></section>'
        "<p>We sponsor J-1 visas.</p>"
    )
    assert lines(html) == ["Intro", "We sponsor J-1 visas."]


def test_chrome_that_ends_the_page():
    html = '<p>Body</p><div><div class="cookie-banner"><p>We use cookies</p></div></div>'
    assert html_to_text(html) == "Body"


def test_tail_text_of_dropped_chrome_is_kept():
    assert html_to_text('<p>We sponsor <span aria-hidden="true">*</span>J-1 visas.</p>') == (
        "We sponsor J-1 visas."
    )


def test_root_element_marked_as_chrome_is_searched_not_dropped():
    html = '<html role="menu"><body><div class="menu">Menu</div><p>Text</p></body></html>'
    assert html_to_text(html) == "Text"
    assert html_to_text("<html hidden><body><p>Text</p></body></html>") == "Text"


def test_collapsed_accordion_panels_are_kept():
    html = (
        '<div class="accordion"><button class="accordion-button collapsed">Visas?</button>'
        '<div class="accordion-collapse collapse" aria-hidden="true">'
        "<p>We sponsor J-1 visas only.</p></div>"
        '<div class="panel" style="display:none"><p>H-1B: no</p></div>'
        '<div hidden="until-found">Step 3 required</div></div>'
    )
    assert lines(html) == ["Visas?", "We sponsor J-1 visas only.", "H-1B: no", "Step 3 required"]


# --- Unicode and entities -------------------------------------------------------------


def test_entities_are_decoded_and_unicode_spaces_normalised():
    html = "<p>Visa&nbsp;sponsorship:&#8201;J&#8209;1&#x200B;&nbsp;only &amp; more</p>"
    assert html_to_text(html) == "Visa sponsorship: J-1 only & more"


@pytest.mark.parametrize("dash", ["\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015",
                                  "\u2212", "\ufe63", "\uff0d"])
def test_non_ascii_dashes_inside_visa_names_become_hyphens(dash):
    assert normalize_text(f"H{dash}1B and J{dash}1 and H1{dash}B") == "H-1B and J-1 and H1-B"


def test_dashes_used_as_punctuation_are_kept_verbatim():
    assert normalize_text("Visas \u2014 we sponsor J-1") == "Visas \u2014 we sponsor J-1"


@pytest.mark.parametrize("hyphen", ["\u2010", "\u2011"])
def test_unicode_hyphens_are_hyphens_everywhere(hyphen):
    """A hyphen or non-breaking hyphen is never punctuation: "case‑by‑case" is read as
    "case-by-case" (an en or em dash between words stays, see above)."""
    text = (f"H{hyphen}1B sponsorship is considered case{hyphen}by{hyphen}case for "
            f"non{hyphen}U.S. graduates")
    assert normalize_text(text) == (
        "H-1B sponsorship is considered case-by-case for non-U.S. graduates")
    assert classify_text(text).category == "h1b_limited"


def test_soft_hyphen_and_zero_width_characters_are_removed():
    assert normalize_text("H-\u00ad1B J\u200b-1 \ufeffvisa") == "H-1B J-1 visa"


# --- bytes and encodings ------------------------------------------------------------


def test_bytes_honour_meta_charset():
    data = '<meta charset="windows-1252"><p>Caf\u00e9 H\u20131B</p>'.encode("cp1252")
    assert html_to_text(data) == "Caf\u00e9 H-1B"


def test_latin1_label_is_read_as_windows_1252():
    data = b'<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1"><p>J\x961</p>'
    assert html_to_text(data) == "J-1"


def test_bytes_default_to_utf8_with_replacement():
    data = "<p>J\u20111 visas</p>".encode() + b"<p>bad \xff\xfe bytes</p>"
    assert lines(data) == ["J-1 visas", "bad \ufffd\ufffd bytes"]


def test_unknown_charset_falls_back_to_utf8():
    data = '<meta charset="no-such-codec"><p>H\u20111B</p>'.encode()
    assert html_to_text(data) == "H-1B"


def test_utf8_bom_and_xml_declaration():
    data = b"\xef\xbb\xbf<?xml version='1.0' encoding='utf-8'?><p>ok</p>"
    assert html_to_text(data) == "ok"
    assert decode_html(b"\xef\xbb\xbfabc") == "abc"


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be"])
def test_utf16_bytes_with_bom(codec):
    data = "<p>Caf\u00e9: J\u20111 only</p>".encode(codec)
    if codec == "utf-16-be":
        data = b"\xfe\xff" + data
    assert html_to_text(data) == "Caf\u00e9: J-1 only"


@pytest.mark.parametrize("kind", [str, bytes])
def test_control_characters_are_removed(kind):
    html = "<p>J-\x011 \x00visa\x1fs</p>"
    assert html_to_text(html if kind is str else html.encode()) == "J-1 visas"


def test_marker_characters_in_the_input_are_not_structure():
    # The extractor marks lines and cells with these private-use characters.
    assert html_to_text("<p>J-\ue0001 \ue001visas</p>") == "J-1 visas"


def test_xhtml_namespace_declaration_is_ignored():
    html = '<html xmlns="http://www.w3.org/1999/xhtml"><body><p>a</p><p>b</p></body></html>'
    assert lines(html) == ["a", "b"]


@pytest.mark.parametrize("html", ["", "   ", b"", b"\n\t", "<html></html>", "<!-- only -->"])
def test_empty_documents_give_empty_text(html):
    assert html_to_text(html) == ""


def test_plain_text_is_returned_as_is():
    assert html_to_text("We sponsor J-1 visas.") == "We sponsor J-1 visas."


def test_comments_are_not_text():
    assert html_to_text("<p>a<!-- H-1B -->b</p>") == "ab"


def test_byte_soup_does_not_raise():
    soup = b"<p><b><i>unclosed <div></p></b> H-1B <<>> &#xZZ; \x00\x01 <table><td>x"
    text = html_to_text(soup)
    assert "H-1B" in text


def test_deeply_nested_tags_are_handled_quickly():
    html = "<div>" * 20000 + "<p>We sponsor J-1 visas.</p>" + "</div>" * 20000
    start = time.perf_counter()
    text = html_to_text(html)
    assert time.perf_counter() - start < 10
    assert "We sponsor J-1 visas." in text


def nested(levels: int) -> str:
    inner = (
        '<nav>Home</nav><div class="menu">Menu</div><p>We sponsor <b>J-</b>1 visas.</p>'
        "<table><tr><td>Step 3</td><td>Required</td></tr></table>"
    )
    return "<div>" * levels + inner + "</div>" * levels


@pytest.mark.parametrize("levels", [5, 150, 2000])
def test_deep_but_parsable_nesting_reads_like_shallow_nesting(levels):
    # Beyond about 100 levels the text is read iteratively instead of by XSLT.
    assert lines(nested(levels)) == ["We sponsor J-1 visas.", "Step 3 | Required"]


def test_deep_nesting_in_a_thread_with_a_small_stack():
    # XSLT recursion would need about 2 MB of C stack at 2000 levels.
    result = []
    old_size = threading.stack_size(256 * 1024)
    try:
        worker = threading.Thread(target=lambda: result.append(html_to_text(nested(2000))))
        worker.start()
        worker.join()
    finally:
        threading.stack_size(old_size)
    assert result == ["We sponsor J-1 visas.\nStep 3 | Required"]


def test_large_page_is_extracted():
    body = "<p>Residents rotate through clinics and hospitals every month.</p>" * 20000
    text = html_to_text(f"<html><body>{body}<p>J-1 only</p></body></html>")
    assert text.endswith("J-1 only")
    assert text.count("\n") == 20000


def test_text_after_a_stray_closing_html_tag_is_kept():
    page = "<html><body><p>Welcome.</p></body></html><p>We do not sponsor H-1B visas.</p>"
    assert html_to_text(page).splitlines() == ["Welcome.", "We do not sponsor H-1B visas."]


def test_footer_is_read_only_when_the_page_says_nothing_else_about_visas():
    footer = '<footer class="global-footer"><h5>Who may apply</h5><p>J1 only.</p></footer>'
    silent = f"<body><main><h1>Surgery</h1><p>Five-year program.</p></main>{footer}</body>"
    assert lines(silent)[-2:] == ["Who may apply", "J1 only."]
    spoken = f"<body><main><p>We sponsor H1B visas.</p></main>{footer}</body>"
    assert lines(spoken) == ["We sponsor H1B visas."]
    status = '<footer><p>Applicants must hold US citizenship.</p></footer>'
    assert lines(f"<body><main><p>Hello</p></main>{status}</body>")[-1].endswith("citizenship.")


@pytest.mark.parametrize("text", [
    "", "Visalia campus", "a VISA", "H‑1B", "j 1 status", "U.S. citizens", "permanent work",
    "Viſa", "vİsa", "cİtizen", "green cards", "work authorization", "1H-", "no match here",
])
def test_footer_visa_screen_agrees_with_its_regex(text):
    from monitor.extract.htmltext import _VISA_WORD, _mentions_visa

    assert _mentions_visa(text) == (_VISA_WORD.search(text) is not None)


def test_a_card_brand_footer_is_not_kept_as_visa_text():
    from monitor.extract.htmltext import _mentions_visa

    assert not _mentions_visa("Gift shop: Visa and Mastercard accepted.")
    assert not _mentions_visa("We take Visa, Mastercard and Discover; Visa debit too.")
    assert _mentions_visa("Visa sponsorship: J-1 only.")
