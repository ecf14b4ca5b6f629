"""A new SQLite database (it holds Apprise URLs with tokens) is readable by its owner only."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest
from sqlalchemy import text

from monitor.store.writer import Store


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def open_umask():
    """The loosest umask, so the result cannot come from the environment's."""
    previous = os.umask(0)
    yield
    os.umask(previous)


def test_new_sqlite_file_and_its_wal_and_shm_are_owner_only(tmp_path, open_umask):
    path = tmp_path / "new" / "monitor.db"
    store = Store.open(f"sqlite:///{path}")
    try:
        with store.engine.begin() as connection:  # a write, so the WAL is in use
            connection.execute(text("CREATE TABLE probe (x INTEGER)"))
            connection.execute(text("INSERT INTO probe VALUES (1)"))
        with store.engine.connect() as connection:
            connection.execute(text("SELECT x FROM probe")).all()
            files = [path, path.with_name("monitor.db-wal"), path.with_name("monitor.db-shm")]
            assert all(f.exists() for f in files), files
            assert {f.name: mode(f) for f in files} == {f.name: 0o600 for f in files}
    finally:
        store.close()
    assert mode(path.parent) == 0o700


def test_the_command_line_creates_the_default_database_owner_only(tmp_path):
    completed = subprocess.run(
        [sys.executable, "-m", "monitor", "db", "upgrade"],  # creates the default database
        capture_output=True, text=True, timeout=120, preexec_fn=lambda: os.umask(0),
        env={**os.environ, "XDG_DATA_HOME": str(tmp_path / "data"), "VISA_MONITOR_DB": ""},
    )
    assert completed.returncode == 0, completed.stderr
    database = tmp_path / "data" / "visa-monitor" / "visa-monitor.db"
    assert mode(database) == 0o600
    assert mode(database.parent) == 0o700


def test_an_existing_database_keeps_its_owners_mode(tmp_path):
    path = tmp_path / "shared.db"
    Store.open(f"sqlite:///{path}").close()
    path.chmod(0o640)
    Store.open(f"sqlite:///{path}").close()
    assert mode(path) == 0o640
