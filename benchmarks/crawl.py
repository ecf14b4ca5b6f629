"""Crawl benchmark: a bare Scrapy spider, `visa-monitor crawl`, and a re-crawl, side by side.

    python benchmarks/crawl.py [--programs 300] [--db URL] [--readers N]

Serves N synthetic program sites (benchmarks/sites.py) on 127.0.x.y, writes
a config for them, and times in one run, each in its own process:

1. a bare Scrapy spider fetching the same pages with the same Scrapy
   settings (robots.txt, per-host concurrency, user agent) and doing nothing;
2. `visa-monitor crawl` into a fresh database, through the real code path
   (`monitor.crawl.runner.run_crawl`, which starts the crawl worker);
3. the same again with nothing changed (conditional requests, reused verdicts).

It prints wall time (each phase from before its imports: both pay for their
start-up; the bare spider's start-up is also shown on its own), pages/s, peak
RSS (the crawl process's plus each page reader's, `monitor.scrapers.reading`),
the ratios crawl/bare (target <= 1.3) and re-crawl/crawl (target <= 0.5), and
where a crawl's time goes per page. `--readers N` sets the number of page
reader processes (VISA_MONITOR_READERS).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import sites  # noqa: E402

SETTINGS = {
    "max_pages_per_program": 5,
    "max_depth": 1,
    "download_delay": 0,
    "concurrency_per_host": 2,
    "autothrottle": False,
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((sites.host_of(0, 1), 0))
        return sock.getsockname()[1]


def write_config(path: Path, count: int, port: int) -> None:
    lines = ["[settings]", 'user_agent = "visa-monitor-benchmark/0.1"']
    lines += [f"{key} = {json.dumps(value)}" for key, value in SETTINGS.items()]
    for site in sites.sites(count):
        home = site.url(port)
        lines += [
            "", "[[programs]]", f'id = "p{site.index:05d}"',
            f'name = "Program {site.index} Internal Medicine Residency"',
            f'institution = "Institution {site.host}"',
            'specialty = "Internal Medicine"', 'city = "Los Angeles"',
            f'url = "{home}"', f'scope = ["{home}"]',
        ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def page_urls(count: int, port: int) -> list[str]:
    return [site.url(port, page) for site in sites.sites(count) for page in sites.PAGES]


# -- phases, each run in a child process of the benchmark -------------------


def phase_bare(config: str, urls_file: str) -> dict:
    # Timed from before Scrapy is imported, like the crawl (whose worker process
    # imports everything it needs): both pay for their start-up.
    started = time.perf_counter()
    import scrapy
    from scrapy.crawler import CrawlerProcess
    from scrapy.settings import Settings

    from monitor.scrapers import settings as project_settings
    from monitor.scrapers.spiders.programs import ProgramsSpider

    urls = Path(urls_file).read_text().split()

    class BareSpider(scrapy.Spider):
        name = "bare"

        async def start(self):
            for url in urls:
                yield scrapy.Request(url, callback=self.parse, dont_filter=True)

        def parse(self, response):
            return None

    settings = Settings()
    settings.setmodule(project_settings, priority="project")
    settings.set("VISA_MONITOR_CONFIG", config, priority="cmdline")
    ProgramsSpider.update_settings(settings)  # the same config-derived settings
    settings.set("ITEM_PIPELINES", {}, priority="cmdline")
    # The address guard exempts only a program's own configured addresses; a spider
    # with no programs would have every loopback request refused. Its cost is the
    # monitor's, so the bare baseline goes without it.
    settings.set("DOWNLOADER_MIDDLEWARES", {}, priority="cmdline")
    settings.set("LOG_LEVEL", "WARNING", priority="cmdline")
    crawling = time.perf_counter()
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(BareSpider)
    process.crawl(crawler)
    process.start()
    ended = time.perf_counter()
    stats = crawler.stats.get_stats()
    return {"wall": ended - started, "start_up": crawling - started,
            "pages": stats.get("response_received_count", 0) - _robots(stats),
            "rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}


def _robots(stats: dict) -> int:
    return stats.get("robotstxt/response_count", 0)


def phase_crawl(config: str, db: str) -> dict:
    from monitor.config import load_config
    from monitor.crawl.runner import run_crawl

    events = []

    def on_event(event):
        if event.get("event") in ("done", "timings"):
            events.append(event)

    started = time.perf_counter()
    run = run_crawl(load_config(config), db, on_event=on_event)
    wall = time.perf_counter() - started
    timings = next((e for e in events if e["event"] == "timings"), {})
    # The crawl process and its page readers (scrapers/reading.py) run side by side:
    # their peaks added up (an upper bound of the crawl's peak).
    worker = timings.get("rss_kb") or resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    readers = timings.get("readers_rss_kb") or []
    return {"wall": wall, "outcome": run.outcome, "timings": timings,
            "pages": timings.get("pages", 0), "rss_kb": worker + sum(readers),
            "worker_rss_kb": worker, "readers_rss_kb": readers}


def run_phase(*args: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--phase", *args],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def server_stats(port: int, reset: bool = False) -> dict:
    path = "__reset" if reset else "__stats"
    host = sites.host_of(0, 1)
    with urllib.request.urlopen(f"http://{host}:{port}/{path}", timeout=10) as answer:
        return {} if reset else json.loads(answer.read())


# -- report ------------------------------------------------------------------


def show(name: str, result: dict, served: dict) -> None:
    pages = result["pages"]
    rate = pages / result["wall"] if result["wall"] else 0.0
    print(f"{name:<22} {result['wall']:8.2f} s  {pages:7d} pages  {rate:8.1f} pages/s  "
          f"peak RSS {result['rss_kb'] / 1024:6.1f} MB   server: {served.get('status')}")
    if "start_up" in result:
        print(f"{'':<22} of which {result['start_up']:.2f} s starting (imports)")
    if result.get("readers_rss_kb"):
        readers = " + ".join(f"{kb / 1024:.1f}" for kb in result["readers_rss_kb"])
        print(f"{'':<22} RSS: crawl process {result['worker_rss_kb'] / 1024:.1f} MB"
              f" + page readers {readers} MB")


def breakdown(name: str, timings: dict, wall: float) -> None:
    pages = max(timings.get("pages", 0), 1)
    print(f"\nwhere the time of the {name} goes (per page, {pages} pages):")
    parts = [("download (latency, overlapped)", "download"),
             ("reading: decode, links (readers)", "parse"),
             ("extraction (readers)", "extract"),
             ("classification (readers)", "classify"), ("pipeline (rest)", "pipeline"),
             ("database (closing transaction)", "database"),
             ("database (reading cache)", "cache")]
    for label, key in parts:
        seconds = timings.get(key, 0.0)
        print(f"  {label:<32} {seconds * 1000 / pages:8.3f} ms   total {seconds:7.2f} s")
    print(f"  {'wall / page':<32} {wall * 1000 / pages:8.3f} ms   total {wall:7.2f} s")
    cpu = timings.get("cpu", 0.0)
    print(f"  {'crawl process CPU / page':<32} {cpu * 1000 / pages:8.3f} ms   total {cpu:7.2f} s"
          "   (the readers' work above is not in it)")
    print(f"  pages reused (304 or same body): {timings.get('reused', 0)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--programs", type=int, default=300)
    parser.add_argument("--db", help="database URL (default: a fresh SQLite file)")
    parser.add_argument("--readers", type=int,
                        help="page reader processes of the crawl (default: one per core "
                             "but one; 0 reads in the crawl process)")
    parser.add_argument("--phase", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        kind, *rest = args.phase
        result = phase_bare(*rest) if kind == "bare" else phase_crawl(*rest)
        print(json.dumps(result))
        return

    count = args.programs
    if args.readers is not None:
        os.environ["VISA_MONITOR_READERS"] = str(args.readers)  # inherited by the crawl
    port = free_port()
    ready = multiprocessing.Event()
    server = multiprocessing.Process(target=sites.serve, args=(count, port, ready), daemon=True)
    server.start()
    if not ready.wait(120):
        raise SystemExit("the site server did not start")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            config = Path(tmp) / "programs.toml"
            write_config(config, count, port)
            urls = Path(tmp) / "urls.txt"
            urls.write_text("\n".join(page_urls(count, port)))
            db = args.db or f"sqlite:///{tmp}/bench.db"
            print(f"{count} programs, {len(sites.all_hosts(count))} hosts, "
                  f"{len(sites.PAGES)} pages each; settings {SETTINGS}; "
                  f"{os.cpu_count()} cores")
            results = {}
            for name, phase in (("bare Scrapy spider", ("bare", str(config), str(urls))),
                                ("visa-monitor crawl", ("crawl", str(config), db)),
                                ("re-crawl (unchanged)", ("crawl", str(config), db))):
                server_stats(port, reset=True)
                results[name] = run_phase(*phase)
                show(name, results[name], server_stats(port))
            bare, first, again = (results[k] for k in results)
            print(f"\ncrawl / bare     = {first['wall'] / bare['wall']:.2f}  (target <= 1.3)"
                  f"   [{first['wall'] / (bare['wall'] - bare['start_up']):.2f} against the"
                  " bare spider's crawl alone, without its start-up]")
            print(f"re-crawl / crawl = {again['wall'] / first['wall']:.2f}  (target <= 0.5)")
            breakdown("first crawl", first["timings"], first["wall"])
            breakdown("re-crawl", again["timings"], again["wall"])
    finally:
        server.kill()


if __name__ == "__main__":
    main()
