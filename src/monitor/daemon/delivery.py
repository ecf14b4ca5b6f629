"""The cycle's delivery step: send new alerts and retry pending ones.

Delivery itself (outbox, backoff, Apprise) belongs to `monitor.notify`
(issue 10); the daemon only calls it once per cycle and reports its counts.
"""

from __future__ import annotations

from dataclasses import dataclass

from monitor.config import Settings
from monitor.store.writer import Store


@dataclass
class Delivered:
    sent: int = 0
    failed: int = 0
    pending: int = 0
    gave_up: int = 0


def deliver_alerts(store: Store, settings: Settings) -> Delivered:
    """Deliver every due alert of the outbox; the counts of what happened.

    Until `monitor.notify.sender.deliver_pending` exists there is no outbox:
    nothing is pending and nothing is sent.
    """
    return Delivered()
