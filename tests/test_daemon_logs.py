"""Log lines journald reads: a priority prefix per line under systemd, timestamps elsewhere."""

import io
import logging
import re

import pytest

from monitor.daemon import logs


@pytest.fixture
def logger():
    root = logging.getLogger()
    before = list(root.handlers), root.level
    yield logging.getLogger("monitor.daemon")
    root.handlers[:] = before[0]
    root.setLevel(before[1])


def test_under_systemd_each_line_carries_its_priority(logger, monkeypatch):
    monkeypatch.setenv("JOURNAL_STREAM", "8:12345")
    stream = io.StringIO()
    logs.configure(stream)
    logger.info("cycle crawl=1 outcome=completed")
    logger.error("config error, still running the last valid config:\nprograms.toml:3: field")
    assert stream.getvalue().splitlines() == [
        "<6>cycle crawl=1 outcome=completed",
        "<3>config error, still running the last valid config:",
        "<3>programs.toml:3: field",
    ]


def test_elsewhere_lines_carry_a_utc_timestamp_and_level(logger, monkeypatch):
    monkeypatch.delenv("JOURNAL_STREAM", raising=False)
    stream = io.StringIO()
    logs.configure(stream)
    logger.warning("operator notice crawl_failed could not be delivered")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ WARNING operator notice "
                        r"crawl_failed could not be delivered\n", stream.getvalue())


def test_apprise_never_writes_to_our_log(logger, capfd):
    stream = io.StringIO()
    logs.configure(stream, journald=False)
    logging.getLogger("apprise").error("Failed to send to json://user:s3cret@host/")
    assert stream.getvalue() == ""
    assert "s3cret" not in capfd.readouterr().err
