"""Scrapy settings that do not depend on the program config.

What the config decides (user agent, delays, limits) is applied by
`ProgramsSpider.update_settings`, so `scrapy crawl programs` and the
`visa-monitor` command behave the same.
"""

BOT_NAME = "visa-monitor"
SPIDER_MODULES = ["scrapers.spiders"]
NEWSPIDER_MODULE = "scrapers.spiders"

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
}

RETRY_ENABLED = True
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
REDIRECT_MAX_TIMES = 5
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DNS_TIMEOUT = 20

ITEM_PIPELINES = {
    "scrapers.pipelines.ClassifyPipeline": 100,
    "scrapers.pipelines.StorePipeline": 800,
}

REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"
