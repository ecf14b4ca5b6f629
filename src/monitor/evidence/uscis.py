"""Reading USCIS H-1B Employer Data Hub exports.

Two layouts are in circulation; both are read by header name:

- the older yearly export `h1b_datahubexport-YYYY.csv` (FY2009-FY2023):
  `Fiscal Year, Employer, Initial Approval(s), Initial Denial(s),
  Continuing Approval(s), Continuing Denial(s), NAICS, Tax ID, State, City,
  ZIP` - singular in some years, plural in others;
- the newer export `Employer Information.csv` (FY2024 on, all years in one
  file): `Line by line, Fiscal Year   ` (trailing spaces), `Employer
  (Petitioner) Name, Tax ID, Industry (NAICS) Code` (a code and its title,
  "62 - Health Care and Social Assistance"), `Petitioner City, Petitioner
  State, Petitioner Zip Code`, then an Approval and a Denial column for each
  of New Employment, Continuation, Change with Same Employer, New Concurrent,
  Change of Employer and Amended; shipped as UTF-16, tab-separated, with
  counts such as "1,204".

Verified against public parsers of both files (e.g. scripts mapping
"initial approvals"/"initial approval" aliases for the yearly files, and
readers of the UTF-16 tab-separated `Employer Information.csv` with the
`Fiscal Year   ` header and the six Approval/Denial pairs) found with the
project's code search; layouts as of 2026.

The newer layout's "New Employment" is the older "Initial"; the other five
kinds (continuation, change with the same employer, new concurrent
employment, change of employer, amendment) are what the older files summed as
"Continuing".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from monitor.evidence.tables import (
    EvidenceFileError,
    Progress,
    cell_text,
    open_table,
)

_CONTINUING_KINDS = ("Continuation", "Change with Same Employer", "New Concurrent",
                     "Change of Employer", "Amended")

ALIASES: dict[str, tuple[str, ...]] = {
    "fiscal_year": ("Fiscal Year",),
    "employer": ("Employer", "Employer (Petitioner) Name", "Employer Petitioner Name"),
    "tax_id": ("Tax ID",),
    "naics": ("NAICS", "Industry (NAICS) Code", "NAICS Code"),
    "city": ("City", "Petitioner City"),
    "state": ("State", "Petitioner State"),
    "zip": ("ZIP", "Zip Code", "Petitioner Zip Code"),
    "initial_approvals": ("Initial Approvals", "Initial Approval", "New Employment Approval"),
    "initial_denials": ("Initial Denials", "Initial Denial", "New Employment Denial"),
    "continuing_approvals": ("Continuing Approvals", "Continuing Approval"),
    "continuing_denials": ("Continuing Denials", "Continuing Denial"),
}
# The newer layout splits "continuing" into five kinds, each found by name.
for _kind in _CONTINUING_KINDS:
    ALIASES[f"continuing_approvals:{_kind}"] = (f"{_kind} Approval", f"{_kind} Approvals")
    ALIASES[f"continuing_denials:{_kind}"] = (f"{_kind} Denial", f"{_kind} Denials")

COUNTS = ("initial_approvals", "initial_denials", "continuing_approvals", "continuing_denials")


@dataclass(frozen=True)
class UscisRow:
    """One employer's petitions in one fiscal year, as one line of the export says."""

    line: int
    fiscal_year: int
    employer: str
    tax_id: str
    naics: str
    city: str
    state: str
    zip: str
    initial_approvals: int
    initial_denials: int
    continuing_approvals: int
    continuing_denials: int


def read_uscis(path: str | Path, on_progress: Progress | None = None) -> Iterator[UscisRow]:
    """Every employer line of a Data Hub export (lines without an employer are skipped)."""
    table = open_table(path, on_progress)
    found = table.columns(ALIASES)
    file_year = _year_in_name(Path(path).name)
    required = ["employer"] + ([] if file_year else ["fiscal_year"])
    table.require(found, required, "a USCIS H-1B Employer Data Hub export")
    if not any(field.split(":")[0] in COUNTS for field in found):
        table.require(found, ["initial_approvals"], "a USCIS H-1B Employer Data Hub export")
    for line, cells in table.rows:
        employer = cell_text(cells, found["employer"])
        if not employer:
            continue
        counts = {name: 0 for name in COUNTS}
        for field, index in found.items():
            base = field.split(":")[0]
            if base in counts:
                counts[base] += _count(cells, index, table, line)
        yield UscisRow(
            line=line,
            fiscal_year=_fiscal_year(cells, found.get("fiscal_year"), file_year, table, line),
            employer=" ".join(employer.split()),
            tax_id=cell_text(cells, found.get("tax_id")),
            naics=cell_text(cells, found.get("naics")),
            city=cell_text(cells, found.get("city")),
            state=cell_text(cells, found.get("state")),
            zip=cell_text(cells, found.get("zip")),
            **counts,
        )


def _year_in_name(name: str) -> int | None:
    match = re.search(r"(?:FY|datahubexport-?)[ _-]?(\d{4})", name, re.I)
    return int(match.group(1)) if match else None


def _fiscal_year(cells, index, file_year, table, line) -> int:
    text = cell_text(cells, index)
    if not text:
        if file_year:
            return file_year
        raise EvidenceFileError(f"{table.path}: line {line}: column 'Fiscal Year' is empty")
    try:
        year = int(float(text.replace(",", "")))
    except ValueError:
        raise EvidenceFileError(
            f"{table.path}: line {line}: column 'Fiscal Year': not a year: {text!r}"
        ) from None
    if not 1990 <= year <= 2100:
        raise EvidenceFileError(
            f"{table.path}: line {line}: column 'Fiscal Year': not a year: {text!r}"
        )
    return year


def _count(cells, index, table, line) -> int:
    text = cell_text(cells, index).replace(",", "")
    if not text:
        return 0
    try:
        value = int(float(text))
    except ValueError:
        raise EvidenceFileError(
            f"{table.path}: line {line}: column {table.header[index].strip()!r}: "
            f"not a count: {text!r}"
        ) from None
    if value < 0:
        raise EvidenceFileError(
            f"{table.path}: line {line}: column {table.header[index].strip()!r}: "
            f"negative count {value}"
        )
    return value
