"""The warnings of a version's answer: a conflict, a gap, a finding resting on a source of low
confidence, and what advisory rules say. Each in English and Chinese."""

from __future__ import annotations

from collections.abc import Collection

from ..evaluate.resolution import Resolution
from ..facts.fields import field_key
from ..i18n import Message, msg
from ..rulebook.conditions import tests_of
from ..wording import Bilingual

__all__ = ["warnings_of"]


def warnings_of(resolution: Resolution, version_id: str, unknown: Collection[str] = ()) -> list[Bilingual]:
    """The warnings of one version's answer. `unknown`: the keys of the facts nobody established; an advisory
    rule that tests one of them fired on a value the trace reads in for it (a default), not on a fact, and says
    nothing (e.g. "the accident was not stated" where it was stated as unknown and is asked for)."""
    res, v = resolution, version_id
    out = []
    if res.conflict:
        out.append(msg("warning.conflict", version=v, rules=", ".join(r.id for r in res.conflict)))
    if not res.fired:
        out.append(msg("warning.gap", version=v))
    rule = res.decisive
    if rule is not None and rule.source_confidence == "low":
        source = Message(rule.source, msg("warning.source_note").zh) if rule.source else msg("warning.assumption")
        out.append(msg("warning.low_confidence", version=v, rule=rule.id, source=source))
    for adv in res.advisory:
        if unknown and any(field_key(t.field) in unknown for t in tests_of(adv.condition)):
            continue
        said = Message(adv.explanation.en, adv.explanation.zh) if adv.explanation else adv.id
        out.append(msg("warning.advisory", version=v, text=said, rule=adv.id,
                       confidence=msg(f"versions.confidence_{adv.source_confidence}")))
    return [m.bilingual() for m in out]
