from monitor.classify.assess import PageResult, assess_program, page_error
from monitor.classify.verdict import classify_text
from monitor.config import Program

PROGRAM = Program(id="p", name="P", institution="I", specialty="IM", city="LA",
                  url="https://p.org/im/", visa_urls=["https://gme.p.org/visas"])
TEXT = "International applicants: we sponsor both J-1 and H-1B visas for residents."


def test_page_error_tells_unreadable_pages():
    assert page_error(200, TEXT) is None
    assert page_error(503, TEXT) == "HTTP 503"
    assert page_error(200, "   ") == "empty page"
    assert page_error(200, None) == "empty page"


def test_no_readable_page_means_no_verdict_and_the_home_page_error_first():
    pages = [PageResult("https://gme.p.org/visas", None, False, error="DNS lookup failed"),
             PageResult("https://p.org/im/", 500, True, error="HTTP 500")]
    result = assess_program(PROGRAM, pages)
    assert result.verdict is None and not result.fetch_ok
    assert result.error == "https://p.org/im/: HTTP 500 (and 1 more page)"
    assert result.failed_urls() == {"https://p.org/im/", "https://gme.p.org/visas"}


def test_readable_pages_are_combined_and_failures_kept_apart():
    pages = [PageResult("https://p.org/im/elig", 200, True, TEXT, classify_text(TEXT)),
             PageResult("https://p.org/im/faq", 503, True, error="HTTP 503"),
             PageResult("https://p.org/im/old", 404, True, error="HTTP 404")]
    result = assess_program(PROGRAM, pages)
    assert result.fetch_ok and result.verdict.category == "h1b" and result.error is None
    # A page that is gone says something about the site; a 503 says nothing.
    assert result.failed_urls() == {"https://p.org/im/faq"}


def test_an_unknown_stance_beside_unreadable_pages_says_so():
    silent = "Welcome to our residency program. We train excellent internists here."
    pages = [PageResult("https://p.org/im/", 200, True, silent, classify_text(silent)),
             PageResult("https://p.org/im/elig", 200, True,
                        error="this page needs a browser (install chromium)", depth=1),
             PageResult("https://p.org/im/faq", 503, True, error="HTTP 503", depth=1)]
    result = assess_program(PROGRAM, pages)
    assert result.fetch_ok and result.verdict.category == "unknown"
    assert result.error == ("stance unknown; could not read https://p.org/im/elig: "
                            "this page needs a browser (install chromium)")
    # A known stance needs no such note.
    pages[0] = PageResult("https://p.org/im/", 200, True, TEXT, classify_text(TEXT))
    assert assess_program(PROGRAM, pages).error is None
