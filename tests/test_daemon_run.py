"""`visa-monitor run` as a real process against the fixture sites on 127.0.0.1."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest
from daemon_support import DaemonProcess, keep_programs, set_settings
from receivers import JsonReceiver
from sqlalchemy import func, select
from typer.testing import CliRunner

from monitor.cli.main import app
from monitor.store import models
from monitor.store.writer import Store

EXPECTED = Path(__file__).resolve().parents[1] / "fixtures" / "expected.toml"

SECRET = "s3cret-Tok3n"  # the password in every JsonReceiver URL
ALL_KINDS = "stance,statement_missing,wording,unreachable,recovered,reread"


def subscribe(db_url: str, url: str, *options: str) -> None:
    added = CliRunner().invoke(app, ["subscribe", "add", url, "--db", db_url, *options])
    assert added.exit_code == 0, added.output


def rows(db_url: str, query):
    store = Store.open(db_url)
    try:
        with store.sessions() as session:
            return session.execute(query).all()
    finally:
        store.close()


def crawls(db_url: str) -> list[tuple]:
    return rows(db_url, select(models.Crawl.id, models.Crawl.outcome, models.Crawl.started_at,
                               models.Crawl.finished_at, models.Crawl.reason)
                .order_by(models.Crawl.id))


def event_kinds(db_url: str) -> list[str]:
    return [kind for (kind,) in rows(db_url, select(models.ChangeEvent.kind))]


def slow(sites, delay: float = 1.0) -> None:
    """Every page of one host waits `delay` seconds: a crawl of all programs takes a while."""
    set_settings(sites.config_path, download_delay=delay)


@pytest.fixture
def daemons():
    started: list[DaemonProcess] = []

    def start(*args, **kwargs) -> DaemonProcess:
        daemon = DaemonProcess(*args, **kwargs)
        started.append(daemon)
        return daemon

    yield start
    for daemon in started:
        daemon.kill()


@pytest.mark.slow
def test_sigterm_mid_crawl_aborts_the_crawl_and_exits_0_within_10s(sites, sqlite_url, daemons):
    keep_programs(sites.config_path, 2)
    slow(sites, 1.5)
    daemon = daemons("--config", sites.config_path, "--db", sqlite_url, "--every", "1h")
    daemon.wait_for(lambda d: len(sites.server.requests) >= 2, timeout=60)
    code, seconds = daemon.terminate(signal.SIGTERM)
    assert code == 0, daemon.log()
    assert seconds < 10
    [(_, outcome, _, finished, _)] = crawls(sqlite_url)
    assert outcome == "aborted" and finished is not None
    assert event_kinds(sqlite_url) == []  # partial results never count
    assert daemon.cycles()[-1]["outcome"] == "aborted"
    assert "received SIGTERM" in daemon.log()


@pytest.mark.slow
def test_ctrl_c_is_the_same_as_sigterm(sites, sqlite_url, daemons):
    keep_programs(sites.config_path, 2)
    slow(sites, 1.5)
    daemon = daemons("--config", sites.config_path, "--db", sqlite_url, "--every", "1h")
    daemon.wait_for(lambda d: len(sites.server.requests) >= 2, timeout=60)
    code, seconds = daemon.terminate(signal.SIGINT)
    assert (code, seconds < 10) == (0, True), daemon.log()
    assert [row[1] for row in crawls(sqlite_url)] == ["aborted"]


@pytest.mark.slow
def test_a_one_off_crawl_during_a_daemon_crawl_is_refused_or_waits(sites, sqlite_url, daemons):
    keep_programs(sites.config_path, 2)
    # About 20 s of crawling: room for the one-off command to start on a busy machine.
    set_settings(sites.config_path, download_delay=2.0)
    daemon = daemons("--config", sites.config_path, "--db", sqlite_url, "--every", "1h")
    daemon.wait_for(lambda d: len(sites.server.requests) >= 1, timeout=60)
    one_off = [sys.executable, "-m", "monitor", "crawl", "--config", str(sites.config_path),
               "--db", sqlite_url, "--program", "pacific-im", "--json"]

    refused = subprocess.run(one_off, capture_output=True, text=True, timeout=60)
    assert refused.returncode == 5, (refused.stderr, daemon.log())
    message = " ".join(refused.stderr.split())
    assert "another crawl is running" in message and f"pid {daemon.pid} " in message
    assert "--wait" in message
    assert len(crawls(sqlite_url)) == 1  # the refused crawl recorded nothing

    waited = subprocess.run([*one_off, "--wait"], capture_output=True, text=True, timeout=180)
    assert waited.returncode == 0, waited.stderr
    assert "Waiting for the crawl of pid" in " ".join(waited.stderr.split())
    (_, first, _, first_end, _), (_, second, second_start, _, _) = crawls(sqlite_url)
    assert (first, second) == ("completed", "completed")
    assert second_start >= first_end  # never two crawls at once
    assert daemon.cycles()[0]["outcome"] == "completed"
    assert daemon.terminate()[0] == 0


def test_a_second_daemon_on_the_same_database_is_refused(sites, sqlite_url, daemons):
    keep_programs(sites.config_path, 1)
    first = daemons("--config", sites.config_path, "--db", sqlite_url, "--every", "1h")
    first.wait_for(lambda d: "daemon started" in d.log(), timeout=60)
    second = subprocess.run(
        [sys.executable, "-m", "monitor", "run", "--config", str(sites.config_path),
         "--db", sqlite_url, "--every", "1h"], capture_output=True, text=True, timeout=60)
    assert second.returncode == 5
    assert f"pid {first.pid} " in second.stderr and "visa-monitor run" in second.stderr
    assert first.terminate()[0] == 0


@pytest.mark.slow
def test_network_down_for_three_cycles_tells_only_the_operator(sites, sqlite_url, daemons):
    keep_programs(sites.config_path, 3)  # [settings] outage_min_programs = 3
    operator, subscriber = JsonReceiver().start(), JsonReceiver().start()
    try:
        set_settings(sites.config_path, operator_url=operator.url("operator"))
        subscribe(sqlite_url, subscriber.url("all"), "--kind", ALL_KINDS)
        daemon = daemons("--config", sites.config_path, "--db", sqlite_url, "--every", "2s")
        [baseline] = daemon.wait_cycles(1)
        assert baseline["outcome"] == "completed" and baseline["programs"] == "3"
        sites.server.httpd.shutdown()  # every fixture site stops answering
        sites.server.httpd.server_close()
        cycles = daemon.wait_cycles(4)
        assert daemon.terminate()[0] == 0
    finally:
        operator.stop()
        subscriber.stop()
    failed = cycles[1:4]
    assert [cycle["outcome"] for cycle in failed] == ["failed"] * 3, daemon.log()
    assert all(cycle["failures"] == "3" and cycle["changes"] == "0" for cycle in failed)
    # unreachable_after is 3: three real failures would have raised 3 `unreachable` events.
    assert "unreachable" not in event_kinds(sqlite_url)
    assert rows(sqlite_url, select(func.max(models.Program.fail_streak))) == [(0,)]
    assert subscriber.at("all") == []  # no subscriber hears of the monitor's trouble
    crawl_failed = [m for m in operator.at("operator")
                    if m["title"] == "visa-monitor: crawl failed"]
    assert len(crawl_failed) >= 3
    assert "3 of 3 programs unreachable" in crawl_failed[0]["message"]
    assert SECRET not in daemon.log()  # the operator URL's password is never logged


@pytest.mark.slow
def test_a_program_unreachable_for_three_cycles_is_told_to_the_operator(
        sites, sqlite_url, daemons):
    keep_programs(sites.config_path, 2)
    set_settings(sites.config_path, retry_times=0)
    operator = JsonReceiver().start()
    try:
        set_settings(sites.config_path, operator_url=operator.url("operator"))
        daemon = daemons("--config", sites.config_path, "--db", sqlite_url, "--every", "2s")
        daemon.wait_cycles(1)
        sites.server.failing.add("/pacific-im/")  # one site down: the site's own trouble
        cycles = daemon.wait_cycles(4, timeout=120)
        assert daemon.terminate()[0] == 0
    finally:
        operator.stop()
    assert [c["outcome"] for c in cycles[:4]] == ["completed"] * 4, daemon.log()
    assert event_kinds(sqlite_url).count("unreachable") == 1
    [notice] = [m for m in operator.at("operator") if "unreachable" in m["title"]]
    assert notice["title"] == "visa-monitor: 1 program unreachable"
    assert "pacific-im" in notice["message"]


@pytest.mark.slow
def test_an_invalid_config_edit_is_reported_and_the_last_valid_one_runs(
        sites, sqlite_url, daemons):
    keep_programs(sites.config_path, 2)
    daemon = daemons("--config", sites.config_path, "--db", sqlite_url, "--every", "2s")
    daemon.wait_cycles(1)
    valid = sites.config_path.read_text()
    sites.config_path.write_text(valid.replace('city = "Torrance"', 'town = "Torrance"', 1))
    daemon.wait_for(lambda d: "config error" in d.log())
    cycles = daemon.wait_cycles(3)
    message = daemon.log()
    line = valid.replace('city = "Torrance"', 'town = "Torrance"', 1).splitlines().index(
        'town = "Torrance"') + 1
    assert f"{sites.config_path}:{line}: program 'westbay-im' (programs[1]): field 'town'" in (
        message)
    assert message.count("config error") == 1  # once per problem, not every cycle
    assert all(cycle["programs"] == "2" and cycle["outcome"] == "completed"
               for cycle in cycles[1:3])
    # A valid edit is used from the next cycle.
    first_block = valid.index("[[programs]]")
    second_block = valid.index("[[programs]]", first_block + 1)
    sites.config_path.write_text(valid[:second_block])  # settings and one program
    daemon.wait_for(lambda d: "valid again" in d.log())
    seen = len(daemon.cycles())
    cycle = daemon.wait_cycles(seen + 1)[-1]
    assert cycle["programs"] == "1"
    assert daemon.terminate()[0] == 0


@pytest.mark.slow
def test_once_runs_one_cycle_and_exits(sites, sqlite_url):
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "monitor", "run", "--once", "--config", str(sites.config_path),
         "--db", sqlite_url], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert time.monotonic() - started < 120
    # Every fixture program is crawled; those the fixtures expect to fail fail.
    expected = tomllib.loads(EXPECTED.read_text())["programs"]
    failing = sum(1 for program in expected.values() if program.get("fetch_ok") is False)
    assert re.search(rf"cycle crawl=1 outcome=completed programs={len(expected)} "
                     rf"failures={failing} ", done.stderr)
    assert [row[1] for row in crawls(sqlite_url)] == ["completed"]


@pytest.mark.slow
def test_status_shows_the_last_cycle_and_the_next_one(sites, sqlite_url, daemons):
    keep_programs(sites.config_path, 1)
    daemon = daemons("--config", sites.config_path, "--db", sqlite_url, "--every", "1h")
    daemon.wait_cycles(1)
    shown = subprocess.run(
        [sys.executable, "-m", "monitor", "status", "--db", sqlite_url],
        capture_output=True, text=True, timeout=60, env={"COLUMNS": "200",
                                                         **os.environ})
    assert daemon.terminate()[0] == 0
    assert shown.returncode == 0, shown.stderr
    text = " ".join(shown.stdout.split())
    assert re.search(r"Last cycle: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC, completed", text), text
    assert re.search(r"next due: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC", text), text
