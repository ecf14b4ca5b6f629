"""Alert messages: titles an adviser would write, quotes, and the services' limits."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from monitor.notify.message import AlertEvent, compose, headline, short_name

SEEN = datetime(2026, 12, 7, 9, 30, tzinfo=UTC)
UNSUBSCRIBE = ("You get this from visa-monitor subscription 4. "
               "To stop: visa-monitor subscribe remove 4")
J1 = {"category": "j1_only", "h1b": "no", "j1": "yes", "step3_required": None}
H1B = {"category": "h1b", "h1b": "yes", "j1": "yes", "step3_required": None}
UNKNOWN = {"category": "unknown", "h1b": "unknown", "j1": "unknown", "step3_required": None}


def event(kind="stance", before=J1, after=H1B, before_text="We accept J-1 visas only.",
          after_text="We sponsor H-1B and J-1 visas.", name="UCLA Internal Medicine Residency"):
    url = "https://ucla.example.org/im/eligibility"
    return AlertEvent(
        program_id="ucla-im", program_name=name, kind=kind, before=before, after=after,
        evidence_before=[{"url": url, "text": before_text}] if before_text else [],
        evidence_after=[{"url": url, "text": after_text}] if after_text else [],
        url=url, detected_at=SEEN,
    )


@pytest.mark.parametrize("name, short", [
    ("UCLA Internal Medicine Residency (Categorical / Primary Care / PSTP tracks)",
     "UCLA Internal Medicine"),
    ("Cedars-Sinai Cardiovascular Disease Fellowship", "Cedars-Sinai Cardiovascular Disease"),
    ("Harbor-UCLA Family Medicine Residency Program", "Harbor-UCLA Family Medicine"),
])
def test_short_names(name, short):
    assert short_name(name) == short


def test_one_stance_change_reads_like_an_adviser_wrote_it():
    message = compose([event()], UNSUBSCRIBE)
    assert message.title == "UCLA Internal Medicine: now sponsors H-1B (was J-1 only)"
    assert message.body == (
        "Before: “We accept J-1 visas only.”\n"
        "After: “We sponsor H-1B and J-1 visas.”\n"
        "Page: https://ucla.example.org/im/eligibility\n"
        "Seen: 2026-12-07 09:30 UTC\n\n" + UNSUBSCRIBE
    )


@pytest.mark.parametrize("kind, before, after, title", [
    ("statement_missing", H1B, UNKNOWN,
     "UCLA Internal Medicine: visa statement no longer found (was sponsors H-1B)"),
    ("wording", H1B, H1B, "UCLA Internal Medicine: visa wording changed (still sponsors H-1B)"),
    ("unreachable", H1B, None,
     "UCLA Internal Medicine: pages cannot be reached (last known: sponsors H-1B)"),
    ("recovered", None, H1B, "UCLA Internal Medicine: pages can be reached again"),
    ("reread", J1, H1B, "UCLA Internal Medicine: our reading changed, the page did not: "
                        "now sponsors H-1B (was J-1 only)"),
    ("stance", {**H1B, "j1": "no"}, H1B, "UCLA Internal Medicine: now J-1 yes (was J-1 no)"),
])
def test_titles_of_every_kind(kind, before, after, title):
    assert headline(event(kind, before, after)) == title


def test_several_events_are_one_message_with_each_change():
    other = event(name="Cedars-Sinai Neurology Residency", before=H1B, after=J1,
                  before_text="H-1B visas are sponsored.", after_text="J-1 only.")
    message = compose([event(), other], UNSUBSCRIBE)
    assert message.title == "2 visa policy changes: UCLA Internal Medicine, Cedars-Sinai Neurology"
    assert "UCLA Internal Medicine: now sponsors H-1B (was J-1 only)" in message.body
    assert "Cedars-Sinai Neurology: now J-1 only (was sponsors H-1B)" in message.body
    assert message.body.count("Page: ") == 2 and message.body.endswith(UNSUBSCRIBE)


def test_long_quotes_are_cut_to_the_service_limit_keeping_link_and_unsubscribe_line():
    long_text = "We sponsor H-1B visas " + "for residents who match " * 200
    message = compose([event(after_text=long_text)], UNSUBSCRIBE, body_limit=500,
                      title_limit=30)
    assert len(message.body) <= 500 and len(message.title) <= 30
    assert message.title.endswith("…")
    assert "After: “We sponsor H-1B visas for residents" in message.body
    assert "…”" in message.body
    assert "Page: https://ucla.example.org/im/eligibility" in message.body
    assert message.body.endswith(UNSUBSCRIBE)


def test_a_tiny_limit_still_ends_with_how_to_unsubscribe():
    events = [event() for _ in range(20)]
    message = compose(events, UNSUBSCRIBE, body_limit=300)
    assert len(message.body) <= 300 and message.body.endswith(UNSUBSCRIBE)


def test_a_service_without_titles_gets_room_for_the_title_in_the_body():
    message = compose([event()], UNSUBSCRIBE, body_limit=400, title_limit=0)
    assert len(message.title) + 2 + len(message.body) <= 400
