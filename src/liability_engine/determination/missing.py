"""The facts an undetermined conduct is missing: each field an undetermined rule names, with the
finding each of its values would give (found by deciding the conduct again with that value)."""

from __future__ import annotations

from typing import Any, Callable

from ..facts.fields import fact_with, show_value
from ..facts.model import Conduct
from ..rulebook.model import Rulebook
from ..evaluate.resolution import Resolution
from .model import Alternative, Missing

__all__ = ["missing_facts"]


def missing_facts(rulebook: Rulebook, conduct: Conduct, fact: dict[str, Any], fired: list[Resolution],
                  decide: Callable[[dict[str, Any]], Any]) -> list[Missing]:
    """`fired`: the resolutions of the versions' answers; `decide(fact)`: the decision for a fact of
    the conduct (with `finding`, `liable`, `version_applied` and `citation`)."""
    fields: list[str] = []
    for resolution in fired:
        for rule in resolution.fired:
            if rule.finding == rulebook.undetermined:
                fields.extend(f for f in rule.missing if f not in fields)
    out = []
    for name in fields:
        spec = rulebook.schema[name]
        values: list[Any] = [True, False] if spec.kind == "bool" else list(spec.values)
        alternatives = []
        for value in values:
            if value == getattr(conduct, name, object()) or value == "unknown":
                continue
            d = decide(fact_with(conduct, fact, name, value))
            alternatives.append(Alternative(value=show_value(value), finding=d.finding, liable=d.liable,
                                            citation_label=d.citation.label if d.citation else None,
                                            citation_label_zh=d.citation.label_zh if d.citation else None,
                                            citation_version=d.version_applied if d.citation else None))
        q = rulebook.vocabulary.questions.get(name)
        out.append(Missing(field=name, question=q.en if q else None, question_zh=q.zh if q else None,
                           alternatives=alternatives))
    return out
