"""When cycles run: `--every 30m`, `--cron "..."`, or `[settings] schedule`."""

from __future__ import annotations

import re
from datetime import timedelta

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

_EVERY = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd])\s*$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


class ScheduleError(ValueError):
    """A schedule that cannot be used; the message says which option and why."""


def parse_every(value: str) -> timedelta:
    """'30m' -> 30 minutes; units s, m, h, d."""
    match = _EVERY.match(value)
    if not match:
        raise ScheduleError(
            f"--every: {value!r} is not a duration like 90s, 30m, 6h or 1d"
        )
    amount = float(match.group(1))
    if amount <= 0:
        raise ScheduleError(f"--every: {value!r} must be longer than zero")
    return timedelta(**{_UNITS[match.group(2)]: amount})


def make_trigger(every: str | None, cron: str | None, settings_schedule: str) -> BaseTrigger:
    """The trigger for the cycle job; the options win over the config's schedule."""
    if every and cron:
        raise ScheduleError("--every and --cron cannot be used together")
    if every:
        return IntervalTrigger(seconds=parse_every(every).total_seconds())
    expression, source = (cron, "--cron") if cron else (settings_schedule, "[settings] schedule")
    try:
        return CronTrigger.from_crontab(expression)
    except ValueError as exc:
        raise ScheduleError(f"{source}: {expression!r} is not a cron expression: {exc}") from None


def describe(trigger: BaseTrigger) -> str:
    """A stable text of the trigger, to tell whether a stored job has the same schedule."""
    return str(trigger)
