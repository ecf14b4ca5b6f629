"""The package as a user installs it: a layout setuptools takes without a
warning, one top-level package (`monitor`, the Scrapy project inside it), and
an installed copy that runs the demo crawl on its own."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# pip's own notes about this machine's index configuration are not ours to judge.
PIP_NOISE = re.compile(r"^WARNING: Location .* is ignored|byte-compiling is disabled", re.I)


def _pip(python: Path, *args: str) -> str:
    done = subprocess.run([str(python), "-m", "pip", *args], capture_output=True, text=True,
                          timeout=600, cwd=ROOT)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done.stdout + done.stderr


def _warnings(output: str) -> list[str]:
    lines = [line for line in output.splitlines() if not PIP_NOISE.search(line)]
    return [line for line in lines
            if re.search(r"warning|deprecat|please be careful", line, re.I)]


@pytest.mark.slow
def test_install_has_no_layout_warning_and_runs_the_demo(tmp_path):
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    # The editable install is what ./run does; it warned about the old layout.
    assert _warnings(_pip(python, "install", "--no-deps", "-v", "-e", str(ROOT))) == []
    target = tmp_path / "site"
    output = _pip(python, "install", "--no-deps", "-v", "--target", str(target), str(ROOT))
    assert _warnings(output) == []
    top_level = {p.name for p in target.iterdir() if not p.name.endswith((".dist-info",))}
    assert top_level - {"bin", "__pycache__"} == {"monitor"}
    assert (target / "monitor" / "scrapers" / "spiders" / "programs.py").is_file()

    # The installed copy, with this environment's dependencies, runs the demo.
    env = {**os.environ, "PYTHONPATH": str(target)}
    where = subprocess.run(
        [sys.executable, "-c", "import monitor.scrapers.spiders.programs as m; print(m.__file__)"],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60)
    assert where.stdout.startswith(str(target)), where.stdout + where.stderr
    demo = subprocess.run(
        [sys.executable, "-m", "monitor", "demo", "--json", "--db", str(tmp_path / "d.db"),
         "--fixtures", str(ROOT / "fixtures")],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)
    assert demo.returncode == 0, demo.stderr[-3000:]
    assert {row["program_id"] for row in json.loads(demo.stdout)} >= {"pacific-im"}


def test_scrapy_cfg_points_at_the_packaged_project():
    text = (ROOT / "scrapy.cfg").read_text()
    assert "default = monitor.scrapers.settings" in text
    assert not (ROOT / "scrapers").exists()


def test_run_says_what_it_does_on_first_install(tmp_path):
    """./run on a copy without .venv: the first thing it prints names the step."""
    copy = tmp_path / "repo"
    copy.mkdir()
    for name in ("run", "pyproject.toml"):
        (copy / name).write_bytes((ROOT / name).read_bytes())
    (copy / "run").chmod(0o755)
    # A python that cannot make a venv stops ./run right after its first message.
    done = subprocess.run(["./run", "demo"], cwd=copy, capture_output=True, text=True,
                          env={**os.environ, "PYTHON": "false"}, timeout=60)
    assert done.returncode != 0
    assert done.stderr.startswith("./run: creating the virtual environment .venv")
    assert done.stdout == ""
