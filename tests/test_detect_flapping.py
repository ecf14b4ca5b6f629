"""A page alternating between two versions is `flapping`, not a `stance` alert each crawl.

Crawls are recorded through the real closing transaction (detect → events →
outbox) on SQLite and PostgreSQL; the sender delivers to a real HTTP
endpoint, so "not alerted" is what a subscriber actually receives.
"""

from __future__ import annotations

import json

import pytest
from alerting import J1_TEXT, SETTINGS, SPONSOR_TEXT, UCLA_IM, crawl, result
from receivers import JsonReceiver
from typer.testing import CliRunner

from monitor.classify.assess import PageResult, assess_program
from monitor.cli.main import app
from monitor.config import Settings
from monitor.notify.sender import deliver_pending
from monitor.notify.subscriptions import add_subscription
from monitor.store import queries
from monitor.store.writer import Store

J1, H1B = result(UCLA_IM, J1_TEXT), result(UCLA_IM, SPONSOR_TEXT)


@pytest.fixture
def receiver():
    receiver = JsonReceiver().start()
    yield receiver
    receiver.stop()


def kinds(store: Store) -> list[str]:
    return [row["kind"] for row in reversed(queries.changes(store))]


def test_alternating_versions_alert_once_then_once_more_when_one_holds(db_url, receiver):
    store = Store.open(db_url)
    try:
        add_subscription(store, receiver.url("all"), kinds=["stance", "statement_missing"])
        crawl(store, J1)  # baseline
        crawl(store, H1B)  # a real change: alerted at once
        for page in (J1, H1B, J1, H1B):  # then it alternates
            crawl(store, page)
        assert kinds(store) == ["stance"] + ["flapping"] * 4
        [row] = queries.status(store)
        assert row["flapping"] is True and row["category"] == "h1b"
        deliver_pending(store, SETTINGS)
        assert len(receiver.messages) == 1

        # J-1 only comes back and holds: flips until it has held 3 crawls, then one alert.
        crawl(store, J1)
        crawl(store, J1)
        assert kinds(store)[-1] == "flapping" and len(kinds(store)) == 6
        assert queries.status(store)[0]["flapping"] is True
        crawl(store, J1)
        assert kinds(store)[-1] == "stance"
        [row] = queries.status(store)
        assert row["flapping"] is False and row["category"] == "j1_only"
        deliver_pending(store, SETTINGS)
        titles = [m["payload"]["title"] for m in receiver.messages]
        assert len(titles) == 2 and "was J-1 only" in titles[0] and "J-1 only" in titles[1]

        history = queries.program_history(store, "ucla-im")
        assert [p["category"] for p in history] == ["j1_only", "h1b", "j1_only"]
        # The flips are shown within the period they did not end.
        assert [len(p["flapping"]) for p in history] == [0, 5, 0]
        assert {f["read"]["category"] for f in history[1]["flapping"]} == {"j1_only", "h1b"}
    finally:
        store.close()


def test_settling_on_the_reported_stance_ends_flapping_without_an_alert(store):
    settings = Settings(flap_settle_runs=2)
    for page in (J1, H1B, J1, H1B, H1B):
        crawl(store, page, settings=settings)
    assert kinds(store) == ["stance", "flapping", "flapping"]
    [row] = queries.status(store)
    assert row["flapping"] is False and row["category"] == "h1b"


def test_a_change_that_holds_is_one_stance_event_and_never_flapping(store):
    for page in (J1, H1B, H1B, H1B, H1B):
        crawl(store, page)
    assert kinds(store) == ["stance"]
    assert queries.status(store)[0]["flapping"] is False


def test_a_return_outside_the_window_is_a_stance_change(store):
    settings = Settings(flap_window=2)
    for page in (J1, H1B, H1B, H1B, J1):
        crawl(store, page, settings=settings)
    assert kinds(store) == ["stance", "stance"]


def test_failed_crawls_do_not_count_as_versions(store):
    down = assess_program(UCLA_IM, [PageResult(UCLA_IM.url, 503, True, error="HTTP 503")])
    assert not down.fetch_ok
    for page in (J1, down, H1B, down, H1B, H1B):
        crawl(store, page)
    assert kinds(store) == ["stance"]


def test_status_and_history_commands_show_flapping(sqlite_url):
    store = Store.open(sqlite_url)
    try:
        for page in (J1, H1B, J1):
            crawl(store, page)
    finally:
        store.close()
    runner = CliRunner()
    env = {"COLUMNS": "240"}
    status = runner.invoke(app, ["status", "--db", sqlite_url, "--json"], env=env)
    assert status.exit_code == 0 and json.loads(status.stdout)[0]["flapping"] is True
    table = runner.invoke(app, ["status", "--db", sqlite_url], env=env)
    assert "flapping" in table.stdout
    history = runner.invoke(app, ["history", "ucla-im", "--db", sqlite_url], env=env)
    assert history.exit_code == 0 and "flapping: 1 flip(s) to j1_only" in history.stdout
