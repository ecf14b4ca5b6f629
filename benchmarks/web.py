"""Web benchmark: the time of `/` (the program list) at 13,000 programs.

    python benchmarks/web.py [--programs 13000] [--runs 30] [--db FILE]

Fills an SQLite file through `monitor.detect.flow.finish_crawl` (the crawl pipeline's own
call): every program checked once, then a second crawl in which one program
in ten changes its stance and one in fifty fails, so the list has changes and
failed checks to show. Then serves it with the real app under uvicorn on
127.0.0.1 and times whole HTTP requests of `/` with filters, sorts, a search
and a far page. Target: under 200 ms each (median and 95th percentile shown).
Wall time depends on what else the machine runs, so the CPU time of a request
(server and client share this process) and the load average are shown too.
With --db FILE the filled database is kept there and reused on the next run.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx2 as httpx
import uvicorn

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from monitor.classify.assess import PageResult, assess_program  # noqa: E402
from monitor.classify.verdict import classify_text  # noqa: E402
from monitor.config import Program, Settings  # noqa: E402
from monitor.detect.flow import finish_crawl  # noqa: E402
from monitor.store.writer import Store  # noqa: E402
from monitor.web import create_app  # noqa: E402

TARGET_MS = 200
TEXTS = [
    "We sponsor both H-1B and J-1 visas for our residents.",
    "H-1B sponsorship is considered case by case; most residents hold a J-1 visa.",
    "We do not sponsor H-1B visas. J-1 visas sponsored by ECFMG are accepted.",
    "We do not sponsor any visas; applicants must be US citizens or permanent residents.",
    "Our residents enjoy the beaches of Los Angeles and a strong curriculum.",
]
SPECIALTIES = ["Internal Medicine", "Family Medicine", "Pediatrics", "General Surgery",
               "Psychiatry", "Neurology", "Emergency Medicine", "Diagnostic Radiology",
               "Anesthesiology", "Pathology", "Obstetrics and Gynecology", "Cardiology",
               "Gastroenterology", "Nephrology", "Pulmonary and Critical Care", "Oncology",
               "Dermatology", "Ophthalmology", "Orthopaedic Surgery", "Urology"]
QUERIES = [
    "/",
    "/?sort=category&order=desc",
    "/?sort=changed&order=desc",
    "/?sort=checked",
    "/?specialty=Internal+Medicine&sort=h1b",
    "/?institution=Medical+Center+17",
    "/?category=j1_only&sort=institution",
    "/?q=pediatrics+7",
    "/?page=200",
]


def programs(count: int) -> list[Program]:
    return [
        Program(id=f"program-{n}", name=f"Medical Center {n % 1300} "
                f"{SPECIALTIES[n % len(SPECIALTIES)]} Program {n}",
                institution=f"Medical Center {n % 1300}",
                specialty=SPECIALTIES[n % len(SPECIALTIES)], city="Los Angeles",
                url=f"https://center{n % 1300}.example.org/program-{n}/")
        for n in range(count)
    ]


def results(selected: list[Program], shift: int, verdicts: list) -> list:
    out = []
    for n, program in enumerate(selected):
        if shift and n % 50 == 0:
            pages = [PageResult(program.url, 503, True, error="HTTP 503")]
        else:
            index = (n + shift) % len(TEXTS)
            pages = [PageResult(program.url, 200, True, TEXTS[index], verdicts[index])]
        out.append(assess_program(program, pages))
    return out


def fill(url: str, count: int) -> None:
    verdicts = [classify_text(text, "https://example.org/") for text in TEXTS]
    everyone = programs(count)
    store = Store.open(url)
    started = time.perf_counter()
    crawl = store.start_crawl(None, count)
    finish_crawl(store, crawl, results(everyone, 0, verdicts), Settings())
    # One program in ten changes its stance (shift 1), one in fifty fails.
    changed = everyone[::10]
    crawl = store.start_crawl(None, len(changed))
    finish_crawl(store, crawl, results(changed, 1, [verdicts[n * 10 % len(TEXTS)]
                                                   for n in range(len(TEXTS))]), Settings())
    store.close()
    print(f"filled {count:,} programs through finish_crawl in "
          f"{time.perf_counter() - started:.1f} s")


def serve(url: str) -> tuple[uvicorn.Server, str]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    origin = f"http://127.0.0.1:{sock.getsockname()[1]}"
    server = uvicorn.Server(uvicorn.Config(create_app(url), log_level="warning"))
    threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return server, origin


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--programs", type=int, default=13_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--db", type=Path, help="keep the filled database here (reused)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.db or Path(tmp) / "web.db"
        url = f"sqlite:///{path.resolve()}"
        if not path.exists():
            fill(url, args.programs)
        server, origin = serve(url)
        worst = 0.0
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        print(f"GET times at {args.programs:,} programs, {args.runs} runs each "
              f"(whole HTTP request to uvicorn on 127.0.0.1; target < {TARGET_MS} ms):")
        with httpx.Client(base_url=origin) as client:
            for query in QUERIES:
                response = client.get(query)  # warm the caches once
                response.raise_for_status()
                times, cpu = [], []
                for _ in range(args.runs):
                    started, cpu_started = time.perf_counter(), time.process_time()
                    client.get(query).raise_for_status()
                    times.append((time.perf_counter() - started) * 1000)
                    cpu.append((time.process_time() - cpu_started) * 1000)
                times.sort()
                p95 = times[max(0, int(len(times) * 0.95) - 1)]
                worst = max(worst, p95)
                print(f"  {query:40} median {statistics.median(times):6.1f} ms  "
                      f"p95 {p95:6.1f} ms  cpu {statistics.median(cpu):5.1f} ms  "
                      f"({len(response.content) / 1024:.0f} KiB)")
        server.should_exit = True
        verdict = "meets" if worst < TARGET_MS else "MISSES"
        print(f"load average {os.getloadavg()[0]:.1f}; worst p95: {worst:.1f} ms "
              f"({verdict} the {TARGET_MS} ms target)")


if __name__ == "__main__":
    main()
