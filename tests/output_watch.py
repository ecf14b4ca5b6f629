"""Fail the test run when a subscriber's token shows up in any output the run produced.

The database holds Apprise URLs with their tokens, and the alert tests give
every receiver URL the same password (`receivers.TOKEN`). No command, log
line or error message may print it, so this plugin reads everything the run
produces, not only what each test thought to check:

- each test's captured standard output and error (file-descriptor capture,
  so child processes that inherit them are included), its captured log
  records and its failure report (`report.sections`, `report.longrepr`);
- whatever a test reads from a child process it started with pipes (the
  commands a user runs, the daemon's log): `Popen.communicate`, `run`,
  `check_output` and line or block reads of the child's pipes;
- the output and exception of every in-process command (`CliRunner.invoke`);
- every response body a test receives through httpx (the web app's pages,
  feeds and JSON through Starlette's `TestClient`);
- warnings, and any log file (*.log, *.out, *.err) left under the run's
  temporary directories.

The check runs once at the end of the session; a token found anywhere makes
the run fail and names where it was found. `--secret-token` (repeatable)
replaces the watched tokens, which lets a test run an inner session with a
planted token of its own without tripping the outer one.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from receivers import TOKEN

# Tokens of subscriber URLs the tests hand to the real code: the receivers'
# password, and a Telegram bot token the CLI must refuse without echoing it.
DEFAULT_TOKENS = (TOKEN, "not-a-bot-token")
LOG_SUFFIXES = {".log", ".out", ".err"}


class Watch:
    """Where each watched token was seen; the texts themselves are not kept."""

    def __init__(self, tokens: tuple[str, ...]):
        self.tokens = tokens
        self.current = "(outside any test)"
        self.test_dirs: set[str] = set()  # folders of the collected test files
        self.found: list[tuple[str, str, str]] = []  # (where, source, token)

    def scan(self, source: str, text, where: str | None = None) -> None:
        if not text:
            return
        if isinstance(text, bytes):
            text = text.decode("utf-8", "replace")
        elif not isinstance(text, str):
            text = str(text)
        for token in self.tokens:
            if token in text:
                self.found.append((where or self.current, source, token))


_watch: Watch | None = None


def _record(source: str, text) -> None:
    if _watch is not None:
        _watch.scan(source, text)


class _RecordingPipe:
    """A child's pipe that records what the test reads from it."""

    def __init__(self, stream, name: str):
        self._stream = stream
        self._name = name

    def __getattr__(self, attribute):
        return getattr(self._stream, attribute)

    def __iter__(self):
        return self

    def __next__(self):
        line = next(self._stream)
        _record(self._name, line)
        return line

    def read(self, *args):
        data = self._stream.read(*args)
        _record(self._name, data)
        return data

    def readline(self, *args):
        line = self._stream.readline(*args)
        _record(self._name, line)
        return line

    def readlines(self, *args):
        lines = self._stream.readlines(*args)
        _record(self._name, "".join(line if isinstance(line, str) else line.decode(
            "utf-8", "replace") for line in lines))
        return lines

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._stream.close()


def _started_by_a_test() -> bool:
    """True when the Popen being created was asked for by the tests' own code.

    Libraries (Playwright's driver, pip) start children of their own and read
    their pipes in ways a wrapper must not disturb; only the tests' own
    commands are recorded.
    """
    frame = sys._getframe(2)
    while frame is not None and frame.f_code.co_filename == subprocess.__file__:
        frame = frame.f_back
    return (frame is not None and _watch is not None
            and os.path.dirname(frame.f_code.co_filename) in _watch.test_dirs)


def _install_recorders(monkeypatch: pytest.MonkeyPatch) -> None:
    original_init = subprocess.Popen.__init__
    original_communicate = subprocess.Popen.communicate

    def init(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        if _started_by_a_test():
            for name in ("stdout", "stderr"):
                stream = getattr(self, name)
                if stream is not None:
                    setattr(self, name, _RecordingPipe(stream, f"child {name}"))

    def communicate(self, *args, **kwargs):
        # communicate() reads the pipes by file descriptor, past the wrappers.
        for name in ("stdout", "stderr"):
            stream = getattr(self, name)
            if isinstance(stream, _RecordingPipe):
                setattr(self, name, stream._stream)
        out, err = original_communicate(self, *args, **kwargs)
        _record("child stdout", out)
        _record("child stderr", err)
        return out, err

    monkeypatch.setattr(subprocess.Popen, "__init__", init)
    monkeypatch.setattr(subprocess.Popen, "communicate", communicate)

    from click.testing import CliRunner

    original_invoke = CliRunner.invoke

    def invoke(self, *args, **kwargs):
        result = original_invoke(self, *args, **kwargs)
        _record("command output", result.output)
        _record("command stderr", result.stderr)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            _record("command exception", repr(result.exception))
        return result

    monkeypatch.setattr(CliRunner, "invoke", invoke)

    # Starlette's TestClient is an httpx client (the package `httpx2` since
    # Starlette 1.x).
    try:
        import httpx2 as httpx
    except ImportError:
        import httpx

    original_send = httpx.Client.send

    def send(self, *args, **kwargs):
        response = original_send(self, *args, **kwargs)
        if not kwargs.get("stream"):  # a streamed body is read later, by the test
            _record("web response", response.content)
        return response

    monkeypatch.setattr(httpx.Client, "send", send)


def pytest_addoption(parser):
    parser.addoption("--secret-token", action="append", default=None,
                     help="a token no output of the run may contain (replaces the defaults)")


def pytest_configure(config):
    global _watch
    _watch = Watch(tuple(config.getoption("--secret-token") or DEFAULT_TOKENS))
    patcher = pytest.MonkeyPatch()
    _install_recorders(patcher)
    config.add_cleanup(patcher.undo)


def pytest_collection_modifyitems(items):
    _watch.test_dirs.update(str(item.path.parent) for item in items)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    _watch.current = item.nodeid
    try:
        return (yield)
    finally:
        _watch.current = "(outside any test)"


def pytest_runtest_logreport(report):
    for title, content in report.sections:
        _watch.scan(title, content, report.nodeid)
    if report.longrepr is not None:
        _watch.scan(f"failure report ({report.when})", str(report.longrepr), report.nodeid)


def pytest_collectreport(report):
    if report.longrepr is not None:
        _watch.scan("collection error", str(report.longrepr), report.nodeid or "(collection)")


def pytest_warning_recorded(warning_message, when, nodeid, location):
    _watch.scan("warning", str(warning_message.message), nodeid or "(warnings)")


def pytest_sessionfinish(session, exitstatus):
    factory = getattr(session.config, "_tmp_path_factory", None)
    base = getattr(factory, "_basetemp", None) if factory is not None else None
    if base is not None and base.exists():
        for path in _log_files(base):
            try:
                text = path.read_bytes()
            except OSError:
                continue
            _watch.scan(f"log file {path.relative_to(base)}", text, "(temporary files)")
    if _watch.found:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def _log_files(base: Path):
    for folder, _, names in os.walk(base):
        for name in names:
            if os.path.splitext(name)[1] in LOG_SUFFIXES:
                yield Path(folder, name)


def pytest_terminal_summary(terminalreporter):
    if not _watch.found:
        return
    terminalreporter.section("secret tokens in the run's output", sep="=", red=True, bold=True)
    seen = set()
    for where, source, token in _watch.found:
        # The token is named by its position in the watch list, never printed.
        line = (f"{where}: {source} contains watched token "
                f"#{_watch.tokens.index(token) + 1} ({len(token)} characters)")
        if line not in seen:
            seen.add(line)
            terminalreporter.line(line, red=True)
