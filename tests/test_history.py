"""Change detection end to end: real crawls, sites edited between them, then the
history, changes, diff and export commands on what was recorded."""

import csv
import io
import json
import re

import pytest
from typer.testing import CliRunner

from monitor.cli.main import app

PAGE = "pacific-im/eligibility.html"
STATEMENT = re.compile(r'<h2 id="visas">.*?(?=<p>Please indicate)', re.S)
J1_ONLY = ('<h2 id="visas">Visa sponsorship</h2>\n<p>Pacific Coast Medical Center is not able '
           'to sponsor H-1B visas. J-1 physicians sponsored by ECFMG are welcome to apply.</p>\n')
J1_ONLY_REWORDED = ('<h2 id="visas">Visa sponsorship</h2>\n<p>We do not sponsor H-1B visas. '
                    'Residents train on the ECFMG-sponsored J-1 visa.</p>\n')
NO_STATEMENT = '<h2 id="visas">Applying</h2>\n'


class Monitor:
    def __init__(self, sites, db_url):
        self.sites = sites
        self.db = db_url
        self.runner = CliRunner()
        self.crawled = False  # reading commands refuse a database that does not exist yet

    def cli(self, *args):
        result = self.runner.invoke(app, [*map(str, args), "--db", self.db])
        assert result.exit_code == 0, result.output
        return result.stdout

    def crawl(self) -> list[str]:
        """Crawl once; return the kinds of the events this crawl raised."""
        before = len(json.loads(self.cli("changes", "--json"))) if self.crawled else 0
        self.cli("crawl", "--config", self.sites.config_path, "--program", "pacific-im",
                 "--json")
        self.crawled = True
        events = json.loads(self.cli("changes", "--json"))
        return [event["kind"] for event in events[: len(events) - before]]

    def set_statement(self, html: str) -> None:
        page = self.sites.page(PAGE)
        page.write_text(STATEMENT.sub(html, page.read_text(encoding="utf-8"), count=1),
                        encoding="utf-8")


@pytest.fixture
def monitor(sites, db_url):
    return Monitor(sites, db_url)


def test_the_exact_events_of_a_season_of_edits(monitor):
    assert monitor.crawl() == []  # baseline
    assert monitor.crawl() == []  # unchanged

    monitor.set_statement(J1_ONLY)
    assert monitor.crawl() == ["stance"]

    monitor.set_statement(J1_ONLY_REWORDED)
    assert monitor.crawl() == ["wording"]

    monitor.sites.server.failing.add("/pacific-im/")
    assert [monitor.crawl() for _ in range(3)] == [[], [], ["unreachable"]]
    assert monitor.crawl() == []  # reported once, not every crawl
    monitor.sites.server.failing.clear()
    assert monitor.crawl() == ["recovered"]  # and no stance change

    monitor.set_statement(NO_STATEMENT)
    assert monitor.crawl() == []  # gone for one crawl: nothing
    monitor.set_statement(J1_ONLY_REWORDED)
    assert monitor.crawl() == []  # it came back
    monitor.set_statement(NO_STATEMENT)
    assert monitor.crawl() == []
    assert monitor.crawl() == ["statement_missing"]  # gone for two crawls

    status = json.loads(monitor.cli("status", "--json"))[0]
    assert status["category"] == "unknown" and status["fetch_ok"] is True


def test_history_changes_diff_and_export(monitor):
    monitor.crawl()
    assert "no earlier text to compare" in monitor.cli("diff", "pacific-im")
    monitor.set_statement(J1_ONLY)
    monitor.crawl()

    history = json.loads(monitor.cli("history", "pacific-im", "--json"))
    assert [period["category"] for period in history] == ["h1b", "j1_only"]
    assert history[0]["step3_required"] is True and history[1]["until"] is None
    assert "not able to sponsor H-1B" in history[1]["evidence"][0]["text"]
    # Not a terminal: one tab-separated line per period, under a header line.
    lines = monitor.cli("history", "pacific-im").splitlines()
    assert lines[0].startswith("from\tuntil\tcategory\t")
    assert [line.split("\t")[2] for line in lines[1:]] == ["h1b", "j1_only"]

    [event] = json.loads(monitor.cli("changes", "--json"))
    assert set(event) == {"program_id", "name", "kind", "detected_at", "before", "after",
                          "evidence_before", "evidence_after", "url"}
    assert event["before"] == {"category": "h1b", "h1b": "yes", "j1": "yes",
                               "step3_required": True}
    assert event["after"]["category"] == "j1_only"
    assert event["url"].endswith("/pacific-im/eligibility.html")
    assert "H-1B" in event["evidence_before"][0]["text"]
    assert json.loads(monitor.cli("changes", "--kind", "wording", "--json")) == []
    assert json.loads(monitor.cli("changes", "--since", "2999-01-01", "--json")) == []
    assert len(json.loads(monitor.cli("changes", "--since", "2000-01-01", "--json"))) == 1

    diff = monitor.cli("diff", "pacific-im")
    assert "h1b" in diff and "j1_only" in diff
    assert "{+is not able to sponsor+}" in diff and "cap-exempt" in diff
    # --at picks the period in force then: the first one has nothing before it.
    assert "no earlier text" in monitor.cli("diff", "pacific-im", "--at", history[0]["from"])
    assert monitor.cli("diff", "pacific-im", "--at", "2999-01-01") == diff

    rows = list(csv.DictReader(io.StringIO(monitor.cli("export", "--format", "csv"))))
    assert [(r["program_id"], r["category"]) for r in rows] == [("pacific-im", "j1_only")]
    full = json.loads(monitor.cli("export", "--format", "json", "--history"))
    assert [period["category"] for period in full] == ["h1b", "j1_only"]
    history_csv = monitor.cli("export", "--format", "csv", "--history")
    assert history_csv.splitlines()[0].startswith("program_id,name,from,until,category")


def test_bad_arguments_are_clear_errors(monitor):
    monitor.crawl()
    runner = CliRunner()
    bad_kind = runner.invoke(app, ["changes", "--kind", "oops", "--db", monitor.db])
    assert bad_kind.exit_code == 2 and "--kind must be one of" in bad_kind.stderr
    bad_date = runner.invoke(app, ["changes", "--since", "yesterday", "--db", monitor.db])
    assert bad_date.exit_code == 2 and "--since" in bad_date.stderr
    unknown = runner.invoke(app, ["history", "nobody", "--db", monitor.db])
    assert unknown.exit_code == 2 and "no program with id 'nobody'" in unknown.stderr


def test_a_deciding_page_that_fails_or_comes_back_empty_is_never_a_change(monitor):
    assert monitor.crawl() == []
    monitor.sites.server.failing.add("/pacific-im/eligibility.html")
    assert [monitor.crawl() for _ in range(3)] == [[], [], []]  # the rest of the site answers
    monitor.sites.server.failing.clear()
    page = monitor.sites.page(PAGE)
    original = page.read_text(encoding="utf-8")
    page.write_text("<html><body></body></html>", encoding="utf-8")  # a truncated answer
    assert [monitor.crawl() for _ in range(3)] == [[], [], []]
    page.write_text(original, encoding="utf-8")
    assert monitor.crawl() == []
    [row] = json.loads(monitor.cli("status", "--json"))
    assert row["category"] == "h1b" and row["fetch_ok"] is True
    assert [p["category"] for p in json.loads(monitor.cli("history", "pacific-im", "--json"))] \
        == ["h1b"]
