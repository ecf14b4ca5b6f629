"""The `visa-monitor` command line: a thin layer over the library.

Exit codes (see `monitor.cli.common`): 0 when the command ran (whatever the
sites answered), 2 for a bad config or bad arguments, 3 when the database
cannot be used, 4 when the crawl process itself failed, 5 when another crawl
(or the daemon) holds the database.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

from monitor.classify.verdict import classify_html, classify_text
from monitor.cli import notify as notify_cli
from monitor.cli import render
from monitor.cli.common import (
    ConfigOption,
    DbOption,
    JsonOption,
    ProgramOption,
    check_program_ids,
    check_stored_ids,
    errors,
    fail,
    reading_store,
    writing_store,
)
from monitor.cli.evidence import evidence_app
from monitor.cli.explain import explain_files
from monitor.cli.inputs import NotTextError, read_document
from monitor.cli.programs import programs_app
from monitor.cli.run import run as run_daemon
from monitor.cli.run import schedule_line
from monitor.cli.serve import serve
from monitor.cli.version import VersionOption
from monitor.config import Config, load_config
from monitor.crawl.runner import run_crawl
from monitor.demo import find_fixtures, fixture_config_text, start_fixture_server
from monitor.detect import changes as change_kinds
from monitor.evidence import report as h1b_filings
from monitor.notify.sender import deliver_pending
from monitor.store import db as dbmod
from monitor.store import queries

app = typer.Typer(
    help="Watch the visa policies of residency and fellowship programs.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=True,
)
db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(programs_app, name="programs")
notify_cli.register(app)
app.command()(serve)
app.add_typer(evidence_app, name="evidence")
app.command("run")(run_daemon)

@app.callback()
def _root(version: VersionOption = False) -> None:
    """Watch the visa policies of residency and fellowship programs."""


class ExportFormat(StrEnum):
    csv = "csv"
    json = "json"


def _print_json(rows) -> None:
    sys.stdout.write(render.to_json(rows) + "\n")


def _show(rows: list[dict], as_json: bool, build) -> None:
    """JSON for scripts, else what `build(rows)` lays out (a table on a
    terminal, plain lines in a pipe)."""
    if as_json:
        _print_json(rows)
    else:
        render.show(render.console(), build(rows))


def _crawl_and_report(
    config: Config, db: str | None, as_json: bool, verbose: bool, wait: bool = False
) -> None:
    url = dbmod.resolve_db_url(db)
    # Opened and write-tested first, so that a bad database fails before
    # anything is fetched.
    with writing_store(url) as store:
        run = _crawl_with_progress(config, url, as_json, verbose, wait)
        rows = queries.crawl_report(store, run.crawl_id)
        # Right after detecting; what fails stays in the outbox for the next run.
        alerts = notify_cli.summary(deliver_pending(store, config.settings))
    title = f"Crawl {run.crawl_id}: {run.outcome}, {run.changes} change(s); {alerts}"
    _show(rows, as_json, lambda rows: render.verdict_layout(rows, title))
    out = render.console()
    if as_json or not out.is_terminal:
        # JSON and piped lines carry no title: the crawl's summary goes to stderr.
        render.console(stderr=True).print(title, highlight=False, soft_wrap=True, markup=False)


def _crawl_with_progress(config: Config, url: str, as_json: bool, verbose: bool,
                         wait: bool = False):
    progress = Progress(
        TextColumn("[bold]Crawling"), BarColumn(), MofNCompleteColumn(),
        TextColumn("programs · {task.fields[pages]} pages"), TimeElapsedColumn(),
        console=render.console(stderr=True), transient=True,
        disable=as_json or not sys.stderr.isatty(),
    )
    with progress:
        task = progress.add_task("crawl", total=len(config.programs), pages=0)

        def on_event(event: dict) -> None:
            if event["event"] == "page":
                progress.update(task, pages=progress.tasks[task].fields["pages"] + 1)
            elif event["event"] == "program_done":
                progress.advance(task)

        def on_wait(holder: str) -> None:
            render.console(stderr=True).print(
                f"Waiting for the crawl of {holder} to finish...", highlight=False)

        return run_crawl(config, url, on_event=on_event, verbose=verbose,
                         wait=wait, on_wait=on_wait)


@app.command()
def crawl(
    config: ConfigOption = None,
    db: DbOption = None,
    program: ProgramOption = None,
    as_json: JsonOption = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show Scrapy's log.")] = False,
    wait: Annotated[bool, typer.Option(
        "--wait", help="If another crawl is running on the database, wait for it "
                       "(default: exit 5 at once).")] = False,
    apprise_config: notify_cli.AppriseConfigOption = None,
) -> None:
    """Crawl the configured programs once, show what their pages say, send the alerts."""
    with errors():
        loaded = load_config(config)
        check_program_ids(program, (p.id for p in loaded.programs), str(loaded.path))
        loaded = notify_cli.with_apprise_config(loaded.select(program), apprise_config)
        _crawl_and_report(loaded, db, as_json, verbose, wait)


@app.command()
def demo(
    db: DbOption = None,
    fixtures: Annotated[Path | None, typer.Option(help="The fixtures folder.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Serve the bundled fixture sites on 127.0.0.1 and crawl them (offline)."""
    with errors():
        try:
            folder = find_fixtures(fixtures)
        except FileNotFoundError as exc:
            raise fail(str(exc), 2) from None
        # A database that cannot take the results fails before the server starts.
        with writing_store(db):
            pass
        with start_fixture_server(folder) as server, tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "programs.toml"
            path.write_text(fixture_config_text(folder, server.origin), encoding="utf-8")
            if not as_json:
                render.console(stderr=True).print(
                    Text(f"Serving the fixture sites at {server.origin}; "
                         f"database: {dbmod.redact(dbmod.resolve_db_url(db))}"),
                    soft_wrap=True, highlight=False,
                )
            _crawl_and_report(load_config(path), db, as_json, verbose=False)


@app.command()
def status(
    db: DbOption = None,
    program: ProgramOption = None,
    as_json: JsonOption = False,
) -> None:
    """The current verdict of every program and the outcome of its last check."""
    with errors(), reading_store(db) as store:
        check_stored_ids(store, program)
        rows = h1b_filings.annotate(store, queries.status(store, program))
        daemon = None if as_json else schedule_line(store)
    _show(rows, as_json, lambda rows: render.verdict_layout(rows, "Current stances"))
    if daemon:
        render.console().print(daemon, highlight=False, soft_wrap=True, markup=False)


@app.command()
def classify(
    files: Annotated[
        list[str] | None, typer.Argument(help="Text or HTML files; - reads stdin.")
    ] = None,
    as_json: JsonOption = False,
    explain: Annotated[bool, typer.Option(
        "--explain", help="Show how each file was read: units, clauses, rules, decision.")] = False,
    list_rules: Annotated[bool, typer.Option(
        "--rules", help="List the classifier's rules with their examples.")] = False,
) -> None:
    """Classify text or HTML files without crawling."""
    if not files and not list_rules:
        raise fail("classify: give at least one file (or --rules)", 2)
    if list_rules or explain:
        typer.echo(explain_files(files or [], list_rules))
        return
    results = []
    for name in files:
        try:
            data = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
        except OSError as exc:
            raise fail(f"{name}: {exc.strerror or exc}", 2) from None
        try:
            document = read_document(data)
        except NotTextError as exc:
            raise fail(f"{name}: {exc}", 2) from None
        url = None if name == "-" else name
        if document.is_html:
            verdict = classify_html(document.data, url=url)
        else:
            verdict = classify_text(document.text, url=url)
        results.append({"file": name, **verdict.to_dict()})
    _show(results, as_json, render.classify_layout)


@app.command()
def history(
    program_id: Annotated[str, typer.Argument(help="The program's id.")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """The stance timeline of one program, with the evidence of each period."""
    with errors(), reading_store(db) as store:
        check_stored_ids(store, [program_id])
        rows = h1b_filings.annotate(store, queries.program_history(store, program_id),
                                    period_key="until")
    _show(rows, as_json, lambda rows: render.history_layout(rows, program_id))


def _parse_date(value: str | None, option: str) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise fail(f"{option}: not an ISO date or time: {value!r}", 2) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@app.command()
def changes(
    since: Annotated[str | None, typer.Option(help="Only events at or after (ISO date).")] = None,
    kind: Annotated[str | None, typer.Option(help="Only this kind of event.")] = None,
    program: Annotated[str | None, typer.Option("--program", metavar="ID",
                                                help="Only this program.")] = None,
    limit: Annotated[int | None, typer.Option(min=1, help="At most this many.")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Change events, newest first."""
    if kind is not None and kind not in change_kinds.KINDS:
        raise fail(f"--kind must be one of {', '.join(change_kinds.KINDS)}", 2)
    since_at = _parse_date(since, "--since")
    with errors(), reading_store(db) as store:
        check_stored_ids(store, [program] if program else None)
        rows = queries.changes(store, since=since_at, kind=kind, program_id=program, limit=limit)
    _show(rows, as_json, render.changes_layout)


@app.command()
def diff(
    program_id: Annotated[str, typer.Argument(help="The program's id.")],
    at: Annotated[str | None, typer.Option(help="Compare the period in force then with "
                                                 "the one before (default: now).")] = None,
    db: DbOption = None,
) -> None:
    """A coloured word diff of the policy text between two assessments."""
    at_time = _parse_date(at, "--at")
    with errors(), reading_store(db) as store:
        check_stored_ids(store, [program_id])
        older, newer = queries.policy_texts(store, program_id, at_time)
    out = render.console()
    if older is None:
        out.print(f"{program_id} has had one stance ({newer['category']}) since "
                  f"{newer['from'][:19]}: there is no earlier text to compare.",
                  highlight=False, soft_wrap=True)
        return
    out.print(f"[bold]{program_id}[/]: {older['category']} ({older['from'][:19]}) → "
              f"{newer['category']} ({newer['from'][:19]})", highlight=False)
    for url in sorted(set(older["pages"]) | set(newer["pages"])):
        before, after = older["pages"].get(url, ""), newer["pages"].get(url, "")
        # The URL on a line of its own, never markup, never cut to fit a rule.
        out.print(Text(f"── {url}", style="bold"), soft_wrap=True, highlight=False)
        if before == after:
            out.print("(text unchanged)", style="dim")
        else:
            out.print(render.word_diff(before, after), soft_wrap=True)


@app.command()
def export(
    format: Annotated[ExportFormat, typer.Option("--format", help="csv or json.")],
    include_history: Annotated[bool, typer.Option("--history", help="Every period.")] = False,
    db: DbOption = None,
) -> None:
    """Current stances, or the whole history, for spreadsheets and scripts."""
    with errors(), reading_store(db) as store:
        rows = queries.program_history(store) if include_history else queries.status(store)
    if format is ExportFormat.json:
        _print_json(rows)
    else:
        fields = render.HISTORY_FIELDS if include_history else render.EXPORT_FIELDS
        sys.stdout.write(render.to_csv(rows, fields))


@db_app.command("upgrade")
def db_upgrade(db: DbOption = None) -> None:
    """Create or migrate the database schema to this version."""
    with errors():
        url = dbmod.resolve_db_url(db)
        engine = dbmod.create_db_engine(url)
        try:
            dbmod.upgrade(engine)
            revision = dbmod.current_revision(engine)
        except Exception as exc:  # noqa: BLE001 - any driver error, reported plainly
            raise dbmod.DatabaseError(f"cannot upgrade {dbmod.redact(url)}: {exc}") from None
        finally:
            engine.dispose()
    render.console().print(Text(f"{dbmod.redact(url)}: schema at revision {revision}"),
                           highlight=False, soft_wrap=True)


def main() -> None:
    app(prog_name="visa-monitor")

