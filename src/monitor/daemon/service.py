"""The daemon: a scheduler running cycles until SIGTERM or Ctrl-C.

APScheduler 3 (`BackgroundScheduler`) with its SQLAlchemy job store in the
project's database: one job with a fixed id, replaced at each start, so a
restart keeps the schedule. A run missed while the daemon was down runs
once on start (coalesce, no misfire limit), never as a burst. One executor
thread and `max_instances=1` keep cycles from overlapping; each crawl runs
in its own child process (`monitor.crawl.runner`), so memory does not grow
with the cycles.

SIGTERM or SIGINT: the running crawl is stopped and recorded as `aborted`,
pending alerts stay pending, and the process exits 0 (within 10 seconds:
the crawl is forced after 5 and killed after 8).
"""

from __future__ import annotations

import contextlib
import logging
import signal
import tempfile
import threading
from pathlib import Path

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.util import undefined

from monitor.crawl import lock
from monitor.crawl.runner import CrawlControl
from monitor.daemon import schedule, state
from monitor.daemon.configs import ConfigKeeper
from monitor.daemon.cycle import Cycle
from monitor.store.db import redact
from monitor.store.models import utcnow
from monitor.store.writer import Store

log = logging.getLogger("monitor.daemon")

_active: Daemon | None = None


def scheduled_cycle() -> None:
    """The job's callable, stored by name ("monitor.daemon.service:scheduled_cycle").

    It takes no arguments (nothing to serialise, no database URL with its
    password in the job table) and runs a cycle of the daemon of this process.
    """
    if _active is not None:
        _active.cycle.run()


class DaemonBusy(Exception):
    """Another `visa-monitor run` uses this database."""


class Daemon:
    def __init__(self, db_url: str, config_path: Path):
        self.db_url = db_url
        self.config_path = config_path
        self.stopping = threading.Event()
        self.control = CrawlControl()
        self._workdir = tempfile.TemporaryDirectory(prefix="visa-monitor-run-")
        self.configs = ConfigKeeper(config_path, Path(self._workdir.name))
        self.store: Store | None = None
        self.cycle: Cycle | None = None

    # -- life cycle -----------------------------------------------------

    def open(self) -> None:
        """Validate the config and open the store (ConfigError, DatabaseError)."""
        self.configs.load()
        self.store = Store.open(self.db_url)
        self.cycle = Cycle(self.store, self.configs, self.control)

    def close(self) -> None:
        if self.store is not None:
            self.store.close()
        self._workdir.cleanup()

    def stop(self, signum: int | None = None, _frame=None) -> None:
        """Signal handler: stop the running crawl and the loop."""
        if signum is not None:
            log.info("received %s: stopping", signal.Signals(signum).name)
        self.stopping.set()
        self.control.stop()

    def install_signal_handlers(self) -> None:
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)

    # -- running --------------------------------------------------------

    def run_once(self) -> state.CycleReport:
        return self.cycle.run()

    def run_forever(self, trigger: BaseTrigger) -> None:
        """Run scheduled cycles until stop(); DaemonBusy if another daemon has the database."""
        global _active
        with contextlib.ExitStack() as stack:
            try:
                stack.enter_context(lock.hold(self.db_url, "daemon"))
            except lock.LockBusy as exc:
                raise DaemonBusy(
                    f"another `visa-monitor run` uses {redact(self.db_url)} ({exc.holder})"
                ) from None
            scheduler = self._scheduler()
            _active = self
            try:
                scheduler.start(paused=True)
                due = self._schedule(scheduler, trigger)
                log.info("daemon started: %s; next cycle at %s", schedule.describe(trigger),
                         due.isoformat(timespec="seconds"))
                scheduler.resume()
                while not self.stopping.wait(0.5):
                    pass
            finally:
                # Waits for a running cycle, whose crawl is being stopped already.
                if scheduler.running:
                    scheduler.shutdown(wait=True)
                _active = None
                log.info("daemon stopped")

    def _scheduler(self) -> BackgroundScheduler:
        return BackgroundScheduler(
            jobstores={"default": SQLAlchemyJobStore(engine=self.store.engine,
                                                     tablename=state.JOBS_TABLE)},
            executors={"default": ThreadPoolExecutor(max_workers=1)},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
        )

    def _schedule(self, scheduler: BackgroundScheduler, trigger: BaseTrigger):
        """Add the cycle job, keeping the stored due time when the schedule is the same."""
        previous = scheduler.get_job(state.JOB_ID)
        if previous is None:
            due = utcnow()  # a new daemon crawls at once
        elif schedule.describe(previous.trigger) == schedule.describe(trigger):
            due = previous.next_run_time or undefined  # missed while down: runs now, once
        else:
            due = undefined  # a new schedule: its next time
        job = scheduler.add_job(
            scheduled_cycle, trigger, id=state.JOB_ID, name="visa-monitor cycle",
            replace_existing=True, next_run_time=due,
        )
        return job.next_run_time or trigger.get_next_fire_time(None, utcnow())
