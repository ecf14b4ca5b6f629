"""One crawl at a time per database, released whenever its holder dies.

- SQLite: an exclusive `flock` on a file beside the database file. The
  kernel drops it when the holding process exits in any way, kill -9
  included, so a stale lock cannot outlive its holder.
- PostgreSQL: a session-level advisory lock (`pg_try_advisory_lock`) on a
  connection held open for as long as the lock. The server drops it when
  that connection ends, which it does when the holder dies. The key is
  derived from the database and schema, so two monitors on one server only
  exclude each other when they share their tables.

The holder's pid, host and start time are kept so that whoever finds the
lock taken is told who holds it.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import socket
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.pool import NullPool

from monitor.store.db import redact, sqlite_file

POLL_SECONDS = 0.5
# The first key of the two-key advisory lock: "vm" for visa-monitor.
_PG_NAMESPACE = 0x766D


class LockBusy(Exception):
    """Someone else holds the lock; the message names the holder."""

    def __init__(self, message: str, holder: str):
        super().__init__(message)
        self.holder = holder


class LockWaitCancelled(Exception):
    """Waiting for the lock was given up (the process is stopping)."""


def _holder_fields() -> dict:
    return {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "since": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def describe_holder(fields: dict | None) -> str:
    if not fields:
        return "another process"
    return f"pid {fields.get('pid')} on {fields.get('host')} since {fields.get('since')}"


class _FileLock:
    """flock on `<database>.<name>.lock`."""

    def __init__(self, path: Path):
        self.path = path
        self.fd: int | None = None

    def try_acquire(self) -> bool:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(_holder_fields()).encode(), 0)
        self.fd = fd
        return True

    def holder(self) -> dict | None:
        try:
            return json.loads(self.path.read_text(encoding="utf-8") or "null")
        except (OSError, ValueError):
            return None

    def release(self) -> None:
        if self.fd is not None:
            os.ftruncate(self.fd, 0)
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None


class _AdvisoryLock:
    """pg_try_advisory_lock on a connection of its own, kept open while held."""

    def __init__(self, url: str, name: str):
        fields = _holder_fields()
        # Shown to whoever finds the lock taken (63 characters at most).
        label = f"visa-monitor {name} pid={fields['pid']} host={fields['host']}"[:63]
        self.engine = create_engine(
            url, poolclass=NullPool, connect_args={"application_name": label}
        )
        self.name = name
        self.connection: Connection | None = None
        self.key: int | None = None

    def _connect(self) -> Connection:
        connection = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        if self.key is None:
            database, schema = connection.execute(
                text("SELECT current_database(), current_schema()")
            ).one()
            digest = zlib.crc32(f"{database}/{schema}/{self.name}".encode())
            self.key = digest & 0x7FFFFFFF
        return connection

    def try_acquire(self) -> bool:
        connection = self._connect()
        got = connection.execute(
            text("SELECT pg_try_advisory_lock(:ns, :key)"), {"ns": _PG_NAMESPACE, "key": self.key}
        ).scalar()
        if got:
            self.connection = connection
            return True
        connection.close()
        return False

    def holder(self) -> dict | None:
        with self._connect() as connection:
            row = connection.execute(
                text(
                    "SELECT a.application_name, a.backend_start FROM pg_locks l "
                    "JOIN pg_stat_activity a ON a.pid = l.pid "
                    "WHERE l.locktype = 'advisory' AND l.granted "
                    "AND l.classid::text::bigint = :ns AND l.objid::text::bigint = :key "
                    "AND l.objsubid = 2"
                ),
                {"ns": _PG_NAMESPACE, "key": self.key},
            ).first()
        if row is None:
            return None
        fields = dict(part.split("=", 1) for part in row[0].split() if "=" in part)
        since = row[1].astimezone(UTC).isoformat(timespec="seconds") if row[1] else "?"
        return {"pid": fields.get("pid", "?"), "host": fields.get("host", "?"), "since": since}

    def release(self) -> None:
        if self.connection is not None:
            with contextlib.suppress(Exception):  # a dead connection has released it already
                self.connection.execute(
                    text("SELECT pg_advisory_unlock(:ns, :key)"),
                    {"ns": _PG_NAMESPACE, "key": self.key},
                )
            self.connection.close()
            self.connection = None
        self.engine.dispose()


class _ProcessLock:
    """An in-memory SQLite database is private to its process: a plain mutex."""

    _locks: dict[str, threading.Lock] = {}

    def __init__(self, name: str):
        self.lock = self._locks.setdefault(name, threading.Lock())

    def try_acquire(self) -> bool:
        return self.lock.acquire(blocking=False)

    def holder(self) -> dict | None:
        return {"pid": os.getpid(), "host": socket.gethostname(), "since": "?"}

    def release(self) -> None:
        if self.lock.locked():
            self.lock.release()


def _lock_for(db_url: str, name: str):
    url = make_url(db_url)
    if url.get_backend_name() == "sqlite":
        # sqlite_file also reads URI filenames (`sqlite:///file:PATH?mode=ro&uri=true`),
        # whose lock belongs beside PATH, not in a folder named "file:".
        database = sqlite_file(db_url)
        if database is None:
            return _ProcessLock(name)
        return _FileLock(database.with_name(f"{database.name}.{name}.lock"))
    if url.get_backend_name() == "postgresql":
        return _AdvisoryLock(db_url, name)
    raise ValueError(f"no lock for databases like {redact(db_url)}")


@contextlib.contextmanager
def hold(
    db_url: str,
    name: str = "crawl",
    *,
    wait: bool = False,
    on_wait: Callable[[str], None] | None = None,
    cancel: threading.Event | None = None,
) -> Iterator[None]:
    """Hold the `name` lock of the database at `db_url` for the `with` block.

    Taken: LockBusy (naming the holder), or with `wait`, poll until free;
    `on_wait` hears the holder once; `cancel` being set gives up waiting
    (LockWaitCancelled).
    """
    lock = _lock_for(db_url, name)
    told = False
    while not lock.try_acquire():
        holder = describe_holder(lock.holder())
        if not wait:
            _close(lock)
            raise LockBusy(f"another {name} is running on {redact(db_url)} ({holder})", holder)
        if on_wait is not None and not told:
            on_wait(holder)
            told = True
        if cancel is not None and cancel.wait(POLL_SECONDS):
            _close(lock)
            raise LockWaitCancelled(name)
        if cancel is None:
            time.sleep(POLL_SECONDS)
    try:
        yield
    finally:
        lock.release()


def _close(lock) -> None:
    if isinstance(lock, _AdvisoryLock):
        lock.engine.dispose()
