"""The end of a crawl: record it, detect, write events and outbox rows, in one transaction.

The store persists (`monitor.store.writer`), the rules decide
(`monitor.detect.changes`), the outbox announces (`monitor.notify.outbox`);
this module runs them in order inside a single transaction, so a crash
leaves either all of a crawl's results, events and alerts or none of them.
Only a `completed` crawl moves change detection; the results of an aborted
or failed one are kept for the record but never become a program's stance.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy.orm import Session

from monitor.classify import classifier_version as installed_classifier_version
from monitor.classify.assess import ProgramResult
from monitor.config import Settings
from monitor.detect.changes import Change, detect
from monitor.notify import outbox
from monitor.store import db, models, writer
from monitor.store.models import utcnow
from monitor.store.writer import COMPLETED, Store


def finish_crawl(
    store: Store,
    crawl_id: int,
    results: Iterable[ProgramResult],
    settings: Settings,
    outcome: str = COMPLETED,
    reason: str | None = None,
    classifier_version: str | None = None,
) -> list[tuple[str, Change]]:
    """Record every program's result and what changed; return (program id, change).

    `classifier_version` is the reading that produced the verdicts (default:
    the installed classifier's).
    """
    version = classifier_version or installed_classifier_version()
    results = list(results)
    found: list[tuple[str, Change]] = []
    with store.sessions.begin() as session:
        db.lock_for_write(session)  # it reads, then inserts what it did not find
        writer.running_crawl(session, crawl_id)
        now = utcnow()
        for start in range(0, len(results), PROGRAMS_AT_A_TIME):
            recorded = writer.record_results(
                session, crawl_id, results[start:start + PROGRAMS_AT_A_TIME], version)
            if outcome == COMPLETED:
                for program, result in recorded:
                    changes = detect_program(session, program, result, settings, crawl_id,
                                             now, version)
                    writer.mark_checked(program, result, crawl_id, now)
                    found.extend((program.slug, change) for change in changes)
            # Written (still uncommitted): the session need not hold these programs'
            # rows any longer. Held for a whole crawl, they were its largest peak.
            session.flush()
            session.expunge_all()
        pages = sum(len(result.pages) for result in results)
        writer.close_crawl(writer.running_crawl(session, crawl_id), outcome, reason, now, pages)
    return found


PROGRAMS_AT_A_TIME = 1000  # programs recorded and judged at a time, in the one transaction


def detect_program(
    session: Session,
    program: models.Program,
    result: ProgramResult,
    settings: Settings,
    crawl_id: int,
    now: datetime,
    classifier_version: str,
) -> list[Change]:
    """One program: stored state → rules → events and their outbox rows."""
    tracker = writer.load_tracker(session, program)
    outcome = detect(tracker, result, settings, classifier_version)
    events = writer.save_outcome(session, program, tracker, outcome, crawl_id, now)
    outbox.enqueue(session, program, events, crawl_id, now)
    return outcome.changes
