"""The warnings of a version's answer: a conflict, a gap, a finding resting on a source of low
confidence, and what advisory rules say. Each in English and Chinese."""

from __future__ import annotations

from ..evaluate.resolution import Resolution
from ..wording import Bilingual

__all__ = ["warnings_of"]

_CONFIDENCE_ZH = {"confirmed": "已核实", "moderate": "中等", "low": "低"}


def warnings_of(resolution: Resolution, version_id: str) -> list[Bilingual]:
    """The warnings of one version's answer."""
    res, v = resolution, version_id
    out = []
    if res.conflict:
        ids = ", ".join(r.id for r in res.conflict)
        out.append(Bilingual.pair(
            f"{v}年版本：规则{ids}同时适用但认定不同，且未规定优先顺序，无法认定（请在规则中声明 defeats）",
            f"version {v}: rules {ids} all apply with different findings and no declared precedence "
            "between them; the conduct is left undetermined (declare `defeats:` in the rules)"))
    if not res.fired:
        out.append(Bilingual.pair(f"{v}年版本：没有规则适用于这些事实，规则库存在缺漏",
                                  f"version {v}: no rule applies to these facts; the rulebook has a gap"))
    rule = res.decisive
    if rule is not None and rule.source_confidence == "low":
        out.append(Bilingual.pair(
            f"{v}年版本：该认定依据的规则{rule.id}来源可信度低（{rule.source or '推定'}），须以官方文本核实",
            f"version {v}: the finding rests on rule {rule.id}, whose source is of low confidence "
            f"({rule.source or 'an assumption'}); only the official text would settle it"))
    for adv in res.advisory:
        said = adv.explanation or Bilingual.pair(adv.id, adv.id)
        out.append(Bilingual.pair(
            f"{v}年版本：{said.zh}（{adv.id}，来源可信度：{_CONFIDENCE_ZH[adv.source_confidence]}）",
            f"version {v}: {said.en} ({adv.id}, source confidence {adv.source_confidence})"))
    return out
