"""`visa-monitor classify --explain FILE` and `--rules`: text over the library's trace."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from monitor.classify.explain import render, render_rules
from monitor.classify.trace import explain_html, explain_text


def explain_files(files: list[str], list_rules: bool) -> str:
    """The rule list and/or the trace of each file, as the CLI prints them."""
    parts = [render_rules()] if list_rules else []
    for name in files:
        try:
            data = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
        except OSError as exc:
            typer.echo(f"{name}: {exc.strerror or exc}", err=True)
            raise typer.Exit(2) from None
        url = None if name == "-" else name
        if b"<" in data[:4096] and b">" in data[:4096]:
            trace = explain_html(data, url)
        else:
            trace = explain_text(data.decode("utf-8", errors="replace"), url)
        parts.append(render(trace, name))
    return "\n\n".join(parts)
