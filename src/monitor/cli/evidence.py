"""`visa-monitor evidence ...`: import USCIS / DOL files, match employers, show filings."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from monitor.cli import render
from monitor.cli.common import (
    ConfigOption,
    DbOption,
    JsonOption,
    errors,
    reading_store,
    writing_store,
)
from monitor.config import config_path, load_config
from monitor.evidence import report
from monitor.evidence.import_ import import_file
from monitor.evidence.match import save_matches
from monitor.evidence.tables import EvidenceFileError
from monitor.store import queries
from monitor.store.writer import Store

evidence_app = typer.Typer(
    help="Evidence of real H-1B use: USCIS Data Hub and DOL LCA filings beside each program.",
    no_args_is_help=True,
)


class Kind(StrEnum):
    uscis = "uscis"
    lca = "lca"


@evidence_app.command("import")
def import_(
    kind: Annotated[Kind, typer.Argument(help="uscis (Employer Data Hub export) or lca "
                                              "(DOL LCA disclosure file).")],
    files: Annotated[list[Path], typer.Argument(help="The downloaded files (CSV or XLSX).")],
    force: Annotated[bool, typer.Option(help="Read a file again even if it was imported.")]
    = False,
    db: DbOption = None,
    config: ConfigOption = None,
    as_json: JsonOption = False,
) -> None:
    """Import downloaded files; importing one again changes nothing. Then match employers."""
    with errors(EvidenceFileError):
        # A bad config fails before anything is imported; no config file at the
        # default place just means matching waits for `evidence match`.
        path = config_path(config)
        loaded = load_config(path) if config or path.exists() else None
        with writing_store(db) as store:
            results = [_import_one(store, kind.value, file, force, as_json) for file in files]
            matched = save_matches(store, loaded) if loaded else None
    if as_json:
        sys.stdout.write(render.to_json([vars(result) for result in results]) + "\n")
        return
    out = render.console()
    for result in results:
        if result.skipped:
            out.print(f"{result.file}: already imported (same content); --force reads it again",
                      highlight=False)
        else:
            out.print(f"{result.file}: {result.rows_read:,} rows read, "
                      f"{result.rows_kept:,} {'lines' if kind is Kind.uscis else 'trainee LCAs'} "
                      "stored", highlight=False)
    if matched is not None:
        out.print(f"{len({m.program_id for m in matched.matches})} of {matched.programs} "
                  "programs matched to employers; `visa-monitor evidence match` lists the rest",
                  highlight=False)
    else:
        out.print("no config: run `visa-monitor evidence match --config ...` to match programs",
                  highlight=False)


def _import_one(store: Store, kind: str, file: Path, force: bool, quiet: bool):
    progress = Progress(
        SpinnerColumn(), TextColumn("[bold]Importing[/] {task.description}"),
        TextColumn("{task.completed:,} rows"), TimeElapsedColumn(),
        console=render.console(stderr=True), transient=True,
        disable=quiet or not sys.stderr.isatty(),
    )
    with progress:
        task = progress.add_task(file.name, total=None)
        return import_file(store, kind, file, force=force,
                           on_progress=lambda rows: progress.update(task, completed=rows))


@evidence_app.command("match")
def match(
    db: DbOption = None,
    config: ConfigOption = None,
    as_json: JsonOption = False,
) -> None:
    """Match programs to employers; list institutions with no match and the closest names."""
    with errors(EvidenceFileError):
        loaded = load_config(config)
        with writing_store(db) as store:
            result = save_matches(store, loaded)
    if as_json:
        sys.stdout.write(render.to_json(result.to_dict()) + "\n")
        return
    out = render.console()
    matched = len({m.program_id for m in result.matches})
    out.print(f"{matched} of {result.programs} programs matched to employers in the "
              "imported filings.", highlight=False)
    if result.unmatched:
        out.print(render.unmatched_table(result.unmatched))
        out.print("Add the right names to the config, e.g. under [[institutions]]: "
                  'name = "..." and employer_names = ["..."], then run this again.',
                  highlight=False, soft_wrap=True, markup=False)


@evidence_app.command("show")
def show(
    program_id: Annotated[str, typer.Argument(help="The program's id.")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """A program's stance beside its employers' filings, year by year."""
    with errors(EvidenceFileError), reading_store(db) as store:
        stance = next(iter(queries.status(store, [program_id])), None)
        filings = report.filings_for(store, [program_id]).get(program_id)
        if stance is None and filings is None:
            raise LookupError(f"no program {program_id!r} in the store and no employer "
                              "matched to it (run `visa-monitor evidence match`)")
    row = {"program_id": program_id, **(stance or {"category": None, "h1b": None, "j1": None}),
           "h1b_filings": filings or report.empty_filings()}
    row["h1b_filings"]["contradiction"] = report.contradiction(row, row["h1b_filings"])
    if as_json:
        sys.stdout.write(render.to_json(row) + "\n")
    else:
        render.console().print(render.filings_table(row))
