"""A sender killed mid-batch (SIGKILL, a real process): a rerun delivers the rest, none twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest
from alerting import CEDARS_NEURO, J1_TEXT, SETTINGS, SPONSOR_TEXT, UCLA_IM, crawl, result
from receivers import JsonReceiver

from monitor.notify.sender import deliver_pending
from monitor.notify.subscriptions import add_subscription
from monitor.store.writer import Store

# The sender in a child process. After its second message is recorded it waits,
# which gives the test a known point in the middle of the batch to kill it at.
CHILD = """
import sys, time
from monitor.config import Settings
from monitor.notify.sender import deliver_pending
from monitor.store.writer import Store

def progress(report):
    print(f"sent {report.messages}", flush=True)
    if report.messages == 2:
        time.sleep(300)

deliver_pending(Store.open(sys.argv[1]), Settings(), progress=progress)
print("finished", flush=True)
"""


@pytest.mark.slow  # a child process that imports Apprise, twice with PostgreSQL
def test_a_sender_killed_mid_batch_leaves_the_rest_to_the_next_run(db_url):
    receiver = JsonReceiver().start()
    store = Store.open(db_url)
    try:
        paths = [f"s{i}" for i in range(6)]
        for path in paths:
            add_subscription(store, receiver.url(path))
        crawl(store, result(UCLA_IM, J1_TEXT), result(CEDARS_NEURO, J1_TEXT))
        crawl(store, result(UCLA_IM, SPONSOR_TEXT), result(CEDARS_NEURO, J1_TEXT))

        child = subprocess.Popen([sys.executable, "-c", CHILD, db_url], stdout=subprocess.PIPE,
                                 text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
        try:
            assert child.stdout.readline().strip() == "sent 1"
            assert child.stdout.readline().strip() == "sent 2"
            child.send_signal(signal.SIGKILL)
        finally:
            child.wait(timeout=60)
        assert child.returncode == -signal.SIGKILL
        assert len(receiver.messages) == 2

        report = deliver_pending(store, SETTINGS)
        assert (report.sent, report.failed, report.pending) == (4, 0, 0)
        assert {path: len(receiver.at(path)) for path in paths} == {path: 1 for path in paths}
    finally:
        store.close()
        receiver.stop()
