"""Scrapy's telnet console and remote-control extension stay off during a real crawl.

Both would accept commands from the network (the remote control runs Python
code sent to it). The proof looks at the running crawl process itself: the
sockets it listens on (none), the extensions Scrapy reports as enabled, and
the job file the remote control would write.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from rawhttp import RawHTTPServer


def listening_ports(pid: int) -> set[int]:
    """TCP ports the process `pid` listens on, from /proc."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:["):-1])
    ports = set()
    for table in ("tcp", "tcp6"):
        lines = Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]
        for line in lines:
            fields = line.split()
            local, state, inode = fields[1], fields[3], fields[9]
            if state == "0A" and inode in inodes:  # 0A: LISTEN
                ports.add(int(local.rsplit(":", 1)[1], 16))
    return ports


def test_the_probe_sees_a_listening_socket():
    with RawHTTPServer("127.0.0.2") as server:
        assert server.port in listening_ports(os.getpid())


@pytest.mark.slow
def test_a_running_crawl_listens_on_nothing_and_enables_neither(sites, sqlite_url, tmp_path):
    text = sites.config_path.read_text()
    sites.config_path.write_text(text.replace("download_delay = 0", "download_delay = 1"))
    state = tmp_path / "state"
    child = subprocess.Popen(
        [sys.executable, "-m", "monitor.crawl.worker", "--config", str(sites.config_path),
         "--programs", "pacific-im"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "VISA_MONITOR_DB": sqlite_url, "XDG_STATE_HOME": str(state)},
    )
    pid = None
    listening = None
    try:
        for line in child.stdout:
            event = json.loads(line)
            if event["event"] == "crawl":
                pid = event["pid"]
            elif event["event"] == "page" and listening is None:
                listening = listening_ports(pid)  # mid-crawl, with its extensions running
                child.send_signal(signal.SIGINT)
        log = child.stderr.read()
    finally:
        child.wait(timeout=120)
    assert pid == child.pid and listening == set()
    [enabled] = [line for line in log.splitlines() if "Enabled extensions" in line] or [""]
    enabled_block = log[log.index("Enabled extensions"):].split("]", 1)[0]
    assert enabled and "scrapy.extensions.corestats.CoreStats" in enabled_block
    assert "TelnetConsole" not in enabled_block and "RemoteControl" not in enabled_block
    assert "Telnet console listening" not in log and "Remote control" not in log
    assert not any(state.rglob("*.json")), "the remote control wrote a job file"
