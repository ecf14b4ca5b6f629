"""The store on a real database file (and PostgreSQL when configured)."""

import pytest
from sqlalchemy import func, select, text

from monitor.classify.assess import PageResult, ProgramResult, assess_program
from monitor.classify.verdict import classify_text
from monitor.config import Program, Settings
from monitor.detect.flow import finish_crawl
from monitor.store import db, models, queries
from monitor.store.writer import ABORTED, Store

SETTINGS = Settings()
IM = Program(id="west-im", name="West IM", institution="West", specialty="Internal Medicine",
             city="Los Angeles", url="https://west.example.org/im/")
SPONSOR_TEXT = ("Eligibility for international applicants. We sponsor both J-1 and H-1B "
                "visas for our residents.")
J1_TEXT = ("Eligibility for international applicants. We accept J-1 visas sponsored by "
           "ECFMG. We do not sponsor H-1B visas.")


def result(text: str, url: str = "https://west.example.org/im/eligibility") -> ProgramResult:
    page = PageResult(url, 200, True, text, classify_text(text, url))
    return assess_program(IM, [page])


def crawl(store: Store, *results: ProgramResult, outcome="completed"):
    crawl_id = store.start_crawl("programs.toml", len(results))
    return crawl_id, finish_crawl(store, crawl_id, list(results), SETTINGS, outcome=outcome)


def count(store: Store, model) -> int:
    with store.sessions() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_empty_database_gets_the_current_schema(db_url):
    store = Store.open(db_url)
    assert db.current_revision(store.engine) == db.head_revision()
    store.close()
    Store.open(db_url).close()  # opening again is a no-op


def test_outdated_or_foreign_databases_are_refused(tmp_path):
    outdated = f"sqlite:///{tmp_path / 'old.db'}"
    Store.open(outdated).close()
    engine = db.create_db_engine(outdated)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0000'"))
    with pytest.raises(db.DatabaseError, match="visa-monitor db upgrade"):
        Store.open(outdated)
    foreign = f"sqlite:///{tmp_path / 'foreign.db'}"
    with db.create_db_engine(foreign).begin() as connection:
        connection.execute(text("CREATE TABLE customers (id INTEGER)"))
    with pytest.raises(db.DatabaseError, match="not visa-monitor's"):
        Store.open(foreign)


def test_unreachable_database_is_a_clear_error_without_the_password():
    with pytest.raises(db.DatabaseError) as caught:
        Store.open("postgresql+psycopg://user:s3cret@127.0.0.1:1/none")
    assert "cannot open database" in str(caught.value)
    assert "s3cret" not in str(caught.value)


def test_sqlite_runs_in_wal_mode(sqlite_url):
    store = Store.open(sqlite_url)
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
    store.close()


def test_unchanged_text_is_stored_once(store):
    for _ in range(3):
        crawl(store, result(SPONSOR_TEXT))
    assert count(store, models.PageText) == 1
    assert count(store, models.Verdict) == 1
    assert count(store, models.PageFetch) == 3
    assert count(store, models.Assessment) == 3
    crawl(store, result(J1_TEXT))
    assert count(store, models.PageText) == 2


def test_status_reports_the_stance_and_last_check(store):
    crawl(store, result(SPONSOR_TEXT))
    [row] = queries.status(store)
    assert set(row) == {"program_id", "name", "category", "h1b", "j1", "step3_required",
                        "evidence", "checked_at", "fetch_ok", "error"}
    assert (row["program_id"], row["category"], row["h1b"], row["j1"]) == (
        "west-im", "h1b", "yes", "yes")
    assert row["fetch_ok"] is True and row["error"] is None
    assert row["evidence"][0]["url"] == "https://west.example.org/im/eligibility"
    assert "H-1B" in " ".join(item["text"] for item in row["evidence"])


def test_aborted_crawl_is_kept_but_never_counts(store):
    crawl(store, result(SPONSOR_TEXT))
    crawl_id, changes = crawl(store, result(J1_TEXT), outcome=ABORTED)
    assert changes == []
    assert queries.status(store)[0]["category"] == "h1b"
    assert [r["category"] for r in queries.crawl_report(store, crawl_id)] == ["j1_only"]
    with store.sessions() as session:
        assert session.get(models.Crawl, crawl_id).outcome == "aborted"
    _, changes = crawl(store, result(J1_TEXT))
    assert [change.kind for _, change in changes] == ["stance"]


def test_failed_fetch_keeps_the_stance_and_records_the_error(store):
    crawl(store, result(SPONSOR_TEXT))
    down = assess_program(IM, [PageResult("https://west.example.org/im/", None, True,
                                          error="TimeoutError: took too long")])
    crawl_id, changes = crawl(store, down)
    assert changes == []
    [row] = queries.status(store)
    assert row["category"] == "h1b" and row["fetch_ok"] is False
    assert "TimeoutError" in row["error"]
    [report] = queries.crawl_report(store, crawl_id)
    assert report["category"] is None and report["fetch_ok"] is False


def test_history_and_changes_queries(store):
    crawl(store, result(SPONSOR_TEXT))
    crawl(store, result(J1_TEXT))
    periods = queries.program_history(store, "west-im")
    assert [p["category"] for p in periods] == ["h1b", "j1_only"]
    assert periods[0]["until"] == periods[1]["from"] and periods[1]["until"] is None
    [event] = queries.changes(store)
    assert event["kind"] == "stance"
    assert event["before"]["category"] == "h1b" and event["after"]["category"] == "j1_only"
    assert event["evidence_after"][0]["url"].endswith("/eligibility")
    assert queries.changes(store, kind="wording") == []
    older, newer = queries.policy_texts(store, "west-im")
    assert "H-1B" in next(iter(older["pages"].values()))
    assert "ECFMG" in next(iter(newer["pages"].values()))
    with pytest.raises(LookupError):
        queries.program_history(store, "nobody")


def test_crawl_that_never_finished_can_be_marked_failed(store):
    crawl_id = store.start_crawl(None, 1)
    store.fail_crawl(crawl_id, "process died")
    with store.sessions() as session:
        assert session.get(models.Crawl, crawl_id).outcome == "failed"
    with pytest.raises(ValueError, match="not running"):
        finish_crawl(store, crawl_id, [result(SPONSOR_TEXT)], SETTINGS)
