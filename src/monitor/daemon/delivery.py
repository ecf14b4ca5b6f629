"""The cycle's delivery step: send new alerts and retry pending ones.

Delivery itself (outbox, claims, backoff, Apprise) is `monitor.notify`'s;
the daemon calls its sender once per cycle. A stop request ends delivery
after the message in flight (its outcome recorded): the rest stay pending
for the next start. A sender that cannot reach the database is logged and
retried next cycle; the rows stay pending.
"""

from __future__ import annotations

import logging
import threading

from monitor.config import Settings
from monitor.notify.sender import DeliveryReport, deliver_pending
from monitor.store.writer import Store

log = logging.getLogger("monitor.daemon")


class _Stopped(Exception):
    def __init__(self, report: DeliveryReport):
        self.report = report


def deliver_alerts(
    store: Store, settings: Settings, stop: threading.Event | None = None
) -> DeliveryReport:
    """Deliver every due alert of the outbox; the counts of what happened."""

    def between_messages(report: DeliveryReport) -> None:
        if stop is not None and stop.is_set():
            raise _Stopped(report)

    try:
        return deliver_pending(store, settings, progress=between_messages)
    except _Stopped as stopped:
        log.info("stopping: the remaining alerts stay pending")
        return stopped.report
    except Exception as exc:  # noqa: BLE001 - rows stay pending; the next cycle retries
        log.error("alert delivery failed this cycle (%s); alerts stay pending",
                  type(exc).__name__)
        return DeliveryReport()
