"""Log lines on standard error in a form journald reads.

Under systemd (which sets $JOURNAL_STREAM for a service whose standard
error goes to the journal) each line starts with its syslog priority,
`<6>` for info, and carries no timestamp: the journal adds its own. In a
terminal or a container log, lines carry a UTC timestamp and the level.
"""

from __future__ import annotations

import logging
import os
import sys
import time

_PRIORITIES = {
    logging.DEBUG: 7,
    logging.INFO: 6,
    logging.WARNING: 4,
    logging.ERROR: 3,
    logging.CRITICAL: 2,
}


class JournalFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        priority = _PRIORITIES.get(record.levelno, 6)
        # One record, one journal entry: continuation lines keep the priority.
        return "\n".join(f"<{priority}>{line}" for line in super().format(record).splitlines())


def configure(stream=None, journald: bool | None = None) -> logging.Handler:
    """Send the daemon's log (INFO and up) to standard error; return the handler."""
    if journald is None:
        journald = bool(os.environ.get("JOURNAL_STREAM"))
    handler = logging.StreamHandler(stream or sys.stderr)
    if journald:
        handler.setFormatter(JournalFormatter("%(message)s"))
    else:
        formatter = logging.Formatter("%(asctime)s %(levelname)s %(message)s",
                                      "%Y-%m-%dT%H:%M:%SZ")
        formatter.converter = time.gmtime
        handler.setFormatter(formatter)
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    # APScheduler's "Running job ..." lines every cycle are noise; its
    # warnings (a run skipped or missed) are not.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    # Apprise reports through our own lines, which never carry a URL.
    apprise_log = logging.getLogger("apprise")
    apprise_log.propagate = False
    if not any(isinstance(h, logging.NullHandler) for h in apprise_log.handlers):
        # Without a handler Python's last-resort handler would print it anyway.
        apprise_log.addHandler(logging.NullHandler())
    return handler
