"""What the daemon keeps in the database: its cycles and its schedule.

Cycles are rows of `daemon_cycles`; the schedule is APScheduler's job in
`apscheduler_jobs` (its SQLAlchemy job store), which `next_due` reads.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from sqlalchemy import func, inspect, select

from monitor.notify.outbox import PENDING
from monitor.store import models
from monitor.store.writer import Store

JOB_ID = "visa-monitor-cycle"
JOBS_TABLE = "apscheduler_jobs"
UNREACHABLE_KIND = "unreachable"


@dataclass
class CycleReport:
    started_at: datetime
    finished_at: datetime | None = None
    crawl_id: int | None = None
    outcome: str = "failed"
    programs: int = 0
    failures: int = 0
    changes: int = 0
    alerts_sent: int = 0
    alerts_pending: int = 0
    note: str | None = None
    notices: list[str] = field(default_factory=list)

    @property
    def duration(self) -> float:
        end = self.finished_at or self.started_at
        return (end - self.started_at).total_seconds()

    def line(self) -> str:
        """The one log line of a cycle: key=value pairs, easy to grep in a journal."""
        crawl = self.crawl_id if self.crawl_id is not None else "-"
        return (
            f"cycle crawl={crawl} outcome={self.outcome} programs={self.programs} "
            f"failures={self.failures} changes={self.changes} "
            f"alerts_sent={self.alerts_sent} alerts_pending={self.alerts_pending} "
            f"duration={self.duration:.1f}s"
        )


def record_cycle(store: Store, report: CycleReport) -> None:
    with store.sessions.begin() as session:
        session.add(models.DaemonCycle(**asdict(report)))


@dataclass
class CrawlSummary:
    programs: int
    failures: int
    unreachable: list[str]  # programs that became unreachable in this crawl


def crawl_summary(store: Store, crawl_id: int) -> CrawlSummary:
    with store.sessions() as session:
        assessed = session.execute(
            select(func.count(), func.count(models.Assessment.verdict_id))
            .where(models.Assessment.crawl_id == crawl_id)
        ).one()
        unreachable = session.scalars(
            select(models.Program.slug)
            .join(models.ChangeEvent, models.ChangeEvent.program_id == models.Program.id)
            .where(models.ChangeEvent.crawl_id == crawl_id,
                   models.ChangeEvent.kind == UNREACHABLE_KIND)
            .order_by(models.Program.slug)
        ).all()
    programs, answered = assessed
    return CrawlSummary(programs, programs - answered, list(unreachable))


def alerts_failing(store: Store, since: datetime) -> int:
    """Alerts written before `since`, tried, and still not delivered."""
    with store.sessions() as session:
        return session.scalar(
            select(func.count()).select_from(models.OutboxRow).where(
                models.OutboxRow.status == PENDING,
                models.OutboxRow.attempts > 0,
                models.OutboxRow.created_at <= since,
            )
        )


def notice_sent_since(store: Store, kind: str, since: datetime) -> bool:
    """Whether a cycle finished after `since` told the operator `kind`."""
    with store.sessions() as session:
        recent = session.scalars(
            select(models.DaemonCycle.notices).where(models.DaemonCycle.finished_at >= since)
        )
        return any(kind in (notices or []) for notices in recent)


def last_cycle(store: Store) -> dict | None:
    with store.sessions() as session:
        row = session.scalars(
            select(models.DaemonCycle).order_by(models.DaemonCycle.id.desc()).limit(1)
        ).first()
    if row is None:
        return None
    return {
        "started_at": row.started_at.isoformat(),
        "finished_at": row.finished_at.isoformat(),
        "crawl_id": row.crawl_id,
        "outcome": row.outcome,
        "programs": row.programs,
        "failures": row.failures,
        "changes": row.changes,
        "alerts_sent": row.alerts_sent,
        "alerts_pending": row.alerts_pending,
        "note": row.note,
    }


def next_due(store: Store) -> datetime | None:
    """When the scheduled cycle runs next, as the job store holds it (None: never scheduled)."""
    if JOBS_TABLE not in inspect(store.engine).get_table_names():
        return None
    job = SQLAlchemyJobStore(engine=store.engine, tablename=JOBS_TABLE).lookup_job(JOB_ID)
    return job.next_run_time if job is not None else None


def schedule_summary(store: Store) -> dict:
    due = next_due(store)
    return {"last_cycle": last_cycle(store), "next_due": due.isoformat() if due else None}
