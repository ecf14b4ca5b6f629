"""Change detection: from a program's new result and its tracked state to events.

Pure rules, no database: `monitor.detect.flow` feeds them the tracked state
and writes what they decide. The rules, in the order they are applied to
each program after a completed crawl:

1. No page could be read: a failure, never a stance (but when the only
   obstacle is a browser missing on this machine, not even a failure). After
   `unreachable_after` consecutive failures an `unreachable` event is
   raised once; the known stance is kept untouched.
2. Pages answered again after an `unreachable` event: `recovered`.
3. The first verdict of a program is its baseline, not a change.
4. A result that differs from the known stance while a page that decided
   that stance failed to load is inconclusive: nothing changes.
5. The verdict differs but every page that decided either verdict has the
   same text (SHA-256) as when the known stance was read: the reading
   changed (a new classifier), not the page: `reread`, never `stance`.
6. Same stance (category, h1b, j1): if the deciding wording or the Step 3
   condition changed, `wording`; else nothing.
7. Flapping: a page that alternates between versions (an A/B test, a
   rotating banner) is not a new policy each time. A stance that differs
   from the known one but was read within the last `flap_window` crawls is
   `flapping`: recorded (each flip), never a `stance` alert, and the known
   stance stays (a stance, not `unknown`, which rule 8 confirms). It ends
   when one version has held for `flap_settle_runs` crawls in a row; the
   rules below then apply to that version (a `stance` event when it differs
   from the known stance).
8. A known stance became `unknown`: `statement_missing`, but only after it
   has held for `confirm_missing_runs` crawls, because redesigns and
   glitches do this. A return of the same stance in between cancels it.
9. Any other difference: `stance`, at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from monitor.classify.assess import ProgramResult
from monitor.classify.verdict import Verdict
from monitor.config import Settings

STANCE = "stance"
STATEMENT_MISSING = "statement_missing"
WORDING = "wording"
UNREACHABLE = "unreachable"
RECOVERED = "recovered"
REREAD = "reread"
FLAPPING = "flapping"
KINDS = (STANCE, STATEMENT_MISSING, WORDING, UNREACHABLE, RECOVERED, REREAD, FLAPPING)


@dataclass(frozen=True)
class Stance:
    """A verdict as stored: the axes and the deciding sentences."""

    category: str
    h1b: str
    j1: str
    step3_required: bool | None
    evidence: tuple[tuple[str | None, str], ...]  # (url, text)
    # Which reading produced it; not part of what the stance says.
    classifier_version: str | None = field(default=None, compare=False)

    @classmethod
    def of(cls, verdict: Verdict, classifier_version: str | None = None) -> Stance:
        return cls(
            verdict.category,
            verdict.h1b,
            verdict.j1,
            verdict.step3_required,
            tuple((item.url, item.text) for item in verdict.evidence),
            classifier_version,
        )

    def axes(self) -> dict:
        return {
            "category": self.category,
            "h1b": self.h1b,
            "j1": self.j1,
            "step3_required": self.step3_required,
        }

    def evidence_dicts(self) -> list[dict]:
        return [{"url": url, "text": text} for url, text in self.evidence]

    @property
    def position(self) -> tuple[str, str, str]:
        return (self.category, self.h1b, self.j1)

    @property
    def wording(self) -> tuple:
        return (self.step3_required, tuple(sorted(text for _, text in self.evidence)))

    @property
    def urls(self) -> set[str]:
        """The pages that decided, without fragments (a PDF's evidence names its page: #page=3)."""
        return {url.split("#", 1)[0] for url, _ in self.evidence if url}


@dataclass
class Tracker:
    """What change detection remembers of one program between crawls."""

    current: Stance | None = None
    # {url: SHA-256 of its text} of the readable pages the current stance was read from.
    current_pages: dict[str, str] = field(default_factory=dict)
    missing_streak: int = 0
    fail_streak: int = 0
    unreachable: bool = False
    # (category, h1b, j1) read in the program's last completed crawls with a
    # verdict, oldest first, this crawl excluded; and whether it is flapping.
    recent: tuple[tuple[str, str, str], ...] = ()
    flapping: bool = False


@dataclass(frozen=True)
class Change:
    kind: str
    before: Stance | None
    after: Stance | None
    url: str | None


@dataclass
class Outcome:
    changes: list[Change] = field(default_factory=list)
    # The stance to report from now on, when it moved (baseline included).
    new_stance: Stance | None = None


def page_hashes(result: ProgramResult) -> dict[str, str]:
    """{url: SHA-256 of the text} of the pages of `result` that could be read."""
    return {
        page.url: page.digest
        for page in result.pages
        if page.ok and page.digest is not None
    }


def detect(
    tracker: Tracker,
    result: ProgramResult,
    settings: Settings,
    classifier_version: str | None = None,
) -> Outcome:
    """Update `tracker` with `result` and say what changed."""
    outcome = Outcome()
    if result.unread_here:
        # The site answered; this machine could not read it (no browser). That
        # is the monitor's own trouble: no failure streak, no alert.
        return outcome
    if not result.fetch_ok:
        tracker.fail_streak += 1
        if tracker.fail_streak >= settings.unreachable_after and not tracker.unreachable:
            tracker.unreachable = True
            outcome.changes.append(
                Change(UNREACHABLE, tracker.current, None, result.program.url)
            )
        return outcome

    tracker.fail_streak = 0
    if tracker.unreachable:
        tracker.unreachable = False
        outcome.changes.append(Change(RECOVERED, None, tracker.current, result.program.url))

    found = Stance.of(result.verdict, classifier_version)
    pages = page_hashes(result)
    known = tracker.current
    if known is None:
        _move_to(tracker, outcome, found, pages)
        return outcome
    if found.position != known.position and known.urls & result.failed_urls():
        return outcome
    moved = found.position != known.position or found.wording != known.wording
    if moved and same_text(known, found, tracker.current_pages, pages):
        outcome.changes.append(Change(REREAD, known, found, _url(found, known)))
        _move_to(tracker, outcome, found, pages)
        return outcome
    if tracker.flapping and not _settled(tracker, found, settings):
        if tracker.recent and tracker.recent[-1] != found.position:
            outcome.changes.append(Change(FLAPPING, known, found, _url(found, known)))
        return outcome
    if tracker.flapping:
        tracker.flapping = False  # one version held long enough: judge it as usual
    elif (found.position != known.position and found.category != "unknown"
          and found.position in _window(tracker, settings)):
        # A missing statement has its own confirmation (rule 8), not this one.
        tracker.flapping = True
        outcome.changes.append(Change(FLAPPING, known, found, _url(found, known)))
        return outcome
    if found.position == known.position:
        tracker.missing_streak = 0
        if found.wording != known.wording:
            outcome.changes.append(Change(WORDING, known, found, _url(found, known)))
            _move_to(tracker, outcome, found, pages)
        return outcome
    if found.category == "unknown":
        tracker.missing_streak += 1
        if tracker.missing_streak >= settings.confirm_missing_runs:
            outcome.changes.append(Change(STATEMENT_MISSING, known, found, _url(known, found)))
            _move_to(tracker, outcome, found, pages)
        return outcome
    outcome.changes.append(Change(STANCE, known, found, _url(found, known)))
    _move_to(tracker, outcome, found, pages)
    return outcome


def _window(tracker: Tracker, settings: Settings) -> tuple[tuple[str, str, str], ...]:
    return tracker.recent[-settings.flap_window:]


def _settled(tracker: Tracker, found: Stance, settings: Settings) -> bool:
    """Has `found` now held for `flap_settle_runs` crawls in a row (this one included)?"""
    held = 1
    for position in reversed(tracker.recent):
        if position != found.position:
            break
        held += 1
    return held >= settings.flap_settle_runs


def reread(tracker: Tracker, result: ProgramResult, classifier_version: str) -> Outcome:
    """Stored pages read again (no crawl): a different verdict is `reread`, nothing else.

    The pages are those the known stance was read from, so the text is the
    same by construction; fetch streaks are left alone.
    """
    outcome = Outcome()
    known = tracker.current
    if known is None or result.verdict is None:
        return outcome
    found = Stance.of(result.verdict, classifier_version)
    if found.position != known.position or found.wording != known.wording:
        outcome.changes.append(Change(REREAD, known, found, _url(found, known)))
        tracker.current = found
        outcome.new_stance = found
    return outcome


def same_text(
    known: Stance, found: Stance, known_pages: dict[str, str], pages: dict[str, str]
) -> bool:
    """Did every page that decided either verdict keep its text?

    Only pages on both sides with equal hashes count; a verdict without
    deciding pages stands for all the pages read, so then all must match.
    """
    if not known_pages or not pages:
        return False
    deciding = known.urls | found.urls
    if not (known.evidence and found.evidence):
        deciding |= set(known_pages) | set(pages)
    return all(
        url in known_pages and known_pages.get(url) == pages.get(url) for url in deciding
    )


def _move_to(
    tracker: Tracker, outcome: Outcome, stance: Stance, pages: dict[str, str]
) -> None:
    tracker.current = stance
    tracker.current_pages = pages
    tracker.missing_streak = 0
    outcome.new_stance = stance


def _url(first: Stance | None, second: Stance | None) -> str | None:
    for stance in (first, second):
        if stance is not None:
            for url, _ in stance.evidence:
                if url:
                    return url
    return None
