"""The outbox: change events owed to subscribers, and the log of their delivery.

`enqueue` runs inside the crawl's transaction (`monitor.detect.flow`), so an
event and the rows that announce it are written together or not at all: a
crash between detecting and sending loses nothing.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from monitor.notify.secrets import mask_url
from monitor.notify.subscriptions import active_subscriptions, matches
from monitor.store import models
from monitor.store.writer import Store

PENDING, SENT, GAVE_UP, CANCELLED = "pending", "sent", "gave_up", "cancelled"
STATUSES = (PENDING, SENT, GAVE_UP, CANCELLED)


def enqueue(
    session: Session,
    program: models.Program,
    events: list[models.ChangeEvent],
    crawl_id: int,
    now: datetime,
) -> int:
    """Add a pending row for every (event, matching subscription); return how many."""
    if not events:
        return 0
    subscriptions = _subscriptions(session)
    rows = [
        models.OutboxRow(
            event_id=event.id,
            subscription_id=subscription.id,
            crawl_id=crawl_id,
            status=PENDING,
            attempts=0,
            created_at=now,
            next_attempt_at=now,
        )
        for event in events
        for subscription in subscriptions
        if matches(subscription, program, event.kind)
    ]
    session.add_all(rows)
    session.flush()
    return len(rows)


def _subscriptions(session: Session) -> list[models.Subscription]:
    # Read once per transaction: a crawl enqueues for every program.
    cached = session.info.get("visa_monitor_subscriptions")
    if cached is None:
        cached = session.info["visa_monitor_subscriptions"] = active_subscriptions(session)
    return cached


def counts(store: Store) -> dict[str, int]:
    with store.sessions() as session:
        rows = session.execute(
            select(models.OutboxRow.status, func.count()).group_by(models.OutboxRow.status)
        ).all()
    return {status: 0 for status in STATUSES} | dict(rows)


def delivery_log(store: Store, status: str | None = None, limit: int | None = 200) -> list[dict]:
    """What was sent, failed or is pending, newest first (URLs masked)."""
    with store.sessions() as session:
        query = (
            select(models.OutboxRow, models.ChangeEvent, models.Program, models.Subscription)
            .join(models.ChangeEvent, models.ChangeEvent.id == models.OutboxRow.event_id)
            .join(models.Program, models.Program.id == models.ChangeEvent.program_id)
            .join(models.Subscription,
                  models.Subscription.id == models.OutboxRow.subscription_id)
            .order_by(models.OutboxRow.id.desc())
        )
        if status is not None:
            query = query.where(models.OutboxRow.status == status)
        if limit is not None:
            query = query.limit(limit)
        return [
            {
                "id": row.id,
                "status": row.status,
                "subscription_id": subscription.id,
                "subscription": subscription.name or mask_url(subscription.url),
                "program_id": program.slug,
                "kind": event.kind,
                "detected_at": _iso(event.detected_at),
                "attempts": row.attempts,
                "next_attempt_at": _iso(row.next_attempt_at) if row.status == PENDING else None,
                "sent_at": _iso(row.sent_at),
                "last_error": row.last_error,
            }
            for row, event, program, subscription in session.execute(query)
        ]


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None
