"""Script-rendered pages: when to render a page in headless Chromium, and how.

Rendering goes through scrapy-playwright's download handler (started lazily,
`scrapers/playwright_handler.py`): only requests
marked `meta["playwright"]` reach the browser, every other request keeps
Scrapy's own downloader (robots.txt, retries, manual redirects). Playwright
drives the browser named by the `browser_path` setting, Debian's `chromium`
by default; no browser build is ever downloaded. Without that browser the
handler is not installed at all and a page that needs one is recorded with
`monitor.classify.assess.NEEDS_BROWSER`: an error, never "no statement".
"""

from __future__ import annotations

import importlib.util
import os

from monitor.config import Config

NOT_RENDERED = 'this page is built by scripts and this program has render = "never"'

# A page whose visible text is shorter than this while it runs scripts is an
# empty shell that a script fills in (a single-page app, a CMS widget).
SHELL_TEXT_CHARS = 250

_VISIBLE_TEXT = (
    "//body//text()[not(ancestor::script or ancestor::style or ancestor::noscript"
    " or ancestor::template)]"
)
# Scripts that run: external ones and inline code (not JSON or template data blocks).
_RUNNING_SCRIPT = (
    "//script[@src or not(@type) or @type='module' or contains(@type, 'javascript')"
    " or contains(@type, 'ecmascript')]"
)
# What a rendered page does not need: pictures, fonts and media cost time and say nothing.
_SKIPPED_RESOURCES = frozenset({"image", "media", "font"})


def browser_available(path: str) -> bool:
    """The configured browser exists and Playwright can drive it."""
    return (
        os.path.isfile(path)
        and os.access(path, os.X_OK)
        and importlib.util.find_spec("scrapy_playwright") is not None
    )


def may_render(config: Config) -> bool:
    """Whether this crawl may need the browser at all."""
    return any(program.render != "never" for program in config.programs) and browser_available(
        config.settings.browser_path
    )


def browser_settings(config: Config) -> dict:
    """Scrapy settings that route `meta["playwright"]` requests to the browser."""
    if not may_render(config):
        return {}
    options = config.settings
    handler = "monitor.scrapers.playwright_handler.LazyPlaywrightDownloadHandler"
    return {
        "DOWNLOAD_HANDLERS": {"http": handler, "https": handler},
        "PLAYWRIGHT_BROWSER_TYPE": "chromium",
        "PLAYWRIGHT_LAUNCH_OPTIONS": {"executable_path": options.browser_path, "headless": True},
        "PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT": options.download_timeout * 1000,
        # One page at a time per context: rendering is the exception, and
        # the machine that runs a monitor is often small.
        "PLAYWRIGHT_MAX_CONTEXTS": 1,
        "PLAYWRIGHT_MAX_PAGES_PER_CONTEXT": max(1, options.concurrency_per_host),
    }


def skip_resource(request) -> bool:
    return request.resource_type in _SKIPPED_RESOURCES


def looks_script_rendered(response) -> bool:
    """Nearly no visible text while scripts run: the text comes from the scripts."""
    if not response.xpath(_RUNNING_SCRIPT):
        return False
    text = " ".join("".join(response.xpath(_VISIBLE_TEXT).getall()).split())
    return len(text) < SHELL_TEXT_CHARS


def render_meta() -> dict:
    """Request meta that sends a request to the browser and waits for its scripts."""
    from scrapy_playwright.page import PageMethod

    # "networkidle": the scripts' own requests (a JSON file with the policy) are done.
    return {
        "playwright": True,
        "playwright_page_methods": [PageMethod("wait_for_load_state", "networkidle")],
    }
