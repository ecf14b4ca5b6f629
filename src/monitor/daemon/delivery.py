"""The cycle's delivery step: send new alerts and retry pending ones.

Delivery itself (outbox, claims, backoff, Apprise) is `monitor.notify`'s;
the daemon calls its sender once per cycle. A sender that cannot reach the
database is logged and retried next cycle: the rows stay pending.
"""

from __future__ import annotations

import logging

from monitor.config import Settings
from monitor.notify.sender import DeliveryReport, deliver_pending
from monitor.store.writer import Store

log = logging.getLogger("monitor.daemon")


def deliver_alerts(store: Store, settings: Settings) -> DeliveryReport:
    """Deliver every due alert of the outbox; the counts of what happened."""
    try:
        return deliver_pending(store, settings)
    except Exception as exc:  # noqa: BLE001 - rows stay pending; the next cycle retries
        log.error("alert delivery failed this cycle (%s); alerts stay pending",
                  type(exc).__name__)
        return DeliveryReport()
