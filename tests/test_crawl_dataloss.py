"""A page cut off mid-body is a failed fetch, never a page without a statement.

A raw-socket server on 127.0.0.2 sends the start of a page and closes the
connection: once short of its Content-Length, once inside a chunked body.
The part that arrives is a readable page with no visa statement, so treating
it as content would turn a known stance into `statement_missing`.
"""

from __future__ import annotations

import pytest
from rawhttp import RawHTTPServer, response
from sqlalchemy import select

from monitor.config import load_config
from monitor.crawl.runner import run_crawl
from monitor.store import models, queries
from monitor.store.writer import Store

pytestmark = pytest.mark.slow

HEAD = (
    "<html><head><title>Internal Medicine Residency</title></head><body><main>"
    "<h1>Internal Medicine Residency</h1>"
    "<p>Our residents rotate through the county hospital, the Veterans Affairs clinic "
    "and a community practice during three years of training.</p>"
    "<p>Conferences are held every weekday at noon and residents present cases monthly.</p>"
)
STATEMENT = (
    "<h2>Visa sponsorship</h2><p>We sponsor H-1B visas for international medical "
    "graduates who have passed USMLE Step 3. We also accept J-1 visas sponsored by ECFMG.</p>"
    "</main></body></html>"
)
FULL = (HEAD + STATEMENT).encode()


def full_page() -> bytes:
    return response("200 OK", FULL)


def cut_short() -> bytes:
    """Announces the whole page's length, sends only the part before the statement."""
    return response("200 OK", FULL)[: -len(STATEMENT.encode())]


def chunked_cut_short() -> bytes:
    """A chunked body whose connection closes before the last chunk."""
    head = HEAD.encode()
    return (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
        b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        + f"{len(head):x}\r\n".encode() + head + b"\r\n"
    )


def write_config(path, origin: str):
    programs = "".join(
        f"""
[[programs]]
id = "{pid}"
name = "Cut {pid}"
institution = "Cut Hospital"
specialty = "Internal Medicine"
city = "Los Angeles"
url = "{origin}/{pid}/"
"""
        for pid in ("cut-length", "cut-chunked")
    )
    path.write_text(
        "[settings]\nmax_pages_per_program = 2\nmax_depth = 0\ndownload_delay = 0\n"
        "autothrottle = false\nretry_times = 0\nconfirm_missing_runs = 1\n" + programs,
        encoding="utf-8",
    )
    return load_config(path)


def stored_texts(db_url: str, crawl_id: int) -> list[int | None]:
    store = Store.open(db_url)
    try:
        with store.sessions() as session:
            return list(session.scalars(
                select(models.PageFetch.text_id).where(models.PageFetch.crawl_id == crawl_id)))
    finally:
        store.close()


def test_a_body_cut_short_is_a_failed_fetch_not_a_missing_statement(tmp_path, db_url):
    with RawHTTPServer("127.0.0.2") as server:
        config = write_config(tmp_path / "programs.toml", server.origin)
        server.routes["/cut-length/"] = full_page()
        server.routes["/cut-chunked/"] = full_page()
        first = run_crawl(config, db_url)

        server.routes["/cut-length/"] = cut_short()
        server.routes["/cut-chunked/"] = chunked_cut_short()
        # With confirm_missing_runs = 1 a single page read as "no statement"
        # would be reported at once; two crawls make sure it never is.
        cut = [run_crawl(config, db_url) for _ in range(2)]

    store = Store.open(db_url)
    try:
        assert {r["category"] for r in queries.crawl_report(store, first.crawl_id)} == {"h1b"}
        for run in cut:
            assert run.outcome == "completed" and run.changes == 0
            for row in queries.crawl_report(store, run.crawl_id):
                assert row["fetch_ok"] is False, row
                assert row["category"] is None, row
                assert "cut off" in row["error"], row
        status = {row["program_id"]: row for row in queries.status(store)}
        assert {pid: row["category"] for pid, row in status.items()} == {
            "cut-length": "h1b", "cut-chunked": "h1b"}
        assert all(row["fetch_ok"] is False for row in status.values())
        assert queries.changes(store) == []
    finally:
        store.close()
    # The partial text was never stored as what the page says.
    assert stored_texts(db_url, cut[-1].crawl_id) == [None, None]
