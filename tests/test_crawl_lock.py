"""The crawl lock: one holder per database, freed when the holder dies (kill -9 too)."""

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

import pytest

from monitor.crawl.lock import LockBusy, LockWaitCancelled, hold

HOLDER = textwrap.dedent("""
    import sys, time
    from monitor.crawl.lock import hold
    with hold(sys.argv[1]):
        print("held", flush=True)
        time.sleep(120)
""")


@pytest.fixture
def holder(db_url):
    """A separate process holding the crawl lock of `db_url`."""
    child = subprocess.Popen([sys.executable, "-c", HOLDER, db_url],
                             stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "held"
    yield child
    if child.poll() is None:
        child.kill()
    child.wait()


def test_a_second_holder_is_refused_with_the_holders_pid(db_url, holder):
    with pytest.raises(LockBusy, match=rf"pid {holder.pid} on "), hold(db_url):
        pass


def test_the_lock_is_free_once_its_holder_is_killed(db_url, holder):
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    deadline = time.monotonic() + 10
    while True:
        try:
            with hold(db_url):
                break
        except LockBusy:
            # PostgreSQL notices the closed connection within moments.
            assert time.monotonic() < deadline, "lock still held after its holder died"
            time.sleep(0.2)


def test_waiting_gets_the_lock_when_the_holder_ends(db_url, holder):
    heard = []
    threading.Timer(1.0, holder.terminate).start()
    started = time.monotonic()
    with hold(db_url, wait=True, on_wait=heard.append):
        waited = time.monotonic() - started
    assert waited >= 0.9
    assert len(heard) == 1 and f"pid {holder.pid}" in heard[0]


def test_waiting_can_be_cancelled(db_url, holder):
    cancel = threading.Event()
    threading.Timer(0.5, cancel.set).start()
    with pytest.raises(LockWaitCancelled), hold(db_url, wait=True, cancel=cancel):
        pass


def test_locks_of_other_names_do_not_exclude_each_other(db_url, holder):
    with hold(db_url, "daemon"), pytest.raises(LockBusy), hold(db_url, "crawl"):
        pass


def test_after_release_the_lock_can_be_taken_again(db_url):
    with hold(db_url):
        pass
    with hold(db_url):
        pass
