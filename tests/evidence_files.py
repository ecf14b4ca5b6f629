"""Evidence fixture files: the text ones live in tests/data/evidence/; the DOL
workbooks are written here with openpyxl, in the FY2020+ column layout."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from openpyxl import Workbook

from monitor.evidence.lca import fiscal_year_of

DATA = Path(__file__).resolve().parent / "data" / "evidence"
USCIS_2018 = DATA / "h1b_datahubexport-2018.csv"  # older layout, plural headers
USCIS_2019 = DATA / "h1b_datahubexport-2019.csv"  # older layout, singular headers
USCIS_NEW = DATA / "Employer Information.csv"  # newer layout, UTF-16, tab-separated
LCA_FY19 = DATA / "H-1B_Disclosure_Data_FY19.csv"  # pre-FY2020 column names

# The FY2020+ disclosure columns, in DOL's order (a subset of the 96).
LCA_HEADER = [
    "CASE_NUMBER", "CASE_STATUS", "RECEIVED_DATE", "DECISION_DATE", "ORIGINAL_CERT_DATE",
    "VISA_CLASS", "JOB_TITLE", "SOC_CODE", "SOC_TITLE", "FULL_TIME_POSITION", "BEGIN_DATE",
    "END_DATE", "TOTAL_WORKER_POSITIONS", "NEW_EMPLOYMENT", "CONTINUED_EMPLOYMENT",
    "EMPLOYER_NAME", "TRADE_NAME_DBA", "EMPLOYER_ADDRESS1", "EMPLOYER_CITY", "EMPLOYER_STATE",
    "EMPLOYER_POSTAL_CODE", "NAICS_CODE", "WORKSITE_ADDRESS1", "WORKSITE_CITY",
    "WORKSITE_COUNTY", "WORKSITE_STATE", "WORKSITE_POSTAL_CODE", "WAGE_RATE_OF_PAY_FROM",
    "WAGE_UNIT_OF_PAY",
]

# The LCA workbooks are of the last complete fiscal year, so that they stay
# "recent" (what a contradiction is judged on) whenever the tests run.
RECENT_FY = fiscal_year_of(date.today()) - 1
Q1_DECIDED = date(RECENT_FY - 1, 11, 5)
Q2_DECIDED = date(RECENT_FY, 2, 10)

EMPLOYERS = {
    "sierra": ("Sierra Vista Behavioral Hlth, Inc.", "", "PASADENA", "CA", "PASADENA", "CA"),
    "westbay": ("WESTBAY HEALTH SYSTEM INC", "WESTBAY HEALTH", "TORRANCE", "CA", "TORRANCE",
                "CA"),
    "pacific": ("PACIFIC COAST MEDICAL CENTER INC", "", "LOS ANGELES", "CA", "LOS ANGELES",
                "CA"),
    # Same name as the Van Nuys institution, but in San Diego: not a match.
    "mission-sd": ("MISSION VALLEY MEDICAL CENTER", "", "SAN DIEGO", "CA", "SAN DIEGO", "CA"),
    "eastgate": ("EASTGATE COMMUNITY HOSP", "", "DOWNEY", "CA", "DOWNEY", "California"),
    "acme": ("ACME SOFTWARE LLC", "", "AUSTIN", "TX", "AUSTIN", "TX"),
}


def lca_row(case: str, employer: str, title: str, soc: tuple[str, str],
            status: str = "Certified", decided: date = Q1_DECIDED,
            visa: str = "H-1B", workers: int = 1) -> list:
    name, dba, city, state, site_city, site_state = EMPLOYERS[employer]
    return [
        case, status, decided - timedelta(days=7), decided, decided if "Certified" in status
        else None, visa, title, soc[0], soc[1], "Y", date(2025, 7, 1), date(2028, 6, 30),
        workers, workers, 0, name, dba, "1 Main St", city, state, "90000", 622110,
        "1 Main St", site_city, "Los Angeles", site_state, "90000", 70000, "Year",
    ]


PSYCHIATRIST = ("29-1223.00", "Psychiatrists")
SURGEON = ("29-1249.00", "Surgeons, All Other")
CARDIOLOGIST = ("29-1212.00", "Cardiologists")
OTHER_PHYSICIAN = ("29-1229.00", "Physicians, All Other")
POSTDOC = ("19-1042.00", "Medical Scientists, Except Epidemiologists")
SOFTWARE = ("15-1252.00", "Software Developers")


def q1_rows() -> list[list]:
    rows = [lca_row(f"I-200-24310-{n:06d}", "sierra", "Resident Physician", PSYCHIATRIST)
            for n in range(1, 11)]
    rows += [lca_row(f"I-200-24311-{n:06d}", "westbay", "General Surgery Resident (PGY-1)",
                     SURGEON) for n in range(1, 4)]
    rows += [
        lca_row("I-200-24312-000001", "pacific", "Clinical Fellow - Cardiology", CARDIOLOGIST),
        lca_row("I-200-24312-000002", "pacific", "Resident Physician PGY-2", OTHER_PHYSICIAN),
        lca_row("I-200-24312-000003", "pacific", "Postdoctoral Research Fellow", POSTDOC),
        lca_row("I-200-24313-000001", "mission-sd", "Resident Physician", OTHER_PHYSICIAN),
        lca_row("I-200-24313-000002", "mission-sd", "Resident Physician", OTHER_PHYSICIAN),
        lca_row("I-200-24314-000001", "eastgate", "Resident Physician", OTHER_PHYSICIAN,
                status="Denied"),
        lca_row("I-200-24315-000001", "acme", "Software Engineer", SOFTWARE, workers=5),
        lca_row("I-203-24315-000002", "pacific", "Resident Physician", OTHER_PHYSICIAN,
                visa="E-3 Australian"),
    ]
    return rows


def q2_rows() -> list[list]:
    """Q2 is cumulative: every Q1 case again (one now withdrawn after certification)
    and four new Sierra Vista residents."""
    rows = q1_rows()
    rows[0][1] = "Certified - Withdrawn"
    rows[0][3] = Q2_DECIDED
    rows += [lca_row(f"I-200-25030-{n:06d}", "sierra", "PGY-1 Resident", PSYCHIATRIST,
                     decided=Q2_DECIDED) for n in range(1, 5)]
    return rows


def write_lca_xlsx(path: Path, rows: list[list], header: list[str] = LCA_HEADER) -> Path:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Sheet1")
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def lca_quarters(folder: Path) -> tuple[Path, Path]:
    """The Q1 and Q2 disclosure workbooks of RECENT_FY (Q2 cumulative, overlapping Q1)."""
    q1 = write_lca_xlsx(folder / f"LCA_Disclosure_Data_FY{RECENT_FY}_Q1.xlsx", q1_rows())
    q2 = write_lca_xlsx(folder / f"LCA_Disclosure_Data_FY{RECENT_FY}_Q2.xlsx", q2_rows())
    return q1, q2
