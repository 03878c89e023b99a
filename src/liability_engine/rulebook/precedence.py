"""Precedence between the rules of a version: every `defeats:` names a rule of the version, and no
rules defeat each other in a cycle."""

from __future__ import annotations

from typing import Any, Iterable

from ..errors import did_you_mean
from .model import Rule
from .problems import Collector
from ..i18n import join, msg

__all__ = ["check_defeats", "find_cycle"]


def check_defeats(rules: list[Rule], specs: list[Any], out: Collector) -> None:
    ids = {r.id for r in rules}
    declared = {s.id for s, *_ in specs}  # a rule that failed to compile is reported by itself, not here
    where = {s.id: (doc, ("rules", i)) for s, doc, _, i in specs}
    for rule in rules:
        doc, loc = where[rule.id]
        for j, target in enumerate(rule.defeats):
            if target not in declared:
                out.add(doc, loc + ("defeats", j), msg("rules.defeats_unknown", rule=target),
                        rule_id=rule.id, value=target, suggestion=did_you_mean(target, sorted(ids)))
    graph = {r.id: [t for t in r.defeats if t in ids] for r in rules}
    cycle = find_cycle(graph)
    if cycle:
        doc, loc = where[cycle[0]]
        out.add(doc, loc + ("defeats",), msg("rules.precedence_cycle", cycle=join("rules.defeats", cycle + [cycle[0]])),
                rule_id=cycle[0])


def find_cycle(graph: dict[str, list[str]], order: Iterable[str] | None = None) -> list[str] | None:
    """A cycle of `graph` (its nodes in order, the first not repeated), searched from each node of `order`
    (default: sorted) in turn; None when there is none."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in graph.get(node, []):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):]
            if state.get(nxt) is None:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph) if order is None else order:
        if state.get(node) is None:
            found = visit(node)
            if found:
                return found
    return None
