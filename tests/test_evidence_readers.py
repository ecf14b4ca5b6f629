"""Reading the USCIS and DOL files in their real layouts, and naming employers."""

import pytest
from evidence_files import (
    LCA_FY19,
    LCA_HEADER,
    RECENT_FY,
    USCIS_2018,
    USCIS_2019,
    USCIS_NEW,
    q1_rows,
    write_lca_xlsx,
)

from monitor.evidence.employers import city_key, name_key, name_variants, state_code
from monitor.evidence.lca import fiscal_year_in_name, fiscal_year_of, read_lca
from monitor.evidence.tables import EvidenceFileError
from monitor.evidence.trainees import is_physician_trainee
from monitor.evidence.uscis import read_uscis


def test_older_uscis_export_with_plural_headers():
    rows = list(read_uscis(USCIS_2018))
    assert [row.employer for row in rows][:2] == ["PACIFIC COAST MEDICAL CENTER INC",
                                                  "WESTBAY HEALTH SYSTEM, INC."]
    pacific = rows[0]
    assert (pacific.fiscal_year, pacific.initial_approvals, pacific.initial_denials,
            pacific.continuing_approvals, pacific.continuing_denials) == (2018, 9, 0, 14, 1)
    assert (pacific.city, pacific.state, pacific.zip, pacific.tax_id, pacific.naics) == (
        "LOS ANGELES", "CA", "90048", "1234", "62")


def test_older_uscis_export_with_singular_headers_skips_lines_without_employer():
    rows = list(read_uscis(USCIS_2019))
    assert len(rows) == 3
    assert rows[0].employer == "PACIFIC COAST MEDICAL CTR INC"
    assert (rows[0].initial_approvals, rows[0].continuing_approvals) == (11, 15)
    assert rows[2].line == 4


def test_newer_uscis_export_utf16_tabs_trailing_spaces_and_six_kinds():
    rows = list(read_uscis(USCIS_NEW))
    assert len(rows) == 6
    pacific = rows[0]
    assert pacific.fiscal_year == 2025
    assert pacific.naics == "62 - Health Care and Social Assistance"
    # New Employment is "initial"; the five other kinds are "continuing".
    assert (pacific.initial_approvals, pacific.initial_denials) == (12, 0)
    assert (pacific.continuing_approvals, pacific.continuing_denials) == (10 + 1 + 0 + 3 + 2, 1)
    big = rows[-1]
    assert big.initial_approvals == 1204
    assert big.continuing_approvals == 2310 + 40 + 3 + 655 + 120


def test_not_a_uscis_file_names_the_file_and_the_missing_columns(tmp_path):
    bad = tmp_path / "export.csv"
    bad.write_text("Company,Count\nAcme,3\n")
    with pytest.raises(EvidenceFileError) as caught:
        list(read_uscis(bad))
    message = str(caught.value)
    assert str(bad) in message and "line 1" in message and "employer" in message


def test_a_bad_count_names_file_line_and_column(tmp_path):
    bad = tmp_path / "h1b_datahubexport-2020.csv"
    bad.write_text(USCIS_2019.read_text().replace(",11,1,15,", ",eleven,1,15,"))
    with pytest.raises(EvidenceFileError) as caught:
        list(read_uscis(bad))
    assert "line 2" in str(caught.value) and "'Initial Approval'" in str(caught.value)
    assert "'eleven'" in str(caught.value)


def test_lca_workbook_keeps_only_h1b_physician_trainees(tmp_path):
    path = write_lca_xlsx(tmp_path / f"LCA_Disclosure_Data_FY{RECENT_FY}_Q1.xlsx", q1_rows())
    reader = read_lca(path)
    cases = list(reader)
    assert reader.rows == len(q1_rows())
    titles = {case.job_title for case in cases}
    assert "Postdoctoral Research Fellow" not in titles and "Software Engineer" not in titles
    assert all(case.fiscal_year == RECENT_FY for case in cases)
    assert len(cases) == 10 + 3 + 2 + 2 + 1  # Sierra, Westbay, Pacific, Mission SD, Eastgate
    # The E-3 resident is not an H-1B.
    assert not any(case.case_number.startswith("I-203") for case in cases)
    sierra = cases[0]
    assert (sierra.employer, sierra.employer_city, sierra.worksite_state) == (
        "Sierra Vista Behavioral Hlth, Inc.", "PASADENA", "CA")
    assert sierra.case_status == "certified" and sierra.soc_code == "29-1223.00"
    assert {case.case_status for case in cases} == {"certified", "denied"}


def test_older_lca_layout_case_submitted_soc_name_total_workers():
    reader = read_lca(LCA_FY19)
    cases = list(reader)
    assert reader.rows == 6
    assert [case.case_number for case in cases] == [
        "I-200-18275-000001", "I-200-18275-000002", "I-200-18276-000006"]
    first, withdrawn, denied = cases
    assert first.fiscal_year == 2019 and first.soc_title == "PHYSICIANS AND SURGEONS, ALL OTHER"
    assert first.received_date.isoformat() == "2018-10-02" and first.workers == 1
    assert first.worksite_city == "LOS ANGELES"
    assert withdrawn.case_status == "certified_withdrawn"
    assert denied.case_status == "denied"


def test_lca_file_without_fiscal_year_uses_the_decision_date(tmp_path):
    path = write_lca_xlsx(tmp_path / "lca.xlsx", q1_rows()[:1])
    assert [case.fiscal_year for case in read_lca(path)] == [RECENT_FY]  # decided in November


def test_lca_file_missing_columns_is_a_clear_error(tmp_path):
    header = [name for name in LCA_HEADER if name != "JOB_TITLE"]
    path = write_lca_xlsx(tmp_path / "LCA_Disclosure_Data_FY2024_Q1.xlsx", [], header)
    with pytest.raises(EvidenceFileError, match="no column for job_title"):
        list(read_lca(path))


def test_lca_unknown_status_names_the_line(tmp_path):
    rows = q1_rows()
    rows[1][1] = "Pending"
    path = write_lca_xlsx(tmp_path / f"LCA_Disclosure_Data_FY{RECENT_FY}_Q1.xlsx", rows)
    with pytest.raises(EvidenceFileError, match=r"line 3: column CASE_STATUS: .*'Pending'"):
        list(read_lca(path))


def test_lca_progress_is_reported(tmp_path):
    path = write_lca_xlsx(tmp_path / f"LCA_Disclosure_Data_FY{RECENT_FY}_Q1.xlsx", q1_rows())
    seen = []
    list(read_lca(path, on_progress=seen.append))
    assert seen and seen[-1] == len(q1_rows())


@pytest.mark.parametrize(("title", "soc", "soc_title", "trainee"), [
    ("Resident Physician", "29-1229.00", "", True),
    ("PGY-3 Resident", "25-1071", "Health Specialties Teachers", True),
    ("Clinical Fellow", "29-1069", "", True),
    ("House Staff Physician", "", "", True),
    ("Fellow - Gastroenterology", "29-1216", "", True),
    ("Intern", "29-1063.00", "Internists, General", True),
    ("Postdoctoral Research Fellow", "19-1042", "", False),
    ("Postdoctoral Fellow", "29-1229", "", False),
    ("Resident Engineer", "17-2051", "", False),
    ("Software Engineering Intern", "15-1252", "", False),
    ("Internal Medicine Physician", "29-1216", "", False),
    ("Research Fellow", "25-1042", "Biological Science Teachers", False),
])
def test_physician_trainee_titles(title, soc, soc_title, trainee):
    assert is_physician_trainee(title, soc, soc_title) is trainee


def test_employer_name_keys():
    assert name_key("CEDARS-SINAI MEDICAL CENTER") == name_key("Cedars Sinai Med Ctr")
    assert name_key("The Regents of the Univ. of California") == name_key(
        "REGENTS OF THE UNIVERSITY OF CALIFORNIA, THE")
    assert name_key("Sierra Vista Behavioral Hlth, Inc.") == "sierra vista behavioral health"
    assert name_key("St. Mary Hosp LLC") == name_key("Saint Mary Hospital")
    assert name_key("LAC+USC Medical Center") == "lac and usc medical center"
    assert name_key("Acme Inc") != name_key("Acme Hospital")
    assert name_variants("UCLA SOM / Ronald Reagan UCLA Medical Center (RRUMC)") == [
        "ucla som ronald reagan ucla medical center rrumc", "ucla som",
        "ronald reagan ucla medical center", "rrumc"]
    assert "ucla health" in name_variants("Regents of the University of California dba UCLA Health")
    assert city_key("Los Angeles (Westwood)") == city_key("LOS ANGELES") == "los angeles"
    assert state_code("California") == state_code("ca") == "CA"
    assert state_code("Atlantis") == ""


def test_fiscal_years():
    assert fiscal_year_in_name("LCA_Disclosure_Data_FY2024_Q4.xlsx") == 2024
    assert fiscal_year_in_name("H-1B_Disclosure_Data_FY17.xlsx") == 2017
    assert fiscal_year_in_name("lca.xlsx") is None
    from datetime import date
    assert fiscal_year_of(date(2024, 10, 1)) == 2025
    assert fiscal_year_of(date(2025, 9, 30)) == 2025


def test_uscis_export_as_xlsx_and_other_encodings(tmp_path):
    lines = [line.split("\t") for line in USCIS_NEW.read_text(encoding="utf-16").splitlines()]
    path = write_lca_xlsx(tmp_path / "Employer Information.xlsx", lines[1:], lines[0])
    rows = list(read_uscis(path))
    assert [row.employer for row in rows] == [row.employer for row in read_uscis(USCIS_NEW)]
    assert rows[-1].initial_approvals == 1204
    # UTF-8 with a byte order mark, and a Windows-1252 file with an accented name.
    bom = tmp_path / "h1b_datahubexport-2018.csv"
    bom.write_bytes(b"\xef\xbb\xbf" + USCIS_2018.read_bytes())
    assert len(list(read_uscis(bom))) == 4
    latin = tmp_path / "h1b_datahubexport-2017.csv"
    latin.write_bytes(USCIS_2018.read_text().replace("ACME SOFTWARE", "CAFÉ SOFTWARE")
                      .encode("cp1252"))
    assert list(read_uscis(latin))[-1].employer == "CAFÉ SOFTWARE LLC"
