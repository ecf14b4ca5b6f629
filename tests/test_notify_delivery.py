"""Alerts end to end: detection writes outbox rows, the sender delivers them through
Apprise to a real HTTP endpoint on 127.0.0.1 (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

import pytest
from alerting import CEDARS_NEURO, J1_TEXT, SETTINGS, SPONSOR_TEXT, UCLA_IM, crawl, result
from receivers import JsonReceiver
from sqlalchemy import func, select

from monitor.notify import outbox
from monitor.notify.sender import deliver_pending
from monitor.notify.subscriptions import add_subscription, remove_subscription
from monitor.store import models
from monitor.store.models import utcnow
from monitor.store.writer import Store


@pytest.fixture
def receiver():
    receiver = JsonReceiver().start()
    yield receiver
    receiver.stop()


def count(store: Store, model, **where) -> int:
    with store.sessions() as session:
        query = select(func.count()).select_from(model)
        for key, value in where.items():
            query = query.where(getattr(model, key) == value)
        return session.scalar(query)


def ucla_changes_to_h1b(store: Store) -> None:
    crawl(store, result(UCLA_IM, J1_TEXT), result(CEDARS_NEURO, J1_TEXT))
    crawl(store, result(UCLA_IM, SPONSOR_TEXT), result(CEDARS_NEURO, J1_TEXT))


def test_one_change_is_one_message_at_each_matching_subscriber_and_none_elsewhere(
    store, receiver
):
    everyone = add_subscription(store, receiver.url("everyone"), name="everyone")
    add_subscription(store, receiver.url("im"), specialties=["internal medicine"])
    add_subscription(store, receiver.url("either"), programs=["cedars-neuro", "ucla-im"])
    add_subscription(store, receiver.url("neuro"), programs=["cedars-neuro"])
    # AND across fields: UCLA but Neurology matches nothing.
    add_subscription(store, receiver.url("ucla-neuro"), institutions=["UCLA"],
                     specialties=["Neurology"])
    add_subscription(store, receiver.url("wording"), kinds=["wording"])

    ucla_changes_to_h1b(store)
    # Written with the event, before anything is sent.
    assert count(store, models.ChangeEvent) == 1
    assert count(store, models.OutboxRow, status="pending") == 3

    report = deliver_pending(store, SETTINGS)
    assert (report.sent, report.failed, report.pending, report.messages) == (3, 0, 0, 3)
    for path in ("everyone", "im", "either"):
        assert len(receiver.at(path)) == 1, path
    for path in ("neuro", "ucla-neuro", "wording"):
        assert receiver.at(path) == [], path

    [message] = receiver.at("everyone")
    assert message["title"] == "UCLA Internal Medicine: now sponsors H-1B (was J-1 only)"
    body = message["message"]
    assert "Before: “We do not sponsor H-1B visas.”" in body
    assert "After: “We sponsor both J-1 and H-1B visas for our residents.”" in body
    assert "Page: https://ucla.example.org/im/eligibility" in body
    assert "Seen: " in body and " UTC" in body
    assert body.endswith(f"To stop: visa-monitor subscribe remove {everyone['id']}")
    # The receiver got the credentials of the URL, so the secret really was used.
    assert {m["password"] for m in receiver.messages} == {"s3cret-Tok3n"}

    # Rerunning the sender sends nothing again.
    again = deliver_pending(store, SETTINGS, force=True)
    assert (again.sent, again.failed, again.pending) == (0, 0, 0)
    assert len(receiver.messages) == 3


def test_several_events_for_one_subscriber_from_one_crawl_make_one_message(store, receiver):
    add_subscription(store, receiver.url("all"))
    crawl(store, result(UCLA_IM, J1_TEXT), result(CEDARS_NEURO, SPONSOR_TEXT))
    crawl(store, result(UCLA_IM, SPONSOR_TEXT), result(CEDARS_NEURO, J1_TEXT))
    report = deliver_pending(store, SETTINGS)
    assert (report.sent, report.messages) == (2, 1)
    [message] = receiver.at("all")
    assert message["title"] == ("2 visa policy changes: UCLA Internal Medicine, "
                                "Cedars-Sinai Neurology")
    assert "UCLA Internal Medicine: now sponsors H-1B (was J-1 only)" in message["message"]
    assert "Cedars-Sinai Neurology: now J-1 only (was sponsors H-1B)" in message["message"]


def test_a_receiver_that_is_down_is_retried_and_gets_the_message_once_back_up(
    store, receiver, caplog
):
    caplog.set_level(logging.DEBUG)
    add_subscription(store, receiver.url("hook"))
    ucla_changes_to_h1b(store)
    receiver.stop()
    start = utcnow()

    first = deliver_pending(store, SETTINGS, now=start)
    assert (first.sent, first.failed, first.pending, first.gave_up) == (0, 1, 1, 0)
    [row] = outbox.delivery_log(store)
    assert row["status"] == "pending" and row["attempts"] == 1
    assert "127.0.0.1" in row["last_error"]
    retry_at = _next_attempt(store)
    assert start < retry_at <= start + timedelta(minutes=1)

    # Not due yet: nothing is tried.
    early = deliver_pending(store, SETTINGS, now=start + timedelta(seconds=5))
    assert (early.sent, early.failed, early.pending) == (0, 0, 1)

    receiver.start()
    later = deliver_pending(store, SETTINGS, now=retry_at)
    assert (later.sent, later.failed, later.pending) == (1, 0, 0)
    assert len(receiver.at("hook")) == 1
    assert deliver_pending(store, SETTINGS, force=True).sent == 0
    assert len(receiver.at("hook")) == 1
    assert count(store, models.DeliveryAttempt) == 2
    _no_secret(store, caplog)


def test_backoff_doubles_and_gives_up_after_the_configured_hours(store, receiver):
    settings = SETTINGS.model_copy(update={"notify_first_retry_seconds": 20,
                                           "notify_give_up_hours": 1})
    add_subscription(store, receiver.url("hook"))
    ucla_changes_to_h1b(store)
    receiver.stop()
    at = utcnow()
    delays = []
    for _ in range(3):
        assert deliver_pending(store, settings, now=at).failed == 1
        following = _next_attempt(store)
        delays.append((following - at).total_seconds())
        at = following
    assert delays == [20, 40, 80]
    report = deliver_pending(store, settings, now=at + timedelta(hours=1))
    assert (report.gave_up, report.pending) == (1, 0)
    assert outbox.delivery_log(store)[0]["status"] == "gave_up"


def test_flush_sends_at_once_whatever_the_backoff(store, receiver):
    add_subscription(store, receiver.url("hook"))
    ucla_changes_to_h1b(store)
    receiver.stop()
    start = utcnow()
    deliver_pending(store, SETTINGS, now=start)
    receiver.start()
    assert deliver_pending(store, SETTINGS, now=start).sent == 0
    assert deliver_pending(store, SETTINGS, now=start, force=True).sent == 1
    assert len(receiver.at("hook")) == 1


def test_a_removed_subscription_gets_nothing_more(store, receiver):
    subscription = add_subscription(store, receiver.url("hook"))
    ucla_changes_to_h1b(store)
    remove_subscription(store, subscription["id"])
    assert deliver_pending(store, SETTINGS, force=True).sent == 0
    assert receiver.messages == []
    assert outbox.delivery_log(store)[0]["status"] == "cancelled"


def test_two_senders_at_once_never_send_a_row_twice(db_url, receiver):
    receiver.delay = 0.3  # each message keeps its sender busy, so the batch takes a while
    store = Store.open(db_url)
    paths = [f"s{i}" for i in range(12)]
    for path in paths:
        add_subscription(store, receiver.url(path))
    ucla_changes_to_h1b(store)
    reports = []

    def sender():
        own = Store.open(db_url)  # its own engine and connections, like another process
        try:
            reports.append(deliver_pending(own, SETTINGS))
        finally:
            own.close()

    first = threading.Thread(target=sender)
    first.start()
    # The second sender starts while the first is inside its first delivery, so
    # the two really overlap, however busy the machine is.
    assert receiver.requested.wait(timeout=60)
    second = threading.Thread(target=sender)
    second.start()
    for thread in (first, second):
        thread.join(timeout=120)
    assert sum(report.sent for report in reports) == 12
    assert all(report.sent for report in reports)  # both really sent, side by side
    assert {path: len(receiver.at(path)) for path in paths} == {path: 1 for path in paths}
    assert count(store, models.DeliveryAttempt) == 12
    store.close()


def _next_attempt(store: Store):
    with store.sessions() as session:
        return session.scalar(select(models.OutboxRow.next_attempt_at))


def _no_secret(store: Store, caplog) -> None:
    secret = "s3cret-Tok3n"
    assert all(secret not in record.getMessage() for record in caplog.records)
    with store.sessions() as session:
        details = session.scalars(select(models.DeliveryAttempt.detail)).all()
        errors = session.scalars(select(models.OutboxRow.last_error)).all()
    assert all(secret not in (text or "") for text in [*details, *errors])
    assert secret not in repr(outbox.delivery_log(store))
