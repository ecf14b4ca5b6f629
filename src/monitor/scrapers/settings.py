"""Scrapy settings that do not depend on the program config.

What the config decides (user agent, delays, limits) is applied by
`ProgramsSpider.update_settings`, so `scrapy crawl programs` and the
`visa-monitor` command behave the same.
"""

BOT_NAME = "visa-monitor"
SPIDER_MODULES = ["monitor.scrapers.spiders"]
NEWSPIDER_MODULE = "monitor.scrapers.spiders"

# scrapy-playwright (script-rendered pages, see scrapers/browser.py) needs the
# asyncio reactor; it is Scrapy's default since 2.13, named here so that it stays.
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"

ROBOTSTXT_OBEY = True
COOKIES_ENABLED = False

# Nothing in a monitor should accept commands from the network.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
EXTENSIONS = {
    "scrapy.extensions.telnet.TelnetConsole": None,
    "scrapy.extensions.remote_control.RemoteControl": None,
    "monitor.scrapers.pacing.HostPacing": 0,
}

# Before robots.txt (100): a refused host is never contacted at all. The
# peer check is the last before the download handler, so the first to see a
# response: nothing (redirects, retries, decompression) reads a refused one.
DOWNLOADER_MIDDLEWARES = {
    "monitor.scrapers.address_guard.PrivateAddressGuard": 40,
    "monitor.scrapers.address_guard.PeerAddressCheck": 990,
}

RETRY_ENABLED = True
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
REDIRECT_MAX_TIMES = 5
# Scrapy starts this many asyncio tasks for the output of every callback (one
# item and a few requests here): its default of 100 cost more than a bare
# spider's whole handling of a page.
CONCURRENT_ITEMS = 8
# The least busy host first, as Scrapy's default, without a pass over every
# host per request (scrapers/queues.py).
SCHEDULER_PRIORITY_QUEUE = "monitor.scrapers.queues.RoundRobinIdleQueue"
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DNS_TIMEOUT = 20
# The address guard's lookup fills this cache and the connection reads it, so
# the address checked is the address connected to (scrapers/address_guard.py).
DNSCACHE_ENABLED = True
# A body cut short of its Content-Length (or chunked end) is an error, never a
# shorter page: the part that arrived would read as a page without a statement.
DOWNLOAD_FAIL_ON_DATALOSS = True

ITEM_PIPELINES = {
    "monitor.scrapers.pipelines.ClassifyPipeline": 100,
    "monitor.scrapers.pipelines.StorePipeline": 800,
}

REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"
