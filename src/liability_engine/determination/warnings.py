"""The warnings of a version's answer: a conflict, a gap, a finding resting on a source of low
confidence, and what advisory rules say. Each in English and Chinese."""

from __future__ import annotations

from ..evaluate.resolution import Resolution
from ..i18n import Message, msg

__all__ = ["warnings_of"]



def _pair(message: Message) -> tuple[str, str]:
    return str(message), message.zh


def warnings_of(resolution: Resolution, version_id: str) -> list[tuple[str, str]]:
    """(en, zh) warnings of one version's answer."""
    res, v = resolution, version_id
    out = []
    if res.conflict:
        out.append(_pair(msg("warning.conflict", version=v, rules=", ".join(r.id for r in res.conflict))))
    if not res.fired:
        out.append(_pair(msg("warning.gap", version=v)))
    rule = res.decisive
    if rule is not None and rule.source_confidence == "low":
        source = Message(rule.source, msg("warning.source_note").zh) if rule.source else msg("warning.assumption")
        out.append(_pair(msg("warning.low_confidence", version=v, rule=rule.id, source=source)))
    for adv in res.advisory:
        said = Message(adv.explanation.en, adv.explanation.zh) if adv.explanation else adv.id
        out.append(_pair(msg("warning.advisory", version=v, text=said, rule=adv.id,
                             confidence=msg(f"versions.confidence_{adv.source_confidence}"))))
    return out
