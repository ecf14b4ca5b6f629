"""End to end in Debian's headless Chromium (Playwright with executable_path): the real
`visa-monitor serve` on 127.0.0.1 over a crawled history. Filter, open a program, read
its timeline; screenshots are saved under test-artifacts/web/."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx2 as httpx
import pytest
from web_history import CHANGED, INJECTED, PROGRAMS

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "web"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists() and not os.environ.get("CI"),
                       reason="Debian's chromium is not installed (apt-get install chromium)"),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(web_db):
    """`visa-monitor serve` in a child process, as a user runs it."""
    port = free_port()
    child = subprocess.Popen(
        [sys.executable, "-m", "monitor", "serve", "--db", web_db, "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    origin = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            httpx.get(origin + "/static/style.css", timeout=1)
            break
        except httpx.TransportError:
            if child.poll() is not None or time.monotonic() > deadline:
                child.kill()
                pytest.fail(f"serve did not start: {child.communicate()[0]}")
            time.sleep(0.1)
    yield origin
    child.terminate()
    child.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request):
    """A page that records console errors (a CSP violation is one)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.errors = []
    page.on("console", lambda msg: msg.type == "error" and page.errors.append(msg.text))
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    yield page
    context.close()


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_filter_open_a_program_and_read_its_timeline(server, page):
    page.goto(server + "/")
    assert page.title() == "Programs · visa-monitor"
    all_rows = page.locator("table.programs tbody tr").count()
    assert all_rows == PROGRAMS
    shot(page, "programs")

    page.get_by_label("Specialty").select_option("Internal Medicine")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**/?*specialty=Internal+Medicine*")
    specialties = page.locator("td[data-label='Specialty']").all_inner_texts()
    assert specialties and set(specialties) == {"Internal Medicine"}
    assert len(specialties) < all_rows
    shot(page, "programs-filtered")

    page.get_by_role("link", name="Category").click()  # sort by category
    badges = page.locator("td[data-label='Category'] .badge").all_inner_texts()
    order = ["h1b", "h1b_limited", "j1_only", "none", "unknown"]
    assert [order.index(b) for b in badges] == sorted(order.index(b) for b in badges)
    assert page.get_by_label("Specialty").input_value() == "Internal Medicine"

    page.get_by_role("link", name="Pacific Coast Medical Center Internal Medicine Residency") \
        .click()
    page.wait_for_url(f"**/programs/{CHANGED}")
    periods = page.locator("ol.timeline > li")
    assert periods.count() == 2
    newest = periods.nth(0)
    assert newest.locator(".badge").first.inner_text() == "j1_only"
    assert periods.nth(1).locator(".badge").first.inner_text() == "h1b"
    evidence = newest.locator("blockquote").first.inner_text()
    assert "is not able to sponsor H-1B" in evidence and INJECTED in evidence
    assert "is not able to sponsor" in " ".join(newest.locator(".diff ins").all_inner_texts())
    assert "sponsors both" in " ".join(newest.locator(".diff del").all_inner_texts())
    shot(page, "program-timeline")
    assert page.errors == []


def test_keyboard_reaches_the_content_and_focus_is_visible(server, page):
    page.goto(server + "/")
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert skip.inner_text() == "Skip to content"
    outline = skip.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline == "solid"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    # From the skip link the next stop is inside the main content: the search field.
    assert page.locator(":focus").get_attribute("id") == "q"
    page.keyboard.type("westbay")
    page.keyboard.press("Enter")
    page.wait_for_url("**/?q=westbay*")
    names = page.locator("td[data-label='Program']").all_inner_texts()
    assert names and all("Westbay" in n for n in names)
    assert page.errors == []


def test_on_a_phone_and_in_dark_mode(server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, color_scheme="dark",
                                  device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(server + "/")
    # No sideways scrolling on a phone: each program is a card.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(18, 20, 23)"
    shot(page, "programs-phone-dark")
    page.goto(server + f"/programs/{CHANGED}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "program-phone-dark")
    page.goto(server + "/changes")
    shot(page, "changes-phone-dark")
    page.goto(server + "/no/such/page")
    assert page.locator("h1").inner_text() == "Page not found"
    context.close()
