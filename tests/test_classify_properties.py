"""Property tests: any input gives a valid verdict; adversarial input stays bounded."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.classify.verdict import (
    CATEGORIES,
    H1B_VALUES,
    J1_VALUES,
    Verdict,
    classify_html,
    classify_text,
    combine,
    derive_category,
)
from monitor.extract.htmltext import html_to_text

# A hang guard, not a speed target (speed lives in benchmarks/classifier.py).
HANG_GUARD_SECONDS = 10.0
ONE_MB = 1_000_000

VISA_WORDS = st.sampled_from([
    "H-1B", "H1B", "h1-b", "J-1", "J1", "H-1", "visa", "visas", "sponsor", "not", "no", "only",
    "case by case", "Step 3", "citizens", "permanent residents", "EAD", "ECFMG", "?", ":", "|",
    ";", "\n", ".", "but", "except", "Do you sponsor", "Yes.", "No.", "\u2011", "\u00a0",
    "<b>", "</b>", "<p>", "<li>", "<td>", "&nbsp;", "&#8209;",
])
VISA_TEXT = st.lists(st.one_of(VISA_WORDS, st.text(max_size=8)), max_size=60).map(" ".join)


def assert_valid(verdict: Verdict) -> None:
    assert isinstance(verdict, Verdict)
    assert verdict.category in CATEGORIES
    assert verdict.h1b in H1B_VALUES
    assert verdict.j1 in J1_VALUES
    assert verdict.step3_required in (True, False, None)
    assert verdict.category == derive_category(verdict.h1b, verdict.j1) or (
        verdict.category == "j1_only"
    )
    assert len(verdict.evidence) <= 3
    for item in verdict.evidence:
        assert item.axis in ("h1b", "j1", "step3")
        assert 0 < len(item.text) <= 301
    if verdict.h1b == verdict.j1 == "unknown" and verdict.step3_required is None:
        assert verdict.evidence == ()


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_gives_a_valid_verdict(text):
    assert_valid(classify_text(text, "https://x"))
    assert_valid(classify_html(text))


@settings(max_examples=300, deadline=None)
@given(st.binary())
def test_any_bytes_give_a_valid_verdict(data):
    assert isinstance(html_to_text(data), str)
    assert_valid(classify_html(data))


@settings(max_examples=400, deadline=None)
@given(VISA_TEXT)
def test_visa_flavoured_noise_gives_a_valid_deterministic_verdict(text):
    first = classify_text(text)
    assert_valid(first)
    assert classify_text(text) == first
    assert_valid(classify_html(text))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(VISA_TEXT, st.booleans()), max_size=5))
def test_combine_is_valid_and_order_independent(pages):
    verdicts = [(classify_text(text, f"https://p/{i}"), own) for i, (text, own) in enumerate(pages)]
    combined = combine(verdicts)
    assert_valid(combined)
    assert combine(list(reversed(verdicts))) == combined
    assert combine(sorted(verdicts, key=repr)).to_dict() == combined.to_dict()


def _adversarial_inputs() -> dict[str, str]:
    return {
        "repeated_token": "H-1B " * (ONE_MB // 5),
        "repeated_sentence": "We do not sponsor H-1B visas. " * (ONE_MB // 30),
        "not_run": "We do " + "not " * (ONE_MB // 4) + "sponsor J-1 visas",
        "no_punctuation": " ".join(["visa sponsor J1 H1B citizen only case by case"] * 22000),
        "many_questions": "Do you sponsor H-1B visas?\n" * (ONE_MB // 27),
        "many_lines": "Visa sponsorship\n" * (ONE_MB // 17),
        "table_rows": "Visa | J-1 | H-1B | No\n" * (ONE_MB // 23),
        "nested_tags": "<div>" * (ONE_MB // 10) + "H-1B" + "</div>" * (ONE_MB // 10),
        "nested_inline": "<b><i>" * (ONE_MB // 12) + "J-1 only",
        "open_brackets": "<" * ONE_MB,
        "dashes": "H\u2011" * (ONE_MB // 2),
        "letters": "h" * ONE_MB,
    }


@pytest.mark.parametrize("name", sorted(_adversarial_inputs()))
def test_one_megabyte_adversarial_input_is_bounded(name):
    text = _adversarial_inputs()[name]
    start = time.perf_counter()
    assert_valid(classify_text(text))
    assert_valid(classify_html(text))
    assert_valid(classify_html(text.encode("utf-8", "replace")))
    elapsed = time.perf_counter() - start
    assert elapsed < HANG_GUARD_SECONDS, f"{name} took {elapsed:.1f}s"
