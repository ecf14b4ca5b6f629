"""Errors a new user meets, through the real command: clear, one line, the
right exit code, and nothing created or fetched by mistake."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect
from typer.testing import CliRunner

from monitor.cli.main import app

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
READING = [["status"], ["history", "pacific-im"], ["changes"], ["export", "--format", "csv"],
           ["diff", "pacific-im"]]


def cli(*args, input=None):
    return CliRunner().invoke(app, [str(a) for a in args], input=input,
                              env={"COLUMNS": "200"})


@pytest.fixture
def crawled(sites, tmp_path) -> Path:
    path = tmp_path / "monitor.db"
    result = cli("crawl", "--config", sites.config_path, "--db", path, "--json",
                 "--program", "pacific-im", "--program", "harbor-fm")
    assert result.exit_code == 0, result.output
    sites.server.requests.clear()
    return path


@pytest.mark.parametrize("command", READING, ids=lambda c: c[0])
def test_reading_commands_never_create_a_database(command, tmp_path):
    missing = tmp_path / "typo" / "monitr.db"
    result = cli(*command, "--db", missing)
    assert result.exit_code == 3, result.output
    assert result.stderr.strip() == (
        f"error: no database at {missing}; run `visa-monitor crawl` or "
        "`visa-monitor db upgrade` first")
    assert result.stdout == ""
    assert not missing.exists() and not missing.parent.exists()


def test_reading_commands_create_no_schema_in_any_backend(db_url):
    """SQLite (a file that does not exist) and PostgreSQL (an empty schema)."""
    result = cli("status", "--db", db_url)
    assert result.exit_code == 3, result.output
    assert "no database at" in result.stderr
    assert "run `visa-monitor crawl` or `visa-monitor db upgrade` first" in result.stderr
    engine = create_engine(db_url)
    try:
        assert inspect(engine).get_table_names() == []
    finally:
        engine.dispose()
    upgraded = cli("db", "upgrade", "--db", db_url)
    assert upgraded.exit_code == 0, upgraded.output
    assert cli("status", "--db", db_url, "--json").stdout.strip() == "[]"


def test_reading_an_empty_database_file_is_the_same_error(tmp_path):
    empty = tmp_path / "empty.db"
    empty.touch()
    result = cli("status", "--db", empty)
    assert result.exit_code == 3 and "no database at" in result.stderr
    assert empty.stat().st_size == 0  # no schema was written into it


@pytest.mark.parametrize("command", [["status"], ["crawl"], ["db", "upgrade"]],
                         ids=lambda c: c[0])
def test_a_directory_as_db_says_so(command, tmp_path, sites):
    extra = ["--config", sites.config_path] if command == ["crawl"] else []
    result = cli(*command, *extra, "--db", tmp_path)
    assert result.exit_code == 3, result.output
    assert result.stderr.strip() == (
        f"error: {tmp_path} is a directory; --db takes a database file or URL")
    assert sites.server.requests == []


def _one_line_exit_3(result) -> str:
    assert result.exit_code == 3, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr  # one clear line, no traceback
    assert "Traceback" not in result.output and "sqlalchemy" not in result.output.lower()
    return lines[0]


def test_a_read_only_database_stops_crawl_before_it_starts(crawled, sites):
    read_only = f"sqlite:///file:{crawled}?mode=ro&uri=true"
    result = cli("crawl", "--config", sites.config_path, "--db", read_only)
    line = _one_line_exit_3(result)
    assert line.startswith("error: cannot write to database ") and "readonly" in line
    assert sites.server.requests == []  # checked before anything was fetched
    # Reading it still works.
    assert cli("status", "--db", read_only, "--json").exit_code == 0


def _immutable(path: Path) -> bool:
    done = subprocess.run(["chattr", "+i", str(path)], capture_output=True)
    return done.returncode == 0


def test_an_immutable_database_stops_crawl_and_demo(crawled, sites):
    for suffix in ("-wal", "-shm"):
        crawled.with_name(crawled.name + suffix).unlink(missing_ok=True)
    if shutil.which("chattr") is None or not _immutable(crawled):
        pytest.skip("chattr +i needs root and a filesystem that supports it")
    try:
        result = cli("crawl", "--config", sites.config_path, "--db", crawled)
        line = _one_line_exit_3(result)
        assert "cannot write to database" in line
        assert sites.server.requests == []
        demo = cli("demo", "--db", crawled, "--fixtures", FIXTURES)
        assert "cannot write to database" in _one_line_exit_3(demo)
        assert "Serving the fixture sites" not in demo.output
    finally:
        subprocess.run(["chattr", "-i", str(crawled)], check=True)


def test_unknown_program_ids_agree_between_status_and_crawl(crawled, sites):
    status = cli("status", "--db", crawled, "--program", "pacific-in")
    assert status.exit_code == 2, status.output
    assert "no program with id 'pacific-in' (closest: pacific-im)" in status.stderr
    crawl = cli("crawl", "--config", sites.config_path, "--db", crawled,
                "--program", "harbour-fm", "--program", "pacific-im")
    assert crawl.exit_code == 2, crawl.output
    assert "no program with id 'harbour-fm' (closest: harbor-fm)" in crawl.stderr
    assert sites.server.requests == []
    unrelated = cli("status", "--db", crawled, "--program", "zzzz")
    assert unrelated.exit_code == 2 and "'zzzz' in the database" in unrelated.stderr
    for command in (["history", "pacfic-im"], ["diff", "pacfic-im"],
                    ["changes", "--program", "pacfic-im"]):
        result = cli(*command, "--db", crawled)
        assert result.exit_code == 2, command
        assert "no program with id 'pacfic-im' (closest: pacific-im)" in result.stderr


def test_status_of_a_known_program_still_works(crawled):
    rows = json.loads(cli("status", "--db", crawled, "--program", "harbor-fm", "--json").stdout)
    assert [row["program_id"] for row in rows] == ["harbor-fm"]


@pytest.mark.parametrize("make", [
    lambda tmp: Path(sys.executable).resolve(),  # an executable (NUL bytes)
    lambda tmp: _write(tmp / "latin1.txt", "Wir f\xf6rdern H-1B Visa.".encode("latin-1")),
    lambda tmp: _write(tmp / "noise.bin", bytes(range(1, 32)) * 20),
], ids=["executable", "undecodable", "control-characters"])
def test_classify_refuses_input_that_is_not_text(make, tmp_path):
    path = make(tmp_path)
    result = cli("classify", path, "--json")
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr.startswith(f"error: {path}: not ")


def test_classify_refuses_binary_on_stdin(tmp_path):
    result = CliRunner().invoke(app, ["classify", "-"], input=b"\x7fELF\x00\x00binary")
    assert result.exit_code == 2 and "error: -: not a text file" in result.stderr


def test_classify_still_reads_utf8_text_and_html(tmp_path):
    text = _write(tmp_path / "note.txt", "We do not sponsor visas — J-1 or H-1B.".encode())
    html = _write(tmp_path / "page.html",
                  "<p>Nous parrainons le visa H-1B. We sponsor H-1B visas.</p>".encode("latin-1"))
    result = cli("classify", text, html, "--json")
    assert result.exit_code == 0, result.output
    assert [row["category"] for row in json.loads(result.stdout)] == ["none", "h1b"]


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_an_empty_config_is_an_error_naming_the_file(tmp_path, sites):
    empty = tmp_path / "programs.toml"
    empty.write_text("# nothing yet\n")
    db = tmp_path / "never.db"
    for command in (["crawl", "--db", db], ["programs", "validate"], ["programs", "list"]):
        result = cli(*command, "--config", empty)
        assert result.exit_code == 2, command
        assert f"{empty}: no programs" in result.stderr
    assert not db.exists()


def test_every_config_error_is_listed_with_the_duplicate_ids(tmp_path):
    program = ('[[programs]]\nid = "{pid}"\nname = "N"\ninstitution = "I"\n'
               'specialty = "S"\ncity = "C"\nurl = "{url}"\n')
    config = tmp_path / "programs.toml"
    config.write_text(program.format(pid="a", url="https://a.example.org/")
                      + program.format(pid="a", url="https://b.example.org/")
                      + program.format(pid="c", url="ftp://c.example.org/"))
    result = cli("programs", "validate", "--config", config)
    assert result.exit_code == 2
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 2, result.stderr
    assert any("program 'c'" in e and "field 'url'" in e for e in errors)
    assert any(f"{config}:8: program 'a' (programs[1]): field 'id': duplicate id" in e
               for e in errors)


def test_error_messages_are_never_read_as_markup(tmp_path):
    """A path (or page text, or a driver's error) with square brackets comes out
    as written; Rich would take `[old]` for a style and drop it."""
    config = tmp_path / "[old] programs.toml"
    result = cli("crawl", "--config", config, "--db", tmp_path / "x.db")
    assert result.exit_code == 2
    assert f"error: {config}: config file not found" in result.stderr
    closing = cli("status", "--db", tmp_path / "[/bold]" / "x.db")
    assert closing.exit_code == 3 and "[/bold]" in closing.stderr


def test_a_crawl_whose_results_cannot_be_written_says_so(crawled, sites):
    """Below the command's own check: the library call on a read-only database
    reports that the results were not recorded, not 'failed (exit code 0)'."""
    from monitor.crawl.runner import CrawlError, run_crawl

    with pytest.raises(CrawlError) as error:
        run_crawl(sites.config("harbor-fm"), f"sqlite:///file:{crawled}?mode=ro&uri=true")
    message = str(error.value)
    assert "exit code 0" not in message
    assert message.startswith("the crawl process ended without recording its results:")
    # The crawl lock of a URI filename lies beside the file, not under ./file:/...
    assert crawled.with_name(f"{crawled.name}.crawl.lock").exists()
    assert not Path("file:").exists()
