"""The child process of a crawl: `python -m monitor.crawl.worker --config PATH`.

The database comes from $VISA_MONITOR_DB, which the parent sets;
$VISA_MONITOR_READERS, when set, says how many processes read the pages
(default: for a crawl of 1,000 programs or more one per core but the
reactor's, else none; see `monitor.scrapers.reading`);
$VISA_MONITOR_PROGRAMS_IN_FLIGHT, when set, how many programs are crawled at
once (default 1,000; the next starts when one finishes).
"""

from __future__ import annotations

import argparse
import os
import signal
import threading
import time

READERS_ENV = "VISA_MONITOR_READERS"
IN_FLIGHT_ENV = "VISA_MONITOR_PROGRAMS_IN_FLIGHT"


def main(argv: list[str] | None = None) -> int:
    # Imported here: the page readers (scrapers/reading.py) start as fresh
    # processes that import this module again, and need none of Scrapy's engine.
    # Scrapy's HTTP handler first: its module builds deprecated aliases with
    # inspect.stack(), which reads the source of every frame and looks through
    # every loaded module; imported later, from deep in the engine's start-up,
    # that took seconds of CPU.
    import scrapy.core.downloader.handlers.http11  # noqa: F401
    from scrapy.crawler import CrawlerProcess
    from scrapy.settings import Settings

    from monitor.scrapers import settings as project_settings
    from monitor.scrapers.spiders.programs import ProgramsSpider

    parser = argparse.ArgumentParser(prog="monitor.crawl.worker")
    parser.add_argument("--config", required=True)
    parser.add_argument("--programs", default="")
    parser.add_argument("--programs-file", help="program ids, one a line")
    args = parser.parse_args(argv)
    programs = args.programs
    if args.programs_file:
        with open(args.programs_file, encoding="utf-8") as ids:
            programs = ",".join(line.strip() for line in ids if line.strip())

    settings = Settings()
    settings.setmodule(project_settings, priority="project")
    settings.setdict(
        {
            "VISA_MONITOR_CONFIG": args.config,
            "VISA_MONITOR_PROGRAMS": programs,
            "VISA_MONITOR_PROGRESS": True,
        },
        priority="cmdline",
    )
    if os.environ.get(READERS_ENV, "").strip():
        # How many processes read pages (scrapers/reading.py); 0 reads them here.
        settings.set("VISA_MONITOR_READERS", int(os.environ[READERS_ENV]), priority="cmdline")
    if os.environ.get(IN_FLIGHT_ENV, "").strip():
        # Programs crawled at once (scrapers/spiders/programs.py, default 1,000).
        settings.set("VISA_MONITOR_PROGRAMS_IN_FLIGHT", int(os.environ[IN_FLIGHT_ENV]),
                     priority="cmdline")
    _stop_when_orphaned()
    process = CrawlerProcess(settings, install_root_handler=True)
    crawler = process.create_crawler(ProgramsSpider)
    process.crawl(crawler)
    process.start()
    # Success is the pipeline's "done" event, which the parent waits for; a
    # crawl whose results could not be written never sends it.
    return 0


def _stop_when_orphaned(poll: float = 1.0) -> None:
    """Stop the crawl (recorded as aborted) when the parent dies.

    The parent holds the crawl lock; once it is gone (kill -9 included) the
    lock is free and another crawl may start, so this one must not go on.
    """
    parent = os.getppid()

    def watch():
        while os.getppid() == parent:
            time.sleep(poll)
        os.kill(os.getpid(), signal.SIGTERM)  # Scrapy's graceful shutdown

    threading.Thread(target=watch, name="orphan-watch", daemon=True).start()


if __name__ == "__main__":
    raise SystemExit(main())
