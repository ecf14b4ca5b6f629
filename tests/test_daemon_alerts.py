"""The daemon delivers alerts: edit a fixture site, see the alert arrive at a real receiver."""

from __future__ import annotations

import pytest
from daemon_support import DaemonProcess, keep_programs, set_settings
from receivers import JsonReceiver
from typer.testing import CliRunner

from monitor.cli.main import app

SECRET = "s3cret-Tok3n"  # the password in every JsonReceiver URL
J1_ONLY_PARAGRAPH = (
    "<p>Pacific Coast Medical Center accepts J-1 visas sponsored by ECFMG only. "
    "We do not sponsor H-1B visas for residents in the Internal Medicine program.</p>"
)
TITLE = "Pacific Coast Medical Center Internal Medicine: now J-1 only (was sponsors H-1B)"


def subscribe(db_url: str, url: str, *options: str) -> None:
    added = CliRunner().invoke(app, ["subscribe", "add", url, "--db", db_url, *options])
    assert added.exit_code == 0, added.output


def make_j1_only(sites) -> None:
    page = sites.page("pacific-im/eligibility.html")
    html = page.read_text(encoding="utf-8")
    start = html.index("<p>Pacific Coast Medical Center sponsors both")
    end = html.index("</p>", html.index("<p>USMLE Step 3", start)) + len("</p>")
    page.write_text(html[:start] + J1_ONLY_PARAGRAPH + html[end:], encoding="utf-8")


@pytest.fixture
def receiver():
    receiver = JsonReceiver().start()
    yield receiver
    receiver.stop()


@pytest.fixture
def one_program(sites):
    keep_programs(sites.config_path, 1)  # pacific-im
    return sites


@pytest.mark.slow
def test_an_edited_site_is_alerted_once_by_the_daemon(one_program, sqlite_url, receiver):
    sites = one_program
    subscribe(sqlite_url, receiver.url("im"), "--specialty", "Internal Medicine")
    subscribe(sqlite_url, receiver.url("surgery"), "--specialty", "General Surgery")
    daemon = DaemonProcess("--config", sites.config_path, "--db", sqlite_url, "--every", "2s")
    try:
        [baseline] = daemon.wait_cycles(1)
        assert (baseline["outcome"], baseline["changes"]) == ("completed", "0")
        make_j1_only(sites)
        changed = daemon.wait_for(
            lambda d: [c for c in d.cycles() if c["changes"] == "1"], timeout=90)[0]
        later = len(daemon.cycles()) + 2
        daemon.wait_cycles(later)  # more cycles: nothing is sent twice
        assert daemon.terminate()[0] == 0
    finally:
        daemon.kill()
    assert changed["alerts_sent"] == "1", daemon.log()
    [message] = receiver.at("im")
    assert message["title"] == TITLE
    assert "After: “Pacific Coast Medical Center accepts J-1 visas sponsored by ECFMG only.”" \
        in message["message"]
    assert receiver.at("surgery") == []
    assert SECRET not in daemon.log()


@pytest.mark.slow
def test_alerts_failing_for_a_while_are_told_to_the_operator(one_program, sqlite_url):
    sites = one_program
    operator, down = JsonReceiver().start(), JsonReceiver().start()
    down.stop()  # a subscriber whose service is down
    try:
        # 0.001 h = 3.6 s stands for the default 24 h.
        set_settings(sites.config_path, operator_url=operator.url("operator"),
                     operator_alerts_failing_hours=0.001, notify_first_retry_seconds=1)
        subscribe(sqlite_url, down.url("im"))
        daemon = DaemonProcess("--config", sites.config_path, "--db", sqlite_url,
                               "--every", "2s")
        try:
            daemon.wait_cycles(1)
            make_j1_only(sites)
            daemon.wait_for(lambda d: [m for m in operator.at("operator")
                                       if "alerts failing" in m["title"]], timeout=120)
            assert daemon.terminate()[0] == 0
        finally:
            daemon.kill()
    finally:
        operator.stop()
    [first, *_] = [m for m in operator.at("operator") if "alerts failing" in m["title"]]
    assert first["title"].startswith("visa-monitor: alerts failing for ")
    assert first["message"].startswith("1 alert could not be delivered")
    assert all(cycle["alerts_sent"] == "0" for cycle in daemon.cycles())
    assert SECRET not in daemon.log()


@pytest.mark.slow
def test_sigterm_during_delivery_leaves_the_rest_pending(one_program, sqlite_url, receiver):
    sites = one_program
    paths = [f"s{n}" for n in range(5)]
    for path in paths:  # five subscribers: five messages, one after the other
        subscribe(sqlite_url, receiver.url(path))
    daemon = DaemonProcess("--config", sites.config_path, "--db", sqlite_url, "--every", "2s")
    try:
        daemon.wait_cycles(1)
        receiver.delay = 2.0  # each message takes two seconds to be accepted
        make_j1_only(sites)
        daemon.wait_for(lambda d: receiver.messages, timeout=90)
        code, seconds = daemon.terminate()
    finally:
        daemon.kill()
    assert code == 0 and seconds < 10, daemon.log()
    delivered = {path for path in paths if receiver.at(path)}
    assert 1 <= len(delivered) < len(paths)
    assert "the remaining alerts stay pending" in daemon.log()
    receiver.delay = 0
    flushed = CliRunner().invoke(app, ["notify", "flush", "--db", sqlite_url])
    assert flushed.exit_code == 0, flushed.output
    # Every subscriber has its message exactly once.
    assert [len(receiver.at(path)) for path in paths] == [1] * len(paths)
