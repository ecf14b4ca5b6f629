"""Reaching a subscription's services through Apprise, and reading the outcome.

A subscription with a URL is one Apprise service; one without is every
service of the Apprise config file (`[settings] apprise_config`) tagged with
its name. Apprise's per-service results and its captured log give the reason
of a failure; every secret is scrubbed before it is returned.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import apprise

from monitor.config import Settings
from monitor.notify.secrets import scrub
from monitor.store import models

# Apprise's limit for one whole notify() call, in seconds.
SEND_TIMEOUT = 60


class ServiceError(Exception):
    """The subscription's services cannot be loaded; the message is safe to show."""


@dataclass
class Target:
    apprise: apprise.Apprise
    tag: object
    secrets: list[str]
    services: list = field(default_factory=list)

    @property
    def body_limit(self) -> int:
        return min((service.body_maxlen for service in self.services), default=32768)

    @property
    def title_limit(self) -> int:
        return min((service.title_maxlen for service in self.services), default=250)


@dataclass
class ServiceResult:
    service: str
    url: str  # masked by Apprise
    ok: bool
    reason: str | None


@dataclass
class SendResult:
    ok: bool
    detail: str
    services: list[ServiceResult]


def target(subscription: models.Subscription, settings: Settings) -> Target:
    """The Apprise services a subscription reaches."""
    if subscription.url is not None:
        secrets = [subscription.url]
        with apprise.LogCapture(level=logging.WARNING, fmt="%(message)s") as logs:
            apobj = apprise.Apprise()
            added = apobj.add(subscription.url)
        if not added:
            raise ServiceError(scrub(f"Apprise refused the URL: {logs.getvalue().strip()}",
                                     secrets))
        return Target(apobj, apprise.common.MATCH_ALL_TAG, secrets, list(apobj.find()))
    path = settings.apprise_config
    if not path:
        raise ServiceError(
            f"subscription {subscription.id} uses the Apprise config tag "
            f"{subscription.name!r}, but no apprise_config is set"
        )
    if not Path(path).is_file():
        raise ServiceError(f"apprise_config {path}: no such file")
    config = apprise.AppriseConfig()
    config.add(str(Path(path).resolve()))
    apobj = apprise.Apprise()
    apobj.add(config)
    services = list(apobj.find(subscription.name))
    secrets = apobj.urls(privacy=False)
    if not services:
        raise ServiceError(f"{path} has no service tagged {subscription.name!r}")
    return Target(apobj, subscription.name, secrets, services)


def send(target: Target, title: str, body: str) -> SendResult:
    """Notify every service of `target`; never raises for a service's failure."""
    with apprise.LogCapture(level=logging.WARNING, fmt="%(levelname)s: %(message)s") as logs:
        try:
            result = target.apprise.notify(
                body=body,
                title=title,
                body_format=apprise.NotifyFormat.TEXT,
                tag=target.tag,
                timeout=SEND_TIMEOUT,
            )
        except Exception as exc:  # noqa: BLE001 - a plugin bug must not lose the row
            detail = scrub(f"Apprise raised {type(exc).__name__}: {exc}", target.secrets)
            return SendResult(False, detail, [])
    services = [
        ServiceResult(
            service=item.name,
            url=scrub(item.url, target.secrets),
            ok=bool(item),
            reason=None if item else scrub(
                "; ".join(entry.message for entry in item.logs()) or item.status.name,
                target.secrets,
            ),
        )
        for item in result
    ]
    if result:
        detail = f"sent to {len(services)} service(s)"
    else:
        reasons = [f"{s.service}: {s.reason}" for s in services if not s.ok]
        detail = "; ".join(reasons) or scrub(logs.getvalue().strip(), target.secrets) \
            or result.status.name
    return SendResult(bool(result), scrub(detail, target.secrets), services)
