"""Writing crawls to the database: persistence only, no decisions.

A crawl is opened as `running`; `monitor.detect.flow.finish_crawl` closes it
in one transaction that calls the functions here to write every program's
pages and assessment, then what change detection decided (periods, events)
and the outbox rows, so a crash leaves either all of a crawl's results or
none of them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from monitor.classify.assess import ProgramResult
from monitor.config import Program
from monitor.detect.changes import Change, Outcome, Stance, Tracker
from monitor.store import db, models, validators
from monitor.store.models import utcnow

COMPLETED, ABORTED, FAILED, RUNNING = "completed", "aborted", "failed", "running"


class Store:
    def __init__(self, engine: Engine, url: str):
        self.engine = engine
        self.url = url
        self.sessions = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def open(cls, db_url: str | None = None, create: bool = True) -> Store:
        """Connect, creating the schema of an empty database (DatabaseError otherwise).

        With `create=False` a missing or empty database is a DatabaseError and
        no file is made: what reading commands want.
        """
        url = db.resolve_db_url(db_url)
        if not create:
            path = db.sqlite_file(url)
            if path is not None and not path.exists():
                raise db.DatabaseError(db.no_database_message(url))
        engine = db.create_db_engine(url, create=create)
        try:
            db.prepare(engine, url, create=create)
        except db.DatabaseError:
            engine.dispose()
            raise
        return cls(engine, url)

    def check_writable(self) -> None:
        """DatabaseError when this database cannot take a crawl's results."""
        db.check_writable(self.engine, self.url)

    def close(self) -> None:
        self.engine.dispose()

    # -- crawls ---------------------------------------------------------

    def start_crawl(self, config_path: str | None, program_count: int) -> int:
        with self.sessions.begin() as session:
            crawl = models.Crawl(
                started_at=utcnow(), config_path=config_path, program_count=program_count
            )
            session.add(crawl)
            session.flush()
            return crawl.id

    def fail_crawl(self, crawl_id: int, reason: str, outcome: str = FAILED) -> None:
        """Close a crawl whose process died before it could record its results."""
        with self.sessions.begin() as session:
            session.execute(
                update(models.Crawl)
                .where(models.Crawl.id == crawl_id, models.Crawl.outcome == RUNNING)
                .values(outcome=outcome, reason=reason, finished_at=utcnow())
            )

    def abort_crawl(self, crawl_id: int, reason: str) -> None:
        """Close a crawl that was stopped on request but could not record itself."""
        self.fail_crawl(crawl_id, reason, outcome=ABORTED)


def running_crawl(session: Session, crawl_id: int) -> models.Crawl:
    crawl = session.get(models.Crawl, crawl_id)
    if crawl is None or crawl.outcome != RUNNING:
        raise ValueError(f"crawl {crawl_id} is not running")
    return crawl


def close_crawl(
    crawl: models.Crawl, outcome: str, reason: str | None, now: datetime, pages: int
) -> None:
    crawl.outcome = outcome
    crawl.reason = reason
    crawl.finished_at = now
    crawl.page_count = pages


def record_results(
    session: Session,
    crawl_id: int,
    results: Iterable[ProgramResult],
    classifier_version: str,
) -> list[tuple[models.Program, ProgramResult]]:
    """Write every program's pages and assessment; return the program rows.

    Rows are looked up and written in bulk (a crawl has thousands of pages):
    a query per page made the closing transaction the slowest part of a crawl.
    """
    results = list(results)
    programs = _upsert_programs(session, [result.program for result in results])
    pages = [(program.id, page) for program, result in zip(programs, results, strict=True)
             for page in result.pages]
    # In slices, within the same transaction: the rows of a whole crawl at once (a
    # validator row carries its verdict and links), and the ids of all its URLs and
    # texts, were the crawl process's peak.
    recorded_pages: set[tuple[int, int]] = set()
    for start in range(0, len(pages), _ROWS):
        chunk = pages[start:start + _ROWS]
        url_ids = _ids(session, models.Url, "url", {page.url: {} for _, page in chunk})
        readable = {page.digest: {"text": page.text, "created_at": utcnow()}
                    for _, page in chunk if page.ok and page.digest is not None}
        text_ids = _ids(session, models.PageText, "sha256", readable)
        _record_pages(session, crawl_id, chunk, url_ids, text_ids, recorded_pages)
        _record_validators(session, chunk, url_ids, text_ids, classifier_version)
    del pages
    assessments = [
        {"program_id": program.id, "crawl_id": crawl_id, "error": result.error,
         "verdict_id": stance_verdict_id(session, Stance.of(result.verdict, classifier_version))
         if result.verdict is not None else None}
        for program, result in zip(programs, results, strict=True)
    ]
    if assessments:
        session.execute(insert(models.Assessment), assessments)
    return list(zip(programs, results, strict=True))


_CHUNK = 500  # keys per IN (...) query
_ROWS = 2000  # pages whose rows are built and inserted at a time


def _upsert_programs(session: Session, configs: list[Program]) -> list[models.Program]:
    slugs = [config.id for config in configs]
    known = {}
    for start in range(0, len(slugs), _CHUNK):
        chunk = slugs[start:start + _CHUNK]
        known.update((p.slug, p) for p in session.scalars(
            select(models.Program).where(models.Program.slug.in_(chunk))))
    programs = []
    for config in configs:
        program = known.get(config.id)
        if program is None:
            program = models.Program(
                slug=config.id, missing_streak=0, fail_streak=0, unreachable=False
            )
            session.add(program)
        program.name = config.name
        program.institution = config.institution
        program.specialty = config.specialty
        program.city = config.city
        program.url = config.url
        programs.append(program)
    session.flush()
    return programs


def _ids(session: Session, model, key: str, wanted: dict) -> dict:
    """{key value: row id} of `wanted` (value -> fields of a new row), creating the missing."""
    column = getattr(model, key)
    ids = {}
    values = list(wanted)
    for start in range(0, len(values), _CHUNK):
        chunk = values[start:start + _CHUNK]
        ids.update(session.execute(select(column, model.id).where(column.in_(chunk))).all())
    missing = [{key: value, **wanted[value]} for value in values if value not in ids]
    if missing:
        session.execute(insert(model), missing)
        for start in range(0, len(missing), _CHUNK):
            chunk = [row[key] for row in missing[start:start + _CHUNK]]
            ids.update(session.execute(select(column, model.id).where(column.in_(chunk))).all())
    return ids


def _record_pages(session: Session, crawl_id: int, pages, url_ids: dict, text_ids: dict,
                  seen: set[tuple[int, int]]):
    """Page rows of `pages`; `seen` holds the (program, URL) pairs recorded before."""
    rows = []
    for program_id, page in pages:
        url_id = url_ids[page.url]
        if (program_id, url_id) in seen:  # two requests redirected to one page
            continue
        seen.add((program_id, url_id))
        text_id = text_ids.get(page.digest) if page.ok and page.digest is not None else None
        rows.append({"crawl_id": crawl_id, "program_id": program_id, "url_id": url_id,
                     "status": page.status, "text_id": text_id, "own": page.own,
                     "error": page.error})
    if rows:
        session.execute(insert(models.PageFetch), rows)


def _record_validators(session: Session, pages, url_ids: dict, text_ids: dict,
                       classifier_version: str) -> None:
    """Keep what each page read fully this time found, for the next crawl."""
    rows = {}
    for _, page in pages:
        if page.ok and page.body_sha256 is not None and not page.reused:
            rows[url_ids[page.url]] = validators.validator_row(
                url_ids[page.url], text_ids[page.digest], page.etag, page.last_modified,
                page.body_sha256, page.verdict, classifier_version, page.links,
            )
    validators.save_validators(session, list(rows.values()))


def stance_verdict_id(session: Session, stance: Stance) -> int:
    record = {**stance.axes(), "evidence": stance.evidence_dicts()}
    if stance.classifier_version is not None:
        # Verdicts stored before versions were recorded keep their digest.
        record["classifier_version"] = stance.classifier_version
    digest = hashlib.sha256(json.dumps(record, sort_keys=True).encode()).hexdigest()
    return _get_or_create(session, models.Verdict, "digest", digest, **record)


def _get_or_create(session: Session, model, key: str, value, **fields) -> int:
    column = getattr(model, key)
    existing = session.scalar(select(model.id).where(column == value))
    if existing is not None:
        return existing
    row = model(**{key: value}, **fields)
    session.add(row)
    session.flush()
    return row.id


def load_stance(session: Session, verdict_id: int | None) -> Stance | None:
    if verdict_id is None:
        return None
    verdict = session.get(models.Verdict, verdict_id)
    return Stance(
        verdict.category,
        verdict.h1b,
        verdict.j1,
        verdict.step3_required,
        tuple((item["url"], item["text"]) for item in verdict.evidence),
        verdict.classifier_version,
    )


def load_tracker(session: Session, program: models.Program) -> Tracker:
    """What change detection remembers of `program`, as stored."""
    period = None
    if program.current_period_id is not None:
        period = session.get(models.StancePeriod, program.current_period_id)
    return Tracker(
        current=load_stance(session, period.verdict_id) if period else None,
        current_pages=page_hashes(session, program.id, period.crawl_id) if period else {},
        missing_streak=program.missing_streak,
        fail_streak=program.fail_streak,
        unreachable=program.unreachable,
        recent=recent_positions(session, program.id),
        flapping=program.flapping,
    )


# More than any flap_window: the rules take the tail they need.
RECENT_CRAWLS = 50


def recent_positions(session: Session, program_id: int) -> tuple[tuple[str, str, str], ...]:
    """(category, h1b, j1) read in the program's last completed crawls, oldest first.

    Crawls in which no page could be read are left out; the running crawl
    (the one being judged) is not completed yet, so it is not among them.
    """
    rows = session.execute(
        select(models.Verdict.category, models.Verdict.h1b, models.Verdict.j1)
        .join(models.Assessment, models.Assessment.verdict_id == models.Verdict.id)
        .join(models.Crawl, models.Crawl.id == models.Assessment.crawl_id)
        .where(models.Assessment.program_id == program_id, models.Crawl.outcome == COMPLETED)
        .order_by(models.Assessment.crawl_id.desc())
        .limit(RECENT_CRAWLS)
    ).all()
    return tuple(tuple(row) for row in reversed(rows))


def page_hashes(session: Session, program_id: int, crawl_id: int) -> dict[str, str]:
    """{url: text SHA-256} of the pages read for a program in one crawl."""
    rows = session.execute(
        select(models.Url.url, models.PageText.sha256)
        .join(models.PageFetch, models.PageFetch.url_id == models.Url.id)
        .join(models.PageText, models.PageText.id == models.PageFetch.text_id)
        .where(models.PageFetch.crawl_id == crawl_id, models.PageFetch.program_id == program_id)
    )
    return dict(rows.all())


def save_outcome(
    session: Session,
    program: models.Program,
    tracker: Tracker,
    outcome: Outcome,
    crawl_id: int,
    now: datetime,
) -> list[models.ChangeEvent]:
    """Persist what detection decided: the new stance period, the events, the streaks."""
    if outcome.new_stance is not None:
        if program.current_period_id is not None:
            period = session.get(models.StancePeriod, program.current_period_id)
            period.ended_at = now
        new_period = models.StancePeriod(
            program_id=program.id,
            verdict_id=stance_verdict_id(session, outcome.new_stance),
            crawl_id=crawl_id,
            started_at=now,
        )
        session.add(new_period)
        session.flush()
        program.current_period_id = new_period.id
    events = [_event_row(session, program.id, crawl_id, now, change)
              for change in outcome.changes]
    session.add_all(events)
    program.missing_streak = tracker.missing_streak
    program.fail_streak = tracker.fail_streak
    program.unreachable = tracker.unreachable
    program.flapping = tracker.flapping
    session.flush()
    return events


def stored_pages(session: Session, program_id: int, crawl_id: int) -> list[tuple]:
    """(url, status, own, text, error) of every page fetched for a program in a crawl."""
    return session.execute(
        select(models.Url.url, models.PageFetch.status, models.PageFetch.own,
               models.PageText.text, models.PageFetch.error)
        .join(models.PageFetch, models.PageFetch.url_id == models.Url.id)
        .outerjoin(models.PageText, models.PageText.id == models.PageFetch.text_id)
        .where(models.PageFetch.crawl_id == crawl_id, models.PageFetch.program_id == program_id)
        .order_by(models.Url.url)
    ).all()


def record_reread(
    session: Session,
    program: models.Program,
    source_crawl_id: int,
    crawl_id: int,
    stance: Stance | None,
) -> None:
    """A re-reading of stored pages: its assessment, and the same page rows under `crawl_id`."""
    fetches = session.scalars(
        select(models.PageFetch).where(models.PageFetch.crawl_id == source_crawl_id,
                                       models.PageFetch.program_id == program.id)
    ).all()
    for fetch in fetches:
        session.add(models.PageFetch(crawl_id=crawl_id, program_id=program.id,
                                     url_id=fetch.url_id, status=fetch.status,
                                     text_id=fetch.text_id, own=fetch.own, error=fetch.error))
    session.add(models.Assessment(
        program_id=program.id, crawl_id=crawl_id,
        verdict_id=stance_verdict_id(session, stance) if stance else None,
    ))
    session.flush()


def mark_checked(
    program: models.Program, result: ProgramResult, crawl_id: int, now: datetime
) -> None:
    program.last_crawl_id = crawl_id
    program.last_checked_at = now
    program.last_fetch_ok = result.fetch_ok
    program.last_error = result.error


def _event_row(
    session: Session, program_id: int, crawl_id: int, now: datetime, change: Change
) -> models.ChangeEvent:
    def verdict_id(stance: Stance | None) -> int | None:
        return stance_verdict_id(session, stance) if stance else None

    # unreachable/recovered carry the known stance on one side only for context;
    # their before/after axes are the stance the user last saw.
    return models.ChangeEvent(
        program_id=program_id,
        crawl_id=crawl_id,
        kind=change.kind,
        detected_at=now,
        before=change.before.axes() if change.before else None,
        after=change.after.axes() if change.after else None,
        evidence_before=change.before.evidence_dicts() if change.before else [],
        evidence_after=change.after.evidence_dicts() if change.after else [],
        url=change.url,
        before_verdict_id=verdict_id(change.before),
        after_verdict_id=verdict_id(change.after),
    )
