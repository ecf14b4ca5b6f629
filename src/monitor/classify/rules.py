"""The classifier's rules as named units: a registry, like urlwatch's filters.

Every function of the reading code that turns text into findings
``(axis, value, strength)`` is registered here with ``@rule``: a name, the
findings it can give, and example sentences with the category each must get.
The first line of the function's docstring is the rule's one-line summary.

* ``RULES`` lists them (``visa-monitor classify --rules`` prints it), so the
  documentation of what the classifier does is generated from the code.
* The examples are tests: ``tests/test_classify_rules.py`` classifies each
  one and checks both its category and that the rule fired on it.
* Each finding a rule returns is tagged with the rule's name, and while a
  trace is recorded (``monitor.classify.trace``) every call that gave
  findings is logged, so ``visa-monitor classify --explain FILE`` can show
  which rule said what.

Cue words are data: they live in ``monitor.classify.lexicon``, not here.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar

__all__ = ["RULES", "Rule", "fired", "inline", "note", "rule", "silence", "tag"]


@dataclass(frozen=True)
class Rule:
    name: str
    summary: str  # the first line of the function's docstring
    gives: tuple[str, ...]  # the findings it can give, "h1b=limited"
    examples: tuple[tuple[str, str], ...]  # (sentence, the category it must get)
    where: str  # module.function


RULES: dict[str, Rule] = {}

# The trace being recorded, if any (set by monitor.classify.trace.record).
# Each entry: (rule name, its findings).
fired: ContextVar[list[tuple[str, list[Any]]] | None] = ContextVar("fired", default=None)

F = TypeVar("F", bound=Callable[..., Any])


def rule(
    name: str, gives: tuple[str, ...], examples: tuple[tuple[str, str], ...],
    transform: bool = False,
) -> Callable[[F], F]:
    """Register a function that returns findings (a list, a list in a tuple's first
    place, or None) as the rule `name`.  A `transform` rule takes a list of findings
    and returns it, changed or not; it has fired only when it changed it."""

    def register(fn: F) -> F:
        doc = (fn.__doc__ or "").strip().splitlines()
        if not doc:
            raise ValueError(f"rule {name!r} needs a docstring")
        if name in RULES:
            raise ValueError(f"rule {name!r} registered twice")
        RULES[name] = Rule(name, doc[0].strip(), gives, examples,
                           f"{fn.__module__}.{fn.__qualname__}")

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            result = fn(*args, **kwargs)
            found = result[0] if isinstance(result, tuple) else result
            if transform and any(arg == found for arg in args if isinstance(arg, list)):
                return result  # passed through unchanged: the rule did not apply
            if found:
                tag(found, name)
                log = fired.get()
                if log is not None:
                    log.append((name, list(found)))
            return result

        wrapper.rule_name = name  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return register


def tag(findings: list[Any], name: str) -> list[Any]:
    """Name the rule that gave `findings` (the innermost rule keeps its name)."""
    for finding in findings:
        if not finding.rule:
            finding.rule = name
    return findings


def note(name: str, findings: list[Any]) -> list[Any]:
    """Tag and log findings made inline by the reading code under the rule `name`
    (registered with ``inline``)."""
    if findings:
        tag(findings, name)
        log = fired.get()
        if log is not None:
            log.append((name, list(findings)))
    return findings


def inline(name: str, summary: str, gives: tuple[str, ...],
           examples: tuple[tuple[str, str], ...], where: str) -> str:
    """Register a rule whose findings are made inside a larger function (see ``note``)."""
    if name in RULES:
        raise ValueError(f"rule {name!r} registered twice")
    RULES[name] = Rule(name, summary, gives, examples, where)
    return name


def silence(name: str, clause: str) -> None:
    """Log that the rule `name` set `clause` aside (it decides nothing)."""
    log = fired.get()
    if log is not None:
        log.append((name, [clause]))
