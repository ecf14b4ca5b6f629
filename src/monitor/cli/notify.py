"""`visa-monitor subscribe ...`, `notify ...` and `reclassify`: thin over `monitor.notify`.

Exit codes as elsewhere: 2 for bad arguments (an Apprise URL Apprise
refuses, an unknown subscription, a bad config), 3 when the database cannot
be used; `notify test` exits 1 when a service did not take the message.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from monitor.cli import render
from monitor.cli.common import (
    ConfigOption,
    DbOption,
    JsonOption,
    errors,
    fail,
    reading_store,
    writing_store,
)
from monitor.config import Config, ConfigError, Settings, config_path, load_config
from monitor.detect.changes import KINDS
from monitor.detect.reread import reclassify as reclassify_programs
from monitor.notify import outbox
from monitor.notify.probe import send_test
from monitor.notify.sender import DeliveryReport, deliver_pending
from monitor.notify.subscriptions import (
    SubscriptionError,
    add_subscription,
    list_subscriptions,
    remove_subscription,
)

subscribe_app = typer.Typer(help="Who gets alerts, through which service.",
                            no_args_is_help=True)
notify_app = typer.Typer(help="Send, test and inspect alerts.", no_args_is_help=True)

AppriseConfigOption = Annotated[
    Path | None,
    typer.Option("--apprise-config", help="Apprise YAML/TEXT config whose tags name "
                                          "subscriptions (default: settings.apprise_config)."),
]


def register(app: typer.Typer) -> None:
    """Add these commands to the main `visa-monitor` app."""
    app.add_typer(subscribe_app, name="subscribe")
    app.add_typer(notify_app, name="notify")
    app.command("reclassify")(reclassify)


def _settings(config: Path | None, apprise_config: Path | None = None) -> Settings:
    """[settings] of the program config (defaults without one), `--apprise-config` on top."""
    try:
        settings = (load_config(config).settings
                    if config is not None or config_path(None).is_file() else Settings())
    except ConfigError as exc:
        raise fail(str(exc), 2) from None
    if apprise_config is not None:
        if not apprise_config.is_file():
            raise fail(f"--apprise-config {apprise_config}: no such file", 2)
        settings = settings.model_copy(update={"apprise_config": str(apprise_config)})
    return settings


def with_apprise_config(config: Config, apprise_config: Path | None) -> Config:
    """`config` whose [settings] name `--apprise-config` when it was given."""
    if apprise_config is None:
        return config
    if not apprise_config.is_file():
        raise fail(f"--apprise-config {apprise_config}: no such file", 2)
    settings = config.settings.model_copy(update={"apprise_config": str(apprise_config)})
    return config.model_copy(update={"settings": settings})


def _cells(*values: str) -> list[Text]:
    """Table cells as plain text: names, URLs and Apprise's reasons are never markup."""
    return [Text(value) for value in values]


def _print_json(rows) -> None:
    sys.stdout.write(render.to_json(rows) + "\n")


# -- subscribe ------------------------------------------------------------------


@subscribe_app.command("add")
def subscribe_add(
    url: Annotated[str | None, typer.Argument(
        help="An Apprise URL (mailto://, tgram://, discord://, json://, ...). Leave out "
             "with --name to reach the Apprise config's services tagged with the name.")] = None,
    name: Annotated[str | None, typer.Option("--name", help="A name to recognise it by.")] = None,
    program: Annotated[list[str] | None, typer.Option(
        "--program", help="Only this program id (repeat for several).")] = None,
    specialty: Annotated[list[str] | None, typer.Option(
        "--specialty", help="Only this specialty (repeat for several).")] = None,
    institution: Annotated[list[str] | None, typer.Option(
        "--institution", help="Only this institution (repeat for several).")] = None,
    kind: Annotated[list[str] | None, typer.Option(
        "--kind", help=f"Change kinds, comma-separated: {','.join(KINDS)} "
                       "(default: stance,statement_missing).")] = None,
    db: DbOption = None,
    config: ConfigOption = None,
    apprise_config: AppriseConfigOption = None,
    as_json: JsonOption = False,
) -> None:
    """Subscribe an Apprise URL to changes; Apprise checks the URL first."""
    tag_source = _settings(config, apprise_config).apprise_config if url is None else None
    with errors(SubscriptionError), writing_store(db) as store:
        row = add_subscription(store, url, name=name, programs=program or (),
                               specialties=specialty or (), institutions=institution or (),
                               kinds=kind, apprise_config=tag_source)
    if as_json:
        _print_json(row)
        return
    render.console().print(
        f"Subscription {row['id']} added: {row['url'] or 'Apprise config tag ' + repr(name)} "
        f"({', '.join(row['kinds'])}). Test it: visa-monitor notify test {row['id']}",
        highlight=False, soft_wrap=True, markup=False,
    )


@subscribe_app.command("list")
def subscribe_list(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Every subscription, its URL's secrets masked."""
    with errors(), reading_store(db) as store:
        rows = list_subscriptions(store)
    if as_json:
        _print_json(rows)
        return
    table = Table(title="Subscriptions")
    for column in ("id", "name", "url", "filters", "kinds"):
        table.add_column(column, overflow="fold")
    for row in rows:
        filters = "; ".join(
            f"{label}: {', '.join(row[key])}" for key, label in
            (("programs", "program"), ("specialties", "specialty"),
             ("institutions", "institution")) if row[key]
        ) or "all programs"
        table.add_row(*_cells(str(row["id"]), row["name"] or "", row["url"] or "(config tag)",
                              filters, ", ".join(row["kinds"])))
    render.console().print(table)


@subscribe_app.command("remove")
def subscribe_remove(subscription_id: Annotated[int, typer.Argument(help="Its id.")],
                     db: DbOption = None) -> None:
    """Remove a subscription; what it still had pending is not sent."""
    with errors(SubscriptionError), writing_store(db) as store:
        row = remove_subscription(store, subscription_id)
    render.console().print(f"Subscription {row['id']} removed.", highlight=False)


# -- notify ---------------------------------------------------------------------


@notify_app.command("test")
def notify_test(
    subscription_id: Annotated[int | None, typer.Argument(help="One subscription "
                                                          "(default: all).")] = None,
    db: DbOption = None,
    config: ConfigOption = None,
    apprise_config: AppriseConfigOption = None,
    as_json: JsonOption = False,
) -> None:
    """Send a test message and say, per service, whether it went through."""
    settings = _settings(config, apprise_config)
    with errors(SubscriptionError), writing_store(db) as store:
        rows = send_test(store, settings, subscription_id)
    if as_json:
        _print_json(rows)
    else:
        table = Table(title="Test alert")
        for column in ("subscription", "service", "url", "result"):
            table.add_column(column, overflow="fold")
        for row in rows:
            table.add_row(str(row["subscription_id"]), row["service"] or "", row["url"] or "",
                          "sent" if row["ok"] else f"FAILED: {row['reason']}")
        render.console().print(table)
        if not rows:
            render.console().print("No subscriptions: add one with `visa-monitor subscribe add`.")
    if any(not row["ok"] for row in rows):
        raise typer.Exit(1)


@notify_app.command("flush")
def notify_flush(db: DbOption = None, config: ConfigOption = None,
                 apprise_config: AppriseConfigOption = None, as_json: JsonOption = False) -> None:
    """Deliver everything pending now, whatever its backoff."""
    settings = _settings(config, apprise_config)
    with errors(SubscriptionError), writing_store(db) as store:
        report = deliver_pending(store, settings, force=True)
    _report(report, as_json)


@notify_app.command("log")
def notify_log(
    status: Annotated[str | None, typer.Option(
        help=f"Only rows in this state: {', '.join(outbox.STATUSES)}.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many, newest first.")] = 200,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """What was sent, failed or is pending."""
    if status is not None and status not in outbox.STATUSES:
        raise fail(f"--status must be one of {', '.join(outbox.STATUSES)}", 2)
    with errors(), reading_store(db) as store:
        rows = outbox.delivery_log(store, status=status, limit=limit)
    if as_json:
        _print_json(rows)
        return
    table = Table(title="Alerts")
    for column in ("id", "status", "to", "program", "kind", "detected", "tries", "when / why"):
        table.add_column(column, overflow="fold")
    for row in rows:
        when = (row["sent_at"] or "")[:19] if row["status"] == "sent" else (
            f"next {(row['next_attempt_at'] or '')[:19]}; {row['last_error'] or ''}"
            if row["status"] == "pending" else row["last_error"] or "")
        table.add_row(*_cells(str(row["id"]), row["status"], row["subscription"],
                              row["program_id"], row["kind"], (row["detected_at"] or "")[:19],
                              str(row["attempts"]), when))
    render.console().print(table)


def _report(report: DeliveryReport, as_json: bool) -> None:
    if as_json:
        _print_json({"sent": report.sent, "failed": report.failed, "pending": report.pending,
                     "gave_up": report.gave_up, "messages": report.messages,
                     "errors": report.errors})
        return
    render.console().print(summary(report), highlight=False, soft_wrap=True)


def summary(report: DeliveryReport) -> str:
    """'2 alert(s) sent (3 changes); 1 failed, will retry: <reason>'."""
    text = f"{report.messages} alert(s) sent"
    if report.sent != report.messages:
        text += f" ({report.sent} changes)"
    if report.failed:
        text += f"; {report.failed} failed"
        if report.gave_up:
            text += f", {report.gave_up} given up"
        if report.errors:
            text += f": {report.errors[0]}"
    if report.pending:
        text += f"; {report.pending} pending (`visa-monitor notify log`)"
    return text


# -- reclassify -----------------------------------------------------------------


def reclassify(db: DbOption = None, config: ConfigOption = None,
               apprise_config: AppriseConfigOption = None, as_json: JsonOption = False) -> None:
    """Re-read every stored current page text with the installed classifier (no crawling).

    A verdict that changes over the same text is a `reread` event ("our reading
    changed; the page did not"), sent only to subscriptions that ask for it.
    """
    settings = _settings(config, apprise_config)
    with errors(SubscriptionError), writing_store(db) as store:
        found = reclassify_programs(store, settings)
        report = deliver_pending(store, settings)
    rows = [{"program_id": program_id, "kind": change.kind,
             "before": change.before.axes() if change.before else None,
             "after": change.after.axes() if change.after else None}
            for program_id, change in found.changes]
    if as_json:
        _print_json({"classifier_version": found.classifier_version, "programs": found.programs,
                     "changes": rows, "alerts_sent": report.messages})
        return
    out = render.console()
    out.print(f"Re-read {found.programs} program(s) with classifier {found.classifier_version}: "
              f"{len(rows)} reading(s) changed; {summary(report)}", highlight=False,
              soft_wrap=True)
    for row in rows:
        out.print(f"  {row['program_id']}: {row['before']['category']} → "
                  f"{row['after']['category']} (reread)", highlight=False)
