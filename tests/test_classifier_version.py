"""The classifier version is derived from the reading code, so a rule change changes it."""

import shutil
import subprocess
import sys
from pathlib import Path

from monitor.classify import classifier_version

SRC = Path(__file__).resolve().parents[1] / "src"


def _version_of(src: Path) -> str:
    code = "from monitor.classify import classifier_version; print(classifier_version())"
    out = subprocess.run(
        [sys.executable, "-c", code], env={"PYTHONPATH": str(src)},
        capture_output=True, text=True, check=True,
    )
    return out.stdout.strip()


def test_version_is_a_stable_short_digest():
    version = classifier_version()
    assert len(version) == 12 and int(version, 16) >= 0
    assert version == _version_of(SRC)


def test_editing_a_word_list_changes_the_version(tmp_path):
    copy = tmp_path / "src"
    shutil.copytree(SRC / "monitor", copy / "monitor")
    lexicon = copy / "monitor" / "classify" / "lexicon.py"
    lexicon.write_text(lexicon.read_text() + "\n# a new cue word\n")
    assert _version_of(copy) != classifier_version()
