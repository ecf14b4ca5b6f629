"""The program config, re-read every cycle; an invalid edit never stops the daemon.

An edited `programs.toml` is used from the next cycle. An edit that does not
validate is reported (file, line, field) and the last valid config keeps
running: its text is written to a private copy, which the crawl process
reads instead of the broken file.
"""

from __future__ import annotations

import logging
from pathlib import Path

from monitor.config import Config, ConfigError, load_config, parse_config

log = logging.getLogger("monitor.daemon")


class ConfigKeeper:
    def __init__(self, path: Path, workdir: Path):
        self.path = path
        self.snapshot = workdir / "last-valid-programs.toml"
        self.valid: Config | None = None
        self.valid_text: str | None = None
        self.error: str | None = None  # the current file's problem, while there is one

    def load(self) -> Config:
        """The config to crawl with now. ConfigError only when none was ever valid."""
        try:
            text = self.path.read_text(encoding="utf-8")
            config = parse_config(text, str(self.path))
        except FileNotFoundError:
            return self._keep_last(f"{self.path}: config file not found")
        except (OSError, UnicodeDecodeError) as exc:
            return self._keep_last(f"{self.path}: cannot read config: {exc}")
        except ConfigError as exc:
            return self._keep_last(str(exc))
        if self.error is not None:
            log.info("config %s is valid again; using it", self.path)
        elif self.valid is not None and text != self.valid_text:
            log.info("config %s changed; %d programs", self.path, len(config.programs))
        self.valid, self.valid_text, self.error = config, text, None
        return config

    def _keep_last(self, error: str) -> Config:
        if self.valid is None:
            raise ConfigError(error)
        if error != self.error:  # once per distinct problem, not every cycle
            log.error("config error, still running the last valid config:\n%s", error)
        self.error = error
        self.snapshot.write_text(self.valid_text, encoding="utf-8")
        return load_config(self.snapshot)
