"""The classifier's rules are named units whose examples are their own tests.

Every rule registered in ``monitor.classify.rules`` (by ``@rule`` on a function
of the reading code, or ``inline`` for one made inside a larger function) has a
one-line summary, the findings it can give and example sentences; each example
must get its category, and the rule must be seen firing on it in the trace
that ``visa-monitor classify --explain`` prints.
"""

from __future__ import annotations

import pytest

from monitor.classify import trace as tracing
from monitor.classify.explain import render, render_rules
from monitor.classify.rules import RULES
from monitor.classify.verdict import CATEGORIES, classify_html, classify_text

EXAMPLES = [
    pytest.param(rule.name, sentence, category, id=f"{rule.name}-{n}")
    for rule in RULES.values()
    for n, (sentence, category) in enumerate(rule.examples)
]


def _explain(sentence: str) -> tracing.Trace:
    if sentence.startswith("<"):
        return tracing.explain_html(sentence)
    return tracing.explain_text(sentence)


def _fired(trace: tracing.Trace) -> set[str]:
    names = {name for unit in trace.units for name, _ in unit.fired}
    return names | {name for name, _ in trace.page_rules}


def test_every_rule_is_documented_and_has_examples():
    assert len(RULES) >= 20, len(RULES)
    for rule in RULES.values():
        assert rule.summary and rule.summary.lstrip("\"(").strip()[0].isupper(), rule.name
        assert rule.examples, rule.name
        for _, category in rule.examples:
            assert category in CATEGORIES, rule.name


@pytest.mark.parametrize(("name", "sentence", "category"), EXAMPLES)
def test_rule_example(name, sentence, category):
    trace = _explain(sentence)
    assert trace.verdict.category == category
    assert name in _fired(trace), f"{name} did not fire; fired: {sorted(_fired(trace))}"


def test_tracing_changes_no_verdict():
    """The trace records; it never changes what the classifier says."""
    for rule in RULES.values():
        for sentence, _ in rule.examples:
            plain = classify_html(sentence) if sentence.startswith("<") else classify_text(sentence)
            assert _explain(sentence).verdict == plain


def test_no_trace_is_kept_outside_explain():
    classify_text("We sponsor both J-1 and H-1B visas.")
    assert tracing.current() is None


def test_render_shows_units_clauses_rules_and_the_decision():
    trace = tracing.explain_text(
        "We do not sponsor H-1B visas. J-1 visas sponsored by ECFMG are accepted.\n"
        "The J-1 is an exchange visitor visa."
    )
    text = render(trace, "page.txt")
    assert text.startswith("page.txt: category j1_only (h1b no, j1 yes")
    assert "clause: we do not sponsor xxh1b" in text
    assert "rule denies-visas: h1b=no (strength 3)" in text
    assert "rule not-a-policy: set aside" in text
    assert "h1b = no from unit [0] by denies-visas" in text
    assert "category j1_only: derived from h1b=no, j1=yes" in text


def test_render_of_a_page_without_visa_words():
    text = render(tracing.explain_text("Our residents enjoy the beach."))
    assert "nothing was read" in text


def test_rule_listing_comes_from_the_registry():
    listing = render_rules()
    for rule in RULES.values():
        assert f"{rule.name}\n  {rule.summary}" in listing
