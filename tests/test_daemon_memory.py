"""Many cycles in one daemon process: its memory does not grow with them."""

from __future__ import annotations

from pathlib import Path

import pytest
from daemon_support import DaemonProcess, keep_programs


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


@pytest.mark.slow
def test_memory_after_50_cycles_is_within_20_percent_of_after_5(sites, sqlite_url):
    keep_programs(sites.config_path, 1)
    daemon = DaemonProcess("--config", sites.config_path, "--db", sqlite_url, "--every", "1s")
    try:
        daemon.wait_cycles(5, timeout=300)
        after_5 = rss_kib(daemon.pid)
        cycles = daemon.wait_cycles(50, timeout=1200)
        after_50 = rss_kib(daemon.pid)
        assert daemon.terminate()[0] == 0
    finally:
        daemon.kill()
    assert all(cycle["outcome"] == "completed" for cycle in cycles[:50]), daemon.log()
    assert after_50 <= after_5 * 1.2, (after_5, after_50)
