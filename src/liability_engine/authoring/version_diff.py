"""Comparing two versions across a docket: where a revision changes the finding, liability or item.

Each conduct is judged by each version alone (Art. 28 plays no part: the question is what the
revision changed, not which version applies).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from ..determination.model import Evaluation
from ..evaluate.engine import Engine
from ..facts.model import Facts

__all__ = ["VersionDifference", "compare_versions"]


class VersionDifference(BaseModel):
    model_config = ConfigDict(frozen=True)

    source: str
    case_id: str
    conduct_id: str
    act: str
    fault: str
    changed: list[str]  # of: finding, liable, citation
    old: Evaluation
    new: Evaluation
    old_fired: list[str]
    new_fired: list[str]


def compare_versions(engine: Engine, facts: Facts, old: str, new: str, source: str = "") -> list[VersionDifference]:
    """The conducts of `facts` on which versions `old` and `new` differ."""
    out = []
    pairs = zip(facts.conducts, engine.evaluate_under(facts, old), engine.evaluate_under(facts, new))
    for conduct, (a, a_fired), (b, b_fired) in pairs:
        changed = []
        if a.finding != b.finding:
            changed.append("finding")
        if a.liable != b.liable:
            changed.append("liable")
        if _item(a) != _item(b):
            changed.append("citation")
        if changed:
            out.append(VersionDifference(source=source, case_id=facts.case.id, conduct_id=conduct.id,
                                         act=conduct.act.value, fault=conduct.fault.value, changed=changed,
                                         old=a, new=b, old_fired=a_fired, new_fired=b_fired))
    return out


def _item(e: Evaluation) -> tuple[object, ...] | None:
    c = e.citation
    return (c.article, c.paragraph, c.item, c.label) if c else None
