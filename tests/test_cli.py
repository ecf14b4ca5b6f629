"""Every command, through real crawls of the fixture sites."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from monitor.cli.main import app
from monitor.store.db import head_revision

STATUS_KEYS = {"program_id", "name", "category", "h1b", "j1", "step3_required", "evidence",
               "checked_at", "fetch_ok", "error"}


@pytest.fixture
def cli():
    runner = CliRunner()

    def invoke(*args, input=None, env=None):
        # Wide enough that table cells are not wrapped mid-name.
        env = {"COLUMNS": "240", **(env or {})}
        return runner.invoke(app, [str(a) for a in args], input=input, env=env)

    return invoke


@pytest.fixture
def crawled(cli, sites, sqlite_url):
    result = cli("crawl", "--config", sites.config_path, "--db", sqlite_url, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_crawl_json_lists_every_program(crawled, expected):
    assert {row["program_id"] for row in crawled} == set(expected)
    assert all(set(row) == STATUS_KEYS for row in crawled)
    by_id = {row["program_id"]: row for row in crawled}
    assert by_id["pacific-im"]["category"] == expected["pacific-im"]["category"]


def test_crawl_table_shows_category_and_deciding_sentence(cli, sites, sqlite_url, expected):
    result = cli("crawl", "--config", sites.config_path, "--db", sqlite_url,
                 "--program", "pacific-im", "--program", "harbor-fm")
    assert result.exit_code == 0, result.output
    assert "Pacific Coast Medical Center" in result.stdout
    assert expected["pacific-im"]["category"] in result.stdout
    assert "Sierra Vista" not in result.stdout  # not selected


def test_crawl_with_a_bad_config_fetches_and_writes_nothing(cli, sites, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(sites.config_path.read_text().replace("city =", "town =", 1))
    db_file = tmp_path / "never.db"
    result = cli("crawl", "--config", bad, "--db", db_file)
    assert result.exit_code == 2
    assert str(bad) in result.stderr and "'town'" in result.stderr
    assert "program 'pacific-im'" in result.stderr
    assert not db_file.exists()
    assert sites.server.requests == []


def test_crawl_of_an_unknown_program_id(cli, sites, sqlite_url):
    result = cli("crawl", "--config", sites.config_path, "--db", sqlite_url, "--program", "zz")
    assert result.exit_code == 2 and "no program with id 'zz'" in result.stderr


def test_database_unreachable_is_exit_3_without_password(cli, sites):
    result = cli("crawl", "--config", sites.config_path,
                 "--db", "postgresql+psycopg://u:hunter2@127.0.0.1:1/x")
    assert result.exit_code == 3
    assert "hunter2" not in result.output and "cannot open database" in result.stderr
    assert sites.server.requests == []


def test_status_json_has_exactly_the_contract_keys(cli, crawled, sqlite_url, expected):
    result = cli("status", "--db", sqlite_url, "--json")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert len(rows) == len(crawled)
    for row in rows:
        assert set(row) == STATUS_KEYS
        if expected[row["program_id"]].get("fetch_ok", True):
            assert row["fetch_ok"] is True and row["error"] is None
        else:  # a program that cannot be read shows why
            assert row["fetch_ok"] is False
            assert expected[row["program_id"]]["error"] in row["error"]
        assert row["checked_at"].endswith("+00:00")
        assert all(set(item) == {"url", "text"} for item in row["evidence"])


def test_environment_variables_choose_db_and_config(cli, sites, tmp_path):
    env = {"VISA_MONITOR_DB": str(tmp_path / "env.db"),
           "VISA_MONITOR_CONFIG": str(sites.config_path)}
    assert cli("crawl", "--program", "harbor-fm", env=env).exit_code == 0
    rows = json.loads(cli("status", "--json", env=env).stdout)
    assert [row["program_id"] for row in rows] == ["harbor-fm"]
    assert (tmp_path / "env.db").exists()


def test_status_table(cli, crawled, sqlite_url):
    result = cli("status", "--db", sqlite_url)
    assert result.exit_code == 0 and "Current stances" in result.stdout


def test_classify_files_and_stdin(cli, tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<html><body><nav>Visa info</nav><p>We are unable to sponsor H-1B "
                    "visas; J-1 physicians sponsored by ECFMG are welcome.</p></body></html>")
    note = tmp_path / "note.txt"
    note.write_text("Applicants must be US citizens or permanent residents. We do not "
                    "sponsor visas of any kind.")
    result = cli("classify", page, note, "--json")
    assert result.exit_code == 0, result.output
    first, second = json.loads(result.stdout)
    assert (first["category"], first["h1b"], first["j1"]) == ("j1_only", "no", "yes")
    assert first["evidence"][0]["url"] == str(page)
    assert second["category"] == "none"
    piped = cli("classify", "-", "--json", input="Both J-1 and H-1B visas are sponsored.")
    assert json.loads(piped.stdout)[0]["category"] == "h1b"
    assert cli("classify", tmp_path / "missing.txt").exit_code == 2


@pytest.mark.browser
def test_demo_serves_and_crawls_the_fixtures(cli, tmp_path, expected):
    db_file = tmp_path / "demo.db"
    fixtures = Path(__file__).resolve().parents[1] / "fixtures"
    result = cli("demo", "--db", db_file, "--json", "--fixtures", fixtures)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    # Programs that cannot be read (fetch_ok = false in expected.toml) have no category.
    assert {row["program_id"]: row["category"] for row in rows} == {
        pid: want.get("category") for pid, want in expected.items()}


def test_db_upgrade(cli, tmp_path):
    result = cli("db", "upgrade", "--db", tmp_path / "new.db")
    assert result.exit_code == 0 and f"revision {head_revision()}" in result.stdout


def test_python_dash_m_monitor_is_the_same_command():
    completed = subprocess.run(
        [sys.executable, "-m", "monitor", "classify", "-", "--json"],
        input="We do not sponsor H-1B visas. ECFMG J-1 holders are welcome.",
        capture_output=True, text=True, timeout=60,
    )
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout)[0]["category"] == "j1_only"
