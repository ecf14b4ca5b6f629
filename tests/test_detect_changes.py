"""The change-detection rules, one by one, on hand-made results."""

from monitor.classify.assess import PageResult, ProgramResult
from monitor.classify.verdict import Evidence, Verdict
from monitor.config import Program, Settings
from monitor.detect.changes import Tracker, detect

PROGRAM = Program(id="p", name="P", institution="I", specialty="IM", city="LA",
                  url="https://p.org/")
SETTINGS = Settings(confirm_missing_runs=2, unreachable_after=3)
URL = "https://p.org/eligibility"


def verdict(category, h1b, j1, text="", step3=None):
    evidence = (Evidence(text=text, url=URL, axis="h1b"),) if text else ()
    return Verdict(category=category, h1b=h1b, j1=j1, step3_required=step3, evidence=evidence)


SPONSORS = verdict("h1b", "yes", "yes", "We sponsor H-1B and J-1 visas.")
SPONSORS_REWORDED = verdict("h1b", "yes", "yes", "Both H-1B and J-1 visas are sponsored.")
J1_ONLY = verdict("j1_only", "no", "yes", "We accept J-1 visas only.")
UNKNOWN = verdict("unknown", "unknown", "unknown")


def ok(v, failed_url=None, text=None):
    # The page says what its verdict says, so a new verdict comes with a new text.
    text = text if text is not None else " ".join(e.text for e in v.evidence) or "No visa words."
    pages = [PageResult(URL, 200, True, text, v)]
    if failed_url:
        pages.append(PageResult(failed_url, 503, True, error="HTTP 503"))
    return ProgramResult(PROGRAM, pages, v, None)


def failed():
    return ProgramResult(PROGRAM, [PageResult(URL, None, True, error="timeout")], None, "timeout")


def run(tracker, *results):
    return [[c.kind for c in detect(tracker, r, SETTINGS).changes] for r in results]


def test_first_assessment_is_a_baseline_not_a_change():
    tracker = Tracker()
    outcome = detect(tracker, ok(SPONSORS), SETTINGS)
    assert outcome.changes == [] and outcome.new_stance.category == "h1b"
    assert tracker.current.h1b == "yes"


def test_stance_change_is_reported_at_once_with_before_and_after():
    tracker = Tracker()
    detect(tracker, ok(SPONSORS), SETTINGS)
    outcome = detect(tracker, ok(J1_ONLY), SETTINGS)
    [change] = outcome.changes
    assert change.kind == "stance"
    assert (change.before.category, change.after.category) == ("h1b", "j1_only")
    assert change.url == URL


def test_wording_only():
    tracker = Tracker()
    assert run(tracker, ok(SPONSORS), ok(SPONSORS), ok(SPONSORS_REWORDED)) == [[], [], ["wording"]]


def test_missing_statement_needs_confirmation_and_a_return_cancels_it():
    tracker = Tracker()
    assert run(tracker, ok(SPONSORS), ok(UNKNOWN), ok(SPONSORS), ok(UNKNOWN)) == [[], [], [], []]
    assert run(tracker, ok(UNKNOWN)) == [["statement_missing"]]
    assert tracker.current.category == "unknown"
    # Once reported, the statement coming back is a stance change.
    assert run(tracker, ok(SPONSORS)) == [["stance"]]


def test_failures_never_change_the_stance_then_unreachable_then_recovered():
    tracker = Tracker()
    kinds = run(tracker, ok(SPONSORS), failed(), failed(), failed(), failed(), ok(SPONSORS))
    assert kinds == [[], [], [], ["unreachable"], [], ["recovered"]]
    assert tracker.current.category == "h1b"


def test_failures_do_not_count_towards_a_missing_statement():
    tracker = Tracker()
    assert run(tracker, ok(SPONSORS), ok(UNKNOWN), failed(), ok(SPONSORS)) == [[], [], [], []]


def test_a_failed_deciding_page_makes_the_result_inconclusive():
    tracker = Tracker()
    detect(tracker, ok(SPONSORS), SETTINGS)
    home_only = ProgramResult(
        PROGRAM,
        [PageResult("https://p.org/", 200, True, "home", UNKNOWN),
         PageResult(URL, 503, True, error="HTTP 503")],
        UNKNOWN, None,
    )
    for _ in range(3):
        assert detect(tracker, home_only, SETTINGS).changes == []
    assert tracker.current.category == "h1b"


def test_a_failed_deciding_pdf_makes_the_result_inconclusive():
    pdf = "https://p.org/visa-policy.pdf"
    tracker = Tracker()
    from_pdf = Verdict("j1_only", "no", "yes", None,
                       (Evidence("We sponsor J-1 visas only.", f"{pdf}#page=2", "h1b"),))
    detect(tracker, ProgramResult(PROGRAM, [PageResult(pdf, 200, True, "t", from_pdf)],
                                  from_pdf, None), SETTINGS)
    pdf_failed = ProgramResult(
        PROGRAM,
        [PageResult("https://p.org/", 200, True, "home", UNKNOWN),
         PageResult(pdf, 503, True, error="HTTP 503")],
        UNKNOWN, None,
    )
    for _ in range(3):
        assert detect(tracker, pdf_failed, SETTINGS).changes == []
    assert tracker.current.category == "j1_only"


def test_a_missing_browser_is_never_unreachable():
    needs_browser = ProgramResult(
        PROGRAM,
        [PageResult(URL, 200, True, error="this page needs a browser (install chromium)")],
        None, "this page needs a browser (install chromium)")
    assert needs_browser.unread_here
    tracker = Tracker()
    detect(tracker, ok(SPONSORS), SETTINGS)
    assert run(tracker, *[needs_browser] * 5) == [[]] * 5
    assert tracker.fail_streak == 0 and tracker.current.category == "h1b"
    # A site that is really down still is.
    assert run(tracker, failed(), failed(), failed()) == [[], [], ["unreachable"]]


def test_step3_condition_change_is_a_wording_change():
    tracker = Tracker()
    with_step3 = verdict("h1b", "yes", "yes", "We sponsor H-1B and J-1 visas.", step3=True)
    step3_page = "We sponsor H-1B and J-1 visas. USMLE Step 3 is required for the H-1B."
    assert run(tracker, ok(SPONSORS), ok(with_step3, text=step3_page)) == [[], ["wording"]]


def test_a_new_reading_of_an_unchanged_page_is_a_reread_not_a_stance_change():
    tracker = Tracker()
    page = "We sponsor H-1B and J-1 visas."
    detect(tracker, ok(SPONSORS, text=page), SETTINGS, "old-reader")
    outcome = detect(tracker, ok(J1_ONLY, text=page), SETTINGS, "new-reader")
    [change] = outcome.changes
    assert change.kind == "reread"
    assert (change.before.category, change.after.category) == ("h1b", "j1_only")
    assert change.after.classifier_version == "new-reader"
    # The new reading is now the known stance: the same page again changes nothing.
    assert run(tracker, ok(J1_ONLY, text=page)) == [[]]
    # A changed page with the old reading's verdict is a real stance change again.
    assert run(tracker, ok(SPONSORS, text="Update: we sponsor H-1B and J-1.")) == [["stance"]]


def test_a_reread_to_unknown_needs_no_confirmation_and_is_not_statement_missing():
    tracker = Tracker()
    page = "We sponsor H-1B and J-1 visas."
    detect(tracker, ok(SPONSORS, text=page), SETTINGS)
    assert run(tracker, ok(UNKNOWN, text=page)) == [["reread"]]


def test_a_changed_page_that_the_new_reader_also_reads_differently_is_a_stance_change():
    tracker = Tracker()
    detect(tracker, ok(SPONSORS), SETTINGS, "old-reader")
    outcome = detect(tracker, ok(J1_ONLY), SETTINGS, "new-reader")
    assert [c.kind for c in outcome.changes] == ["stance"]
