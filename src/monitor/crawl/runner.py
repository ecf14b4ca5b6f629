"""Running a crawl: one child process per crawl.

Twisted's reactor cannot be restarted in a process, and a long-lived monitor
must give back the memory of each crawl; a child process per crawl does both.
The child (`python -m monitor.crawl.worker`) runs the Scrapy spider, whose
pipelines write the results to the store; it reports progress as JSON lines
on its standard output and its log on standard error.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass

from monitor.config import Config
from monitor.store.db import DB_ENV
from monitor.store.writer import Store

LOG_TAIL_LINES = 20


class CrawlError(Exception):
    """The crawl itself failed (not a site: the tool)."""


@dataclass
class CrawlRun:
    crawl_id: int
    outcome: str
    changes: int


def run_crawl(
    config: Config,
    db_url: str,
    on_event: Callable[[dict], None] | None = None,
    verbose: bool = False,
) -> CrawlRun:
    """Crawl `config`'s programs into the database at `db_url`.

    `config` must have been loaded from a file (its `path`); its program
    selection is passed to the child. Raises CrawlError when the child fails.
    """
    if config.path is None:
        raise ValueError("run_crawl needs a config loaded from a file")
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
        return _run(command, db_url, on_event, verbose)


def _run(command: list[str], db_url: str, on_event, verbose: bool) -> CrawlRun:
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
        )
        crawl_id, done = _follow(child, on_event)
        returncode = child.wait()
        if done is not None and returncode == 0:
            return CrawlRun(crawl_id, done["outcome"], done.get("changes", 0))
        reason = _tail(log) if not verbose else "see the log above"
        if crawl_id is not None:
            _mark_failed(db_url, crawl_id, f"crawl process exited with {returncode}")
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


def _mark_failed(db_url: str, crawl_id: int, reason: str) -> None:
    store = Store.open(db_url)
    try:
        store.fail_crawl(crawl_id, reason)
    finally:
        store.close()
