"""What the filings say beside what each program says.

`filings_for(store, program_ids)` gives each program's matched employers and,
per fiscal year, USCIS approvals and denials and DOL physician-trainee H-1B
LCAs. `contradiction(stance, filings)` words the case where a program's own
stance says no H-1B while its employer filed H-1B LCAs for residents or
fellows: "says J-1 only; its employer filed 14 H-1B LCAs for residents in
FY2025". The program's own words stay the verdict; this is evidence beside
it, never a change of stance.

These are the library calls for every reader: the command line (`status`,
`history`, `evidence show`), the web page and alerts.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from monitor.evidence.lca import COUNTED_STATUSES, fiscal_year_of
from monitor.evidence.match import place_condition
from monitor.store import models
from monitor.store.writer import Store

# How far back filings still speak to a stance held now: DOL publishes a
# fiscal year's last quarter a few weeks after it ends, so the latest complete
# year is usually one or two behind the current one.
RECENT_YEARS = 2

_FELLOW = re.compile(r"\bfellow", re.I)
_SAYS = {
    "j1_only": "says J-1 only",
    "none": "says it sponsors no visas",
}


def empty_filings() -> dict:
    return {"employers": [], "years": [], "contradiction": None}


def filings_for(source: Store | Session, program_ids: list[str] | None = None) -> dict[str, dict]:
    """{program id: {"employers": [...], "years": [{fiscal_year, ...}, ...]}}.

    `source` is a Store or an open Session. Programs with no stored match are
    left out (`empty_filings()` is what to show for them). Years are newest first.
    """
    if isinstance(source, Store):
        with source.sessions() as session:
            return _filings(session, program_ids)
    return _filings(source, program_ids)


def _filings(session: Session, program_ids: list[str] | None) -> dict[str, dict]:
    query = select(models.EmployerMatch)
    if program_ids is not None:
        query = query.where(models.EmployerMatch.program_slug.in_(program_ids))
    by_program: dict[str, list[models.EmployerMatch]] = defaultdict(list)
    for match in session.scalars(query):
        by_program[match.program_slug].append(match)
    cache: dict[tuple, tuple[list, list]] = {}
    result = {}
    for program_id, matches in sorted(by_program.items()):
        uscis_rows: dict[int, Any] = {}
        lca_rows: dict[str, Any] = {}
        for match in matches:
            key = (match.name_key, match.city_key, match.state)
            if key not in cache:
                cache[key] = (_uscis_rows(session, *key), _lca_rows(session, *key))
            uscis, lca = cache[key]
            # A line or case matched twice (two overlapping matches) counts once.
            uscis_rows.update((row.id, row) for row in uscis)
            lca_rows.update((row.case_number, row) for row in lca)
        result[program_id] = _summary(matches, uscis_rows.values(), lca_rows.values())
    return result


def _uscis_rows(session: Session, key: str, city: str, state: str) -> list:
    uscis = models.UscisFiling
    conditions = [uscis.name_key == key]
    if city:
        conditions.append(uscis.city_key == city)
    if state:
        conditions.append(uscis.state == state)
    return list(session.execute(
        select(uscis.id, uscis.fiscal_year, uscis.employer, uscis.initial_approvals,
               uscis.initial_denials, uscis.continuing_approvals, uscis.continuing_denials)
        .where(and_(*conditions))
    ))


def _lca_rows(session: Session, key: str, city: str, state: str) -> list:
    lca = models.LcaCase
    conditions = [or_(lca.name_key == key, lca.trade_key == key)]
    if city or state:
        conditions.append(place_condition(lca, city, state))
    return list(session.execute(
        select(lca.case_number, lca.fiscal_year, lca.employer, lca.case_status, lca.workers,
               lca.job_title)
        .where(and_(*conditions))
    ))


def _summary(matches, uscis_rows, lca_rows) -> dict:
    years: dict[int, dict] = defaultdict(lambda: {
        "uscis_initial_approvals": 0, "uscis_approvals": 0, "uscis_denials": 0,
        "dol_trainee_lcas": 0, "dol_trainee_positions": 0, "dol_trainee_lcas_denied": 0,
        "residents": 0, "fellows": 0,
    })
    employers = set()
    for row in uscis_rows:
        year = years[row.fiscal_year]
        year["uscis_initial_approvals"] += row.initial_approvals
        year["uscis_approvals"] += row.initial_approvals + row.continuing_approvals
        year["uscis_denials"] += row.initial_denials + row.continuing_denials
        employers.add(row.employer)
    for row in lca_rows:
        year = years[row.fiscal_year]
        employers.add(row.employer)
        if row.case_status in COUNTED_STATUSES:
            year["dol_trainee_lcas"] += 1
            year["dol_trainee_positions"] += row.workers
            year["fellows" if _FELLOW.search(row.job_title) else "residents"] += 1
        elif row.case_status == "denied":
            year["dol_trainee_lcas_denied"] += 1
    if not employers:
        employers = {match.employer for match in matches}
    return {
        "employers": sorted(employers),
        "years": [{"fiscal_year": fy, **years[fy]} for fy in sorted(years, reverse=True)],
        "contradiction": None,
    }


def contradiction(stance: dict, filings: dict, at: date | datetime | None = None) -> str | None:
    """The sentence that flags a stance the filings contradict, else None.

    `stance` has the taxonomy keys (`category`, `h1b`); `at` is when the stance
    held (default: today): only filings of that fiscal year and the
    RECENT_YEARS before it count.
    """
    if not filings or stance.get("h1b") != "no":
        return None
    day = at.date() if isinstance(at, datetime) else (at or date.today())
    latest = fiscal_year_of(day)
    for year in filings.get("years", []):
        if latest - RECENT_YEARS <= year["fiscal_year"] <= latest and year["dol_trainee_lcas"]:
            says = _SAYS.get(stance.get("category"), "says it does not sponsor H-1B")
            count = year["dol_trainee_lcas"]
            return (f"{says}; its employer filed {count} H-1B "
                    f"LCA{'s' if count != 1 else ''} for {_who(year)} "
                    f"in FY{year['fiscal_year']}")
    return None


def _who(year: dict) -> str:
    if year["residents"] and year["fellows"]:
        return "residents and fellows"
    return "fellows" if year["fellows"] else "residents"


def annotate(source: Store | Session, rows: list[dict], *, period_key: str | None = None
             ) -> list[dict]:
    """Add `h1b_filings` (with its `contradiction`) to rows of `status` or `history`.

    For history rows (`period_key="until"`), the contradiction is judged at
    the end of each period (or now for the current one).
    """
    ids = sorted({row["program_id"] for row in rows})
    found = filings_for(source, ids)
    for row in rows:
        filings = dict(found.get(row["program_id"]) or empty_filings())
        at = None
        if period_key and row.get(period_key):
            at = datetime.fromisoformat(row[period_key])
        filings["contradiction"] = contradiction(row, filings, at)
        row["h1b_filings"] = filings
    return rows


def latest_year(filings: dict) -> dict | None:
    """The newest fiscal year with any filing, for one-line summaries."""
    years = filings.get("years") or []
    return years[0] if years else None
