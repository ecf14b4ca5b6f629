"""What the commands print: tables for the width there is, plain lines in a pipe.

Every test runs the real command on a real database filled by a real crawl of
the fixture sites. TTY_COMPATIBLE=1 makes Rich treat the runner's output as a
terminal (as a user's shell is); without it the output is a pipe.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from monitor.cli.main import app
from monitor.demo import FixtureServer, fixture_config_text

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
ANSI = re.compile(r"\x1b\[[0-9;]*m")
# Lower case after "[": what Rich markup would take for a tag and drop.
BRACKETED = "Pacific Coast Medical Center [see gme policy 4.2] sponsors both J-1 and H-1B"


def _invoke(*args, columns: int | None = None, terminal: bool = False):
    env = {"TTY_COMPATIBLE": "1" if terminal else "0", "NO_COLOR": "1"}
    if columns:
        env["COLUMNS"] = str(columns)
    return CliRunner().invoke(app, [str(a) for a in args], env=env)


def run(*args, columns: int | None = None, terminal: bool = False) -> str:
    result = _invoke(*args, columns=columns, terminal=terminal)
    assert result.exit_code == 0, result.output
    return ANSI.sub("", result.stdout)


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    """Two crawls: the first finds every stance; in the second pacific-im is down
    and golden-path stops sponsoring H-1B (a change event).

    Module-scoped: the commands here only read it, and crawls take seconds.
    """
    tmp = tmp_path_factory.mktemp("output")
    root = tmp / "fixtures"
    shutil.copytree(FIXTURES, root)
    page = root / "sites" / "pacific-im" / "eligibility.html"
    page.write_text(page.read_text().replace(
        "Pacific Coast Medical Center sponsors both J-1 and H-1B", BRACKETED))
    path = tmp / "monitor.db"
    with FixtureServer(root / "sites", port=0) as server:
        config = tmp / "programs.toml"
        config.write_text(fixture_config_text(root, server.origin), encoding="utf-8")
        run("crawl", "--config", config, "--db", path, "--json")
        server.failing.add("/pacific-im/")
        golden = root / "sites" / "golden-path" / "eligibility.html"
        golden.write_text(golden.read_text().replace(
            'sponsors both H-<span class="nowrap">1B</span> and J-1&nbsp;visas',
            "does not sponsor H-1B visas; it sponsors J-1&nbsp;visas"))
        run("crawl", "--config", config, "--db", path, "--json",
            "--program", "pacific-im", "--program", "harbor-fm", "--program", "golden-path")
    return path


def stored_urls(db) -> dict[str, set[str]]:
    rows = json.loads(run("status", "--db", db, "--json"))
    return {r["program_id"]: {e["url"] for e in r["evidence"]} for r in rows}


def lines_of_width(text: str) -> list[int]:
    return [len(line) for line in text.splitlines()]


@pytest.mark.parametrize("columns", [80, 200])
def test_status_shows_id_last_check_step3_and_whole_urls(db, columns):
    out = run("status", "--db", db, columns=columns, terminal=True)
    assert max(lines_of_width(out)) <= columns or columns == 80  # URLs may run past 80
    for program_id, urls in stored_urls(db).items():
        assert re.search(rf"(^|[\s│]){re.escape(program_id)}([\s│]|$)", out, re.M), program_id
        for url in urls:
            assert url in out, url  # on one line, never split
    assert "Step 3" in out and "required" in out
    # pacific-im's stance is the old one and its last check failed: both shown.
    assert "failed" in out and "last check failed: " in out
    assert "503" in out


def test_a_failed_last_check_is_visible_in_every_layout(db):
    for columns in (80, 200):
        out = run("status", "--db", db, "--program", "pacific-im",
                  columns=columns, terminal=True)
        assert "last check failed: " in out and "failed" in out
        assert "h1b" in out  # the old stance is still shown, next to the failure
    plain = run("status", "--db", db, "--program", "pacific-im")
    [header, line] = plain.splitlines()
    row = dict(zip(header.split("\t"), line.split("\t"), strict=True))
    assert row["last_check"] == "failed" and row["category"] == "h1b"
    assert row["evidence_text"].startswith("last check failed: ")


@pytest.mark.parametrize("columns", [80, 200])
def test_page_text_with_brackets_is_not_read_as_markup(db, columns):
    for command in (["status"], ["history", "pacific-im"]):
        out = run(*command, "--db", db, columns=columns, terminal=True)
        # Wrapping may break the sentence across lines; the brackets must survive.
        assert "[see" in out and "4.2]" in out, command
    plain = run("history", "pacific-im", "--db", db)
    assert BRACKETED in plain


def test_wide_status_is_one_table_with_the_program_id_column(db):
    out = run("status", "--db", db, columns=200, terminal=True)
    header = next(line for line in out.splitlines() if "Category" in line)
    for column in ("Program", "Category", "H-1B", "J-1", "Step 3", "Checked", "Last check"):
        assert column in header
    assert max(lines_of_width(out)) <= 200


def test_history_at_80_columns_keeps_the_evidence_readable(db):
    out = run("history", "harbor-fm", "--db", db, columns=80, terminal=True)
    assert max(lines_of_width(out)) <= 80
    rows = json.loads(run("history", "harbor-fm", "--db", db, "--json"))
    for item in rows[0]["evidence"]:
        assert item["url"] in out
        # The sentence is wrapped on words, never squeezed to a character a line.
        words = item["text"].split()
        assert " ".join(words[:3]) in out


@pytest.mark.parametrize("columns", [80, 200])
def test_history_and_changes_keep_urls_whole(db, columns):
    rows = json.loads(run("history", "pacific-im", "--db", db, "--json"))
    out = run("history", "pacific-im", "--db", db, columns=columns, terminal=True)
    for item in rows[0]["evidence"]:
        assert item["url"] in out
    changes = run("changes", "--db", db, columns=columns, terminal=True)
    events = json.loads(run("changes", "--db", db, "--json"))
    assert [e["program_id"] for e in events] == ["golden-path"]
    assert "h1b → j1_only" in changes
    for event in events:
        assert event["program_id"] in changes
        for item in event["evidence_after"]:
            assert item["url"] in changes


def test_plain_output_in_a_pipe_works_with_cut_and_grep(db):
    out = run("status", "--db", db)
    lines = out.splitlines()
    header = lines[0].split("\t")
    assert header[:3] == ["program_id", "category", "h1b"]
    assert "\x1b" not in out and "│" not in out and "┃" not in out
    by_id = {line.split("\t")[0]: line.split("\t") for line in lines[1:]}
    stored = json.loads(run("status", "--db", db, "--json"))
    assert set(by_id) == {row["program_id"] for row in stored}
    for row in stored:
        cells = dict(zip(header, by_id[row["program_id"]], strict=True))
        # A program whose pages could not be read yet has no category: "—".
        assert cells["category"] == (row["category"] or "—")
        assert cells["checked"] == row["checked_at"][:16].replace("T", " ")
        urls = cells["evidence_url"].split(" | ") if cells["evidence_url"] else []
        assert urls == [e["url"] for e in row["evidence"]]
    history = run("history", "pacific-im", "--db", db).splitlines()
    assert history[0].split("\t")[0] == "from" and len(history) == 2


def test_programs_list_in_a_pipe_and_on_a_terminal(sites):
    plain = run("programs", "list", "--config", sites.config_path)
    assert plain.splitlines()[0] == "id\tspecialty\tcity\tname"
    assert "pacific-im\tInternal Medicine\tLos Angeles\t" in plain
    table = run("programs", "list", "--config", sites.config_path, columns=80, terminal=True)
    assert "pacific-im" in table and max(lines_of_width(table)) <= 80


def test_csv_export_keeps_every_sentence_and_taxonomy_values(db):
    out = run("export", "--format", "csv", "--db", db)
    rows = {r["program_id"]: r for r in csv.DictReader(io.StringIO(out))}
    stored = {r["program_id"]: r for r in json.loads(run("status", "--db", db, "--json"))}
    assert set(rows) == set(stored)
    assert len(stored["pacific-im"]["evidence"]) >= 2  # the case this is about
    taxonomy = {True: "true", False: "false", None: ""}
    for pid, row in stored.items():
        assert rows[pid]["evidence_text"].split("\n") == [e["text"] for e in row["evidence"]] \
            or (rows[pid]["evidence_text"] == "" and not row["evidence"])
        assert rows[pid]["evidence_url"].split("\n") == [e["url"] for e in row["evidence"]] \
            or (rows[pid]["evidence_url"] == "" and not row["evidence"])
        assert rows[pid]["step3_required"] == taxonomy[row["step3_required"]]
        assert rows[pid]["fetch_ok"] == taxonomy[row["fetch_ok"]]
        assert rows[pid]["error"] == (row["error"] or "")
    assert {r["step3_required"] for r in rows.values()} >= {"true", ""}
    assert rows["pacific-im"]["fetch_ok"] == "false" and rows["harbor-fm"]["fetch_ok"] == "true"
    assert "True" not in out and "False" not in out and "None" not in out


def test_an_empty_answer_says_so_on_a_terminal_and_is_a_bare_header_in_a_pipe(db):
    out = run("changes", "--db", db, "--kind", "recovered", terminal=True, columns=80)
    assert out.strip() == "Changes (none)"
    plain = run("changes", "--db", db, "--kind", "recovered")
    assert plain.splitlines() == [
        "detected\tprogram_id\tkind\tchange\tname\tevidence_text\tevidence_url"]
