"""Crawls beside readers, beside each other and beside the sender, on SQLite and PostgreSQL.

No "database is locked" reaches a user, no crawl's results are lost, no alert
is lost or sent twice, and a wait for another process's write is bounded and
says what it waited for.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
import time

import pytest
from conftest import FIXTURES, pg_schema
from receivers import JsonReceiver
from sqlalchemy import create_engine, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from monitor.config import Settings
from monitor.crawl.runner import run_crawl
from monitor.detect.changes import KINDS
from monitor.detect.flow import finish_crawl
from monitor.notify.sender import deliver_pending
from monitor.notify.subscriptions import add_subscription
from monitor.store import db, models, queries
from monitor.store.writer import COMPLETED, Store

PROGRAMS = ("pacific-im", "harbor-fm", "westbay-im")
READ_COMMANDS = [
    ["status", "--json"],
    ["history", "pacific-im", "--json"],
    ["export", "--format", "json", "--history"],
]


def _read_through_the_cli(db_url: str, stop: threading.Event, started: threading.Event,
                          runs: list) -> None:
    """Run the read commands in turn, as a user would, until `stop`.

    They start once a first crawl has stored pacific-im, which `history` asks for.
    """
    started.wait(timeout=300)
    while not stop.is_set():
        for args in READ_COMMANDS:
            done = subprocess.run(
                [sys.executable, "-m", "monitor", *args, "--db", db_url],
                capture_output=True, text=True, timeout=120,
                env={**os.environ, "COLUMNS": "200"},
            )
            runs.append((args[0], done.returncode, done.stdout, done.stderr))


def _read_in_process(db_url: str, stop: threading.Event, counts: list, errors: list) -> None:
    store = Store.open(db_url)
    try:
        while not stop.is_set():
            try:
                queries.status(store)
                queries.changes(store)
                counts.append(1)
            except Exception as exc:  # any failure is the finding
                errors.append(repr(exc))
    finally:
        store.close()


@pytest.mark.slow
def test_crawls_beside_each_other_and_readers_lose_nothing(sites, db_url, expected):
    config = sites.config(*PROGRAMS)
    expected = {pid: expected[pid]["category"] for pid in PROGRAMS}
    Store.open(db_url).close()  # the schema, before anyone races for it
    stop = threading.Event()
    first_done = threading.Event()
    cli_runs: list = []
    reads: list = []
    read_errors: list = []
    crawl_errors: list = []
    runs: list = []

    def crawl_twice():
        try:
            for _ in range(2):
                # Two crawls on one database take turns on the crawl lock (`--wait`);
                # the readers run beside both.
                runs.append(run_crawl(config, db_url, wait=True))
                first_done.set()
        except Exception as exc:
            crawl_errors.append(repr(exc))

    readers = [
        threading.Thread(target=_read_through_the_cli, args=(db_url, stop, first_done, cli_runs)),
        threading.Thread(target=_read_in_process, args=(db_url, stop, reads, read_errors)),
    ]
    crawlers = [threading.Thread(target=crawl_twice) for _ in range(2)]
    for thread in readers + crawlers:
        thread.start()
    for thread in crawlers:
        thread.join(timeout=600)
    stop.set()
    for thread in readers:
        thread.join(timeout=300)

    assert crawl_errors == []
    assert read_errors == []
    assert len(reads) > 10 and len(cli_runs) >= len(READ_COMMANDS)
    for command, code, stdout, stderr in cli_runs:
        assert code == 0, (command, stderr[-2000:])
        assert "locked" not in stdout + stderr and "Traceback" not in stderr, command
        assert stderr == "", (command, stderr)
        json.loads(stdout)
    # Every crawl's results were written, each program once per crawl.
    assert sorted(run.outcome for run in runs) == [COMPLETED] * 4
    store = Store.open(db_url)
    try:
        with store.sessions() as session:
            outcomes = session.scalars(select(models.Crawl.outcome)).all()
            assessed = session.scalar(select(func.count()).select_from(models.Assessment))
            programs = session.scalar(select(func.count()).select_from(models.Program))
        assert outcomes == [COMPLETED] * 4
        assert programs == len(config.programs) and assessed == 4 * len(config.programs)
        for run in runs:
            report = queries.crawl_report(store, run.crawl_id)
            assert {r["program_id"]: r["category"] for r in report} == expected
        assert {r["program_id"]: r["category"] for r in queries.status(store)} == expected
    finally:
        store.close()


# pacific-im's visa paragraphs before each crawl after the first: every crawl
# reads something new there, so every crawl writes change events and their
# outbox rows while the senders are still sending the previous crawl's. None
# is the page as shipped.
PACIFIC_EDITS = [
    "<p>Pacific Coast Medical Center accepts J-1 visas sponsored by ECFMG only. We do not "
    "sponsor H-1B visas for residents in the Internal Medicine program.</p>",
    None,
    "<p>Residents in the Internal Medicine program train on J-1 visas sponsored by ECFMG; "
    "Pacific Coast Medical Center does not sponsor H-1B visas.</p>",
    "<p>Pacific Coast Medical Center sponsors H-1B visas for residents in the Internal "
    "Medicine program, and accepts J-1 visas sponsored by ECFMG.</p>",
]
# Enough subscribers, and a slow enough receiver, that sending one crawl's
# alerts lasts into the next crawl's closing write.
SUBSCRIBERS = tuple(f"subscriber-{n}" for n in range(8))


def _edit_pacific(sites, paragraphs: str | None) -> None:
    """Put `paragraphs` in place of the shipped page's visa paragraphs (None: as shipped)."""
    html = (FIXTURES / "sites" / "pacific-im" / "eligibility.html").read_text(encoding="utf-8")
    if paragraphs is not None:
        start = html.index("<p>Pacific Coast Medical Center sponsors both")
        end = html.index("</p>", html.index("<p>USMLE Step 3", start)) + len("</p>")
        html = html[:start] + paragraphs + html[end:]
    sites.page("pacific-im/eligibility.html").write_text(html, encoding="utf-8")


def _flush_through_the_cli(db_url: str, stop: threading.Event, runs: list) -> None:
    """`visa-monitor notify flush` again and again, as cron or a user would run it."""
    while not stop.is_set():
        done = subprocess.run(
            [sys.executable, "-m", "monitor", "notify", "flush", "--json", "--db", db_url],
            capture_output=True, text=True, timeout=120)
        runs.append((done.returncode, done.stdout, done.stderr))
        time.sleep(0.2)


def _send_in_process(db_url: str, stop: threading.Event, messages: list, errors: list) -> None:
    """The daemon's way: deliver_pending in a loop on a long-lived store."""
    store = Store.open(db_url)
    try:
        while not stop.is_set():
            try:
                report = deliver_pending(store, Settings())
                messages.append(report.messages)
                errors.extend(report.errors)
            except Exception as exc:  # any failure is the finding
                errors.append(repr(exc))
            time.sleep(1)  # the daemon's pace is minutes; this leaves some to `notify flush`
    finally:
        store.close()


def _pending(db_url: str) -> int:
    store = Store.open(db_url)
    try:
        with store.sessions() as session:
            return session.scalar(select(func.count()).select_from(models.OutboxRow)
                                  .where(models.OutboxRow.status == "pending"))
    finally:
        store.close()


@pytest.mark.slow
def test_crawls_beside_the_sender_and_readers_lose_no_write_and_no_alert(sites, db_url):
    config = sites.config()  # every fixture program: a crawl writes all along
    receiver = JsonReceiver().start()
    receiver.delay = 0.5
    store = Store.open(db_url)
    try:
        for path in SUBSCRIBERS:
            add_subscription(store, receiver.url(path), kinds=list(KINDS))
    finally:
        store.close()
    stop_senders, stop_readers = threading.Event(), threading.Event()
    first_done = threading.Event()
    flushes: list = []
    sent_messages: list = []
    send_errors: list = []
    cli_runs: list = []
    crawl_errors: list = []
    runs: list = []

    def crawl_with_edits():
        try:
            for number, edit in enumerate([None, *PACIFIC_EDITS]):
                if number:
                    _edit_pacific(sites, edit)
                runs.append(run_crawl(config, db_url, wait=True))
                first_done.set()
        except Exception as exc:
            crawl_errors.append(repr(exc))
        finally:
            first_done.set()

    senders = [
        threading.Thread(target=_flush_through_the_cli, args=(db_url, stop_senders, flushes)),
        threading.Thread(target=_send_in_process,
                         args=(db_url, stop_senders, sent_messages, send_errors)),
    ]
    readers = [threading.Thread(target=_read_through_the_cli,
                                args=(db_url, stop_readers, first_done, cli_runs))]
    crawler = threading.Thread(target=crawl_with_edits)
    try:
        for thread in [*senders, *readers, crawler]:
            thread.start()
        crawler.join(timeout=900)
        delivered_while_crawling = len(receiver.messages)
        stop_readers.set()
        # The senders go on until the last crawl's alerts are out (or a minute passes).
        deadline = time.monotonic() + 60
        while _pending(db_url) and time.monotonic() < deadline:
            time.sleep(0.5)
        stop_senders.set()
        for thread in [*senders, *readers]:
            thread.join(timeout=300)
    finally:
        stop_readers.set()
        stop_senders.set()
        receiver.stop()

    assert crawl_errors == [] and send_errors == []
    for code, stdout, stderr in flushes:
        assert code == 0, stderr[-2000:]
        assert "locked" not in stdout + stderr and "busy" not in stdout + stderr, stderr
        assert json.loads(stdout)["errors"] == []
    for command, code, stdout, stderr in cli_runs:
        assert code == 0, (command, stderr[-2000:])
        assert "locked" not in stdout + stderr and stderr == "", (command, stderr)
    assert len(flushes) >= 2 and len(sent_messages) >= 2 and len(cli_runs) >= len(READ_COMMANDS)
    # The senders did send while crawls were writing, not only after.
    assert delivered_while_crawling >= len(SUBSCRIBERS), delivered_while_crawling

    # No crawl's results were lost: each program assessed once per crawl.
    assert [run.outcome for run in runs] == [COMPLETED] * (len(PACIFIC_EDITS) + 1)
    store = Store.open(db_url)
    try:
        with store.sessions() as session:
            assessed = session.execute(
                select(models.Assessment.crawl_id, func.count())
                .group_by(models.Assessment.crawl_id)).all()
            rows = session.execute(
                select(models.OutboxRow.status, models.OutboxRow.crawl_id,
                       models.Subscription.url)
                .join(models.Subscription,
                      models.Subscription.id == models.OutboxRow.subscription_id)).all()
    finally:
        store.close()
    assert sorted(assessed) == sorted((run.crawl_id, len(config.programs)) for run in runs)
    # Every crawl after the first raised alerts, and every alert row was sent...
    alerted = {crawl_id for _, crawl_id, _ in rows}
    assert alerted == {run.crawl_id for run in runs[1:]}, alerted
    assert {status for status, _, _ in rows} == {"sent"}
    # ...in one message per subscriber and crawl, each received exactly once.
    for path in SUBSCRIBERS:
        groups = {crawl_id for _, crawl_id, url in rows if url.endswith(f"/{path}")}
        assert len(receiver.at(path)) == len(groups) == len(PACIFIC_EDITS), path
    assert sum(sent_messages) + sum(json.loads(out)["messages"] for _, out, _ in flushes) \
        == len(SUBSCRIBERS) * len(PACIFIC_EDITS)


class HeldWriteLock:
    """Another process's writer, holding the lock that `db.lock_for_write` waits for."""

    def __init__(self, db_url: str):
        self.url = make_url(db_url)

    def __enter__(self):
        if self.url.get_backend_name() == "sqlite":
            self.connection = sqlite3.connect(self.url.database, isolation_level=None)
            self.connection.execute("BEGIN IMMEDIATE")
        else:
            self.engine = create_engine(self.url)
            self.connection = Session(self.engine)
            db.lock_for_write(self.connection)
        return self

    def __exit__(self, *exc):
        self.connection.rollback()
        self.connection.close()
        if hasattr(self, "engine"):
            self.engine.dispose()


def test_a_wait_for_the_write_lock_is_bounded_and_says_why(db_url, monkeypatch):
    monkeypatch.setattr(db, "BUSY_TIMEOUT_SECONDS", 1)
    store = Store.open(db_url)
    try:
        crawl_id = store.start_crawl("programs.toml", 0)
        with HeldWriteLock(db_url):
            started = time.monotonic()
            with pytest.raises(db.DatabaseError) as raised:
                finish_crawl(store, crawl_id, [], Settings())
            waited = time.monotonic() - started
            # Readers are never held up by a writer.
            assert queries.status(store) == [] and queries.changes(store) == []
        message = str(raised.value)
        assert "busy: waited 1 s for another visa-monitor process" in message
        assert "crawl recording its results" in message
        assert 0.5 < waited < 15
        # Once the other writer is done, the same write goes through.
        finish_crawl(store, crawl_id, [], Settings())
        with store.sessions() as session:
            assert session.get(models.Crawl, crawl_id).outcome == COMPLETED
    finally:
        store.close()


@pytest.mark.skipif(not os.environ.get("VISA_MONITOR_TEST_PG"),
                    reason="PostgreSQL only: on SQLite each monitor has a file of its own")
def test_monitors_in_other_schemas_never_wait_for_each_others_writes(monkeypatch):
    """One server, two monitors with a schema each: the write lock is per schema."""
    monkeypatch.setattr(db, "BUSY_TIMEOUT_SECONDS", 1)
    with pg_schema("o") as ours_url, pg_schema("o") as their_url:
        ours, theirs = Store.open(ours_url), Store.open(their_url)
        try:
            crawl_id = ours.start_crawl("programs.toml", 0)
            with HeldWriteLock(their_url):
                finish_crawl(ours, crawl_id, [], Settings())  # not held up
                with pytest.raises(db.DatabaseError):  # but a writer of that schema is
                    finish_crawl(theirs, theirs.start_crawl("programs.toml", 0), [], Settings())
            with ours.sessions() as session:
                assert session.get(models.Crawl, crawl_id).outcome == COMPLETED
        finally:
            ours.close()
            theirs.close()
