"""Reach benchmark: PDF text extraction and browser rendering throughput.

Run:  .venv/bin/python benchmarks/reach.py [--pdf-pages N] [--renders N] [--tabs T]

Prints
* PDF extraction: pages per second for `pdf_to_text` (pypdf, clean-up and
  re-flow) on a generated policy-like PDF of N pages of wrapped paragraphs,
  the median of several rounds; and the cost of the document cache that spares
  an unchanged PDF this work (one lookup in an SQLite store).
* Browser rendering: pages per second for the fixture single-page app
  (`fixtures/sites/summit-cards/`, served on 127.0.0.1) rendered in Debian's
  chromium the way the spider does it (navigation, then wait for the network
  to go idle so the page's own data request has landed), with T tabs at once.
  Skipped with a note when the browser is missing.

Needs the test extras (fpdf2 builds the PDF), which `./run test` installs.
Most of the extraction time is pypdf's own text extraction; the document
cache is what keeps repeated crawls of an unchanged PDF cheap.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from fpdf import FPDF  # noqa: E402

from monitor.config import Settings  # noqa: E402
from monitor.demo import FixtureServer  # noqa: E402
from monitor.extract.pdftext import pdf_to_text, reader_version  # noqa: E402
from monitor.store.documents import find_document, remember_document  # noqa: E402
from monitor.store.writer import Store  # noqa: E402
from scrapers.browser import browser_available  # noqa: E402

PARAGRAPH = (
    "Residents who are not U.S. citizens or permanent residents must hold a visa that "
    "allows clinical training. The institution sponsors J-1 visas through ECFMG and "
    "considers H-1B sponsorship case by case for residents who have passed USMLE Step 3. "
    "Applicants should send their documents to the GME office within ten business days "
    "of the Match so that paperwork can be completed before July 1. "
)


def policy_pdf(pages: int) -> bytes:
    pdf = FPDF(format="letter")
    pdf.set_font("Helvetica", size=10)
    for number in range(1, pages + 1):
        pdf.add_page()
        pdf.multi_cell(0, 5, f"Section {number}. Visa sponsorship", new_x="LMARGIN",
                       new_y="NEXT")
        for _ in range(6):
            pdf.multi_cell(150, 5, PARAGRAPH, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def bench_pdf(pages: int, rounds: int) -> None:
    data = policy_pdf(pages)
    pdf_to_text(data)  # warm-up
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        document = pdf_to_text(data)
        times.append(time.perf_counter() - start)
    assert len(document.pages) == pages
    median = statistics.median(times)
    print(f"PDF extraction: {pages / median:.0f} pages/s ({pages}-page document, "
          f"{len(data) / 1024:.0f} KiB, {median * 1000:.0f} ms median of {rounds})")
    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(f"sqlite:///{folder}/bench.db")
        remember_document(store, "0" * 64, reader_version(), document.text, None)
        lookups = []
        for _ in range(50):
            start = time.perf_counter()
            find_document(store, "0" * 64, reader_version())
            lookups.append(time.perf_counter() - start)
        store.close()
    print(f"  unchanged PDF (document cache hit): {statistics.median(lookups) * 1000:.2f} ms "
          f"per document, no extraction")


async def _render_all(origin: str, path: str, renders: int, tabs: int) -> tuple[float, int]:
    from playwright.async_api import async_playwright

    settings = Settings()
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=settings.browser_path, headless=True)
        context = await browser.new_context(user_agent=settings.user_agent)
        queue: asyncio.Queue[int] = asyncio.Queue()
        for index in range(renders):
            queue.put_nowait(index)
        filled = 0

        async def worker() -> None:
            nonlocal filled
            page = await context.new_page()
            while not queue.empty():
                queue.get_nowait()
                await page.goto(f"{origin}{path}")
                await page.wait_for_load_state("networkidle")
                if "sponsors both J-1 and H-1B" in await page.content():
                    filled += 1
            await page.close()

        await worker_once(context, origin, path)  # warm-up: the first page starts the renderer
        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(tabs)))
        elapsed = time.perf_counter() - start
        await browser.close()
    return elapsed, filled


async def worker_once(context, origin: str, path: str) -> None:
    page = await context.new_page()
    await page.goto(f"{origin}{path}")
    await page.close()


def bench_browser(renders: int, tabs: int) -> None:
    path = Settings().browser_path
    if not browser_available(path):
        print(f"Browser rendering: skipped ({path} is missing: apt-get install chromium)")
        return
    with FixtureServer(ROOT / "fixtures" / "sites", port=0) as server:
        elapsed, filled = asyncio.run(_render_all(server.origin, "/summit-cards/", renders, tabs))
    print(f"Browser rendering: {renders / elapsed:.2f} pages/s ({renders} renders of a "
          f"single-page app, {tabs} tab(s), {filled}/{renders} showed the scripted statement; "
          f"each waits for network idle, 500 ms)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pdf-pages", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--renders", type=int, default=12)
    parser.add_argument("--tabs", type=int, default=2)
    args = parser.parse_args()
    bench_pdf(args.pdf_pages, args.rounds)
    bench_browser(args.renders, args.tabs)


if __name__ == "__main__":
    main()
