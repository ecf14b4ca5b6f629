"""Reading DOL Labor Condition Application disclosure files, keeping trainee H-1B cases.

The Office of Foreign Labor Certification publishes one file per quarter
(`LCA_Disclosure_Data_FY2024_Q4.xlsx`), cumulative within the fiscal year,
one row per LCA. Since FY2020 the columns are `CASE_NUMBER, CASE_STATUS`
("Certified", "Certified - Withdrawn", "Denied", "Withdrawn"), `RECEIVED_DATE,
DECISION_DATE, ORIGINAL_CERT_DATE, VISA_CLASS, JOB_TITLE, SOC_CODE,
SOC_TITLE, FULL_TIME_POSITION, BEGIN_DATE, END_DATE, TOTAL_WORKER_POSITIONS,
..., EMPLOYER_NAME, TRADE_NAME_DBA, ..., EMPLOYER_CITY, EMPLOYER_STATE, ...,
WORKSITE_CITY, WORKSITE_COUNTY, WORKSITE_STATE, ...`. The FY2015-FY2019
files (`H-1B_Disclosure_Data_FY17.xlsx`) name some of them differently:
`CASE_SUBMITTED, SOC_NAME, TOTAL_WORKERS, EMPLOYER_BUSINESS_DBA,
EMPLOYMENT_START_DATE`, status in capitals ("CERTIFIED-WITHDRAWN"), and FY2019
numbers its worksites (`WORKSITE_CITY_1`). Verified against public readers of
both generations (column lists of FY2017/FY2018 rows and FY2020+ schemas)
found with the project's code search, 2026.

A file is streamed row by row and only H-1B rows of physician trainees are
kept (`monitor.evidence.trainees`), so memory does not grow with the file.
A case's fiscal year is the one in the file name (DOL's own assignment);
without one, the federal fiscal year of its decision date.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from monitor.evidence.tables import EvidenceFileError, Progress, cell_text, open_table
from monitor.evidence.trainees import is_physician_trainee

ALIASES: dict[str, tuple[str, ...]] = {
    "case_number": ("CASE_NUMBER", "CASE_NO"),
    "case_status": ("CASE_STATUS", "STATUS"),
    "received_date": ("RECEIVED_DATE", "CASE_SUBMITTED"),
    "decision_date": ("DECISION_DATE",),
    "visa_class": ("VISA_CLASS",),
    "job_title": ("JOB_TITLE",),
    "soc_code": ("SOC_CODE",),
    "soc_title": ("SOC_TITLE", "SOC_NAME"),
    "workers": ("TOTAL_WORKER_POSITIONS", "TOTAL_WORKERS"),
    "employer": ("EMPLOYER_NAME",),
    "trade_name": ("TRADE_NAME_DBA", "EMPLOYER_BUSINESS_DBA"),
    "employer_city": ("EMPLOYER_CITY",),
    "employer_state": ("EMPLOYER_STATE",),
    "worksite_city": ("WORKSITE_CITY", "WORKSITE_CITY_1"),
    "worksite_state": ("WORKSITE_STATE", "WORKSITE_STATE_1"),
}
REQUIRED = ["case_number", "visa_class", "job_title", "employer"]

STATUSES = {
    "certified": "certified",
    "certified withdrawn": "certified_withdrawn",
    "denied": "denied",
    "withdrawn": "withdrawn",
}
# Certified - Withdrawn was certified: the employer did take the H-1B step.
COUNTED_STATUSES = ("certified", "certified_withdrawn")


@dataclass(frozen=True)
class LcaCase:
    """One H-1B LCA of a physician trainee."""

    case_number: str
    fiscal_year: int
    case_status: str
    received_date: date | None
    decision_date: date | None
    job_title: str
    soc_code: str
    soc_title: str
    workers: int
    employer: str
    trade_name: str
    employer_city: str
    employer_state: str
    worksite_city: str
    worksite_state: str
    line: int


@dataclass
class LcaReader:
    """Streams one file; after iterating, `rows` and `kept` say how many were read and kept."""

    path: Path
    on_progress: Progress | None = None
    rows: int = 0
    kept: int = 0
    fiscal_year: int | None = field(init=False)

    def __post_init__(self):
        self.path = Path(self.path)
        self.fiscal_year = fiscal_year_in_name(self.path.name)

    def __iter__(self) -> Iterator[LcaCase]:
        table = open_table(self.path, self.on_progress)
        found = table.columns(ALIASES)
        table.require(found, REQUIRED, "a DOL LCA disclosure file")
        if not self.fiscal_year and "decision_date" not in found:
            table.require(found, ["decision_date"], "a DOL LCA disclosure file without FY "
                                                    "in its name")
        visa, title = found["visa_class"], found["job_title"]
        soc_code, soc_title = found.get("soc_code"), found.get("soc_title")
        for line, cells in table.rows:
            self.rows += 1
            # Cheap tests first: most rows of a file are not H-1B trainees.
            if not _is_h1b(cell_text(cells, visa)):
                continue
            job_title = cell_text(cells, title)
            if not is_physician_trainee(job_title, cell_text(cells, soc_code),
                                        cell_text(cells, soc_title)):
                continue
            self.kept += 1
            yield self._case(table, found, line, cells, job_title)

    def _case(self, table, found, line, cells, job_title) -> LcaCase:
        def text(name: str) -> str:
            return " ".join(cell_text(cells, found.get(name)).split())

        case_number = text("case_number")
        if not case_number:
            raise EvidenceFileError(f"{table.path}: line {line}: column CASE_NUMBER is empty")
        decision = _date(cells, found.get("decision_date"), table, line)
        year = self.fiscal_year or (fiscal_year_of(decision) if decision else None)
        if year is None:
            raise EvidenceFileError(
                f"{table.path}: line {line}: no DECISION_DATE and no FY in the file name: "
                "cannot tell the fiscal year"
            )
        return LcaCase(
            case_number=case_number,
            fiscal_year=year,
            case_status=_status(text("case_status"), table, line),
            received_date=_date(cells, found.get("received_date"), table, line),
            decision_date=decision,
            job_title=" ".join(job_title.split()),
            soc_code=text("soc_code"),
            soc_title=text("soc_title"),
            workers=_workers(text("workers"), table, line),
            employer=text("employer"),
            trade_name=text("trade_name"),
            employer_city=text("employer_city"),
            employer_state=text("employer_state"),
            worksite_city=text("worksite_city"),
            worksite_state=text("worksite_state"),
            line=line,
        )


def read_lca(path: str | Path, on_progress: Progress | None = None) -> LcaReader:
    return LcaReader(Path(path), on_progress)


def fiscal_year_in_name(name: str) -> int | None:
    """2024 from `LCA_Disclosure_Data_FY2024_Q4.xlsx`, 2017 from `..._FY17.xlsx`."""
    match = re.search(r"FY[ _-]?(\d{4}|\d{2})(?!\d)", name, re.I)
    if not match:
        return None
    year = int(match.group(1))
    return year + 2000 if year < 100 else year


def fiscal_year_of(day: date) -> int:
    """The federal fiscal year: October 2024 is in FY2025."""
    return day.year + 1 if day.month >= 10 else day.year


def _is_h1b(value: str) -> bool:
    return value.replace("-", "").replace(" ", "").upper() == "H1B"


def _status(value: str, table, line) -> str:
    key = " ".join(re.sub(r"[^a-z]+", " ", value.lower()).split())
    if key not in STATUSES:
        raise EvidenceFileError(
            f"{table.path}: line {line}: column CASE_STATUS: unknown status {value!r}"
        )
    return STATUSES[key]


def _workers(value: str, table, line) -> int:
    if not value:
        return 1
    try:
        return int(float(value.replace(",", "")))
    except ValueError:
        raise EvidenceFileError(
            f"{table.path}: line {line}: column TOTAL_WORKER_POSITIONS: not a number: {value!r}"
        ) from None


_DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y", "%Y-%m-%d %H:%M:%S", "%m/%d/%Y %H:%M")


def _date(cells, index, table, line) -> date | None:
    if index is None or index >= len(cells) or cells[index] in (None, ""):
        return None
    value = cells[index]
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if re.fullmatch(r"\d{4}", text):  # FY2015-FY2017 CASE_SUBMITTED is sometimes a bare year
        return None
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise EvidenceFileError(
        f"{table.path}: line {line}: column {table.header[index].strip()}: "
        f"not a date: {text!r}"
    )
