"""A database with a real history, for the web tests: the fixture sites crawled,
one program's visa statement edited (with markup-like text in it), crawled again,
and one program's site down for a crawl."""

from __future__ import annotations

import re
import shutil
import tomllib
from pathlib import Path

from monitor.config import load_config
from monitor.crawl.runner import run_crawl
from monitor.demo import FixtureServer, fixture_config_text

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
# Every fixture program is listed (the count follows the fixtures as they grow).
PROGRAMS = len(tomllib.loads((FIXTURES / "programs.toml").read_text())["programs"])
PAGE = "pacific-im/eligibility.html"
STATEMENT = re.compile(r'<h2 id="visas">.*?(?=<p>Please indicate)', re.S)
# Text a site may write that looks like markup: the pages must show it, never run it.
INJECTED = '<script>alert("x")</script>'
J1_ONLY = ('<h2 id="visas">Visa sponsorship</h2>\n<p>Pacific Coast Medical Center is not able '
           'to sponsor H-1B visas &lt;script&gt;alert("x")&lt;/script&gt;. J-1 physicians '
           'sponsored by ECFMG are welcome to apply.</p>\n')
CHANGED = "pacific-im"
FAILED = "westbay-im"


def build(folder: Path) -> str:
    """Crawl the history into an SQLite file under `folder`; return its URL."""
    root = folder / "fixtures"
    shutil.copytree(FIXTURES, root)
    url = f"sqlite:///{folder / 'web.db'}"
    with FixtureServer(root / "sites", port=0) as server:
        config_path = folder / "programs.toml"
        config_path.write_text(fixture_config_text(root, server.origin), encoding="utf-8")
        config = load_config(config_path)
        run_crawl(config, url)  # every program's baseline
        page = root / "sites" / PAGE
        page.write_text(STATEMENT.sub(J1_ONLY, page.read_text(encoding="utf-8"), count=1),
                        encoding="utf-8")
        server.failing.add("/westbay-health/")
        run_crawl(config.select([CHANGED, FAILED]), url)
    return url
