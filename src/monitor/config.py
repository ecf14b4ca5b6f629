"""Load and validate `programs.toml`.

Every problem is reported as a `ConfigError` naming the file, the program and
the field (and the line where we can find it), before anything is fetched or
written.
"""

from __future__ import annotations

import os
import re
import tomllib
from functools import cached_property
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator

from monitor.crawl.scope import Scope, normalise_url

DEFAULT_CONFIG = Path("config/programs.toml")
CONFIG_ENV = "VISA_MONITOR_CONFIG"

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class ConfigError(Exception):
    """The configuration cannot be used; the message says where and why."""


def _check_url(value: str) -> str:
    # normalise_url raises ValueError with a readable reason for anything that
    # is not an absolute http(s) URL.
    normalise_url(value)
    return value


Url = Annotated[str, AfterValidator(_check_url)]


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    user_agent: str = Field("visa-monitor/0.1 (+https://example.org/contact)", min_length=1)
    max_pages_per_program: int = Field(8, ge=1, le=500)
    max_depth: int = Field(2, ge=0, le=10)
    download_delay: float = Field(1.0, ge=0, le=600)
    concurrency_per_host: int = Field(2, ge=1, le=64)
    autothrottle: bool = True
    # A program page is small; the Scrapy defaults (180 s, 1 GiB) are unsafe here.
    download_timeout: float = Field(30.0, gt=0, le=600)
    download_maxsize: int = Field(5_000_000, ge=10_000)
    retry_times: int = Field(2, ge=0, le=10)
    # Policy PDFs are larger than pages, and parsing a huge one is costly: a limit of their own.
    pdf_maxsize: int = Field(20_000_000, ge=10_000)
    # Pages built by scripts are rendered by this browser (Debian's chromium; never a
    # downloaded build). Without it such pages are recorded as needing a browser.
    browser_path: str = Field("/usr/bin/chromium", min_length=1)
    # Change detection: how long a signal must hold before it is reported.
    confirm_missing_runs: int = Field(2, ge=1, le=100)
    unreachable_after: int = Field(3, ge=1, le=100)
    # Alerts: the first retry of a failed delivery comes within a minute, each
    # next one waits twice as long, and a row is given up after this many hours.
    notify_first_retry_seconds: float = Field(30.0, gt=0, le=60)
    notify_give_up_hours: float = Field(48.0, gt=0, le=24 * 30)
    # An Apprise YAML/TEXT config file whose tags name subscriptions.
    apprise_config: str | None = None


class Program(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    name: str = Field(min_length=1)
    institution: str = Field(min_length=1)
    specialty: str = Field(min_length=1)
    city: str = Field(min_length=1)
    url: Url
    visa_urls: list[Url] = Field(default_factory=list)
    scope: list[Url] = Field(default_factory=list)
    # "auto": render in the browser a page whose text is nearly empty while it loads
    # scripts; "browser": render every page; "never": read the server's HTML only.
    render: Literal["auto", "browser", "never"] = "auto"

    @field_validator("id")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not _SLUG.match(value):
            raise ValueError("must be a slug: lowercase letters, digits and single dashes")
        return value

    @property
    def scope_rules(self) -> Scope:
        """The URL prefixes this program may read; default: its home page's host."""
        return Scope.from_config(self.url, self.scope)

    @property
    def start_urls(self) -> list[str]:
        seen: dict[str, None] = {}
        for url in [self.url, *self.visa_urls]:
            seen.setdefault(url, None)
        return list(seen)


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    settings: Settings = Field(default_factory=Settings)
    programs: list[Program] = Field(default_factory=list)
    path: str | None = None

    def program(self, program_id: str) -> Program:
        return self._by_id[program_id]  # KeyError for an unknown id

    @cached_property
    def _by_id(self) -> dict[str, Program]:
        # A crawl looks a program up for every page: no linear search over thousands.
        return {program.id: program for program in self.programs}

    def select(self, program_ids: list[str] | None) -> Config:
        """This config limited to `program_ids` (all when empty)."""
        if not program_ids:
            return self
        known = {p.id for p in self.programs}
        missing = [pid for pid in program_ids if pid not in known]
        if missing:
            raise ConfigError(
                f"{self.path}: no program with id {', '.join(repr(m) for m in missing)}"
            )
        wanted = set(program_ids)
        return self.model_copy(
            update={"programs": [p for p in self.programs if p.id in wanted]}
        )


def config_path(path: str | os.PathLike[str] | None = None) -> Path:
    """The config to use: the argument, else $VISA_MONITOR_CONFIG, else the default."""
    if path:
        return Path(path)
    env = os.environ.get(CONFIG_ENV)
    return Path(env) if env else DEFAULT_CONFIG


def load_config(path: str | os.PathLike[str] | None = None) -> Config:
    path = config_path(path)
    try:
        raw_text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read config: {exc}") from None
    return parse_config(raw_text, str(path))


def parse_config(text: str, path: str = "<config>") -> Config:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    lines = _program_lines(text)
    try:
        config = Config.model_validate({**raw, "path": path})
    except ValidationError as exc:
        raise ConfigError(_describe(exc, raw, path, text.splitlines(), lines)) from None
    _check_unique_ids(config, path, lines)
    return config


def _check_unique_ids(config: Config, path: str, lines: list[int]) -> None:
    first_seen: dict[str, int] = {}
    for index, program in enumerate(config.programs):
        if program.id in first_seen:
            where = _line_of(lines, index)
            first = _line_of(lines, first_seen[program.id])
            raise ConfigError(
                f"{path}{where}: program {program.id!r} (programs[{index}]): field 'id': "
                f"duplicate id, already used by programs[{first_seen[program.id]}]{first}"
            )
        first_seen[program.id] = index


def _describe(
    exc: ValidationError, raw: dict, path: str, text_lines: list[str], lines: list[int]
) -> str:
    problems = []
    for error in exc.errors():
        loc = list(error["loc"])
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] == "extra_forbidden":
            message = "unknown key"
        elif error["type"] == "missing":
            message = "missing required field"
        if loc and loc[0] == "programs" and len(loc) >= 2 and isinstance(loc[1], int):
            index = loc[1]
            program = raw.get("programs", [])[index]
            pid = program.get("id") if isinstance(program, dict) else None
            label = f"program {pid!r} (programs[{index}])" if pid else f"programs[{index}]"
            field = ".".join(str(part) for part in loc[2:]) or "(entry)"
            where = _key_line(text_lines, lines, index, str(loc[2]) if len(loc) > 2 else None)
            problems.append(f"{path}{where}: {label}: field {field!r}: {message}")
        else:
            field = ".".join(str(part) for part in loc)
            problems.append(f"{path}: field {field!r}: {message}")
    return "\n".join(problems)


def _program_lines(text: str) -> list[int]:
    """Line numbers of the `[[programs]]` headers, so errors can point at them."""
    return [
        number
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip().startswith("[[programs]]")
    ]


def _key_line(text_lines: list[str], lines: list[int], index: int, key: str | None) -> str:
    """The line of `key` inside the index-th program's table, else its header."""
    if index >= len(lines):
        return ""
    end = lines[index + 1] - 1 if index + 1 < len(lines) else len(text_lines)
    if key:
        pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
        for number in range(lines[index], end):
            if pattern.match(text_lines[number]):
                return f":{number + 1}"
    return f":{lines[index]}"


def _line_of(lines: list[int], index: int) -> str:
    return f":{lines[index]}" if index < len(lines) else ""
