"""The crawl's closing step: record → detect → events and outbox rows, in one transaction."""

from __future__ import annotations

from dataclasses import replace

import pytest
from alerting import J1_TEXT, SETTINGS, SPONSOR_TEXT, UCLA_IM, crawl, result
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from monitor.detect.flow import finish_crawl
from monitor.notify.subscriptions import add_subscription
from monitor.store import models
from monitor.store.writer import ABORTED, Store


def count(store: Store, model) -> int:
    with store.sessions() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_a_failure_while_writing_the_outbox_keeps_neither_event_nor_results(sqlite_url):
    store = Store.open(sqlite_url)
    add_subscription(store, "json://127.0.0.1:9/hook")
    crawl(store, result(UCLA_IM, J1_TEXT))
    before = {model: count(store, model) for model in
              (models.ChangeEvent, models.OutboxRow, models.Assessment, models.StancePeriod)}
    # The database refuses outbox rows (as a full disk or a lost connection would).
    with store.engine.begin() as connection:
        connection.execute(text(
            "CREATE TRIGGER refuse_outbox BEFORE INSERT ON outbox "
            "BEGIN SELECT RAISE(ABORT, 'outbox refused'); END"))
    crawl_id = store.start_crawl("programs.toml", 1)
    with pytest.raises(IntegrityError, match="outbox refused"):
        finish_crawl(store, crawl_id, [result(UCLA_IM, SPONSOR_TEXT)], SETTINGS)
    after = {model: count(store, model) for model in before}
    assert after == before  # no event without its alert, no half-written crawl
    with store.sessions() as session:
        assert session.get(models.Crawl, crawl_id).outcome == "running"
    store.close()


def test_an_aborted_crawl_raises_no_event_and_no_alert(store):
    add_subscription(store, "json://127.0.0.1:9/hook")
    crawl(store, result(UCLA_IM, J1_TEXT))
    crawl_id = store.start_crawl("programs.toml", 1)
    assert finish_crawl(store, crawl_id, [result(UCLA_IM, SPONSOR_TEXT)], SETTINGS,
                        outcome=ABORTED, reason="shutdown") == []
    assert count(store, models.ChangeEvent) == 0 and count(store, models.OutboxRow) == 0


def test_events_and_their_outbox_rows_are_written_together(store):
    add_subscription(store, "json://127.0.0.1:9/hook", kinds=["stance", "wording"])
    add_subscription(store, "json://127.0.0.1:9/other", programs=["someone-else"])
    crawl(store, result(UCLA_IM, J1_TEXT))
    changes = crawl(store, result(UCLA_IM, SPONSOR_TEXT))
    assert [change.kind for _, change in changes] == ["stance"]
    with store.sessions() as session:
        rows = session.execute(
            select(models.OutboxRow.status, models.OutboxRow.subscription_id,
                   models.ChangeEvent.kind, models.OutboxRow.crawl_id,
                   models.ChangeEvent.crawl_id)
            .join(models.ChangeEvent, models.ChangeEvent.id == models.OutboxRow.event_id)
        ).all()
    [(status, subscription_id, kind, outbox_crawl, event_crawl)] = rows
    assert (status, subscription_id, kind) == ("pending", 1, "stance")
    assert outbox_crawl == event_crawl


def test_a_crawl_closed_a_few_programs_at_a_time_records_and_judges_every_one(
        store, monkeypatch):
    # The closing transaction works through the programs in slices (it lets go of
    # each slice's rows); every program must still get its pages, assessment,
    # stance period, events and alerts, in one transaction.
    monkeypatch.setattr("monitor.detect.flow.PROGRAMS_AT_A_TIME", 2)
    programs = [UCLA_IM.model_copy(update={"id": f"p{i}", "url": f"https://p{i}.example.org/"})
                for i in range(5)]
    add_subscription(store, "json://127.0.0.1:9/hook")

    def fetched(program, text):  # a page read in full, with validators to keep
        found = result(program, text)
        pages = [replace(page, etag=f'"{program.id}"', body_sha256=f"{n:064x}")
                 for n, page in enumerate(found.pages)]
        return replace(found, pages=pages)

    assert crawl(store, *[fetched(p, J1_TEXT) for p in programs]) == []
    changes = crawl(store, *[result(p, SPONSOR_TEXT) for p in programs])
    assert sorted(slug for slug, change in changes if change.kind == "stance") == [
        f"p{i}" for i in range(5)]
    with store.sessions() as session:
        assert session.scalar(select(func.count()).select_from(models.Assessment)) == 10
        assert session.scalar(select(func.count()).select_from(models.PageFetch)) == 10
        assert session.scalar(select(func.count()).select_from(models.StancePeriod)) == 10
        assert session.scalar(select(func.count()).select_from(models.OutboxRow)) == 5
        validated = session.scalars(
            select(models.Url.url).join(models.PageValidator,
                                        models.PageValidator.url_id == models.Url.id)).all()
        assert sorted(validated) == [f"https://p{i}.example.org/eligibility" for i in range(5)]
        crawls = session.scalars(select(models.Crawl).order_by(models.Crawl.id)).all()
        assert [(c.outcome, c.page_count) for c in crawls] == [("completed", 5)] * 2
        current = session.execute(
            select(models.Program.slug, models.Verdict.category)
            .join(models.StancePeriod, models.StancePeriod.id == models.Program.current_period_id)
            .join(models.Verdict, models.Verdict.id == models.StancePeriod.verdict_id)
        ).all()
    assert sorted(current) == [(f"p{i}", "h1b") for i in range(5)]
