import csv
import io

from monitor.cli import layout, render


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


def _status_row(pid: str, url: str, **extra) -> dict:
    return {"program_id": pid, "name": "A program with a rather long name", "category": "h1b",
            "h1b": "yes", "j1": "yes", "step3_required": True,
            "checked_at": "2026-01-01T00:00:00+00:00", "fetch_ok": True, "error": None,
            "evidence": [{"url": url, "text": "We sponsor H-1B visas for residents."}], **extra}


def _render(built, width: int) -> str:
    from rich.console import Console

    out = Console(width=width, force_terminal=True, color_system=None, record=True,
                  file=io.StringIO())
    render.show(out, built)
    return out.export_text()


def test_a_narrower_terminal_drops_the_name_column_before_giving_up_the_table():
    url = "https://med.example.edu/" + "gme/" * 12 + "eligibility.html"
    built = render.verdict_layout([_status_row("ucla-im", url)], "Current stances")
    full = next(w for w in range(60, 400) if layout.fits_as_table(w, built))
    narrow = layout.Layout(built.title, [f for f in built.fields if not f.wrap],
                           records=built.records)
    without_name = next(w for w in range(60, 400) if layout.fits_as_table(w, narrow))
    assert without_name < full
    wide, middle, small = (_render(built, w) for w in (full, without_name, without_name - 1))
    assert "Name" in wide and "┃" in wide
    assert "Name" not in middle and "┃" in middle
    assert "┃" not in small and "Name" not in small  # blocks
    for text in (wide, middle, small):
        assert url in text and "ucla-im" in text
        assert max(len(line) for line in text.splitlines() if url not in line) <= full


def test_a_failed_check_note_is_text_not_markup():
    row = _status_row("a", "https://a.example.org/", fetch_ok=False,
                      error="[errno 111] connection refused")
    text = _render(render.verdict_layout([row], "Current stances"), 200)
    assert "last check failed: [errno 111] connection refused" in text
    assert "failed" in text
