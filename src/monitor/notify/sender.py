"""The sender: delivers pending outbox rows, once each, retrying with backoff.

Rows are taken one group at a time (one subscriber, one crawl: one
message). A group is claimed with a single conditional UPDATE (pending,
unclaimed or its lease ran out) whose row count says what this sender got,
so two senders at once, on SQLite or PostgreSQL, never both send a row. The
outcome is written right after Apprise answers: a sender killed between
groups leaves nothing claimed; one killed while a message is in flight
leaves that group claimed until its lease ends, after which it is sent
again (the one case where a receiver can see a message twice).

A failed row is retried after `notify_first_retry_seconds`, then twice as
long each time, and given up `notify_give_up_hours` after it was written.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, insert, or_, select, update

from monitor.config import Settings
from monitor.notify.message import AlertEvent, compose
from monitor.notify.outbox import GAVE_UP, PENDING, SENT
from monitor.notify.services import ServiceError, send, target
from monitor.store import models
from monitor.store.models import utcnow
from monitor.store.writer import Store

# How long a claim holds before another sender may take the rows (a dead sender's).
LEASE = timedelta(minutes=10)
MAX_BACKOFF = timedelta(hours=6)


@dataclass
class DeliveryReport:
    sent: int = 0  # outbox rows delivered by this run
    failed: int = 0  # rows whose attempt failed in this run (retried later unless given up)
    pending: int = 0  # rows still pending when the run ended
    gave_up: int = 0  # rows given up by this run
    messages: int = 0  # messages delivered (one per subscriber and crawl)
    errors: list[str] = field(default_factory=list)  # why messages failed, secrets masked


@dataclass
class _Claimed:
    ids: list[int]
    attempts: dict[int, int]
    created: dict[int, datetime]


def deliver_pending(
    store: Store,
    settings: Settings,
    *,
    force: bool = False,
    now: datetime | None = None,
    progress: Callable[[DeliveryReport], None] | None = None,
) -> DeliveryReport:
    """Send every due pending row (every pending row with `force`), once.

    `now` fixes the clock (tests, replays); `progress` is called after each
    message's outcome is recorded.
    """
    report = DeliveryReport()
    token = uuid.uuid4().hex
    tried: set[int] = set()
    while True:
        at = now or utcnow()
        group = _next_group(store, at, force, tried)
        if not group:
            break
        tried.update(group)
        claimed = _claim(store, group, token, at, force)
        if claimed is None:
            continue  # another sender took it
        ok, detail = _deliver(store, settings, claimed.ids)
        _record(store, claimed, token, ok, detail, settings, at, report)
        if progress is not None:
            progress(report)
    report.pending = _count_pending(store)
    return report


def _due(at: datetime, force: bool):
    row = models.OutboxRow
    conditions = [
        row.status == PENDING,
        or_(row.claimed_by.is_(None), row.claimed_until < at),
    ]
    if not force:
        conditions.append(row.next_attempt_at <= at)
    return conditions


def _next_group(store: Store, at: datetime, force: bool, tried: set[int]) -> list[int]:
    row = models.OutboxRow
    conditions = _due(at, force)
    if tried:
        conditions.append(row.id.notin_(tried))
    with store.sessions() as session:
        first = session.execute(
            select(row.subscription_id, row.crawl_id).where(*conditions).order_by(row.id).limit(1)
        ).first()
        if first is None:
            return []
        return list(session.scalars(
            select(row.id)
            .where(*conditions, row.subscription_id == first.subscription_id,
                   row.crawl_id == first.crawl_id)
            .order_by(row.id)
        ))


def _claim(
    store: Store, ids: list[int], token: str, at: datetime, force: bool
) -> _Claimed | None:
    row = models.OutboxRow
    # The UPDATE comes first in its transaction: on SQLite it takes the write
    # lock at once, on PostgreSQL a concurrent claim waits and re-checks the WHERE.
    with store.sessions.begin() as session:
        taken = session.execute(
            update(row)
            # Checked again: another sender may have sent it, or failed and
            # rescheduled it, since the group was picked.
            .where(row.id.in_(ids), *_due(at, force))
            .values(claimed_by=token, claimed_until=at + LEASE)
            .execution_options(synchronize_session=False)
        ).rowcount
        if not taken:
            return None
        rows = session.execute(
            select(row.id, row.attempts, row.created_at)
            .where(row.id.in_(ids), row.claimed_by == token, row.status == PENDING)
            .order_by(row.id)
        ).all()
    if not rows:
        return None
    return _Claimed([r.id for r in rows], {r.id: r.attempts for r in rows},
                    {r.id: r.created_at for r in rows})


def _deliver(store: Store, settings: Settings, ids: list[int]) -> tuple[bool, str]:
    with store.sessions() as session:
        subscription, events = _load(session, ids)
        try:
            reach = target(subscription, settings)
        except ServiceError as exc:
            return False, str(exc)
        message = compose(events, unsubscribe_line(subscription),
                          body_limit=reach.body_limit, title_limit=reach.title_limit)
    result = send(reach, message.title, message.body)
    return result.ok, result.detail


def _load(session, ids: list[int]) -> tuple[models.Subscription, list[AlertEvent]]:
    rows = session.execute(
        select(models.OutboxRow, models.ChangeEvent, models.Program)
        .join(models.ChangeEvent, models.ChangeEvent.id == models.OutboxRow.event_id)
        .join(models.Program, models.Program.id == models.ChangeEvent.program_id)
        .where(models.OutboxRow.id.in_(ids))
        .order_by(models.ChangeEvent.id)
    ).all()
    subscription = session.get(models.Subscription, rows[0][0].subscription_id)
    events = [
        AlertEvent(
            program_id=program.slug,
            program_name=program.name,
            kind=event.kind,
            before=event.before,
            after=event.after,
            evidence_before=list(event.evidence_before or []),
            evidence_after=list(event.evidence_after or []),
            url=event.url,
            detected_at=event.detected_at,
        )
        for _, event, program in rows
    ]
    return subscription, events


def unsubscribe_line(subscription: models.Subscription) -> str:
    named = f" ({subscription.name})" if subscription.name else ""
    return (f"You get this from visa-monitor subscription {subscription.id}{named}. "
            f"To stop: visa-monitor subscribe remove {subscription.id}")


def _record(
    store: Store,
    claimed: _Claimed,
    token: str,
    ok: bool,
    detail: str,
    settings: Settings,
    at: datetime,
    report: DeliveryReport,
) -> None:
    row = models.OutboxRow
    first_retry = timedelta(seconds=settings.notify_first_retry_seconds)
    give_up_after = timedelta(hours=settings.notify_give_up_hours)
    with store.sessions.begin() as session:
        for row_id in claimed.ids:
            attempts = claimed.attempts[row_id] + 1
            values = {"attempts": attempts, "claimed_by": None, "claimed_until": None}
            deadline = claimed.created[row_id] + give_up_after
            if ok:
                values |= {"status": SENT, "sent_at": at, "last_error": None}
            elif at >= deadline:
                values |= {"status": GAVE_UP, "last_error": detail}
            else:
                delay = min(first_retry * 2 ** (attempts - 1), MAX_BACKOFF)
                # The last try falls on the deadline itself.
                values |= {"next_attempt_at": min(at + delay, deadline), "last_error": detail}
            changed = session.execute(
                update(row).where(row.id == row_id, row.claimed_by == token).values(**values)
                .execution_options(synchronize_session=False)
            ).rowcount
            if not changed:
                continue  # our lease ran out and another sender owns the row now
            session.execute(insert(models.DeliveryAttempt).values(
                outbox_id=row_id, attempted_at=at, ok=ok, detail=detail))
            if ok:
                report.sent += 1
            elif values.get("status") == GAVE_UP:
                report.gave_up += 1
                report.failed += 1
            else:
                report.failed += 1
    if ok:
        report.messages += 1
    else:
        report.errors.append(detail)


def _count_pending(store: Store) -> int:
    with store.sessions() as session:
        return session.scalar(
            select(func.count()).select_from(models.OutboxRow)
            .where(models.OutboxRow.status == PENDING)
        )
