"""Subscriptions: an Apprise URL (or a tag of the Apprise config) and filters.

Filters combine with AND across fields and OR within one; an empty field
matches everything. Program ids match exactly, specialties and institutions
without regard to case.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import apprise
from sqlalchemy import select, update

from monitor.detect.changes import KINDS, STANCE, STATEMENT_MISSING
from monitor.notify.secrets import load_service, mask_url
from monitor.store import models
from monitor.store.models import utcnow
from monitor.store.writer import Store

DEFAULT_KINDS = (STANCE, STATEMENT_MISSING)


class SubscriptionError(ValueError):
    """A subscription cannot be added or found; the message says why."""


def add_subscription(
    store: Store,
    url: str | None,
    *,
    name: str | None = None,
    programs: Sequence[str] = (),
    specialties: Sequence[str] = (),
    institutions: Sequence[str] = (),
    kinds: Sequence[str] | None = None,
    apprise_config: str | None = None,
) -> dict:
    """Store a subscription after Apprise accepted its URL; return it (masked).

    Without a URL, the subscription reaches the services of the Apprise
    config tagged with its name; given the config, the tag must be in it.
    """
    if url is None and not name:
        raise SubscriptionError("give an Apprise URL, or --name to use an Apprise config tag")
    if url is None and apprise_config:
        _check_tag(apprise_config, name)
    if url is not None:
        service, reason = load_service(url)
        if service is None:
            raise SubscriptionError(f"Apprise refused the URL {mask_url(url)}: {reason}")
    # `--kind a,b` and `--kind a --kind b` say the same.
    kinds = _unique(kinds or DEFAULT_KINDS, split=True)
    unknown = [kind for kind in kinds if kind not in KINDS]
    if unknown:
        raise SubscriptionError(
            f"--kind {', '.join(unknown)}: not a change kind (one of {', '.join(KINDS)})"
        )
    with store.sessions.begin() as session:
        row = models.Subscription(
            name=name,
            url=url,
            programs=_unique(programs),
            specialties=_unique(specialties),
            institutions=_unique(institutions),
            kinds=kinds,
            created_at=utcnow(),
        )
        session.add(row)
        session.flush()
        return describe(row)


def _check_tag(path: str, tag: str) -> None:
    config = apprise.AppriseConfig()
    if not config.add(path):
        raise SubscriptionError(f"{path}: Apprise cannot read this config file")
    services = apprise.Apprise()
    services.add(config)
    if not list(services.find(tag)):
        raise SubscriptionError(f"{path} has no service tagged {tag!r}")


def list_subscriptions(store: Store) -> list[dict]:
    with store.sessions() as session:
        rows = session.scalars(
            select(models.Subscription)
            .where(models.Subscription.removed_at.is_(None))
            .order_by(models.Subscription.id)
        )
        return [describe(row) for row in rows]


def remove_subscription(store: Store, subscription_id: int) -> dict:
    """Remove a subscription; what it still had pending is cancelled, not sent."""
    with store.sessions.begin() as session:
        row = session.get(models.Subscription, subscription_id)
        if row is None or row.removed_at is not None:
            raise SubscriptionError(f"no subscription {subscription_id}")
        row.removed_at = utcnow()
        session.execute(
            update(models.OutboxRow)
            .where(models.OutboxRow.subscription_id == subscription_id,
                   models.OutboxRow.status == "pending")
            .values(status="cancelled", claimed_by=None, claimed_until=None)
        )
        return describe(row)


def active_subscriptions(session) -> list[models.Subscription]:
    return list(session.scalars(
        select(models.Subscription).where(models.Subscription.removed_at.is_(None))
    ))


def matches(subscription: models.Subscription, program: models.Program, kind: str) -> bool:
    """AND across fields, OR within one; an empty field matches everything."""
    return (
        kind in (subscription.kinds or DEFAULT_KINDS)
        and _any(subscription.programs, program.slug, exact=True)
        and _any(subscription.specialties, program.specialty)
        and _any(subscription.institutions, program.institution)
    )


def describe(row: models.Subscription) -> dict:
    """A subscription for display: its URL masked."""
    return {
        "id": row.id,
        "name": row.name,
        "url": mask_url(row.url) if row.url else None,
        "programs": list(row.programs or []),
        "specialties": list(row.specialties or []),
        "institutions": list(row.institutions or []),
        "kinds": list(row.kinds or DEFAULT_KINDS),
        "created_at": row.created_at.isoformat() if row.created_at else None,
    }


def _any(wanted: list | None, value: str, exact: bool = False) -> bool:
    if not wanted:
        return True
    if exact:
        return value in wanted
    return value.casefold() in {item.casefold() for item in wanted}


def _unique(values: Iterable[str], split: bool = False) -> list[str]:
    seen: list[str] = []
    for value in values:
        for part in str(value).split(",") if split else [str(value)]:
            part = part.strip()
            if part and part not in seen:
                seen.append(part)
    return seen
