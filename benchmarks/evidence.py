"""Evidence import benchmark: time and peak memory of importing a large DOL LCA file.

    python benchmarks/evidence.py [--rows 300000] [--format xlsx|csv|both]

Generates LCA disclosure files in the FY2020+ layout (about 1 row in 50 is a
physician trainee H-1B, the rest other occupations and visa classes), then
imports each into a fresh SQLite file in a child process and prints the
rows per second and the child's peak resident memory. The file is streamed,
so the peak should not grow with the number of rows: the figures for a
tenth of the rows are printed beside it. A second import of the same file
(forced) must leave the stored cases unchanged.

Measured 2026-12-07 on the shared 2-core machine under a load of 6-12
(other jobs running), so absolute speeds are low: CSV 300,000 rows (69 MB)
in 6.6 s, 46,000 rows/s, peak RSS 78 MiB (75 MiB for 30,000 rows); XLSX
60,000 rows in 101 s, about 600 rows/s, peak RSS 86 MiB (80 MiB for 6,000
rows: openpyxl keeps the shared-strings table). openpyxl's write-only files
carry no <dimension> element, so opening one scans the sheet once more (a
third of the XLSX time here); workbooks saved by Excel, as DOL's are, do not.
"""

from __future__ import annotations

import argparse
import csv
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

HEADER = [
    "CASE_NUMBER", "CASE_STATUS", "RECEIVED_DATE", "DECISION_DATE", "ORIGINAL_CERT_DATE",
    "VISA_CLASS", "JOB_TITLE", "SOC_CODE", "SOC_TITLE", "FULL_TIME_POSITION", "BEGIN_DATE",
    "END_DATE", "TOTAL_WORKER_POSITIONS", "EMPLOYER_NAME", "TRADE_NAME_DBA", "EMPLOYER_ADDRESS1",
    "EMPLOYER_CITY", "EMPLOYER_STATE", "EMPLOYER_POSTAL_CODE", "NAICS_CODE", "WORKSITE_CITY",
    "WORKSITE_STATE", "WAGE_RATE_OF_PAY_FROM", "WAGE_UNIT_OF_PAY",
]
JOBS = [
    ("Software Engineer", "15-1252.00", "Software Developers"),
    ("Data Scientist", "15-2051.00", "Data Scientists"),
    ("Financial Analyst", "13-2051.00", "Financial and Investment Analysts"),
    ("Postdoctoral Research Fellow", "19-1042.00", "Medical Scientists"),
    ("Hospitalist", "29-1229.00", "Physicians, All Other"),
    ("Assistant Professor", "25-1071.00", "Health Specialties Teachers"),
]
TRAINEES = [
    ("Resident Physician", "29-1229.00", "Physicians, All Other"),
    ("Clinical Fellow - Cardiology", "29-1212.00", "Cardiologists"),
    ("PGY-2 Resident", "29-1216.00", "General Internal Medicine Physicians"),
]
CITIES = [("LOS ANGELES", "CA"), ("TORRANCE", "CA"), ("NEW YORK", "NY"), ("HOUSTON", "TX"),
          ("CHICAGO", "IL"), ("SEATTLE", "WA")]


def rows(count: int, seed: int = 7):
    rng = random.Random(seed)
    start = date(2024, 10, 1)
    for n in range(count):
        trainee = rng.random() < 0.02
        title, soc, soc_title = rng.choice(TRAINEES if trainee else JOBS)
        city, state = rng.choice(CITIES)
        decided = start + timedelta(days=rng.randrange(360))
        yield [
            f"I-200-{24000 + n // 100000:05d}-{n % 1000000:06d}",
            rng.choice(["Certified", "Certified", "Certified", "Certified - Withdrawn", "Denied",
                        "Withdrawn"]),
            decided - timedelta(days=7), decided, decided,
            "H-1B" if rng.random() < 0.95 else "E-3 Australian", title, soc, soc_title, "Y",
            decided + timedelta(days=200), decided + timedelta(days=1300), rng.randint(1, 3),
            f"EMPLOYER {rng.randrange(20000)} INC", "", f"{rng.randrange(999)} MAIN ST", city,
            state, "90000", "622110", city, state, rng.randrange(60000, 250000), "Year",
        ]


def write_xlsx(path: Path, count: int) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Sheet1")
    sheet.append(HEADER)
    for row in rows(count):
        sheet.append(row)
    workbook.save(path)


def write_csv(path: Path, count: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for row in rows(count):
            writer.writerow([value.isoformat() if isinstance(value, date) else value
                             for value in row])


CHILD = """
import sys, time, resource
sys.path.insert(0, {src!r})
from monitor.evidence.import_ import import_file
from monitor.store.writer import Store
from monitor.store.models import LcaCase
from sqlalchemy import func, select
store = Store.open({db!r})
started = time.perf_counter()
result = import_file(store, "lca", {path!r}, force=True)
elapsed = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
with store.sessions() as session:
    stored = session.scalar(select(func.count()).select_from(LcaCase))
print(result.rows_read, stored, elapsed, peak)
"""


def import_in_child(path: Path, db: str) -> tuple[int, int, float, int]:
    """Import in a fresh process, so its peak memory is the import's alone.

    Returns rows read, cases stored after the import, seconds, peak RSS (KiB).
    """
    code = CHILD.format(src=str(ROOT / "src"), db=db, path=str(path))
    output = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                            text=True).stdout.split()
    return int(output[0]), int(output[1]), float(output[2]), int(output[3])


def bench(fmt: str, count: int, folder: Path) -> None:
    for n in (count // 10, count):
        path = folder / f"LCA_Disclosure_Data_FY2025_Q4_{n}.{fmt}"
        started = time.perf_counter()
        (write_xlsx if fmt == "xlsx" else write_csv)(path, n)
        made = time.perf_counter() - started
        db = f"sqlite:///{folder / f'bench-{fmt}-{n}.db'}"
        read, kept, elapsed, peak_kib = import_in_child(path, db)
        again = import_in_child(path, db)
        print(f"{fmt:4} {read:>9,} rows ({path.stat().st_size / 1e6:6.1f} MB, made in "
              f"{made:5.1f} s): {kept:>6,} trainee LCAs stored; import {elapsed:6.1f} s "
              f"({read / elapsed:8,.0f} rows/s), peak RSS {peak_kib / 1024:6.1f} MiB; "
              f"after re-import {again[1]:,} stored")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=300_000)
    parser.add_argument("--format", choices=["xlsx", "csv", "both"], default="both")
    args = parser.parse_args()
    formats = ["csv", "xlsx"] if args.format == "both" else [args.format]
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in formats:
            bench(fmt, args.rows, Path(tmp))


if __name__ == "__main__":
    main()
