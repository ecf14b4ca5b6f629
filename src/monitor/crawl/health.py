"""Is a crawl's failure the sites' or the monitor's own?

When the machine loses its network or its DNS, every program fails at once
with a connection-level error (no HTTP answer at all). Counting that towards
each program's `unreachable` run would, three cycles later, alert every
subscriber about every program. Such a crawl is recorded as failed instead,
and only the operator hears of it.
"""

from __future__ import annotations

from collections.abc import Sequence

from monitor.classify.assess import ProgramResult
from monitor.config import Settings


def unanswered(result: ProgramResult) -> bool:
    """No page of the program got any HTTP answer (refused, timed out, DNS failed)."""
    if result.fetch_ok or not result.pages:
        return False
    return all(page.status is None and not _skipped(page.error) for page in result.pages)


def _skipped(error: str | None) -> bool:
    # Pages the crawler chose not to fetch (robots.txt, filters) say nothing
    # about the network.
    return bool(error) and error.startswith(("blocked by robots", "not fetched"))


def outage_reason(results: Sequence[ProgramResult], settings: Settings) -> str | None:
    """Why this crawl looks like the monitor's own outage, or None when it does not."""
    total = len(results)
    down = [result for result in results if unanswered(result)]
    if not total or len(down) < settings.outage_min_programs:
        return None
    if len(down) < settings.outage_share * total:
        return None
    example = down[0].error or "no answer"
    return (
        f"{len(down)} of {total} programs unreachable at once (e.g. {example}): "
        "the monitor's network or DNS looks down; not counted against any program"
    )
