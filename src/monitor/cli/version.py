"""`visa-monitor --version`: the installed version and the classifier's."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import Annotated

import typer

DISTRIBUTION = "visa-monitor"


def version_text() -> str:
    from monitor.classify import classifier_version

    try:
        installed = version(DISTRIBUTION)
    except PackageNotFoundError:  # run from a source tree that was never installed
        installed = "unknown (not installed)"
    return f"visa-monitor {installed} (classifier {classifier_version()})"


def _print_version(value: bool) -> None:
    if value:
        typer.echo(version_text())
        raise typer.Exit()


VersionOption = Annotated[
    bool,
    typer.Option("--version", callback=_print_version, is_eager=True,
                 help="Print the version and exit."),
]
