"""A new classifier over unchanged pages: `reread` events, never a `stance` alert.

"A new classifier" is the same recording API given another classifier
version and a different reading of the same page text, as an older release
of the classifier would have stored it.
"""

from __future__ import annotations

import json

import pytest
from alerting import CEDARS_NEURO, J1_TEXT, SETTINGS, SPONSOR_TEXT, UCLA_IM, crawl, result
from receivers import JsonReceiver
from sqlalchemy import select
from typer.testing import CliRunner

from monitor.classify import classifier_version
from monitor.cli.main import app
from monitor.detect.reread import reclassify
from monitor.notify.sender import deliver_pending
from monitor.notify.subscriptions import add_subscription
from monitor.store import models, queries
from monitor.store.writer import Store

OLD = "old-reader01"


@pytest.fixture
def receiver():
    receiver = JsonReceiver().start()
    yield receiver
    receiver.stop()


def misread_by_the_old_classifier(store: Store) -> None:
    """UCLA's page sponsors H-1B; the old classifier read it as J-1 only."""
    crawl(store, result(UCLA_IM, SPONSOR_TEXT, verdict_text=J1_TEXT),
          result(CEDARS_NEURO, J1_TEXT), classifier_version=OLD)


def subscribe_both(store: Store, receiver: JsonReceiver) -> None:
    add_subscription(store, receiver.url("stance"))  # default kinds: stance, statement_missing
    add_subscription(store, receiver.url("reread"), kinds=["reread"])


def test_a_crawl_with_a_new_classifier_over_unchanged_pages_is_a_reread(store, receiver):
    subscribe_both(store, receiver)
    misread_by_the_old_classifier(store)
    changes = crawl(store, result(UCLA_IM, SPONSOR_TEXT), result(CEDARS_NEURO, J1_TEXT))
    assert [(program, change.kind) for program, change in changes] == [("ucla-im", "reread")]
    assert [row["kind"] for row in queries.changes(store)] == ["reread"]
    assert queries.status(store, ["ucla-im"])[0]["category"] == "h1b"

    report = deliver_pending(store, SETTINGS)
    assert report.sent == 1
    assert receiver.at("stance") == []
    [message] = receiver.at("reread")
    assert message["title"] == ("UCLA Internal Medicine: our reading changed, the page did "
                                "not: now sponsors H-1B (was J-1 only)")
    assert "The page text is the same as before" in message["message"]
    # Every stored verdict says which classifier read it.
    with store.sessions() as session:
        versions = set(session.scalars(select(models.Verdict.classifier_version)))
    assert versions == {OLD, classifier_version()}


def test_reclassify_rereads_stored_texts_without_crawling(store, receiver):
    subscribe_both(store, receiver)
    misread_by_the_old_classifier(store)
    done = reclassify(store, SETTINGS)
    assert done.programs == 2 and done.classifier_version == classifier_version()
    assert [(program, change.kind) for program, change in done.changes] == [
        ("ucla-im", "reread")]
    assert queries.status(store, ["ucla-im"])[0]["category"] == "h1b"
    # Nothing left to re-read: a second run changes nothing.
    assert reclassify(store, SETTINGS).changes == []
    deliver_pending(store, SETTINGS)
    assert receiver.at("stance") == [] and len(receiver.at("reread")) == 1
    # The next crawl of the same pages is no change at all.
    assert crawl(store, result(UCLA_IM, SPONSOR_TEXT), result(CEDARS_NEURO, J1_TEXT)) == []


def test_reclassify_command(sqlite_url):
    store = Store.open(sqlite_url)
    misread_by_the_old_classifier(store)
    store.close()
    ran = CliRunner().invoke(app, ["reclassify", "--json", "--db", sqlite_url])
    assert ran.exit_code == 0, ran.output
    output = json.loads(ran.stdout)
    assert output["programs"] == 2
    assert [(row["program_id"], row["kind"], row["before"]["category"],
             row["after"]["category"]) for row in output["changes"]] == [
        ("ucla-im", "reread", "j1_only", "h1b")]
    table = CliRunner().invoke(app, ["reclassify", "--db", sqlite_url])
    assert "0 reading(s) changed" in table.stdout
