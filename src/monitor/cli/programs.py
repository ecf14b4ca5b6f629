"""`visa-monitor programs ...`: look at and check the program list.

Thin on purpose: loading is `monitor.config`, the rest is `monitor.registry`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.text import Text

from monitor.cli import layout
from monitor.config import Config, ConfigError, load_config
from monitor.registry import lint_config, list_programs, program_to_dict, summary_line

programs_app = typer.Typer(
    help="List the watched programs and check the program config.",
    no_args_is_help=True,
)

ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        help="Program config (default: $VISA_MONITOR_CONFIG, else config/programs.toml).",
        dir_okay=False,
    ),
]

PROGRAM_FIELDS = [
    layout.Field("id", "Id", ident=True),
    layout.Field("specialty", "Specialty", wrap=True),
    layout.Field("city", "City", wrap=True),
    layout.Field("name", "Name", wrap=True),
]


def _load(config: Path | None) -> Config:
    """The config, or exit 2 with the loader's message (it names file, program, field)."""
    try:
        return load_config(config)
    except ConfigError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None


@programs_app.command("list")
def list_command(
    specialty: Annotated[
        str | None,
        typer.Option("--specialty", help="Only this specialty (any part of it, any case)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list.")] = False,
    config: ConfigOption = None,
) -> None:
    """List the programs."""
    programs = list_programs(_load(config), specialty)
    if as_json:
        items = [program_to_dict(p) for p in programs]
        typer.echo(json.dumps(items, indent=2, ensure_ascii=False))
        return
    if not programs:
        typer.echo(f"no program's specialty matches {specialty!r}", err=True)
        return
    # Ids are what users copy into other commands: never wrapped (layout.Field).
    table = layout.Layout("Programs", PROGRAM_FIELDS, evidence_label=None)
    for program in programs:
        table.records.append(layout.Record({
            "id": Text(program.id, style="bold"), "specialty": program.specialty,
            "city": program.city, "name": program.name,
        }))
    layout.print_layout(Console(), table)


@programs_app.command("validate")
def validate_command(config: ConfigOption = None) -> None:
    """Check the config: errors exit 2; warnings are printed and exit 0."""
    loaded = _load(config)
    warnings = lint_config(loaded)
    for warning in warnings:
        typer.echo(warning.render(loaded.path), err=True)
    typer.echo(summary_line(loaded, warnings))
