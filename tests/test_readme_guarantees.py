"""Every promise in the README's "Guarantees" section names tests that exist."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def guarantees() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Guarantees", 1)[1].split("\n## ", 1)[0]
    return re.split(r"\n- ", section)[1:]


def test_each_guarantee_names_tests_that_exist():
    promises = guarantees()
    assert len(promises) >= 5
    for promise in promises:
        references = re.findall(r"`(tests/[\w/]+\.py)?(?:::(\w+))?`", promise)
        references = [(path, name) for path, name in references if path or name]
        assert references, f"no test named for: {promise[:80]}"
        current = None
        for path, name in references:
            current = ROOT / path if path else current
            assert current is not None and current.is_file(), (promise[:80], path)
            if name:
                source = current.read_text(encoding="utf-8")
                assert re.search(rf"^def {name}\(", source, re.M), (current.name, name)
