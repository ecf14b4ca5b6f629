"""`visa-monitor run`: the monitor as a long-running service (see monitor.daemon)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from monitor.cli.common import DbOption, fail
from monitor.config import ConfigError, config_path
from monitor.daemon import logs, state
from monitor.daemon.schedule import ScheduleError, make_trigger
from monitor.daemon.service import Daemon, DaemonBusy
from monitor.store import db as dbmod
from monitor.store.writer import FAILED

# Exit codes shared with the other commands; 5: another daemon has the database.
BAD_INPUT, NO_DATABASE, CRAWL_FAILED, BUSY = 2, 3, 4, 5


def run(
    config: Annotated[Path | None, typer.Option(
        "--config", envvar="VISA_MONITOR_CONFIG", show_envvar=True,
        help="Program config, re-read every cycle (default: config/programs.toml).")] = None,
    db: DbOption = None,
    every: Annotated[str | None, typer.Option(
        "--every", metavar="DURATION",
        help="Crawl every DURATION: 90s, 30m, 6h, 1d.")] = None,
    cron: Annotated[str | None, typer.Option(
        "--cron", metavar="EXPRESSION",
        help='Crawl on this cron schedule, e.g. "0 */6 * * *" '
             "(default: [settings] schedule).")] = None,
    once: Annotated[bool, typer.Option("--once", help="Run one cycle and exit.")] = False,
) -> None:
    """Crawl on a schedule, deliver alerts, and tell the operator when the monitor fails.

    Logs one line per cycle to standard error. SIGTERM or Ctrl-C stops the
    running crawl (recorded as aborted) and exits 0.
    """
    logs.configure()
    daemon = Daemon(dbmod.resolve_db_url(db), config_path(config))
    try:
        daemon.open()
        trigger = None if once else make_trigger(
            every, cron, daemon.configs.valid.settings.schedule)
        daemon.install_signal_handlers()
        if once:
            report = daemon.run_once()
            if report.outcome == FAILED:
                raise typer.Exit(CRAWL_FAILED)
            return
        daemon.run_forever(trigger)
    except (ConfigError, ScheduleError) as exc:
        raise fail(str(exc), BAD_INPUT) from None
    except dbmod.DatabaseError as exc:
        raise fail(str(exc), NO_DATABASE) from None
    except DaemonBusy as exc:
        raise fail(str(exc), BUSY) from None
    finally:
        daemon.close()




def schedule_line(store) -> str | None:
    """`status`'s line on the daemon: its last cycle and when the next one is due."""
    summary = state.schedule_summary(store)
    last, due = summary["last_cycle"], summary["next_due"]
    if last is None and due is None:
        return None
    parts = []
    if last is not None:
        parts.append(
            f"Last cycle: {_when(last['started_at'])}, {last['outcome']} "
            f"({last['programs']} programs, {last['failures']} failed, "
            f"{last['changes']} changes, {last['alerts_sent']} alerts sent)"
        )
    else:
        parts.append("Last cycle: none yet")
    parts.append(f"next due: {_when(due)}" if due else "next due: not scheduled")
    return "; ".join(parts)


def _when(iso: str) -> str:
    return datetime.fromisoformat(iso).astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
