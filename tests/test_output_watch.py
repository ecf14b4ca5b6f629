"""The token watch (tests/output_watch.py) fails a run whose output shows a token.

An inner pytest session, run as a separate process with the watch plugin and
a planted token of its own, prints that token in every way the plugin reads:
each must fail the run and be named; a session that never prints it passes.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent
PLANTED = "planted-Wq7-tok"  # not a token the outer run watches, so it may pass through here

INNER_TESTS = f'''
import logging
import subprocess
import sys

import click
from click.testing import CliRunner

PLANTED = "{PLANTED}"
CHILD = [sys.executable, "-c", f"import sys; print({{PLANTED!r}}, file=sys.stderr)"]


def test_printed():
    print("sending to", PLANTED)


def test_logged():
    logging.getLogger("monitor.notify").warning("delivery to %s failed", PLANTED)


def test_failure_message():
    assert PLANTED == "", "wrong"


def test_child_inherits_the_terminal():
    subprocess.run(CHILD, check=True)


def test_child_read_through_a_pipe():
    child = subprocess.Popen(CHILD, stderr=subprocess.PIPE, text=True)
    for _ in child.stderr:
        pass
    child.wait()


def test_child_run_captured():
    subprocess.run(CHILD, capture_output=True, check=True)


def test_command_in_process():
    @click.command()
    def shout():
        click.echo(PLANTED, err=True)

    CliRunner().invoke(shout)


def test_web_page():
    from starlette.applications import Starlette
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route
    from starlette.testclient import TestClient

    app = Starlette(routes=[Route("/", lambda request: PlainTextResponse(PLANTED))])
    TestClient(app).get("/")


def test_log_file(tmp_path):
    (tmp_path / "daemon.log").write_text(f"cycle alert to {{PLANTED}}\\n")


def test_clean():
    print("nothing secret here")
'''

PLANTING = ["test_printed", "test_logged", "test_failure_message",
            "test_child_inherits_the_terminal", "test_child_read_through_a_pipe",
            "test_child_run_captured", "test_command_in_process", "test_web_page"]


def _inner_run(tmp_path: Path, source: str, *args: str) -> subprocess.CompletedProcess:
    inner = tmp_path / "inner"
    inner.mkdir()
    (inner / "conftest.py").write_text('pytest_plugins = ["output_watch"]\n')
    (inner / "test_inner.py").write_text(source)
    env = {**os.environ,
           "PYTHONPATH": os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q",
         "--secret-token", PLANTED, "--basetemp", str(tmp_path / "basetemp"), *args,
         str(inner)],
        cwd=inner, capture_output=True, text=True, timeout=120, env=env)


def _section(report: str, title: str) -> str:
    """The lines of one terminal-summary section, up to the next section's rule.

    (pytest's own short summary that follows it repeats failure messages in
    full when CI is set, planted token included: that is the inner test's
    own failure, not the watch's report.)"""
    lines = report[report.index(title):].splitlines()
    body = [lines[0]]
    for line in lines[1:]:
        if line.startswith("====="):
            break
        body.append(line)
    return "\n".join(body)


def test_a_planted_token_fails_the_run_and_names_each_place(tmp_path):
    done = _inner_run(tmp_path, INNER_TESTS)
    report = done.stdout + done.stderr
    assert done.returncode == 1, report
    assert "1 failed, 9 passed" in report  # only test_failure_message fails by itself
    summary = _section(report, "secret tokens in the run's output")
    for name in PLANTING:
        assert f"test_inner.py::{name}:" in summary, (name, summary)
    assert "log file test_log_file0/daemon.log" in summary
    assert "test_clean" not in summary
    # The report says where, never the token itself.
    assert PLANTED not in summary


def test_a_run_without_the_token_passes(tmp_path):
    clean = "\n".join(line for line in INNER_TESTS.splitlines()
                      if not line.startswith("PLANTED ="))
    clean = 'PLANTED = "harmless"\n' + clean
    done = _inner_run(tmp_path, clean, "-k", "not failure_message")
    report = done.stdout + done.stderr
    assert done.returncode == 0, report
    assert "secret tokens" not in report
