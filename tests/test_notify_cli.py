"""The alert commands and `crawl` delivering, through real crawls of the fixture sites
and a real HTTP receiver on 127.0.0.1."""

from __future__ import annotations

import json

import pytest
from alerting import J1_TEXT, SETTINGS, SPONSOR_TEXT, UCLA_IM, crawl, result
from receivers import JsonReceiver
from typer.testing import CliRunner

from monitor.cli.main import app
from monitor.store.writer import Store

SECRET = "s3cret-Tok3n"
J1_ONLY_PARAGRAPH = (
    "<p>Pacific Coast Medical Center accepts J-1 visas sponsored by ECFMG only. "
    "We do not sponsor H-1B visas for residents in the Internal Medicine program.</p>"
)


@pytest.fixture
def cli():
    runner = CliRunner()

    def invoke(*args, env=None):
        return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "240", **(env or {})})

    return invoke


@pytest.fixture
def receiver():
    receiver = JsonReceiver().start()
    yield receiver
    receiver.stop()


def _make_j1_only(sites) -> None:
    page = sites.page("pacific-im/eligibility.html")
    html = page.read_text(encoding="utf-8")
    start = html.index("<p>Pacific Coast Medical Center sponsors both")
    end = html.index("</p>", html.index("<p>USMLE Step 3", start)) + len("</p>")
    page.write_text(html[:start] + J1_ONLY_PARAGRAPH + html[end:], encoding="utf-8")


def _outputs(result) -> str:
    return result.stdout + result.stderr


@pytest.mark.slow  # two real crawls, each in a child process
def test_crawl_delivers_right_after_detecting_and_says_how_many(cli, sites, sqlite_url,
                                                                receiver):
    added = cli("subscribe", "add", receiver.url("im"), "--specialty", "Internal Medicine",
                "--db", sqlite_url)
    assert added.exit_code == 0, _outputs(added)
    cli("subscribe", "add", receiver.url("surgery"), "--specialty", "General Surgery",
        "--db", sqlite_url)
    first = cli("crawl", "--config", sites.config_path, "--db", sqlite_url,
                "--program", "pacific-im")
    assert first.exit_code == 0, _outputs(first)
    assert "0 change(s); 0 alert(s) sent" in first.stdout

    _make_j1_only(sites)
    second = cli("crawl", "--config", sites.config_path, "--db", sqlite_url,
                 "--program", "pacific-im")
    assert second.exit_code == 0, _outputs(second)
    assert "1 change(s); 1 alert(s) sent" in second.stdout
    [message] = receiver.at("im")
    assert message["title"] == ("Pacific Coast Medical Center Internal Medicine: "
                                "now J-1 only (was sponsors H-1B)")
    body = message["message"]
    assert "Before: “Pacific Coast Medical Center sponsors both J-1 and H-1B visas" in body
    assert "After: “Pacific Coast Medical Center accepts J-1 visas sponsored by ECFMG only.”" \
        in body
    assert f"Page: {sites.origin}/pacific-im/eligibility.html" in body
    assert body.endswith("To stop: visa-monitor subscribe remove 1")
    assert receiver.at("surgery") == []
    for output in (added, first, second):
        assert SECRET not in _outputs(output)


def test_subscribe_add_refuses_a_url_apprise_does_not_accept(cli, sqlite_url, tmp_path):
    refused = cli("subscribe", "add", "tgram://not-a-bot-token", "--db", sqlite_url)
    assert refused.exit_code == 2
    assert "Apprise refused the URL" in refused.stderr
    assert "Telegram" in refused.stderr  # Apprise's own reason
    assert "not-a-bot-token" not in _outputs(refused)
    unknown_kind = cli("subscribe", "add", "json://127.0.0.1/x", "--kind", "stance,gossip",
                       "--db", sqlite_url)
    assert unknown_kind.exit_code == 2 and "gossip" in unknown_kind.stderr
    apprise_config = tmp_path / "apprise.txt"
    apprise_config.write_text("team=json://127.0.0.1/x\n", encoding="utf-8")
    untagged = cli("subscribe", "add", "--name", "nobody", "--apprise-config", apprise_config,
                   "--db", sqlite_url)
    assert untagged.exit_code == 2 and "no service tagged 'nobody'" in untagged.stderr
    listed = cli("subscribe", "list", "--json", "--db", sqlite_url)
    assert json.loads(listed.stdout) == []


def test_subscribe_list_masks_secrets_and_remove_takes_it_away(cli, sqlite_url, receiver):
    cli("subscribe", "add", receiver.url("a"), "--name", "adviser", "--program", "ucla-im",
        "--program", "cedars-neuro", "--kind", "stance,reread", "--db", sqlite_url)
    listed = cli("subscribe", "list", "--json", "--db", sqlite_url)
    [row] = json.loads(listed.stdout)
    assert row["name"] == "adviser" and row["programs"] == ["ucla-im", "cedars-neuro"]
    assert row["kinds"] == ["stance", "reread"]
    assert row["url"].startswith("json://alerts:****@127.0.0.1:")
    table = cli("subscribe", "list", "--db", sqlite_url)
    assert "adviser" in table.stdout
    assert SECRET not in listed.stdout + table.stdout
    removed = cli("subscribe", "remove", row["id"], "--db", sqlite_url)
    assert removed.exit_code == 0
    assert json.loads(cli("subscribe", "list", "--json", "--db", sqlite_url).stdout) == []
    again = cli("subscribe", "remove", row["id"], "--db", sqlite_url)
    assert again.exit_code == 2 and f"no subscription {row['id']}" in again.stderr


def test_notify_test_reports_each_service(cli, sqlite_url, receiver):
    down = JsonReceiver().start()
    down_url = down.url("gone")
    down.stop()
    cli("subscribe", "add", receiver.url("up"), "--db", sqlite_url)
    cli("subscribe", "add", down_url, "--db", sqlite_url)
    tested = cli("notify", "test", "--json", "--db", sqlite_url)
    assert tested.exit_code == 1  # one service did not take it
    rows = json.loads(tested.stdout)
    assert [(row["subscription_id"], row["service"], row["ok"]) for row in rows] == [
        (1, "JSON", True), (2, "JSON", False)]
    assert "Connection error" in rows[1]["reason"]
    assert [m["title"] for m in receiver.at("up")] == ["visa-monitor: test alert"]
    only_first = cli("notify", "test", "1", "--db", sqlite_url)
    assert only_first.exit_code == 0 and "sent" in only_first.stdout
    assert len(receiver.at("up")) == 2
    assert SECRET not in _outputs(tested) + _outputs(only_first)


def test_notify_log_and_flush(cli, sqlite_url, receiver):
    cli("subscribe", "add", receiver.url("hook"), "--db", sqlite_url)
    store = Store.open(sqlite_url)
    crawl(store, result(UCLA_IM, J1_TEXT))
    crawl(store, result(UCLA_IM, SPONSOR_TEXT))
    store.close()
    receiver.stop()
    failed = cli("notify", "flush", "--json", "--db", sqlite_url)
    report = json.loads(failed.stdout)
    assert (report["sent"], report["failed"], report["pending"]) == (0, 1, 1)
    logged = json.loads(cli("notify", "log", "--json", "--db", sqlite_url).stdout)
    assert [(row["status"], row["program_id"], row["kind"], row["attempts"])
            for row in logged] == [("pending", "ucla-im", "stance", 1)]
    receiver.start()
    flushed = cli("notify", "flush", "--db", sqlite_url)  # whatever its backoff
    assert "1 alert(s) sent" in flushed.stdout
    assert len(receiver.at("hook")) == 1
    table = cli("notify", "log", "--db", sqlite_url)
    assert "sent" in table.stdout and "ucla-im" in table.stdout
    sent = json.loads(cli("notify", "log", "--json", "--status", "sent", "--db",
                          sqlite_url).stdout)
    assert len(sent) == 1 and sent[0]["sent_at"]
    for output in (failed, flushed, table):
        assert SECRET not in _outputs(output)
    assert SETTINGS.notify_first_retry_seconds <= 60
