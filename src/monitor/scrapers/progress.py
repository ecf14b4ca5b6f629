"""Progress of a crawl as JSON lines on standard output.

The `visa-monitor` command runs each crawl in a child process and draws its
progress bar from these lines; Scrapy's own log goes to standard error.
Without VISA_MONITOR_PROGRESS nothing is written.
"""

from __future__ import annotations

import json
import sys


class ProgressReporter:
    def __init__(self, enabled: bool, stream=None):
        self.enabled = enabled
        self.stream = stream or sys.stdout

    @classmethod
    def from_settings(cls, settings) -> ProgressReporter:
        return cls(settings.getbool("VISA_MONITOR_PROGRESS"))

    def emit(self, event: str, **fields) -> None:
        if not self.enabled:
            return
        self.stream.write(json.dumps({"event": event, **fields}) + "\n")
        self.stream.flush()
