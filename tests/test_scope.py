import pytest

from monitor.crawl.scope import Scope, normalise_url


def test_default_scope_is_the_host_any_scheme_and_www():
    scope = Scope.from_config("https://www.example.org/im/welcome", [])
    assert scope.contains("https://www.example.org/other/page")
    assert scope.contains("http://example.org/im/")
    assert not scope.contains("https://cdn.example.org/im/")
    assert not scope.contains("https://example.com/im/")


def test_prefix_matches_on_segment_boundaries():
    scope = Scope.from_config("https://h.org/gme/im/", ["https://h.org/gme/im"])
    assert scope.contains("https://h.org/gme/im")
    assert scope.contains("https://h.org/gme/im/faq.html?x=1#top")
    assert not scope.contains("https://h.org/gme/imaging/")
    assert not scope.contains("https://h.org/gme/")


def test_path_case_and_ports():
    scope = Scope.from_config("https://h.org/", ["https://h.org/Education/IM/"])
    assert scope.contains("https://h.org/education/im/apply")
    assert scope.contains("https://h.org:443/Education/IM/")
    assert not scope.contains("https://h.org:8443/Education/IM/")


def test_two_programs_on_one_host_do_not_overlap():
    im = Scope.from_config("https://h.org/im/", ["https://h.org/im/"])
    surgery = Scope.from_config("https://h.org/surgery/", ["https://h.org/surgery/"])
    whole = Scope.from_config("https://h.org/", [])
    assert not im.overlaps(surgery)
    assert im.overlaps(whole) and whole.overlaps(surgery)


def test_not_urls_are_out_of_scope():
    scope = Scope.from_config("https://h.org/", [])
    for junk in ["mailto:x@h.org", "javascript:void(0)", "", "h.org/x", "https://h.org:bad/"]:
        assert not scope.contains(junk)


@pytest.mark.parametrize("url", ["HTTPS://H.ORG:443", "https://h.org/#frag"])
def test_normalise(url):
    assert normalise_url(url) == "https://h.org/"
