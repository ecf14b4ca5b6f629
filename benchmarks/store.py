"""Store benchmark: growth of unchanged crawls, and query time on a large history.

    python benchmarks/store.py [--crawls 100] [--assessments 1000000]

1. Database size after N crawls of unchanged sites: the fixture sites' pages
   are classified once and recorded N times through `monitor.detect.flow.finish_crawl`, the
   same call the crawl pipeline makes. Target: under 200 bytes per program
   per crawl.
2. Time of `history` and `changes` on a database of one million
   assessments (bulk-loaded: 1,000 programs x 1,000 crawls, with a stance
   change every 50 crawls per program). Target: under 50 ms.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from monitor.classify.assess import PageResult, assess_program  # noqa: E402
from monitor.classify.verdict import classify_text  # noqa: E402
from monitor.config import load_config  # noqa: E402
from monitor.demo import FIXTURE_ORIGIN  # noqa: E402
from monitor.detect.flow import finish_crawl  # noqa: E402
from monitor.extract.htmltext import html_to_text  # noqa: E402
from monitor.store import models, queries  # noqa: E402
from monitor.store.writer import Store  # noqa: E402


def fixture_results():
    """Every fixture program with the pages of its site, as a crawl would find them."""
    config = load_config(ROOT / "fixtures" / "programs.toml")
    sites = ROOT / "fixtures" / "sites"
    results = []
    for program in config.programs:
        prefix = program.url.removeprefix(FIXTURE_ORIGIN + "/")
        pages = []
        limit = config.settings.max_pages_per_program
        for path in sorted((sites / prefix).rglob("*.html"))[:limit]:
            url = f"{FIXTURE_ORIGIN}/{path.relative_to(sites).as_posix()}"
            text = html_to_text(path.read_bytes())
            pages.append(PageResult(url, 200, True, text, classify_text(text, url)))
        results.append(assess_program(program, pages))
    return config, results


def size_of(path: Path) -> int:
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))


def bench_growth(crawls: int) -> None:
    config, results = fixture_results()
    pages = sum(len(r.pages) for r in results)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "growth.db"
        store = Store.open(f"sqlite:///{path}")
        sizes = []
        for _ in range(crawls):
            crawl_id = store.start_crawl("programs.toml", len(results))
            finish_crawl(store, crawl_id, results, config.settings)
            with store.engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            sizes.append(size_of(path))
        store.close()
    per = (sizes[-1] - sizes[0]) / (len(results) * (crawls - 1))
    print(f"growth: {len(results)} programs, {pages} pages, {crawls} unchanged crawls")
    print(f"  database after the first crawl: {sizes[0] / 1024:.1f} KiB, "
          f"after {crawls}: {sizes[-1] / 1024:.1f} KiB")
    print(f"  bytes per program per unchanged crawl: {per:.0f} (target < 200)")


def load_large(store: Store, programs: int, crawls: int, change_every: int) -> None:
    start = datetime(2020, 1, 1, tzinfo=UTC)
    rng = random.Random(7)
    stances = [("h1b", "yes", "yes"), ("j1_only", "no", "yes"), ("h1b_limited", "limited", "yes")]
    with store.engine.begin() as connection:
        connection.execute(insert(models.Crawl), [
            {"id": c + 1, "started_at": start + timedelta(days=c),
             "finished_at": start + timedelta(days=c, minutes=5), "outcome": "completed",
             "program_count": programs, "page_count": programs * 3}
            for c in range(crawls)
        ])
        connection.execute(insert(models.Verdict), [
            {"id": i + 1, "digest": f"{i:064d}", "category": s[0], "h1b": s[1], "j1": s[2],
             "step3_required": None,
             "evidence": [{"url": "https://example.org/eligibility", "text": f"Stance {i}."}]}
            for i, s in enumerate(stances)
        ])
        connection.execute(insert(models.Program), [
            {"id": p + 1, "slug": f"program-{p}", "name": f"Program {p}", "institution": "I",
             "specialty": "Internal Medicine", "city": "Los Angeles",
             "url": f"https://example.org/{p}/", "missing_streak": 0, "fail_streak": 0,
             "unreachable": False, "last_crawl_id": crawls,
             "last_checked_at": start + timedelta(days=crawls - 1), "last_fetch_ok": True}
            for p in range(programs)
        ])
        periods, events, period_id = [], [], 0
        for p in range(programs):
            current = rng.randrange(len(stances))
            for c in range(0, crawls, change_every):
                previous, current = current, (current + 1) % len(stances) if c else current
                period_id += 1
                at = start + timedelta(days=c, minutes=5)
                periods.append({"id": period_id, "program_id": p + 1,
                                "verdict_id": current + 1, "crawl_id": c + 1,
                                "started_at": at,
                                "ended_at": at + timedelta(days=change_every)})
                if c:
                    events.append({
                        "program_id": p + 1, "crawl_id": c + 1, "kind": "stance",
                        "detected_at": at,
                        "before": dict(zip(("category", "h1b", "j1"), stances[previous],
                                           strict=True)),
                        "after": dict(zip(("category", "h1b", "j1"), stances[current],
                                          strict=True)),
                        "evidence_before": [], "evidence_after": [],
                        "url": "https://example.org/eligibility",
                    })
        connection.execute(insert(models.StancePeriod), periods)
        connection.execute(insert(models.ChangeEvent), events)
        batch = []
        for c in range(crawls):
            for p in range(programs):
                batch.append({"program_id": p + 1, "crawl_id": c + 1,
                              "verdict_id": 1 + (p + c // change_every) % len(stances)})
            if len(batch) >= 200_000:
                connection.execute(insert(models.Assessment), batch)
                batch = []
        if batch:
            connection.execute(insert(models.Assessment), batch)


def timed(call, repeat: int = 20) -> float:
    call()  # warm the cache, as a second command run would
    samples = []
    for _ in range(repeat):
        begin = time.perf_counter()
        call()
        samples.append(time.perf_counter() - begin)
    return statistics.median(samples) * 1000


def bench_queries(assessments: int) -> None:
    programs = 1000
    crawls = max(1, assessments // programs)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "large.db"
        store = Store.open(f"sqlite:///{path}")
        begin = time.perf_counter()
        load_large(store, programs, crawls, change_every=50)
        load_time = time.perf_counter() - begin
        recent = datetime(2020, 1, 1, tzinfo=UTC) + timedelta(days=crawls - 60)
        print(f"queries: {programs * crawls:,} assessments loaded in {load_time:.1f} s, "
              f"database {size_of(path) / 2**20:.0f} MiB")
        figures = {
            "history program-500": lambda: queries.program_history(store, "program-500"),
            "changes --program program-500":
                lambda: queries.changes(store, program_id="program-500"),
            "changes --since (last 60 days)": lambda: queries.changes(store, since=recent),
            "changes --kind stance --limit 100":
                lambda: queries.changes(store, kind="stance", limit=100),
            "status (1,000 programs)": lambda: queries.status(store),
        }
        for name, call in figures.items():
            print(f"  {name}: {timed(call):.1f} ms (median; target < 50 ms)")
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--crawls", type=int, default=100)
    parser.add_argument("--assessments", type=int, default=1_000_000)
    args = parser.parse_args()
    bench_growth(args.crawls)
    bench_queries(args.assessments)


if __name__ == "__main__":
    main()
