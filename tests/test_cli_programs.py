"""`visa-monitor programs list|validate`, driven through Typer's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from monitor.cli.programs import programs_app

REAL_CONFIG = Path(__file__).resolve().parents[1] / "config" / "programs.toml"

PROGRAM = """
[[programs]]
id = "{pid}"
name = "{pid} program"
institution = "Somewhere"
specialty = "Internal Medicine"
city = "Los Angeles"
url = "{url}"
"""


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def run(runner: CliRunner, *args: str):
    return runner.invoke(programs_app, list(args))


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "programs.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_list_prints_a_table_of_programs(runner):
    result = run(runner, "list", "--config", str(REAL_CONFIG))
    assert result.exit_code == 0, result.output
    for pid in ("ucla-im", "cedars-neurology", "kern-em"):
        assert pid in result.stdout


def test_list_filters_by_specialty(runner):
    result = run(runner, "list", "--specialty", "pediatrics", "--config", str(REAL_CONFIG))
    assert result.exit_code == 0, result.output
    assert "chla-pediatrics" in result.stdout
    assert "ucla-im " not in result.stdout


def test_list_json_is_a_list_of_programs(runner):
    result = run(runner, "list", "--json", "--config", str(REAL_CONFIG))
    assert result.exit_code == 0, result.output
    programs = json.loads(result.stdout)
    assert len(programs) >= 60
    assert set(programs[0]) == {
        "id",
        "name",
        "institution",
        "specialty",
        "city",
        "url",
        "visa_urls",
        "scope",
    }
    assert all(p["scope"] for p in programs)  # the effective scope, never empty


def test_list_json_with_specialty(runner):
    args = ["list", "--json", "--config", str(REAL_CONFIG)]
    rheumatology = json.loads(run(runner, *args, "--specialty", "RHEUM").stdout)
    assert [p["id"] for p in rheumatology] == ["ucla-rheumatology"]
    assert json.loads(run(runner, *args, "--specialty", "no such thing").stdout) == []


def test_validate_the_real_config(runner):
    result = run(runner, "validate", "--config", str(REAL_CONFIG))
    assert result.exit_code == 0, result.output
    summary = result.stdout.strip().splitlines()[-1]
    assert summary.startswith(f"{REAL_CONFIG}: ")
    assert " programs, " in summary and " specialties, " in summary
    # The shipped config is real and correct: nothing to warn about.
    assert summary.endswith(", 0 warnings") and result.stderr == ""
    assert "warning:" not in result.output


def test_validate_uses_the_environment_when_no_config_is_given(runner, tmp_path, monkeypatch):
    path = write(tmp_path, PROGRAM.format(pid="a", url="https://a.example.edu/"))
    monkeypatch.setenv("VISA_MONITOR_CONFIG", str(path))
    result = run(runner, "validate")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"{path}: 1 program, 1 specialty, 0 warnings"
    assert result.stderr == ""


def test_validate_a_broken_config_names_file_program_and_field(runner, tmp_path):
    path = write(tmp_path, PROGRAM.format(pid="bad-url", url="ftp://a.example.edu/"))
    result = run(runner, "validate", "--config", str(path))
    assert result.exit_code == 2  # a bad config, as for every command
    assert str(path) in result.stderr
    assert "'bad-url'" in result.stderr
    assert "'url'" in result.stderr
    assert result.stdout == ""


def test_validate_a_missing_config_fails(runner, tmp_path):
    result = run(runner, "validate", "--config", str(tmp_path / "nope.toml"))
    assert result.exit_code == 2  # a bad config, as for every command
    assert "not found" in result.stderr


def test_validate_warns_about_overlapping_scopes_and_still_succeeds(runner, tmp_path):
    path = write(
        tmp_path,
        PROGRAM.format(pid="im", url="https://med.example.edu/im/")
        + PROGRAM.format(pid="surgery", url="https://med.example.edu/surgery/"),
    )
    result = run(runner, "validate", "--config", str(path))
    assert result.exit_code == 0, result.output
    assert f"warning: {path}: program 'im': field 'scope': " in result.stderr
    assert "'surgery'" in result.stderr
    assert result.stdout.strip().endswith("2 programs, 1 specialty, 1 warning")


def test_validate_warns_about_http(runner, tmp_path):
    path = write(tmp_path, PROGRAM.format(pid="a", url="http://a.example.edu/"))
    result = run(runner, "validate", "--config", str(path))
    assert result.exit_code == 0, result.output
    assert "program 'a': field 'url': http://a.example.edu/ uses http://" in result.stderr


def test_list_reports_a_broken_config(runner, tmp_path):
    path = write(tmp_path, "[[programs]]\nid = 'x'\n")
    result = run(runner, "list", "--config", str(path))
    assert result.exit_code == 2  # a bad config, as for every command
    assert "missing required field" in result.stderr
