"""Writing crawls to the database.

A crawl is opened as `running` and closed in one transaction that writes
every program's pages, assessment and change events together, so a crash
leaves either all of a crawl's results or none of them. Only a `completed`
crawl moves change detection; the results of an aborted or failed one are
kept for the record but never become a program's stance.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from monitor.changes import Change, Outcome, Stance, Tracker, detect
from monitor.classify.assess import ProgramResult
from monitor.config import Program, Settings
from monitor.store import db, models
from monitor.store.models import utcnow

COMPLETED, ABORTED, FAILED, RUNNING = "completed", "aborted", "failed", "running"


class Store:
    def __init__(self, engine: Engine, url: str):
        self.engine = engine
        self.url = url
        self.sessions = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def open(cls, db_url: str | None = None) -> Store:
        """Connect, creating the schema of an empty database (DatabaseError otherwise)."""
        url = db.resolve_db_url(db_url)
        engine = db.create_db_engine(url)
        db.prepare(engine, url)
        return cls(engine, url)

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

    def finish_crawl(
        self,
        crawl_id: int,
        results: Iterable[ProgramResult],
        settings: Settings,
        outcome: str = COMPLETED,
        reason: str | None = None,
    ) -> list[tuple[str, Change]]:
        """Record every program's result; return the changes (program id, change)."""
        found: list[tuple[str, Change]] = []
        with self.sessions.begin() as session:
            crawl = session.get(models.Crawl, crawl_id)
            if crawl is None or crawl.outcome != RUNNING:
                raise ValueError(f"crawl {crawl_id} is not running")
            now = utcnow()
            pages = 0
            for result in results:
                program = _upsert_program(session, result.program)
                _record_pages(session, crawl_id, program.id, result)
                verdict_id = _verdict_id(session, result)
                session.add(
                    models.Assessment(
                        program_id=program.id,
                        crawl_id=crawl_id,
                        verdict_id=verdict_id,
                        error=result.error,
                    )
                )
                pages += len(result.pages)
                if outcome == COMPLETED:
                    changes = _track(session, program, result, settings, crawl_id, now)
                    found.extend((program.slug, change) for change in changes)
            crawl.outcome = outcome
            crawl.reason = reason
            crawl.finished_at = now
            crawl.page_count = pages
        return found


def _upsert_program(session: Session, config: Program) -> models.Program:
    program = session.scalar(select(models.Program).where(models.Program.slug == config.id))
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
    session.flush()
    return program


def _record_pages(session: Session, crawl_id: int, program_id: int, result: ProgramResult):
    seen: set[int] = set()
    for page in result.pages:
        url_id = _get_or_create(session, models.Url, "url", page.url)
        if url_id in seen:  # two requests redirected to one page
            continue
        seen.add(url_id)
        text_id = None
        if page.text is not None and page.ok:
            digest = hashlib.sha256(page.text.encode("utf-8")).hexdigest()
            text_id = _get_or_create(
                session, models.PageText, "sha256", digest, text=page.text, created_at=utcnow()
            )
        session.add(
            models.PageFetch(
                crawl_id=crawl_id,
                program_id=program_id,
                url_id=url_id,
                status=page.status,
                text_id=text_id,
                own=page.own,
                error=page.error,
            )
        )


def _verdict_id(session: Session, result: ProgramResult) -> int | None:
    if result.verdict is None:
        return None
    return _stance_verdict_id(session, Stance.of(result.verdict))


def _stance_verdict_id(session: Session, stance: Stance) -> int:
    record = {**stance.axes(), "evidence": stance.evidence_dicts()}
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
    )


def _track(
    session: Session,
    program: models.Program,
    result: ProgramResult,
    settings: Settings,
    crawl_id: int,
    now: datetime,
) -> list[Change]:
    period = None
    if program.current_period_id is not None:
        period = session.get(models.StancePeriod, program.current_period_id)
    tracker = Tracker(
        current=load_stance(session, period.verdict_id) if period else None,
        missing_streak=program.missing_streak,
        fail_streak=program.fail_streak,
        unreachable=program.unreachable,
    )
    outcome: Outcome = detect(tracker, result, settings)
    if outcome.new_stance is not None:
        if period is not None:
            period.ended_at = now
        new_period = models.StancePeriod(
            program_id=program.id,
            verdict_id=_stance_verdict_id(session, outcome.new_stance),
            crawl_id=crawl_id,
            started_at=now,
        )
        session.add(new_period)
        session.flush()
        program.current_period_id = new_period.id
    for change in outcome.changes:
        session.add(_event_row(session, program.id, crawl_id, now, change))
    program.missing_streak = tracker.missing_streak
    program.fail_streak = tracker.fail_streak
    program.unreachable = tracker.unreachable
    program.last_crawl_id = crawl_id
    program.last_checked_at = now
    program.last_fetch_ok = result.fetch_ok
    program.last_error = result.error
    return outcome.changes


def _event_row(
    session: Session, program_id: int, crawl_id: int, now: datetime, change: Change
) -> models.ChangeEvent:
    def verdict_id(stance: Stance | None) -> int | None:
        return _stance_verdict_id(session, stance) if stance else None

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
