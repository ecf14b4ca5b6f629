"""`visa-monitor evidence ...`, and the filings in `status` and `history`.

The fixture programs' stances are written through the store's writer (as a
crawl does); one slow test gets them from a real crawl of the fixture sites.
"""

import json

import pytest
from conftest import FIXTURES
from evidence_files import LCA_FY19, RECENT_FY, USCIS_2018, USCIS_2019, USCIS_NEW, lca_quarters
from test_evidence_report import J1_TEXT, SPONSOR_TEXT, record_stances
from typer.testing import CliRunner

from monitor.cli.main import app
from monitor.config import load_config
from monitor.store.writer import Store

SIERRA_FLAG = f"says J-1 only; its employer filed 14 H-1B LCAs for residents in FY{RECENT_FY}"
INSTITUTIONS = """
[[institutions]]
name = "Westbay Health"
employer_names = ["Westbay Health System, Inc."]
"""


@pytest.fixture
def cli():
    runner = CliRunner()

    def invoke(*args):
        return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "250"})

    return invoke


def _runner(cli, db_url, config):
    def run(*args):
        # Only the commands that read the program config take --config.
        reads_config = args[0] == "crawl" or args[:2] in (("evidence", "import"),
                                                           ("evidence", "match"))
        return cli(*args, "--db", db_url, *(("--config", config) if reads_config else ()))

    return run


@pytest.fixture
def monitor(cli, db_url, tmp_path):
    """The fixture programs with stances stored, and the Westbay override in their config."""
    config = tmp_path / "programs.toml"
    config.write_text((FIXTURES / "programs.toml").read_text() + INSTITUTIONS)
    store = Store.open(db_url)
    record_stances(store, load_config(config), {
        "sierra-psych": J1_TEXT, "harbor-fm": J1_TEXT, "westbay-surgery": J1_TEXT,
        "westbay-im": SPONSOR_TEXT, "mission-em": SPONSOR_TEXT, "eastgate-gs": J1_TEXT,
    })
    store.close()
    return _runner(cli, db_url, config)


@pytest.fixture
def crawled(cli, sites, db_url, tmp_path):
    """The fixture programs crawled from the fixture sites, with the Westbay override."""
    config = tmp_path / "programs.toml"
    config.write_text(sites.config_path.read_text() + INSTITUTIONS)
    result = cli("crawl", "--config", config, "--db", db_url, "--json")
    assert result.exit_code == 0, result.output
    return _runner(cli, db_url, config)


def import_all(monitor, tmp_path):
    q1, q2 = lca_quarters(tmp_path)
    uscis = monitor("evidence", "import", "uscis", USCIS_2018, USCIS_2019, USCIS_NEW)
    assert uscis.exit_code == 0, uscis.output
    assert "6 rows read, 6 lines stored" in uscis.stdout
    lca = monitor("evidence", "import", "lca", LCA_FY19, q1, q2)
    assert lca.exit_code == 0, lca.output
    assert "programs matched to employers" in lca.stdout
    return q1, q2


def test_status_json_and_table_show_filings_and_the_contradiction(monitor, tmp_path):
    # Before any import there is nothing to show: no column of "no filings matched".
    before = plain_rows(monitor("status").stdout)
    assert "filings" not in before["sierra-psych"]
    import_all(monitor, tmp_path)
    rows = {row["program_id"]: row for row in json.loads(monitor("status", "--json").stdout)}
    sierra = rows["sierra-psych"]
    assert sierra["category"] == "j1_only"  # the program's own words stay the verdict
    filings = sierra["h1b_filings"]
    assert filings["contradiction"] == SIERRA_FLAG
    assert filings["employers"] == ["SIERRA VISTA BEHAVIORAL HEALTH",
                                    "Sierra Vista Behavioral Hlth, Inc."]
    by_year = {year["fiscal_year"]: year for year in filings["years"]}
    assert by_year[RECENT_FY]["dol_trainee_lcas"] == 14
    assert by_year[2025]["uscis_approvals"] == 10 and by_year[2024]["uscis_approvals"] == 7
    # Harbor says J-1 only and its employer filed no trainee LCA: confirmed, no flag.
    assert rows["harbor-fm"]["category"] == "j1_only"
    assert rows["harbor-fm"]["h1b_filings"]["employers"] == ["HARBOR COMMUNITY HEALTH"]
    assert rows["harbor-fm"]["h1b_filings"]["contradiction"] is None
    # Westbay surgery says J-1 only; its employer (by the config's override) filed 3.
    assert rows["westbay-surgery"]["category"] == "j1_only"
    assert rows["westbay-surgery"]["h1b_filings"]["contradiction"].endswith(
        f"filed 3 H-1B LCAs for residents in FY{RECENT_FY}")
    assert rows["westbay-im"]["h1b_filings"]["contradiction"] is None  # says H-1B
    assert rows["mission-em"]["h1b_filings"]["employers"] == []

    # In a pipe the table is tab-separated lines under a header (see cli/layout.py).
    table = monitor("status")
    assert table.exit_code == 0
    shown = plain_rows(table.stdout)
    assert shown["sierra-psych"]["filings"] == f"FY{RECENT_FY}: 0 USCIS approvals, 14 trainee LCAs"
    assert f"filings: {SIERRA_FLAG}" in shown["sierra-psych"]["evidence_text"]
    assert shown["harbor-fm"]["filings"] == "FY2019: 2 USCIS approvals, 0 trainee LCAs"
    assert shown["mission-em"]["filings"] == "no filings matched"

    history = monitor("history", "sierra-psych", "--json")
    assert json.loads(history.stdout)[0]["h1b_filings"]["contradiction"] == SIERRA_FLAG
    periods = monitor("history", "sierra-psych").stdout.splitlines()
    assert any(SIERRA_FLAG in line for line in periods[1:])


def plain_rows(output: str) -> dict[str, dict[str, str]]:
    """Plain (piped) output by its first column, each row keyed by the header."""
    header, *lines = (line.split("\t") for line in output.splitlines())
    return {cells[0]: dict(zip(header, cells, strict=True)) for cells in lines}


def test_reimporting_changes_nothing(monitor, tmp_path):
    q1, q2 = import_all(monitor, tmp_path)
    before = monitor("status", "--json").stdout
    again = monitor("evidence", "import", "lca", q2, q1)
    assert again.stdout.count("already imported") == 2
    forced = monitor("evidence", "import", "lca", "--force", q1, q2, LCA_FY19)
    assert forced.exit_code == 0 and "already imported" not in forced.stdout
    forced = monitor("evidence", "import", "uscis", "--force", USCIS_NEW, USCIS_2019)
    assert forced.exit_code == 0
    assert monitor("status", "--json").stdout == before


def test_evidence_show_and_match(monitor, tmp_path):
    import_all(monitor, tmp_path)
    shown = json.loads(monitor("evidence", "show", "sierra-psych", "--json").stdout)
    assert shown["category"] == "j1_only"
    assert shown["h1b_filings"]["contradiction"] == SIERRA_FLAG
    table = monitor("evidence", "show", "sierra-psych")
    assert "SIERRA VISTA BEHAVIORAL HEALTH" in table.stdout and f"FY{RECENT_FY}" in table.stdout

    matched = monitor("evidence", "match")
    assert matched.exit_code == 0, matched.output
    assert "7 of 14 programs matched" in matched.stdout
    assert "Mission Valley Medical Center" in matched.stdout
    assert "MISSION VALLEY MEDICAL CENTER (SAN DIEGO, CA)" in matched.stdout
    assert "LAKESIDE UNIV HOSPITAL FOUNDATION" in matched.stdout
    as_json = json.loads(monitor("evidence", "match", "--json").stdout)
    assert as_json["matched"]["pacific-im"][0]["source"] == "name"
    assert as_json["matched"]["westbay-im"][0]["source"] == "config"
    assert {entry["institution"] for entry in as_json["unmatched"]} == {
        "Mission Valley Medical Center", "Lakeside University Hospital",
        "Golden State Medical Center", "Canyon Ridge Medical Center", "Riverside Health",
        "Summit Heart Institute"}
    assert "under [[institutions]]:" in matched.stdout  # config advice is not read as markup

    missing = monitor("evidence", "show", "no-such-program")
    assert missing.exit_code == 2 and "no-such-program" in missing.stderr


def test_a_bad_file_is_exit_2_naming_file_and_line(monitor, tmp_path):
    bad = tmp_path / "h1b_datahubexport-2019.csv"
    bad.write_text(USCIS_2019.read_text().replace(",11,1,15,", ",eleven,1,15,"))
    result = monitor("evidence", "import", "uscis", bad)
    assert result.exit_code == 2
    assert str(bad) in result.stderr and "line 2" in result.stderr
    not_lca = monitor("evidence", "import", "lca", USCIS_2018)
    assert not_lca.exit_code == 2 and "not a DOL LCA disclosure file" in not_lca.stderr


@pytest.mark.slow
def test_filings_beside_the_stances_a_real_crawl_found(crawled, tmp_path):
    import_all(crawled, tmp_path)
    rows = {row["program_id"]: row for row in json.loads(crawled("status", "--json").stdout)}
    # fixtures/expected.toml: Sierra Vista and Harbor say J-1 only, Pacific sponsors H-1B.
    assert rows["sierra-psych"]["category"] == "j1_only"
    assert rows["sierra-psych"]["h1b_filings"]["contradiction"] == SIERRA_FLAG
    assert rows["harbor-fm"]["category"] == "j1_only"
    assert rows["harbor-fm"]["h1b_filings"]["contradiction"] is None
    assert rows["pacific-im"]["category"] == "h1b"
    assert rows["pacific-im"]["h1b_filings"]["contradiction"] is None
    assert rows["pacific-im"]["h1b_filings"]["years"][0]["dol_trainee_lcas"] == 2
