"""One cycle: reload the config, crawl, record, deliver alerts, tell the operator.

Change detection happens inside the crawl (its results and events are
written in one transaction); the cycle reads what the crawl recorded. It
never raises: whatever goes wrong is logged, recorded as a failed cycle and
told to the operator, and the daemon carries on to the next cycle.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from monitor.crawl.runner import CrawlControl, CrawlError, run_crawl
from monitor.daemon import delivery, operator, state
from monitor.daemon.configs import ConfigKeeper
from monitor.store import models
from monitor.store.models import utcnow
from monitor.store.writer import ABORTED, FAILED, Store

log = logging.getLogger("monitor.daemon")


class Cycle:
    """What stays between cycles: the store, the config keeper, the stop control."""

    def __init__(self, store: Store, configs: ConfigKeeper, control: CrawlControl):
        self.store = store
        self.configs = configs
        self.control = control
        self._running = threading.Lock()

    def run(self) -> state.CycleReport:
        with self._running:
            report = state.CycleReport(started_at=utcnow())
            try:
                self._run(report)
            except Exception as exc:  # noqa: BLE001 - the daemon must outlive any one cycle
                log.exception("cycle failed unexpectedly")
                report.outcome, report.note = FAILED, f"{type(exc).__name__}: {exc}"
            report.finished_at = utcnow()
            self._record(report)
            log.info("%s", report.line())
            return report

    def _run(self, report: state.CycleReport) -> None:
        config = self.configs.load()
        report.note = self.configs.error and "config error; ran the last valid config"
        teller = operator.Operator(config.settings.operator_url)
        try:
            run = run_crawl(
                config, self.store.url, wait=True, control=self.control,
                on_wait=lambda holder: log.info("waiting for the crawl of %s to finish", holder),
            )
        except CrawlError as exc:
            report.outcome, report.note = FAILED, str(exc).splitlines()[0]
            teller.tell(operator.CRAWL_FAILED, "visa-monitor: crawl failed", str(exc))
            report.notices.append(operator.CRAWL_FAILED)
        else:
            report.crawl_id, report.outcome, report.changes = run.crawl_id, run.outcome, run.changes
            if run.crawl_id is not None:
                self._summarise(report, teller)
        if self.control.stopped.is_set():
            return  # stopping: pending alerts stay pending for the next start
        delivered = delivery.deliver_alerts(self.store, config.settings, self.control.stopped)
        report.alerts_sent, report.alerts_pending = delivered.sent, delivered.pending
        self._check_alerts_failing(report, teller, config.settings.operator_alerts_failing_hours)

    def _check_alerts_failing(self, report: state.CycleReport, teller: operator.Operator,
                              hours: float) -> None:
        """Tell the operator, at most once per `hours`, of alerts failing that long."""
        window = timedelta(hours=hours)
        since = report.started_at - window
        failing = state.alerts_failing(self.store, since)
        if not failing or state.notice_sent_since(self.store, operator.ALERTS_FAILING, since):
            return
        teller.tell(operator.ALERTS_FAILING,
                    f"visa-monitor: alerts failing for {_hours(hours)}",
                    f"{failing} alert{'s' if failing != 1 else ''} could not be delivered for "
                    f"{_hours(hours)} and more; `visa-monitor notify log` shows why.")
        report.notices.append(operator.ALERTS_FAILING)

    def _summarise(self, report: state.CycleReport, teller: operator.Operator) -> None:
        summary = state.crawl_summary(self.store, report.crawl_id)
        report.programs, report.failures = summary.programs, summary.failures
        if report.outcome == FAILED:
            reason = self._crawl_reason(report.crawl_id)
            report.note = reason
            teller.tell(operator.CRAWL_FAILED, "visa-monitor: crawl failed",
                        f"Crawl {report.crawl_id} failed: {reason}\n"
                        "No subscriber was alerted and no program's record was touched.")
            report.notices.append(operator.CRAWL_FAILED)
        elif summary.unreachable:
            count = len(summary.unreachable)
            teller.tell(operator.UNREACHABLE,
                        f"visa-monitor: {count} program{'s' if count != 1 else ''} unreachable",
                        "No page of these programs could be read for several crawls in a "
                        "row:\n" + "\n".join(f"- {slug}" for slug in summary.unreachable))
            report.notices.append(operator.UNREACHABLE)
        elif report.outcome == ABORTED:
            report.note = "stopped"

    def _crawl_reason(self, crawl_id: int) -> str:
        with self.store.sessions() as session:
            crawl = session.get(models.Crawl, crawl_id)
            return (crawl.reason or "unknown reason") if crawl else "unknown reason"

    def _record(self, report: state.CycleReport) -> None:
        try:
            state.record_cycle(self.store, report)
        except Exception as exc:  # noqa: BLE001 - logged; the daemon goes on
            log.error("could not record the cycle: %s", type(exc).__name__)


def _hours(hours: float) -> str:
    return f"{hours:g} h" if hours >= 1 else f"{hours * 60:g} min"
