"""The schedule: options, and a job store in the database that survives restarts."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from apscheduler.job import Job
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from daemon_support import DaemonProcess, keep_programs

from monitor.daemon import state
from monitor.daemon.schedule import ScheduleError, make_trigger, parse_every
from monitor.daemon.service import scheduled_cycle
from monitor.store.models import utcnow
from monitor.store.writer import Store


@pytest.mark.parametrize("text, expected", [
    ("90s", timedelta(seconds=90)), ("30m", timedelta(minutes=30)),
    ("1.5h", timedelta(minutes=90)), ("2d", timedelta(days=2)), (" 6h ", timedelta(hours=6)),
])
def test_every_takes_seconds_minutes_hours_days(text, expected):
    assert parse_every(text) == expected


@pytest.mark.parametrize("text", ["30", "5w", "0m", "m", "-1h", "1h30m"])
def test_a_bad_duration_says_what_is_expected(text):
    with pytest.raises(ScheduleError, match=r"--every: .* like 90s, 30m, 6h or 1d|"
                                            r"longer than zero"):
        parse_every(text)


def test_options_win_over_the_config_schedule():
    assert isinstance(make_trigger("30m", None, "0 */6 * * *"), IntervalTrigger)
    cron = make_trigger(None, "15 3 * * *", "0 */6 * * *")
    assert isinstance(cron, CronTrigger) and "hour='3'" in str(cron)
    default = make_trigger(None, None, "0 */6 * * *")
    assert "hour='*/6'" in str(default)


def test_bad_schedules_name_their_source():
    with pytest.raises(ScheduleError, match="together"):
        make_trigger("30m", "0 * * * *", "0 */6 * * *")
    with pytest.raises(ScheduleError, match="--cron: 'sometimes'"):
        make_trigger(None, "sometimes", "0 */6 * * *")


def _stored_job(db_url: str, due) -> None:
    """Leave the job as a daemon stopped long ago would have: due at `due`."""
    store = Store.open(db_url)
    jobs = SQLAlchemyJobStore(engine=store.engine, tablename=state.JOBS_TABLE)
    never_started = BackgroundScheduler()  # a Job needs one; nothing runs here
    jobs.start(never_started, "default")
    jobs.add_job(Job(
        never_started, id=state.JOB_ID, func=scheduled_cycle, args=(), kwargs={},
        trigger=make_trigger("1h", None, ""), executor="default", name="visa-monitor cycle",
        misfire_grace_time=None, coalesce=True, max_instances=1, next_run_time=due,
    ))
    jobs.shutdown()
    store.close()


def _next_due(db_url: str):
    store = Store.open(db_url)
    try:
        return state.next_due(store)
    finally:
        store.close()


@pytest.mark.slow
def test_a_restart_keeps_the_schedule(sites, db_url):
    keep_programs(sites.config_path, 1)
    first = DaemonProcess("--config", sites.config_path, "--db", db_url, "--every", "1h")
    try:
        first.wait_cycles(1)  # a new daemon crawls at once
        assert first.terminate()[0] == 0
    finally:
        first.kill()
    due = _next_due(db_url)
    assert timedelta(minutes=59) < due - utcnow() <= timedelta(hours=1)

    again = DaemonProcess("--config", sites.config_path, "--db", db_url, "--every", "1h")
    try:
        again.wait_for(lambda d: "daemon started" in d.log())
        time.sleep(3)
        assert again.cycles() == []  # not due yet: no crawl on restart
        assert _next_due(db_url) == due
        assert again.terminate()[0] == 0
    finally:
        again.kill()

    changed = DaemonProcess("--config", sites.config_path, "--db", db_url, "--every", "2h")
    try:
        changed.wait_for(lambda d: "daemon started" in d.log())
        assert changed.terminate()[0] == 0
    finally:
        changed.kill()
    assert _next_due(db_url) - utcnow() > timedelta(hours=1, minutes=59)


@pytest.mark.slow
def test_runs_missed_while_down_run_once_on_start(sites, db_url):
    keep_programs(sites.config_path, 1)
    _stored_job(db_url, utcnow() - timedelta(hours=3, minutes=30))  # three runs missed
    daemon = DaemonProcess("--config", sites.config_path, "--db", db_url, "--every", "1h")
    try:
        daemon.wait_cycles(1)
        time.sleep(4)
        assert len(daemon.cycles()) == 1  # one catch-up run, not a burst of four
        assert daemon.terminate()[0] == 0
    finally:
        daemon.kill()
    assert "skipped" not in daemon.log() and "missed" not in daemon.log()
    assert timedelta(0) < _next_due(db_url) - utcnow() <= timedelta(hours=1)
