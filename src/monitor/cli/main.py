"""The `visa-monitor` command line: a thin layer over the library.

Exit codes: 0 when the command ran (whatever the sites answered), 2 for a
bad config or bad arguments, 3 when the database cannot be used, 4 when the
crawl process itself failed, 5 when another crawl (or daemon) holds the
database.
"""

from __future__ import annotations

import sys
import tempfile
from contextlib import contextmanager
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from monitor.classify.verdict import classify_html, classify_text
from monitor.cli import notify as notify_cli
from monitor.cli import render
from monitor.cli.programs import programs_app
from monitor.cli.run import run as run_daemon
from monitor.cli.run import schedule_line
from monitor.config import Config, ConfigError, load_config
from monitor.crawl.runner import CrawlBusy, CrawlError, run_crawl
from monitor.demo import find_fixtures, fixture_config_text, start_fixture_server
from monitor.detect import changes as change_kinds
from monitor.notify.sender import deliver_pending
from monitor.store import db as dbmod
from monitor.store import queries
from monitor.store.writer import Store

app = typer.Typer(
    help="Watch the visa policies of residency and fellowship programs.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(programs_app, name="programs")
notify_cli.register(app)
app.command("run")(run_daemon)

DbOption = Annotated[
    str | None,
    typer.Option("--db", envvar=dbmod.DB_ENV, show_envvar=True,
                 help="Database URL or SQLite file (default: the user data folder)."),
]
ConfigOption = Annotated[
    Path | None,
    typer.Option("--config", envvar="VISA_MONITOR_CONFIG", show_envvar=True,
                 help="Program config (default: config/programs.toml)."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


class ExportFormat(StrEnum):
    csv = "csv"
    json = "json"


def _fail(message: str, code: int) -> typer.Exit:
    render.console(stderr=True).print(
        f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True
    )
    return typer.Exit(code)


@contextmanager
def _errors():
    """Turn the tool's own failures into a message and an exit code."""
    try:
        yield
    except ConfigError as exc:
        raise _fail(str(exc), 2) from None
    except dbmod.DatabaseError as exc:
        raise _fail(str(exc), 3) from None
    except CrawlBusy as exc:
        raise _fail(str(exc), 5) from None
    except CrawlError as exc:
        raise _fail(str(exc), 4) from None
    except LookupError as exc:
        raise _fail(str(exc.args[0] if exc.args else exc), 2) from None
    except KeyboardInterrupt:
        raise _fail("interrupted; a crawl in progress is recorded as aborted", 130) from None


@contextmanager
def _store(db: str | None):
    store = Store.open(db)
    try:
        yield store
    finally:
        store.close()


def _print_json(rows) -> None:
    sys.stdout.write(render.to_json(rows) + "\n")


def _show(rows: list[dict], as_json: bool, table) -> None:
    """JSON for scripts, else the table that `table(rows)` builds."""
    if as_json:
        _print_json(rows)
    else:
        render.console().print(table(rows))


def _crawl_and_report(
    config: Config, db: str | None, as_json: bool, verbose: bool, wait: bool = False
) -> None:
    url = dbmod.resolve_db_url(db)
    # Opened first so that a bad database fails before anything is fetched.
    with _store(url) as store:
        run = _crawl_with_progress(config, url, as_json, verbose, wait)
        rows = queries.crawl_report(store, run.crawl_id)
        # Right after detecting; what fails stays in the outbox for the next run.
        alerts = notify_cli.summary(deliver_pending(store, config.settings))
    title = f"Crawl {run.crawl_id}: {run.outcome}, {run.changes} change(s); {alerts}"
    _show(rows, as_json, lambda rows: render.verdict_table(rows, title))
    if as_json:
        render.console(stderr=True).print(alerts, highlight=False, soft_wrap=True)


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
    program: Annotated[list[str] | None, typer.Option("--program", help="Only this id.")] = None,
    as_json: JsonOption = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show Scrapy's log.")] = False,
    wait: Annotated[bool, typer.Option(
        "--wait", help="If another crawl is running on the database, wait for it "
                       "(default: exit 5 at once).")] = False,
    apprise_config: notify_cli.AppriseConfigOption = None,
) -> None:
    """Crawl the configured programs once, show what their pages say, send the alerts."""
    with _errors():
        loaded = notify_cli.with_apprise_config(load_config(config).select(program),
                                                apprise_config)
        _crawl_and_report(loaded, db, as_json, verbose, wait)


@app.command()
def demo(
    db: DbOption = None,
    config: ConfigOption = None,
    fixtures: Annotated[Path | None, typer.Option(help="The fixtures folder.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Serve the bundled fixture sites on 127.0.0.1 and crawl them (offline)."""
    with _errors():
        try:
            folder = find_fixtures(fixtures)
        except FileNotFoundError as exc:
            raise _fail(str(exc), 2) from None
        with start_fixture_server(folder) as server, tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "programs.toml"
            path.write_text(fixture_config_text(folder, server.origin), encoding="utf-8")
            if not as_json:
                render.console(stderr=True).print(
                    f"Serving the fixture sites at {server.origin}; "
                    f"database: {dbmod.redact(dbmod.resolve_db_url(db))}"
                )
            _crawl_and_report(load_config(path), db, as_json, verbose=False)


@app.command()
def status(
    db: DbOption = None,
    config: ConfigOption = None,
    program: Annotated[list[str] | None, typer.Option("--program", help="Only this id.")] = None,
    as_json: JsonOption = False,
) -> None:
    """The current verdict of every program and the outcome of its last check."""
    with _errors(), _store(db) as store:
        rows = queries.status(store, program)
        daemon = None if as_json else schedule_line(store)
    _show(rows, as_json, lambda rows: render.verdict_table(rows, "Current stances"))
    if daemon:
        render.console().print(daemon, highlight=False, soft_wrap=True)


@app.command()
def classify(
    files: Annotated[list[str], typer.Argument(help="Text or HTML files; - reads stdin.")],
    as_json: JsonOption = False,
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Classify text or HTML files without crawling."""
    results = []
    for name in files:
        try:
            data = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
        except OSError as exc:
            raise _fail(f"{name}: {exc.strerror or exc}", 2) from None
        looks_html = b"<" in data[:4096] and b">" in data[:4096]
        if looks_html:
            verdict = classify_html(data, url=None if name == "-" else name)
        else:
            text = data.decode("utf-8", errors="replace")
            verdict = classify_text(text, url=None if name == "-" else name)
        results.append({"file": name, **verdict.to_dict()})
    _show(results, as_json, lambda rows: render.verdict_table(
        [{**r, "name": r["file"], "fetch_ok": True, "error": None} for r in rows],
        "Classification",
    ))


@app.command()
def history(
    program_id: Annotated[str, typer.Argument(help="The program's id.")],
    db: DbOption = None,
    config: ConfigOption = None,
    as_json: JsonOption = False,
) -> None:
    """The stance timeline of one program, with the evidence of each period."""
    with _errors(), _store(db) as store:
        rows = queries.program_history(store, program_id)
    _show(rows, as_json, lambda rows: render.history_table(rows, program_id))


def _parse_date(value: str | None, option: str) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise _fail(f"{option}: not an ISO date or time: {value!r}", 2) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@app.command()
def changes(
    since: Annotated[str | None, typer.Option(help="Only events at or after (ISO date).")] = None,
    kind: Annotated[str | None, typer.Option(help="Only this kind of event.")] = None,
    program: Annotated[str | None, typer.Option("--program", help="Only this id.")] = None,
    limit: Annotated[int | None, typer.Option(min=1, help="At most this many.")] = None,
    db: DbOption = None,
    config: ConfigOption = None,
    as_json: JsonOption = False,
) -> None:
    """Change events, newest first."""
    if kind is not None and kind not in change_kinds.KINDS:
        raise _fail(f"--kind must be one of {', '.join(change_kinds.KINDS)}", 2)
    since_at = _parse_date(since, "--since")
    with _errors(), _store(db) as store:
        rows = queries.changes(store, since=since_at, kind=kind, program_id=program, limit=limit)
    _show(rows, as_json, render.changes_table)


@app.command()
def diff(
    program_id: Annotated[str, typer.Argument(help="The program's id.")],
    at: Annotated[str | None, typer.Option(help="Compare the period in force then with "
                                                 "the one before (default: now).")] = None,
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """A coloured word diff of the policy text between two assessments."""
    at_time = _parse_date(at, "--at")
    with _errors(), _store(db) as store:
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
        out.rule(url)
        if before == after:
            out.print("(text unchanged)", style="dim")
        else:
            out.print(render.word_diff(before, after), soft_wrap=True)


@app.command()
def export(
    format: Annotated[ExportFormat, typer.Option("--format", help="csv or json.")],
    include_history: Annotated[bool, typer.Option("--history", help="Every period.")] = False,
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Current stances, or the whole history, for spreadsheets and scripts."""
    with _errors(), _store(db) as store:
        rows = queries.program_history(store) if include_history else queries.status(store)
    if format is ExportFormat.json:
        _print_json(rows)
    else:
        fields = render.HISTORY_FIELDS if include_history else render.EXPORT_FIELDS
        sys.stdout.write(render.to_csv(rows, fields))


@db_app.command("upgrade")
def db_upgrade(db: DbOption = None, config: ConfigOption = None) -> None:
    """Create or migrate the database schema to this version."""
    with _errors():
        url = dbmod.resolve_db_url(db)
        engine = dbmod.create_db_engine(url)
        try:
            dbmod.upgrade(engine)
            revision = dbmod.current_revision(engine)
        except Exception as exc:  # noqa: BLE001 - any driver error, reported plainly
            raise dbmod.DatabaseError(f"cannot upgrade {dbmod.redact(url)}: {exc}") from None
        finally:
            engine.dispose()
    render.console().print(f"{dbmod.redact(url)}: schema at revision {revision}",
                           highlight=False)


def main() -> None:
    app(prog_name="visa-monitor")

