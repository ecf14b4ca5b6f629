"""Importing downloaded USCIS and DOL files into the store, idempotently.

Every stored row has a natural key: a USCIS line is its (fiscal year,
employer, tax ID, city, state, ZIP, NAICS); an LCA is its case number. Rows
are upserted by that key in batches, so importing a file again, or the next
quarter's cumulative LCA file, leaves each line and each case once. A later
decision on a case (Certified, then Certified - Withdrawn) replaces the
earlier one; an older file imported after a newer one does not undo it.
A file is imported in one transaction: a bad line stops it and leaves what
was stored before untouched.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import case, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from monitor.evidence.employers import city_key, name_key, state_code
from monitor.evidence.lca import read_lca
from monitor.evidence.tables import EvidenceFileError, Progress
from monitor.evidence.uscis import read_uscis
from monitor.store import models
from monitor.store.models import utcnow
from monitor.store.writer import Store

KINDS = ("uscis", "lca")
BATCH = 1000


@dataclass(frozen=True)
class ImportResult:
    file: str
    kind: str
    rows_read: int
    rows_kept: int
    skipped: bool = False  # the same file (by content) was imported before


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def import_file(store: Store, kind: str, path: str | Path, *, force: bool = False,
                on_progress: Progress | None = None) -> ImportResult:
    """Import one USCIS export (`kind='uscis'`) or DOL LCA file (`kind='lca'`).

    A file whose exact content was imported before is skipped unless `force`;
    forcing it changes nothing either, the keys see to that.
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    path = Path(path)
    try:
        sha = file_digest(path)
    except OSError as exc:
        raise EvidenceFileError(f"{path}: cannot read: {exc.strerror or exc}") from None
    with store.sessions.begin() as session:
        if not force and session.scalar(
            select(models.EvidenceImport.id).where(
                models.EvidenceImport.sha256 == sha, models.EvidenceImport.kind == kind
            ).limit(1)
        ):
            return ImportResult(str(path), kind, 0, 0, skipped=True)
        record = models.EvidenceImport(kind=kind, file_name=path.name, sha256=sha,
                                       imported_at=utcnow())
        session.add(record)
        session.flush()
        if kind == "uscis":
            read, kept = _import_uscis(session, record.id, path, on_progress)
        else:
            read, kept = _import_lca(session, record.id, path, on_progress)
        record.rows_read, record.rows_kept = read, kept
    return ImportResult(str(path), kind, read, kept)


def _insert(session: Session, table):
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)


def _import_uscis(session: Session, import_id: int, path: Path, on_progress) -> tuple[int, int]:
    table = models.UscisFiling.__table__
    counts = ("initial_approvals", "initial_denials", "continuing_approvals",
              "continuing_denials")
    rows = 0

    def values(row) -> dict:
        return {
            "fiscal_year": row.fiscal_year, "employer": row.employer,
            "name_key": name_key(row.employer), "tax_id": row.tax_id, "naics": row.naics,
            "city": row.city, "city_key": city_key(row.city), "state": state_code(row.state),
            "zip": row.zip, "import_id": import_id,
            **{name: getattr(row, name) for name in counts},
        }

    def flush(batch: list[dict]) -> None:
        # Within one file, lines with one key add up (the first replaces what an
        # earlier import stored); so a re-import gives the same numbers.
        merged: dict[tuple, dict] = {}
        for item in batch:
            key = tuple(item[c] for c in _USCIS_KEY)
            if key in merged:
                for name in counts:
                    merged[key][name] += item[name]
            else:
                merged[key] = item
        insert = _insert(session, table)
        excluded = insert.excluded
        same_import = table.c.import_id == import_id
        session.execute(
            insert.on_conflict_do_update(
                index_elements=list(_USCIS_KEY),
                set_={
                    **{name: case((same_import, table.c[name] + excluded[name]),
                                  else_=excluded[name]) for name in counts},
                    "name_key": excluded.name_key, "city_key": excluded.city_key,
                    "import_id": excluded.import_id,
                },
            ),
            list(merged.values()),
        )

    batch: list[dict] = []
    for row in read_uscis(path, on_progress):
        rows += 1
        batch.append(values(row))
        if len(batch) >= BATCH:
            flush(batch)
            batch = []
    if batch:
        flush(batch)
    return rows, rows


_USCIS_KEY = ("fiscal_year", "employer", "tax_id", "city", "state", "zip", "naics")


def _import_lca(session: Session, import_id: int, path: Path, on_progress) -> tuple[int, int]:
    table = models.LcaCase.__table__
    reader = read_lca(path, on_progress)

    def values(lca) -> dict:
        return {
            "case_number": lca.case_number, "fiscal_year": lca.fiscal_year,
            "case_status": lca.case_status, "received_date": lca.received_date,
            "decision_date": lca.decision_date, "job_title": lca.job_title,
            "soc_code": lca.soc_code, "soc_title": lca.soc_title, "workers": lca.workers,
            "employer": lca.employer, "name_key": name_key(lca.employer),
            "trade_name": lca.trade_name, "trade_key": name_key(lca.trade_name),
            "employer_city": lca.employer_city,
            "employer_city_key": city_key(lca.employer_city),
            "employer_state": state_code(lca.employer_state),
            "worksite_city": lca.worksite_city,
            "worksite_city_key": city_key(lca.worksite_city),
            "worksite_state": state_code(lca.worksite_state),
            "import_id": import_id,
        }

    def flush(batch: dict[str, dict]) -> None:
        insert = _insert(session, table)
        excluded = insert.excluded
        # A later decision wins; a file older than what is stored changes nothing.
        newer = or_(
            table.c.decision_date.is_(None),
            excluded.decision_date.is_(None),
            excluded.decision_date >= table.c.decision_date,
        )
        session.execute(
            insert.on_conflict_do_update(
                index_elements=["case_number"],
                set_={c.name: excluded[c.name] for c in table.c if c.name != "case_number"},
                where=newer,
            ),
            list(batch.values()),
        )

    # Keyed by case number: a case listed twice in one batch is written once.
    batch: dict[str, dict] = {}
    for lca in reader:
        batch[lca.case_number] = values(lca)
        if len(batch) >= BATCH:
            flush(batch)
            batch = {}
    if batch:
        flush(batch)
    return reader.rows, reader.kept


def import_files(store: Store, kind: str, paths: Iterable[str | Path], *, force: bool = False,
                 on_progress: Callable[[str, int], None] | None = None) -> list[ImportResult]:
    """Import several files in order, each in its own transaction."""
    results = []
    for path in paths:
        progress = (lambda rows, name=str(path): on_progress(name, rows)) if on_progress else None
        results.append(import_file(store, kind, path, force=force, on_progress=progress))
    return results
