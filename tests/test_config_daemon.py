"""The daemon's settings: schedule and operator URL, checked when the config loads."""

import pytest

from monitor.config import ConfigError, parse_config

PROGRAM = """
[[programs]]
id = "a-im"
name = "A"
institution = "A"
specialty = "IM"
city = "LA"
url = "https://a.example.org/"
"""


def test_defaults_are_every_six_hours_and_no_operator():
    config = parse_config(PROGRAM)
    assert config.settings.schedule == "0 */6 * * *"
    assert config.settings.operator_url is None


def test_a_bad_schedule_names_file_line_and_field():
    text = '[settings]\nmax_depth = 1\nschedule = "every day"\n' + PROGRAM
    with pytest.raises(ConfigError) as error:
        parse_config(text, "programs.toml")
    message = str(error.value)
    assert message.startswith("programs.toml:3: field 'settings.schedule'")
    assert "cron" in message


def test_an_operator_url_apprise_refuses_is_an_error_without_the_url():
    text = '[settings]\noperator_url = "nosuchservice://secret-token@host"\n' + PROGRAM
    with pytest.raises(ConfigError) as error:
        parse_config(text, "programs.toml")
    message = str(error.value)
    assert "programs.toml:2: field 'settings.operator_url'" in message
    assert "secret-token" not in message


def test_the_operator_url_is_kept_secret():
    text = '[settings]\noperator_url = "json://127.0.0.1:9/hook?token=s3cret"\n' + PROGRAM
    config = parse_config(text)
    assert config.settings.operator_url.get_secret_value().endswith("token=s3cret")
    assert "s3cret" not in repr(config) and "s3cret" not in str(config.settings)
