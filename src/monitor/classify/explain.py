"""Rendering a classifier trace (``monitor.classify.trace``) and the rule list as text.

``render(trace)`` is what ``visa-monitor classify --explain FILE`` prints: the
units read with their clauses, each rule that fired with what it found, the
findings kept, and per axis the winning finding and why it won.
``render_rules()`` lists every registered rule from its docstring
(``visa-monitor classify --rules``), so the list cannot drift from the code.
"""

from __future__ import annotations

from typing import Any

from monitor.classify.rules import RULES
from monitor.classify.trace import Trace

__all__ = ["render", "render_rules"]


def _finding(f: Any) -> str:
    return f"{f.axis}={_value(f.value)} (strength {f.strength})"


def _value(value: object) -> str:
    if value is True:
        return "required"
    if value is False:
        return "not required"
    return str(value)


def _fired(name: str, items: list[Any]) -> str:
    if items and all(isinstance(item, str) for item in items):
        return f"{name}: set aside (decides nothing): {_short(items[0])}"
    return f"{name}: " + ", ".join(_finding(f) for f in items)


def _short(text: str, limit: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def render(trace: Trace, name: str = "") -> str:
    out: list[str] = []
    verdict = trace.verdict
    title = f"{name}: " if name else ""
    out.append(f"{title}category {verdict.category} (h1b {verdict.h1b}, j1 {verdict.j1}, "
               f"step3_required {verdict.step3_required})")
    if not trace.units:
        out.append("No line of the page names a visa or a status: nothing was read.")
        return "\n".join(out)
    out.append(f"\nUnits read ({len(trace.units)}):")
    for unit in trace.units:
        out.append(f"  [{unit.index}] line {unit.line + 1}: {_short(unit.text, 160)}")
        for clause in unit.clauses:
            out.append(f"      clause: {_short(clause, 140)}")
        for rule_name, items in unit.fired:
            out.append(f"      rule {_fired(rule_name, items)}")
        if unit.findings:
            out.append("      kept: " + ", ".join(
                f"{_finding(f)} by {f.rule or '?'}" for f in unit.findings))
        elif not unit.fired:
            out.append("      kept: nothing (no rule found a stance)")
    if trace.page_rules:
        out.append("\nPage rules:")
        for rule_name, items in trace.page_rules:
            out.append(f"  rule {_fired(rule_name, items)}")
    out.append("\nDecision:")
    if not trace.decisions:
        out.append("  no finding on any axis: unknown")
    for decision in trace.decisions:
        out.append(f"  {decision.axis} = {_value(decision.value)} from unit [{decision.unit}] "
                   f"by {decision.rule or '?'}: {decision.reason}")
        for value, strength, unit, rule_name in decision.rivals:
            out.append(f"      lost: {_value(value)} (strength {strength}) from unit [{unit}] "
                       f"by {rule_name or '?'}")
    out.append(f"  category {verdict.category}: derived from h1b={verdict.h1b}, j1={verdict.j1} "
               "by the taxonomy's table")
    if verdict.parts:
        out.append("\nParts that differ (a crawl reads the part titled with its program "
                   "as that program's own statement):")
        for part in verdict.parts:
            v = part.verdict
            out.append(f"  {_short(part.title, 80)}: category {v.category} (h1b {v.h1b}, "
                       f"j1 {v.j1})")
    return "\n".join(out)


def render_rules() -> str:
    out = []
    for rule in sorted(RULES.values(), key=lambda r: r.name):
        gives = ", ".join(rule.gives) if rule.gives else "nothing (sets text aside)"
        out.append(f"{rule.name}\n  {rule.summary}\n  gives: {gives}\n  in: {rule.where}")
        for sentence, category in rule.examples:
            out.append(f"  e.g. {_short(sentence, 90)!r} -> {category}")
    return "\n".join(out)
