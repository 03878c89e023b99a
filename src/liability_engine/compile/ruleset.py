"""Compiling checked rules into rulesets: the durable-rules JSON form and its limits.

A `Ruleset` is what both backends run: named conditions over one normalised fact. Its name is
derived from its content, so a ruleset is registered with durable-rules once per process however
many engines or rulebooks load it (registered rulesets are never freed).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any, Callable, Iterable

from ..rulebook.conditions import All, Condition, Test
from ..errors import Problem, RulesError
from ..facts.fields import field_key
from ..i18n import msg

__all__ = ["Ruleset", "compile_ruleset", "to_durable", "MAX_RULES", "MAX_GROUPS", "FACT_KIND"]

MAX_RULES = 200  # 512 rules hang (docs/engine.md); one node feeds at most 256 rules (rete.c BETA_LIST_LENGTH, error 108)
MAX_GROUPS = 14  # and/or groups per pattern (each costs 2 of 32 sequence slots; 15 fails)
MAX_FANOUT = 100  # next-nodes of one node: rete.c NEXT_LIST_LENGTH is 128 and overflowing it corrupts the heap
FACT_KIND = "__kind"


@dataclass(frozen=True)
class Ruleset:
    name: str
    kind: str  # what the fact describes: "conduct" or "comparison"
    rules: tuple[tuple[str, Condition | None], ...]  #: (rule id, condition), in rule order


def _groups(cond: Condition | None) -> int:
    if cond is None or isinstance(cond, Test):
        return 0
    return 1 + sum(_groups(c) for c in cond.items)


def _max_fanout(items: tuple[tuple[str, Condition | None], ...]) -> tuple[int, str]:
    """An upper estimate of the widest node of the Rete network durable-rules builds.

    Each rule is a chain of its top-level tests after the shared discriminator; equal tests at the
    same place are shared (one node), every all/any group is a node of its own whose alternatives
    branch from it. Counting distinct next-nodes per node bounds the C engine's fixed next lists.
    """
    children: dict[tuple[Any, ...], set[Any]] = {}
    for index, (rule_id, cond) in enumerate(items):
        parts = list(cond.items) if isinstance(cond, All) else ([cond] if cond is not None else [])
        prefix: tuple[Any, ...] = ()
        for position, part in enumerate(parts):
            key: Any = part if isinstance(part, Test) else ("group", index, position)
            children.setdefault(prefix, set()).add(key)
            if not isinstance(part, Test):
                children.setdefault(prefix + (key,), set()).update(range(len(part.items)))
            prefix = prefix + (key,)
    if not children:
        return 0, "the discriminator"
    node, kids = max(children.items(), key=lambda kv: len(kv[1]))
    shown = " and ".join(f"{t.field} {'=' if t.op == 'eq' else '!='} {t.value}" for t in node
                         if isinstance(t, Test)) or "every rule"
    return len(kids), shown


def _pattern(cond: Condition | None) -> Any:
    if cond is None:
        return None
    if isinstance(cond, Test):
        key = field_key(cond.field)
        return {key: cond.value} if cond.op == "eq" else {"$neq": {key: cond.value}}
    op = "$and" if isinstance(cond, All) else "$or"
    return {op: [_pattern(c) for c in cond.items]}


def to_durable(ruleset: Ruleset) -> dict[str, Any]:
    """The ruleset as durable-rules' JSON definition (without actions), rules in order."""
    out: dict[str, Any] = {}
    for index, (rule_id, cond) in enumerate(ruleset.rules):
        # A positive discriminator on every pattern: never a `$nex`-only pattern (notes §2).
        tests = [{FACT_KIND: ruleset.kind}]
        if cond is not None:
            tests.append(_pattern(cond))
        out[f"r{index:03d}"] = {"all": [{"m": {"$and": tests}}]}
    return out


def compile_ruleset(kind: str, rules: Iterable[tuple[str, Condition | None]], *, where: str,
                    locate: Callable[[str], tuple[str | None, int | None]] | None = None) -> Ruleset:
    """Check durable-rules' limits now (at load), never at evaluation; `locate` gives a rule's file and line."""
    items = tuple(rules)
    problems = []
    if len(items) > MAX_RULES:
        problems.append(Problem(msg("check.too_many_rules", count=len(items), most=MAX_RULES), path=where))
    for rule_id, cond in items:
        groups = _groups(cond) + 1  # + the $and that adds the discriminator
        if groups > MAX_GROUPS:
            path, line = locate(rule_id) if locate else (where, None)
            problems.append(Problem(
                msg("check.too_many_groups", count=groups, most=MAX_GROUPS), path=path or where, line=line,
                rule_id=rule_id))
    fanout, where_max = _max_fanout(items)
    if fanout > MAX_FANOUT:
        problems.append(Problem(msg("check.fanout", count=fanout, rules=where_max, most=MAX_FANOUT), path=where))
    if problems:
        raise RulesError(problems)
    body = json.dumps([kind, [(rid, _pattern(c)) for rid, c in items]], sort_keys=True, ensure_ascii=False)
    name = f"{kind}-{hashlib.sha256(body.encode()).hexdigest()[:16]}"
    return Ruleset(name=name, kind=kind, rules=items)

