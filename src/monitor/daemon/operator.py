"""Messages to the operator about the monitor's own trouble.

Subscribers hear about programs; the operator (`[settings] operator_url`, an
Apprise URL) hears when the monitor itself fails: a crawl that failed,
programs that became unreachable, alerts that keep failing. The URL carries
a token, so neither it nor Apprise's own log (which may quote it) is ever
written to our log.
"""

from __future__ import annotations

import logging

import apprise
from pydantic import SecretStr

log = logging.getLogger("monitor.daemon")

CRAWL_FAILED = "crawl_failed"
UNREACHABLE = "programs_unreachable"
ALERTS_FAILING = "alerts_failing"


class Operator:
    def __init__(self, url: SecretStr | None):
        self.url = url

    def tell(self, kind: str, title: str, body: str) -> bool:
        """Send one notice; True when it went through. Never raises."""
        if self.url is None:
            log.warning("operator notice %s not sent: no [settings] operator_url (%s)",
                        kind, title)
            return False
        sender = apprise.Apprise()
        # Apprise's log may hold the URL: captured here, never passed on.
        with apprise.LogCapture(level=logging.WARNING):
            try:
                if not sender.add(self.url.get_secret_value()):
                    sent = False
                else:
                    sent = bool(sender.notify(title=title, body=body))
            except Exception:  # noqa: BLE001 - a notice must never stop a cycle
                sent = False
        if sent:
            log.info("operator notice %s sent: %s", kind, title)
        else:
            log.warning("operator notice %s could not be delivered: %s", kind, title)
        return sent
