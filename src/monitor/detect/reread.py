"""`visa-monitor reclassify`: read the stored pages again with the installed classifier.

For every program with a stance, the pages that stance was read from are
classified again, without crawling. A different verdict over the same text
is a `reread` event ("our reading changed; the page did not"), recorded with
its outbox rows in one transaction, like a crawl's events; it is never a
`stance` event. The re-reading is kept as a crawl of its own (reason
`reclassify`) whose assessments carry the new classifier version.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select

from monitor.classify import classifier_version as installed_classifier_version
from monitor.classify.assess import PageResult, ProgramResult, assess_program, page_error
from monitor.classify.verdict import Verdict, classify_extracted
from monitor.config import Program, Settings
from monitor.detect.changes import Change, Stance, reread
from monitor.notify import outbox
from monitor.store import models, writer
from monitor.store.models import utcnow
from monitor.store.writer import COMPLETED, Store

REASON = "reclassify"


@dataclass
class Reclassified:
    classifier_version: str
    programs: int = 0
    changes: list[tuple[str, Change]] = field(default_factory=list)


def reclassify(
    store: Store,
    settings: Settings,
    classifier_version: str | None = None,
    classify: Callable[[str, str], Verdict] = classify_extracted,
) -> Reclassified:
    """Re-read every program's current pages; return the `reread` changes.

    `classify` and `classifier_version` name the reading (default: the
    installed classifier), so a test can stand in a different reader.
    """
    version = classifier_version or installed_classifier_version()
    done = Reclassified(version)
    with store.sessions.begin() as session:
        now = utcnow()
        crawl = models.Crawl(started_at=now, finished_at=now, outcome=COMPLETED, reason=REASON,
                             config_path=None, program_count=0, page_count=0)
        session.add(crawl)
        session.flush()
        programs = session.scalars(
            select(models.Program).where(models.Program.current_period_id.is_not(None))
            .order_by(models.Program.slug)
        ).all()
        for program in programs:
            period = session.get(models.StancePeriod, program.current_period_id)
            result = _read_again(session, program, period.crawl_id, classify)
            if result.verdict is None:
                continue
            tracker = writer.load_tracker(session, program)
            outcome = reread(tracker, result, version)
            writer.record_reread(session, program, period.crawl_id, crawl.id,
                                 _stance(result, version))
            events = writer.save_outcome(session, program, tracker, outcome, crawl.id, now)
            outbox.enqueue(session, program, events, crawl.id, now)
            done.programs += 1
            crawl.page_count += len(result.pages)
            done.changes.extend((program.slug, change) for change in outcome.changes)
        crawl.program_count = done.programs
    return done


def _read_again(session, program: models.Program, crawl_id: int, classify) -> ProgramResult:
    pages = []
    for url, status, own, text, error in writer.stored_pages(session, program.id, crawl_id):
        error = error or page_error(status, text)
        verdict = classify(text, url) if error is None else None
        pages.append(PageResult(url, status, own, text, verdict, error))
    config = Program(id=program.slug, name=program.name, institution=program.institution,
                     specialty=program.specialty, city=program.city, url=program.url)
    return assess_program(config, pages)


def _stance(result: ProgramResult, version: str) -> Stance | None:
    return Stance.of(result.verdict, version) if result.verdict is not None else None
