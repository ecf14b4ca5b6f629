import csv
import io

from monitor.cli import render


def test_word_diff_marks_removed_and_added_words():
    diff = render.word_diff("We sponsor H-1B visas.\nApply by March.",
                            "We do not sponsor H-1B visas.\nApply by March.")
    assert diff.plain == "We {+do not+} sponsor H-1B visas.\nApply by March."
    styles = {str(span.style) for span in diff.spans}
    assert styles == {"bold green"}


def test_word_diff_replacement_and_deletion():
    diff = render.word_diff("J-1 and H-1B accepted", "J-1 accepted")
    assert diff.plain == "J-1 [-and H-1B-] accepted"
    assert render.word_diff("same text", "same text").plain == "same text"


def test_csv_keeps_every_evidence_and_writes_taxonomy_values():
    rows = [{"program_id": "p", "name": "P, \"the\" program", "category": "h1b", "h1b": "yes",
             "j1": "yes", "step3_required": None, "checked_at": "2026-01-01T00:00:00+00:00",
             "fetch_ok": True, "error": None,
             "evidence": [{"url": "https://p.org/e", "text": "We sponsor H-1B."},
                          {"url": "https://p.org/f", "text": "Second."}]}]
    [row] = list(csv.DictReader(io.StringIO(render.to_csv(rows, render.EXPORT_FIELDS))))
    assert row["name"] == 'P, "the" program'
    assert row["evidence_text"] == "We sponsor H-1B.\nSecond."
    assert row["evidence_url"] == "https://p.org/e\nhttps://p.org/f"
    assert row["step3_required"] == "" and row["fetch_ok"] == "true" and row["error"] == ""
