"""The child process of a crawl: `python -m monitor.crawl.worker --config PATH`.

The database comes from $VISA_MONITOR_DB, which the parent sets.
"""

from __future__ import annotations

import argparse

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from monitor.scrapers import settings as project_settings
from monitor.scrapers.spiders.programs import ProgramsSpider


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="monitor.crawl.worker")
    parser.add_argument("--config", required=True)
    parser.add_argument("--programs", default="")
    args = parser.parse_args(argv)

    settings = Settings()
    settings.setmodule(project_settings, priority="project")
    settings.setdict(
        {
            "VISA_MONITOR_CONFIG": args.config,
            "VISA_MONITOR_PROGRAMS": args.programs,
            "VISA_MONITOR_PROGRESS": True,
        },
        priority="cmdline",
    )
    process = CrawlerProcess(settings, install_root_handler=True)
    crawler = process.create_crawler(ProgramsSpider)
    process.crawl(crawler)
    process.start()
    # Success is the pipeline's "done" event, which the parent waits for; a
    # crawl whose results could not be written never sends it.
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
