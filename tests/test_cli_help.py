"""Help, --version and shell completion, as a new user first sees them."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
import typer
from typer.testing import CliRunner

from monitor.classify import classifier_version
from monitor.cli.main import app

# Python type names leaking into help: `<bool>`, `<list[str]>`, `[default: None]`.
LEAKS = re.compile(r"<(bool|str|int|path|list\[[^\]]*\])>|\[default: None\]|list\[str\]")
# The commands that read the program config; no other takes --config.
# Those that send alerts read its [settings] (services, retries); `run` reloads it
# every cycle; evidence import/match match employers by the config's programs.
READ_CONFIG = {("crawl",), ("programs", "list"), ("programs", "validate"), ("reclassify",),
               ("run",), ("subscribe", "add"), ("notify", "test"), ("notify", "flush"),
               ("evidence", "import"), ("evidence", "match")}


def _commands(group: click.Group, prefix=()):
    for name, command in group.commands.items():
        path = (*prefix, name)
        # Typer's groups need not be click.Group subclasses: a group is what has commands.
        if hasattr(command, "commands"):
            yield from _commands(command, path)
        else:
            yield path, command


COMMANDS = sorted(_commands(typer.main.get_command(app)))
assert ("subscribe", "list") in dict(COMMANDS)  # the groups' commands are all checked


def help_of(*args: str) -> str:
    result = CliRunner().invoke(app, [*args, "--help"], env={"COLUMNS": "100"},
                                prog_name="visa-monitor")
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("path", [()] + [p for p, _ in COMMANDS], ids=" ".join)
def test_help_renders_without_python_type_names(path):
    text = help_of(*path)
    assert "Usage: visa-monitor" in text
    assert not LEAKS.search(text), LEAKS.search(text).group(0)


@pytest.mark.parametrize("path,command", COMMANDS, ids=lambda v: " ".join(v)
                         if isinstance(v, tuple) else "")
def test_config_is_offered_only_where_it_is_read(path, command):
    options = {opt for param in command.params for opt in param.opts}
    assert ("--config" in options) == (path in READ_CONFIG), path
    if path in READ_CONFIG:
        assert "--config" in help_of(*path)


def test_an_option_a_command_does_not_take_is_refused():
    result = CliRunner().invoke(app, ["status", "--config", "broken.toml"])
    assert result.exit_code == 2 and "No such option" in result.output


def test_program_options_show_what_they_take():
    assert re.search(r"--program\s+ID\s", help_of("status"))
    assert re.search(r"--db\s+URL\|FILE\s", help_of("status"))


def test_version():
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert re.fullmatch(r"visa-monitor \S+ \(classifier [0-9a-f]+\)\n", result.stdout)
    assert classifier_version() in result.stdout


def test_version_through_the_installed_entry_point():
    done = subprocess.run([sys.executable, "-m", "monitor", "--version"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.startswith("visa-monitor 0.")


def test_shell_completion_is_offered():
    assert "--install-completion" in help_of()
    # Typer detects the shell from the parent process, so run it from bash as a
    # user would (under a detached test runner the runner's parent is no shell);
    # "; exit" keeps bash from exec'ing the command in its own place.
    command = Path(sys.executable).parent / "visa-monitor"
    done = subprocess.run(["bash", "-c", f"'{command}' --show-completion; exit $?"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "_visa_monitor_completion" in done.stdout
