"""The labeled corpus (tests/data/classifier_corpus.jsonl) run through the classifier.

See tests/data/README.md for how the corpus was written and which part is held out.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from monitor.classify import CATEGORIES, classify_html, classify_text

CORPUS = Path(__file__).parent / "data" / "classifier_corpus.jsonl"
MIN_ACCURACY = 0.98


def load_corpus() -> list[dict]:
    with CORPUS.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


RECORDS = load_corpus()


def classify(record: dict):
    if record["format"] == "html":
        return classify_html(record["text"])
    return classify_text(record["text"])


@pytest.fixture(scope="module")
def results() -> list[tuple[dict, object]]:
    return [(record, classify(record)) for record in RECORDS]


def describe(record: dict, verdict) -> str:
    return (
        f"{record['id']} [{record['split']}] expected {record['category']}"
        f"/{record['h1b']}/{record['j1']}/{record['step3_required']} got {verdict.category}"
        f"/{verdict.h1b}/{verdict.j1}/{verdict.step3_required}: {record['text'][:150]!r}"
    )


def test_corpus_is_well_formed():
    ids = [record["id"] for record in RECORDS]
    assert len(ids) == len(set(ids))
    assert len(RECORDS) >= 300
    per_category = Counter(record["category"] for record in RECORDS)
    assert set(per_category) == set(CATEGORIES)
    assert min(per_category.values()) >= 35, per_category
    for record in RECORDS:
        assert record["format"] in ("text", "html")
        assert record["split"] in ("dev", "heldout")
        assert record["h1b"] in ("yes", "limited", "no", "unknown")
        assert record["j1"] in ("yes", "no", "unknown")
        assert record["step3_required"] in (True, False, None)
    held_out = sum(record["split"] == "heldout" for record in RECORDS)
    assert 0.2 <= held_out / len(RECORDS) <= 0.3


def test_category_accuracy(results):
    wrong = [(record, verdict) for record, verdict in results
             if verdict.category != record["category"]]
    accuracy = 1 - len(wrong) / len(results)
    report = "\n".join(describe(record, verdict) for record, verdict in wrong)
    assert accuracy >= MIN_ACCURACY, f"accuracy {accuracy:.3f}; misclassified:\n{report}"


def test_no_false_h1b_yes(results):
    """Precision on h1b=yes matters most: never claim H-1B for a non-H-1B statement."""
    wrong = [
        (record, verdict) for record, verdict in results
        if record["category"] in ("j1_only", "none", "unknown")
        and (verdict.h1b == "yes" or verdict.category == "h1b")
    ]
    assert not wrong, "\n".join(describe(record, verdict) for record, verdict in wrong)


def test_unknown_statements_give_no_evidence(results):
    for record, verdict in results:
        if verdict.category == "unknown" and verdict.h1b == verdict.j1 == "unknown":
            assert verdict.evidence == (), describe(record, verdict)
