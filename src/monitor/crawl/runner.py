"""Running a crawl: one child process per crawl.

Twisted's reactor cannot be restarted in a process, and a long-lived monitor
must give back the memory of each crawl; a child process per crawl does both.
The child (`python -m monitor.crawl.worker`) runs the Scrapy spider, whose
pipelines write the results to the store; it reports progress as JSON lines
on its standard output and its log on standard error.

Only one crawl runs on a database at a time (`monitor.crawl.lock`): a second
one waits (`wait=True`) or is refused with CrawlBusy naming the holder.
A `CrawlControl` lets another thread (the daemon's signal handling) stop a
crawl: the child is asked to stop, forced if it does not, and the crawl is
recorded as `aborted`.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.exc import SQLAlchemyError

from monitor.config import Config
from monitor.crawl import lock
from monitor.store.db import DB_ENV, redact
from monitor.store.writer import ABORTED, Store

LOG_TAIL_LINES = 20
# After a stop request: ask once, insist (Scrapy's unclean shutdown), then kill.
STOP_INSIST_SECONDS = 5.0
STOP_KILL_SECONDS = 8.0


class CrawlError(Exception):
    """The crawl itself failed (not a site: the tool)."""


class CrawlBusy(CrawlError):
    """Another crawl holds the database; the message names it."""


@dataclass
class CrawlRun:
    crawl_id: int | None  # None: stopped before the crawl was recorded
    outcome: str
    changes: int


class CrawlControl:
    """Stops a crawl from another thread; `stopped` is set once asked."""

    def __init__(self):
        self.stopped = threading.Event()
        self._child: subprocess.Popen | None = None
        self._guard = threading.Lock()

    def attach(self, child: subprocess.Popen | None) -> None:
        with self._guard:
            self._child = child
        if child is not None and self.stopped.is_set():
            self._escalate(child)

    def stop(self) -> None:
        """Ask the running crawl (if any) to stop; it is forced if it lingers."""
        if self.stopped.is_set():
            return
        self.stopped.set()
        with self._guard:
            child = self._child
        if child is not None:
            self._escalate(child)

    def _escalate(self, child: subprocess.Popen) -> None:
        def run():
            steps = [(0.0, signal.SIGTERM), (STOP_INSIST_SECONDS, signal.SIGTERM),
                     (STOP_KILL_SECONDS, signal.SIGKILL)]
            waited = 0.0
            for at, signum in steps:
                try:
                    child.wait(timeout=at - waited)
                    return
                except subprocess.TimeoutExpired:
                    waited = at
                if child.poll() is None:
                    child.send_signal(signum)

        threading.Thread(target=run, name="crawl-stop", daemon=True).start()


def run_crawl(
    config: Config,
    db_url: str,
    on_event: Callable[[dict], None] | None = None,
    verbose: bool = False,
    *,
    wait: bool = False,
    on_wait: Callable[[str], None] | None = None,
    control: CrawlControl | None = None,
) -> CrawlRun:
    """Crawl `config`'s programs into the database at `db_url`.

    `config` must have been loaded from a file (its `path`); its program
    selection is passed to the child. Raises CrawlError when the child fails,
    CrawlBusy when another crawl holds the database and `wait` is false
    (`on_wait` hears who holds it when waiting).
    """
    if config.path is None:
        raise ValueError("run_crawl needs a config loaded from a file")
    cancel = control.stopped if control is not None else None
    with contextlib.ExitStack() as held:
        try:
            held.enter_context(
                lock.hold(db_url, "crawl", wait=wait, on_wait=on_wait, cancel=cancel)
            )
        except lock.LockBusy as exc:
            raise CrawlBusy(f"{exc}; wait for it with `visa-monitor crawl --wait`") from None
        except lock.LockWaitCancelled:
            return CrawlRun(None, ABORTED, 0)
        except (OSError, SQLAlchemyError) as exc:
            raise CrawlError(f"cannot take the crawl lock of {redact(db_url)}: {exc}") from None
        return _run_child(config, db_url, on_event, verbose, control)


def _run_child(config, db_url, on_event, verbose, control) -> CrawlRun:
    # The selection goes through a file: thousands of ids exceed what one
    # command-line argument may hold.
    with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8") as selection:
        selection.write("\n".join(p.id for p in config.programs))
        selection.flush()
        command = [
            sys.executable, "-m", "monitor.crawl.worker",
            "--config", str(config.path),
            "--programs-file", selection.name,
        ]
        return _run(command, db_url, on_event, verbose, control)


def _run(command: list[str], db_url: str, on_event, verbose: bool, control) -> CrawlRun:
    # The database URL may carry a password: pass it in the environment, not
    # on a command line that `ps` shows or in settings that Scrapy logs.
    env = {**os.environ, "PYTHONUNBUFFERED": "1", DB_ENV: db_url}
    with tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace") as log:
        child = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=None if verbose else log,
            stdin=subprocess.DEVNULL,
            text=True,
            env=env,
            # Under a CrawlControl the controller alone signals the child, so
            # a Ctrl-C in the terminal does not reach it twice (Scrapy takes
            # a second signal as "stop now, record nothing").
            start_new_session=control is not None,
        )
        if control is not None:
            control.attach(child)
        try:
            crawl_id, done = _follow(child, on_event)
            returncode = child.wait()
        finally:
            if control is not None:
                control.attach(None)
        if done is not None and returncode == 0:
            return CrawlRun(crawl_id, done["outcome"], done.get("changes", 0))
        if control is not None and control.stopped.is_set():
            # Stopped on request but forced: still aborted, never a failure.
            if crawl_id is not None:
                _close_unfinished(db_url, crawl_id, "stopped", aborted=True)
            return CrawlRun(crawl_id, ABORTED, 0)
        reason = _tail(log) if not verbose else "see the log above"
        if crawl_id is not None:
            _close_unfinished(db_url, crawl_id, f"crawl process exited with {returncode}")
        if returncode == 0:
            # The child ran to its end but never reported results: they were not written.
            raise CrawlError(f"the crawl process ended without recording its results:\n{reason}")
        raise CrawlError(f"the crawl process failed (exit code {returncode}):\n{reason}")


def _follow(child: subprocess.Popen, on_event) -> tuple[int | None, dict | None]:
    crawl_id = None
    done = None
    try:
        for line in child.stdout:
            try:
                event = json.loads(line)
            except json.JSONDecodeError:
                continue  # something printed by a library, not ours
            if event.get("event") == "crawl":
                crawl_id = event["crawl_id"]
            elif event.get("event") == "done":
                done = event
            if on_event is not None:
                on_event(event)
    except KeyboardInterrupt:
        # The child got the same Ctrl-C: let it record its results as aborted.
        child.wait()
        raise
    return crawl_id, done


def _tail(log) -> str:
    log.seek(0)
    lines = log.read().splitlines()
    return "\n".join(lines[-LOG_TAIL_LINES:])


def _close_unfinished(db_url: str, crawl_id: int, reason: str, aborted: bool = False) -> None:
    store = Store.open(db_url)
    try:
        if aborted:
            store.abort_crawl(crawl_id, reason)
        else:
            store.fail_crawl(crawl_id, reason)
    finally:
        store.close()
