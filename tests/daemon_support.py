"""Helpers for the daemon tests: the daemon as a real process, config edits."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

CYCLE = re.compile(r"cycle crawl=(?P<crawl>\S+) outcome=(?P<outcome>\S+) "
                   r"programs=(?P<programs>\d+) failures=(?P<failures>\d+) "
                   r"changes=(?P<changes>\d+) alerts_sent=(?P<alerts_sent>\d+)")


def set_settings(config_path: Path, **values) -> None:
    """Add or replace keys of the config's [settings] table."""
    lines = config_path.read_text(encoding="utf-8").splitlines()
    lines = [line for line in lines
             if not any(re.match(rf"\s*{key}\s*=", line) for key in values)]
    at = lines.index("[settings]") + 1
    for key, value in values.items():
        lines.insert(at, f"{key} = {json.dumps(value)}")
    config_path.write_text("\n".join(lines) + "\n", encoding="utf-8")


class DaemonProcess:
    """`visa-monitor run ...` in a child process, its log lines collected as they come."""

    def __init__(self, *args: str, env: dict | None = None):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "monitor", "run", *map(str, args)],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
            text=True, env={**os.environ, **(env or {})},
        )
        self.lines: list[str] = []
        self._changed = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.process.stderr:
            with self._changed:
                self.lines.append(line.rstrip("\n"))
                self._changed.notify_all()
        with self._changed:
            self._changed.notify_all()

    @property
    def pid(self) -> int:
        return self.process.pid

    def log(self) -> str:
        return "\n".join(self.lines)

    def cycles(self) -> list[dict]:
        return [match.groupdict() for line in list(self.lines)
                if (match := CYCLE.search(line))]

    def wait_for(self, condition, timeout: float = 60.0):
        """Until condition(self) is true (returned), else fail with the log so far."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                result = condition(self)
                if result:
                    return result
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"timed out; daemon log:\n{self.log()}")
                if self.process.poll() is not None and not self._reader.is_alive():
                    raise AssertionError(f"daemon exited {self.process.returncode}:\n"
                                         f"{self.log()}")
                self._changed.wait(min(left, 0.2))

    def wait_cycles(self, count: int, timeout: float = 90.0) -> list[dict]:
        return self.wait_for(lambda d: d.cycles() if len(d.cycles()) >= count else None,
                             timeout)

    def terminate(self, signum: int = signal.SIGTERM, timeout: float = 30.0):
        """Send `signum`; (exit code, seconds until exit)."""
        started = time.monotonic()
        self.process.send_signal(signum)
        code = self.process.wait(timeout=timeout)
        elapsed = time.monotonic() - started
        self._reader.join(timeout=5)
        return code, elapsed

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def keep_programs(config_path: Path, count: int) -> None:
    """Cut the config down to its settings and first `count` programs (faster crawls)."""
    text = config_path.read_text(encoding="utf-8")
    starts = [match.start() for match in re.finditer(r"^\[\[programs\]\]", text, re.M)]
    if count < len(starts):
        config_path.write_text(text[:starts[count]], encoding="utf-8")
