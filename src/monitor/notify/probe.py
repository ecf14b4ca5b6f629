"""`notify test`: a test message to one subscription or all, with each service's outcome."""

from __future__ import annotations

from sqlalchemy import select

from monitor.config import Settings
from monitor.notify.secrets import mask_url
from monitor.notify.sender import unsubscribe_line
from monitor.notify.services import ServiceError, send, target
from monitor.notify.subscriptions import SubscriptionError, active_subscriptions
from monitor.store import models
from monitor.store.writer import Store

TEST_TITLE = "visa-monitor: test alert"
TEST_BODY = ("This is a test from visa-monitor. Real alerts say which program changed its "
             "visa policy, quote the page before and after, and link to it.")


def send_test(store: Store, settings: Settings, subscription_id: int | None = None) -> list[dict]:
    """Send a test message; one row per service: {subscription_id, service, url, ok, reason}."""
    with store.sessions() as session:
        if subscription_id is None:
            subscriptions = active_subscriptions(session)
        else:
            row = session.scalar(select(models.Subscription).where(
                models.Subscription.id == subscription_id,
                models.Subscription.removed_at.is_(None)))
            if row is None:
                raise SubscriptionError(f"no subscription {subscription_id}")
            subscriptions = [row]
    rows = []
    for subscription in subscriptions:
        base = {"subscription_id": subscription.id, "name": subscription.name}
        try:
            reach = target(subscription, settings)
        except ServiceError as exc:
            rows.append({**base, "service": None, "url": mask_url(subscription.url),
                         "ok": False, "reason": str(exc)})
            continue
        body = f"{TEST_BODY}\n\n{unsubscribe_line(subscription)}"
        result = send(reach, TEST_TITLE, body)
        if not result.services:
            rows.append({**base, "service": None, "url": mask_url(subscription.url),
                         "ok": result.ok, "reason": None if result.ok else result.detail})
        rows += [{**base, "service": item.service, "url": item.url, "ok": item.ok,
                  "reason": item.reason} for item in result.services]
    return rows
