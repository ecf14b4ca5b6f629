"""Server-side request forgery: redirects into the monitor's own network are refused.

The program sites are raw-socket servers on 127.0.0.2; a second "internal"
service listens on 127.0.0.3 and on another port of 127.0.0.2. Only what a
program's config names may be reached on a non-public address; every other
loopback, private, link-local or metadata destination is refused before any
connection, and the refusal is recorded as the page's error. A name server
that answers differently to the guard's lookup and the connection's (DNS
rebinding, tests/hostile_dns.py) is caught by the connection's own peer.
"""

from __future__ import annotations

import ipaddress
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rawhttp import RawHTTPServer, redirect, response
from sqlalchemy import select

from monitor.config import load_config
from monitor.crawl.runner import run_crawl
from monitor.scrapers.address_guard import non_public_kind, peer_refusal, refusal
from monitor.store import models, queries
from monitor.store.writer import Store

PAGE = (
    b"<html><body><main><h1>Internal Medicine Residency</h1><p>We sponsor H-1B visas "
    b"for international medical graduates who have passed USMLE Step 3. J-1 visas "
    b"sponsored by ECFMG are also accepted.</p></main></body></html>"
)


@pytest.mark.parametrize(
    "address, kind",
    [
        ("169.254.169.254", "link-local (cloud metadata)"),
        ("fe80::1", "link-local (cloud metadata)"),
        ("127.0.0.1", "loopback"),
        ("127.8.9.10", "loopback"),
        ("::1", "loopback"),
        ("::ffff:127.0.0.1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("172.31.255.254", "private"),
        ("192.168.1.1", "private"),
        ("fd00::1", "private"),
        ("fd00:ec2::254", "private"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("100.64.0.1", "reserved"),
        ("224.0.0.1", "multicast"),
        ("93.184.216.34", None),
        ("172.32.0.1", None),
        ("2606:4700::1111", None),
    ],
)
def test_address_kinds(address, kind):
    assert non_public_kind(ipaddress.ip_address(address)) == kind


def test_only_the_configured_address_and_port_are_exempt():
    loopback = ipaddress.ip_address("127.0.0.2")
    allowed = {(loopback, 8000)}
    assert refusal("http://127.0.0.2:8000/", [loopback], 8000, allowed) is None
    assert "127.0.0.2" in refusal("http://127.0.0.2:6379/", [loopback], 6379, allowed)
    # A name resolving to several addresses is refused when any one is not allowed.
    other = ipaddress.ip_address("10.0.0.1")
    assert "10.0.0.1" in refusal("http://x.test:8000/", [loopback, other], 8000, allowed)
    public = ipaddress.ip_address("93.184.216.34")
    assert refusal("http://example.org/", [public], 80, set()) is None


def _program(pid: str, url: str) -> str:
    return (f'\n[[programs]]\nid = "{pid}"\nname = "Program {pid}"\ninstitution = "Hospital"\n'
            f'specialty = "Internal Medicine"\ncity = "Los Angeles"\nurl = "{url}"\n')


def _fetches(db_url: str) -> dict[str, list[tuple[str, str | None]]]:
    store = Store.open(db_url)
    try:
        with store.sessions() as session:
            rows = session.execute(
                select(models.Program.slug, models.Url.url, models.PageFetch.error)
                .join(models.PageFetch, models.PageFetch.program_id == models.Program.id)
                .join(models.Url, models.Url.id == models.PageFetch.url_id)
            ).all()
    finally:
        store.close()
    found: dict[str, list[tuple[str, str | None]]] = {}
    for slug, url, error in rows:
        found.setdefault(slug, []).append((url, error))
    return found


@pytest.mark.slow
def test_redirects_into_non_public_addresses_are_refused_and_recorded(tmp_path, sqlite_url):
    with (RawHTTPServer("127.0.0.2") as site, RawHTTPServer("127.0.0.3") as internal,
          RawHTTPServer("127.0.0.2") as other_port):
        internal.routes["/secret"] = response("200 OK", PAGE)
        internal.routes["/internal-program/"] = response("200 OK", PAGE)
        other_port.routes["/secret"] = response("200 OK", PAGE)
        site.routes["/same-site/"] = redirect(f"{site.origin}/same-site/moved")
        site.routes["/same-site/moved"] = response("200 OK", PAGE)
        targets = {
            "to-other-loopback": f"{internal.origin}/secret",
            "to-other-port": f"{other_port.origin}/secret",
            "to-localhost-name": f"http://localhost:{internal.port}/secret",
            "to-metadata": "http://169.254.169.254/latest/meta-data/iam/",
            "to-ipv6-loopback": f"http://[::1]:{internal.port}/secret",
            "to-ipv6-private": "http://[fd00::1]/secret",
            "to-private": "http://10.255.255.1/secret",
            "to-unspecified": f"http://0.0.0.0:{internal.port}/secret",
        }
        for pid, target in targets.items():
            site.routes[f"/{pid}/"] = redirect(target)
        programs = [_program(pid, f"{site.origin}/{pid}/") for pid in [*targets, "same-site"]]
        # A program configured on the "internal" address may read it: the exemption.
        programs.append(_program("internal-program", f"{internal.origin}/internal-program/"))
        config_path = tmp_path / "programs.toml"
        config_path.write_text(
            "[settings]\nmax_depth = 0\ndownload_delay = 0\nautothrottle = false\n"
            "retry_times = 0\ndownload_timeout = 5\n" + "".join(programs), encoding="utf-8")
        run = run_crawl(load_config(config_path), sqlite_url)

    assert run.outcome == "completed"
    # Nothing but the configured program's own page was asked of the internal services.
    assert [p for p in internal.requests if p != "/robots.txt"] == ["/internal-program/"]
    assert other_port.requests == []
    store = Store.open(sqlite_url)
    report = {row["program_id"]: row for row in queries.crawl_report(store, run.crawl_id)}
    store.close()
    fetches = _fetches(sqlite_url)
    for pid, target in targets.items():
        assert report[pid]["fetch_ok"] is False, pid
        assert "refused" in report[pid]["error"], (pid, report[pid]["error"])
        [(url, error)] = fetches[pid]
        assert url == target and error.startswith("not fetched: refused "), (pid, url, error)
    assert report["same-site"]["category"] == "h1b"
    assert report["internal-program"]["category"] == "h1b"


# A crawl child whose resolver is the rebinding name server of hostile_dns.py;
# argv: config path, then Scrapy settings as NAME=JSON.  With $CHROMIUM_MAP
# ("name address") chromium's own resolver answers that name with that address,
# whatever the crawl's resolver says (chromium resolves names itself).
REBINDING_CHILD = """
import json, os, sys
from monitor.scrapers import settings
from monitor.scrapers.spiders import programs
settings.TWISTED_DNS_RESOLVER = "hostile_dns.RebindingResolver"
for assignment in sys.argv[2:]:
    name, _, value = assignment.partition("=")
    setattr(settings, name, json.loads(value))
if os.environ.get("CHROMIUM_MAP"):
    stock = programs.browser_settings
    def browser_settings(config):
        chosen = stock(config)
        chosen["PLAYWRIGHT_LAUNCH_OPTIONS"]["args"] = [
            "--host-resolver-rules=MAP " + os.environ["CHROMIUM_MAP"]]
        return chosen
    programs.browser_settings = browser_settings
from monitor.crawl.worker import main
raise SystemExit(main(["--config", sys.argv[1]]))
"""
PUBLIC = "93.184.216.34"
SETTINGS = ("[settings]\nmax_depth = 0\ndownload_delay = 0\nautothrottle = false\n"
            "retry_times = 0\ndownload_timeout = 5\n")


def _child_crawl(tmp_path, db_url: str, program: str, answers: list[str], *settings: str,
                 chromium_map: str = "") -> None:
    """Crawl the one program of `program` (TOML) in a child that resolves rebind.test
    with `answers`, turn by turn."""
    config_path = tmp_path / "programs.toml"
    config_path.write_text(SETTINGS + program, encoding="utf-8")
    env = {**os.environ, "VISA_MONITOR_DB": db_url, "CHROMIUM_MAP": chromium_map,
           "HOSTILE_DNS": f"rebind.test={','.join(answers)}",
           "PYTHONPATH": os.pathsep.join([str(Path(__file__).parent),
                                          os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-c", REBINDING_CHILD, str(config_path), *settings],
                          capture_output=True, text=True, timeout=180, env=env)
    assert done.returncode == 0, done.stderr[-3000:]


def _rebinding_crawl(tmp_path, db_url: str, answers: list[str], *settings: str,
                     site: RawHTTPServer, internal: RawHTTPServer) -> str:
    """Crawl one program whose page redirects to rebind.test (served by `internal`)."""
    target = f"http://rebind.test:{internal.port}/secret"
    internal.routes["/secret"] = response("200 OK", INTERNAL_PAGE)
    site.routes["/start/"] = redirect(target)
    _child_crawl(tmp_path, db_url, _program("rebound", f"{site.origin}/start/"), answers,
                 *settings)
    return target


INTERNAL_PAGE = PAGE.replace(b"Internal Medicine Residency", b"Internal service: admin keys")


def _stored_texts(db_url: str) -> list[str]:
    store = Store.open(db_url)
    try:
        with store.sessions() as session:
            return list(session.scalars(select(models.PageText.text)))
    finally:
        store.close()


@pytest.mark.slow
def test_a_rebound_answer_is_refused_by_the_address_the_connection_reached(tmp_path,
                                                                           sqlite_url):
    """DNS rebinding: the guard's lookup gets a public address, the connection's a
    loopback one. With Scrapy's DNS cache off (or its entry evicted) the two are
    separate queries; only the connection's peer tells which address was reached.
    robots.txt is off so that each request makes exactly the guard's lookup and the
    connection's, in that order.
    """
    with RawHTTPServer("127.0.0.2") as site, RawHTTPServer("127.0.0.3") as internal:
        target = _rebinding_crawl(tmp_path, sqlite_url, [PUBLIC, "127.0.0.3"],
                                  "DNSCACHE_ENABLED=false", "ROBOTSTXT_OBEY=false",
                                  site=site, internal=internal)
        assert internal.requests == ["/secret"]  # the rebinding did reach the service...
    [(url, error)] = _fetches(sqlite_url)["rebound"]
    # ...but its answer was dropped and recorded as the page's error, never read.
    assert url == target
    assert error == (f"not fetched: refused {target}: its answer came from 127.0.0.3, a "
                     "loopback address that is not one of the program's configured sites")
    assert not any("admin keys" in text for text in _stored_texts(sqlite_url))


@pytest.mark.slow
def test_the_guard_checks_the_address_the_connection_will_use(tmp_path, sqlite_url):
    """With Scrapy's DNS cache on (the project's setting) the guard's lookup is the
    connection's: a name the hostile server first answers with a loopback address is
    refused before any connection, even though its next answer would be public."""
    with RawHTTPServer("127.0.0.2") as site, RawHTTPServer("127.0.0.3") as internal:
        target = _rebinding_crawl(tmp_path, sqlite_url, ["127.0.0.3", PUBLIC],
                                  site=site, internal=internal)
        assert internal.requests == []
    [(url, error)] = _fetches(sqlite_url)["rebound"]
    assert url == target
    assert error.startswith(f"not fetched: refused {target}: it leads to 127.0.0.3, a loopback")


# A rendered page whose script fetches a text from rebind.test and writes it into
# the page (the service sends the CORS header that lets a script read it).
SCRIPT_PAGE = (
    "<html><body><main><h1>Internal Medicine Residency</h1><p>Visa policy below.</p>"
    "</main><script>fetch('{url}').then(r => r.text()).then(t => {{"
    "var p = document.createElement('p'); p.textContent = t;"
    "document.querySelector('main').appendChild(p); }});</script></body></html>"
)
SERVICE_TEXT = b"Internal service: admin keys. We sponsor H-1B visas."


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("chromium_reaches", ["127.0.0.3", "127.0.0.2"])
def test_a_rendered_pages_answers_are_judged_by_the_address_chromium_reached(
        tmp_path, sqlite_url, chromium_reaches):
    """Chromium resolves names itself: the check before sending asks the crawl's
    resolver (here: a public address), chromium's own connects elsewhere.  An answer
    from an address no program configures makes the whole rendered page a refused
    fetch; the control, the same page whose script reaches the program's own site,
    is read with the script's text."""
    with RawHTTPServer("127.0.0.2") as site, RawHTTPServer("127.0.0.3") as internal:
        server = internal if chromium_reaches == "127.0.0.3" else site
        target = f"http://rebind.test:{server.port}/policy.txt"
        server.routes["/policy.txt"] = response("200 OK", SERVICE_TEXT, {
            "Content-Type": "text/plain", "Access-Control-Allow-Origin": "*"})
        site.routes["/start/"] = response("200 OK", SCRIPT_PAGE.format(url=target).encode())
        program = _program("rendered", f"{site.origin}/start/") + 'render = "browser"\n'
        _child_crawl(tmp_path, sqlite_url, program, [PUBLIC],
                     chromium_map=f"rebind.test {chromium_reaches}")
        assert server.requests.count("/policy.txt") == 1  # chromium did reach it...
    [(url, error)] = _fetches(sqlite_url)["rendered"]
    assert url == f"{site.origin}/start/"
    if chromium_reaches == "127.0.0.3":
        # ...but the page that read its answer is dropped, recorded as the page's error.
        assert error == (f"not fetched: refused {target}: its answer came from 127.0.0.3, a "
                         "loopback address that is not one of the program's configured sites")
        assert not any("admin keys" in text for text in _stored_texts(sqlite_url))
    else:
        assert error is None
        assert any("admin keys" in text for text in _stored_texts(sqlite_url))


def test_a_peer_is_judged_by_the_same_rule():
    site = ipaddress.ip_address("127.0.0.2")
    allowed = {(site, 8000)}
    assert peer_refusal("http://a.test:8000/", site, 8000, allowed) is None
    # A dual-stack socket names an IPv4 peer as ::ffff:a.b.c.d: the same peer.
    assert peer_refusal("http://a.test:8000/", ipaddress.ip_address("::ffff:127.0.0.2"),
                        8000, allowed) is None
    assert "127.0.0.3, a loopback" in peer_refusal(
        "http://a.test:8000/", ipaddress.ip_address("127.0.0.3"), 8000, allowed)
    assert "169.254.169.254, a link-local" in peer_refusal(
        "http://a.test/", ipaddress.ip_address("169.254.169.254"), 80, allowed)
    assert peer_refusal("http://a.test/", ipaddress.ip_address("93.184.216.34"), 80,
                        set()) is None
