from lxml import html
from starlette.requests import Request

from monitor.detect import changes
from monitor.web import present


def test_only_http_addresses_become_links():
    assert present.web_url("https://example.org/visa") == "https://example.org/visa"
    assert present.web_url("HTTP://EXAMPLE.ORG/") == "HTTP://EXAMPLE.ORG/"
    for bad in ("javascript:alert(1)", " javascript:x", "data:text/html,x", "", None, "/x"):
        assert present.web_url(bad) is None


def test_links_keep_the_other_parameters():
    request = Request({"type": "http", "path": "/", "query_string": b"q=a+b&sort=j1&page=3",
                       "headers": []})
    assert present.link(request, page=4) == "?q=a+b&sort=j1&page=4"
    assert present.link(request, sort="name", page=None) == "?q=a+b&sort=name"
    empty = Request({"type": "http", "path": "/changes", "query_string": b"", "headers": []})
    assert present.link(empty, kind=None) == "/changes"


def test_times_are_shown_in_utc():
    assert present.when("2026-03-01T08:05:09.123+00:00") == "2026-03-01 08:05 UTC"
    assert present.minute("2026-03-01T08:05:09+00:00") == "2026-03-01 08:05"
    assert present.day(None) == "—"
    assert present.when("2026-03-01T01:05:00-08:00") == "2026-03-01 09:05 UTC"


def test_every_change_kind_has_a_label():
    assert set(present.KINDS) == set(changes.KINDS)


def test_options_are_escaped_once_and_mark_the_chosen_one():
    options = present.Options(["A & B <Clinic>", 'Say "hi"', "Plain"])
    doc = html.fromstring("<select>" + options.selecting('Say "hi"') + "</select>")
    assert doc.xpath("//option/@value") == ["A & B <Clinic>", 'Say "hi"', "Plain"]
    assert doc.xpath("//option[@selected]/text()") == ['Say "hi"']
    assert "<Clinic>" not in options.selecting(None)
    assert "selected" not in options.selecting("not a value")
    chosen = html.fromstring("<select>" + options.selecting("A & B <Clinic>") + "</select>")
    assert chosen.xpath("//option[@selected]/@value") == ["A & B <Clinic>"]
