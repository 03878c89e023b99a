"""The warnings of a version's answer: a conflict, a gap, a finding resting on a source of low
confidence, and what advisory rules say. Each in English and Chinese."""

from __future__ import annotations

from ..evaluate.resolution import Resolution
from ..i18n import Message, msg
from ..wording import Bilingual

__all__ = ["warnings_of"]


def warnings_of(resolution: Resolution, version_id: str) -> list[Bilingual]:
    """The warnings of one version's answer."""
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
        said = Message(adv.explanation.en, adv.explanation.zh) if adv.explanation else adv.id
        out.append(msg("warning.advisory", version=v, text=said, rule=adv.id,
                       confidence=msg(f"versions.confidence_{adv.source_confidence}")))
    return [m.bilingual() for m in out]
