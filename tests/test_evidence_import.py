"""Importing the evidence files into a real database (SQLite, and PostgreSQL when configured)."""

import pytest
from evidence_files import LCA_FY19, USCIS_2018, USCIS_2019, USCIS_NEW, lca_quarters
from sqlalchemy import func, select

from monitor.evidence.import_ import import_file
from monitor.evidence.tables import EvidenceFileError
from monitor.store import models


def uscis_table(store) -> list[tuple]:
    with store.sessions() as session:
        return [tuple(row) for row in session.execute(
            select(models.UscisFiling.fiscal_year, models.UscisFiling.employer,
                   models.UscisFiling.name_key, models.UscisFiling.city_key,
                   models.UscisFiling.state, models.UscisFiling.initial_approvals,
                   models.UscisFiling.initial_denials, models.UscisFiling.continuing_approvals,
                   models.UscisFiling.continuing_denials)
            .order_by(models.UscisFiling.fiscal_year, models.UscisFiling.employer))]


def lca_table(store) -> dict[str, tuple]:
    with store.sessions() as session:
        return {row.case_number: (row.fiscal_year, row.case_status, row.name_key,
                                  row.worksite_city_key, row.worksite_state, row.decision_date)
                for row in session.scalars(select(models.LcaCase))}


def imports(store) -> int:
    with store.sessions() as session:
        return session.scalar(select(func.count()).select_from(models.EvidenceImport))


def test_both_uscis_layouts_are_stored_with_keys(store):
    for path in (USCIS_2018, USCIS_2019, USCIS_NEW):
        result = import_file(store, "uscis", path)
        assert not result.skipped and result.rows_kept == result.rows_read
    rows = uscis_table(store)
    assert len(rows) == 4 + 3 + 5  # two Westbay 2025 lines share one key
    assert (2019, "PACIFIC COAST MEDICAL CTR INC", "pacific coast medical center",
            "los angeles", "CA", 11, 1, 15, 0) in rows
    westbay_2025 = [row for row in rows if row[0] == 2025 and row[2].startswith("westbay")]
    assert westbay_2025 == [(2025, "WESTBAY HEALTH SYSTEM INC", "westbay health system",
                             "torrance", "CA", 3, 0, 2, 0)]


def test_reimporting_uscis_changes_nothing(store):
    import_file(store, "uscis", USCIS_NEW)
    before = uscis_table(store)
    assert import_file(store, "uscis", USCIS_NEW).skipped
    assert imports(store) == 1
    forced = import_file(store, "uscis", USCIS_NEW, force=True)
    assert not forced.skipped and forced.rows_read == 6
    assert uscis_table(store) == before  # the two Westbay lines still add up to 3, not 6


def test_overlapping_quarterly_lca_files_count_each_case_once(store, tmp_path):
    q1, q2 = lca_quarters(tmp_path)
    assert import_file(store, "lca", q1).rows_kept == 18
    after_q1 = lca_table(store)
    import_file(store, "lca", q2)
    cases = lca_table(store)
    assert len(cases) == 18 + 4
    first = cases["I-200-24310-000001"]
    assert first[1] == "certified_withdrawn"  # the later decision replaced the earlier
    # Importing Q1 again (an older file) does not undo Q2's decision, nor add anything.
    import_file(store, "lca", q1, force=True)
    assert lca_table(store) == cases
    assert after_q1["I-200-24310-000001"][1] == "certified"
    sierra = [c for c in cases.values() if c[2] == "sierra vista behavioral health"]
    assert len(sierra) == 14 and {c[3] for c in sierra} == {"pasadena"}
    eastgate = cases["I-200-24314-000001"]
    assert eastgate[4] == "CA"  # "California" in the worksite column


def test_older_lca_layout_is_stored(store):
    result = import_file(store, "lca", LCA_FY19)
    assert (result.rows_read, result.rows_kept) == (6, 3)
    cases = lca_table(store)
    assert cases["I-200-18275-000002"][:2] == (2019, "certified_withdrawn")


def test_a_bad_file_stores_nothing_and_keeps_what_was_there(store, tmp_path):
    import_file(store, "uscis", USCIS_2018)
    before = uscis_table(store)
    bad = tmp_path / "h1b_datahubexport-2019.csv"
    bad.write_text(USCIS_2019.read_text().replace("HARBOR COMMUNITY HEALTH,0,", "HARBOR,x,"))
    with pytest.raises(EvidenceFileError, match="line 3"):
        import_file(store, "uscis", bad)
    assert uscis_table(store) == before
    assert imports(store) == 1


def test_a_missing_file_is_a_clear_error(store, tmp_path):
    with pytest.raises(EvidenceFileError, match="missing.csv: cannot read"):
        import_file(store, "uscis", tmp_path / "missing.csv")


def test_unknown_kind_is_refused(store):
    with pytest.raises(ValueError, match="uscis, lca"):
        import_file(store, "perm", USCIS_2018)
