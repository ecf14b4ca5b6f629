"""Recording how the classifier read one page: units, clauses, rules, the decision.

``explain_text`` / ``explain_html`` classify a page exactly as ``classify_text`` /
``classify_html`` do, while a ``Trace`` collects

* the units read (sentences, a heading with its items, a table row, an FAQ
  question with its answer) and, for each, its canonical clauses,
* every rule (``monitor.classify.rules``) that fired on the unit, with the
  findings it gave or the text it set aside,
* the findings the unit kept, and per axis which finding won and why.

Nothing is recorded unless a trace is active, so classifying stays as fast as
before; ``monitor.classify.explain`` renders a trace as text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from monitor.classify import rules

__all__ = ["Decision", "Trace", "UnitTrace", "current", "explain_html", "explain_text"]


@dataclass
class UnitTrace:
    index: int
    line: int
    text: str
    clauses: list[str]
    fired: list[tuple[str, list[Any]]]  # (rule, its findings or the text it set aside)
    findings: list[Any]  # what the unit kept


@dataclass
class Decision:
    axis: str
    value: object
    strength: int
    unit: int  # index of the unit that gave it
    rule: str
    reason: str
    rivals: list[tuple[object, int, int, str]]  # (value, strength, unit, rule) that lost


@dataclass
class Trace:
    units: list[UnitTrace] = field(default_factory=list)
    page_rules: list[tuple[str, list[Any]]] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    verdict: Any = None
    _mark: int = 0

    # -- hooks called by monitor.classify.verdict while a trace is active ------

    def unit(self, index: int, unit: Any, found: list[Any], clauses: list[str]) -> None:
        log = rules.fired.get() or []
        self.units.append(UnitTrace(index, unit.line, unit.text, clauses,
                                    log[self._mark:], list(found)))
        self._mark = len(log)

    def page(self) -> None:
        """Rules that acted on the whole page after the units were read."""
        log = rules.fired.get() or []
        self.page_rules.extend(log[self._mark:])
        self._mark = len(log)

    def decide(self, axis: str, scored: list[tuple[Any, int]], winner: tuple[Any, int]) -> None:
        finding, index = winner
        rivals = [(f.value, f.strength, i, f.rule) for f, i in scored
                  if f.axis == axis and (f, i) != winner]
        self.decisions.append(Decision(
            axis, finding.value, finding.strength, index, finding.rule,
            _why(axis, finding, [f for f, i in scored if f.axis == axis]), rivals,
        ))


_active: ContextVar[Trace | None] = ContextVar("trace", default=None)


def current() -> Trace | None:
    """The trace being recorded, or None (the usual case)."""
    return _active.get()


@contextmanager
def record() -> Iterator[Trace]:
    trace = Trace()
    token = _active.set(trace)
    log_token = rules.fired.set([])
    try:
        yield trace
    finally:
        rules.fired.reset(log_token)
        _active.reset(token)


def explain_text(text: str, url: str | None = None) -> Trace:
    from monitor.classify.verdict import classify_text

    return _run(lambda: classify_text(text, url))


def explain_html(html: str | bytes, url: str | None = None) -> Trace:
    from monitor.classify.verdict import classify_html

    return _run(lambda: classify_html(html, url))


def _run(classify: Callable[[], Any]) -> Trace:
    with record() as trace:
        trace.verdict = classify()
    return trace


_STRENGTH = {3: "explicit", 2: "general or implied", 1: "inferred"}
_ORDER = {"h1b": "no > limited > yes", "j1": "no > yes", "step3": "required > not required"}


def _why(axis: str, winner: Any, all_findings: list[Any]) -> str:
    """Why `winner` won its axis, in the words of the rule in _page_verdict."""
    strength = _STRENGTH.get(winner.strength, str(winner.strength))
    stronger = [f for f in all_findings if f.strength < winner.strength]
    tied = {f.value for f in all_findings if f.strength == winner.strength} - {winner.value}
    parts = [f"the strongest finding ({strength}, strength {winner.strength})"]
    if stronger:
        parts.append(f"outweighs {len(stronger)} weaker one(s)")
    if tied:
        parts.append(f"and among equally strong ones the conservative order "
                     f"{_ORDER[axis]} picks it over {', '.join(map(str, sorted(map(str, tied))))}")
    if len(all_findings) == 1:
        parts = [f"the only finding on this axis ({strength})"]
    return " ".join(parts)
