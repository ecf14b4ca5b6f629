from pathlib import Path

import pytest

from monitor.config import ConfigError, load_config, parse_config

GOOD = """
[settings]
max_depth = 1

[[programs]]
id = "a-im"
name = "A Internal Medicine"
institution = "A Hospital"
specialty = "Internal Medicine"
city = "Los Angeles"
url = "https://a.example.org/im/"
visa_urls = ["https://a.example.org/gme/visas"]
scope = ["https://a.example.org/im/"]

[[programs]]
id = "b-fm"
name = "B Family Medicine"
institution = "B Clinic"
specialty = "Family Medicine"
city = "Pasadena"
url = "https://b.example.org/"
"""


def test_valid_config_with_defaults():
    config = parse_config(GOOD, "programs.toml")
    assert [p.id for p in config.programs] == ["a-im", "b-fm"]
    assert config.settings.max_depth == 1
    assert config.settings.max_pages_per_program == 8  # default
    assert config.settings.download_timeout == 30.0
    assert config.program("a-im").start_urls == [
        "https://a.example.org/im/", "https://a.example.org/gme/visas"
    ]
    assert config.program("b-fm").scope_rules.contains("https://b.example.org/anything")


def _error(text: str) -> str:
    with pytest.raises(ConfigError) as caught:
        parse_config(text, "cfg/programs.toml")
    return str(caught.value)


def test_unknown_key_names_file_line_program_and_field():
    message = _error(GOOD.replace('city = "Pasadena"', 'city = "Pasadena"\nwebsite = "x"'))
    assert message.startswith("cfg/programs.toml:21:")  # the line of the bad key
    assert "program 'b-fm'" in message
    assert "'website'" in message and "unknown key" in message


def test_unknown_settings_key():
    message = _error(GOOD.replace("max_depth = 1", "max_dept = 1"))
    assert "cfg/programs.toml" in message and "settings.max_dept" in message


def test_duplicate_id():
    message = _error(GOOD.replace('id = "b-fm"', 'id = "a-im"'))
    assert "program 'a-im' (programs[1])" in message
    assert "duplicate id" in message and "field 'id'" in message


@pytest.mark.parametrize(
    "bad_url, reason",
    [
        ("ftp://a.example.org/", "not an http(s) URL"),
        ("a.example.org/im", "not an http(s) URL"),
        ("https:///nohost", "no host"),
        ("https://a.example.org/with space", "whitespace"),
    ],
)
def test_bad_urls(bad_url, reason):
    message = _error(GOOD.replace('url = "https://b.example.org/"', f'url = "{bad_url}"'))
    assert "program 'b-fm'" in message and "field 'url'" in message and reason in message


def test_bad_url_in_list_names_the_index():
    message = _error(GOOD.replace('"https://a.example.org/gme/visas"', '"nonsense"'))
    assert "program 'a-im'" in message and "field 'visa_urls.0'" in message


def test_missing_field():
    message = _error(GOOD.replace('specialty = "Family Medicine"\n', ""))
    assert "program 'b-fm'" in message and "'specialty'" in message
    assert "missing required field" in message
    assert message.startswith("cfg/programs.toml:15:")  # the program's [[programs]] line


def test_bad_slug_and_bad_setting_value():
    assert "must be a slug" in _error(GOOD.replace('id = "b-fm"', 'id = "B FM"'))
    assert "settings.max_depth" in _error(GOOD.replace("max_depth = 1", "max_depth = -1"))


def test_not_toml_and_missing_file(tmp_path: Path):
    assert "not valid TOML" in _error("[[programs]\nid=")
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "nope.toml")


def test_env_variable_chooses_the_config(tmp_path: Path, monkeypatch):
    path = tmp_path / "mine.toml"
    path.write_text(GOOD, encoding="utf-8")
    monkeypatch.setenv("VISA_MONITOR_CONFIG", str(path))
    assert load_config().path == str(path)


def test_select_unknown_program():
    config = parse_config(GOOD, "p.toml")
    assert [p.id for p in config.select(["b-fm"]).programs] == ["b-fm"]
    with pytest.raises(ConfigError, match="no program with id 'zzz'"):
        config.select(["zzz"])


def test_render_defaults_to_auto_and_accepts_browser_and_never():
    config = parse_config(GOOD.replace('city = "Pasadena"', 'city = "Pasadena"\nrender = "never"'))
    assert config.program("a-im").render == "auto"
    assert config.program("b-fm").render == "never"
    config = parse_config(
        GOOD.replace('city = "Pasadena"', 'city = "Pasadena"\nrender = "browser"'))
    assert config.program("b-fm").render == "browser"


def test_bad_render_value_names_file_line_program_and_field():
    message = _error(GOOD.replace('city = "Pasadena"', 'city = "Pasadena"\nrender = "chrome"'))
    assert message.startswith("cfg/programs.toml:21:")
    assert "program 'b-fm'" in message and "'render'" in message
    assert "'auto', 'browser' or 'never'" in message


def test_pdf_and_browser_settings():
    config = parse_config(GOOD)
    assert config.settings.pdf_maxsize == 20_000_000
    assert config.settings.browser_path == "/usr/bin/chromium"
    config = parse_config(GOOD.replace(
        "max_depth = 1", 'max_depth = 1\npdf_maxsize = 1000000\nbrowser_path = "/opt/chromium"'))
    assert (config.settings.pdf_maxsize, config.settings.browser_path) == (
        1_000_000, "/opt/chromium")
    assert "settings.pdf_maxsize" in _error(GOOD.replace("max_depth = 1", "pdf_maxsize = 5"))
