"""The words of the reports (zh/en) and the pieces every view of a determination writes the same way:
findings, liability, values, citations, trace entries, missing facts."""

from __future__ import annotations

from ..determination.explain import Words, condition_words
from ..determination.model import Missing, TraceEntry
from ..rulebook.model import Rulebook
from ..wording import WordTable

__all__ = ["word", "finding_text", "liable_text", "value_text", "interpretation", "condition_checks", "outcome_text",
           "entry_text", "alternatives"]

word = WordTable({
    "finding": ("认定", "Finding"), "liable": ("司法责任", "Judicial responsibility"),
    "yes": ("应当承担", "attaches"), "no": ("不承担", "does not attach"), "open": ("无法认定", "undetermined"),
    "basis": ("法条依据", "Legal basis"), "version": ("适用版本", "Version applied"),
    "temporal": ("时间效力（第二十八条）", "Which version applies (Art. 28)"),
    "reasoning": ("理由", "Reasoning"), "trace": ("考虑的规则", "Rules considered"),
    "warnings": ("警示", "Warnings"), "missing": ("待查明的事实", "Facts that would decide"),
    "overall": ("总体认定", "Overall finding"), "case": ("案件", "Case"), "person": ("人员", "Person"),
    "conduct": ("行为", "Conduct"), "rule": ("规则", "Rule"), "outcome": ("结果", "Outcome"),
    "conditions": ("条件", "Conditions"), "none": ("无", "none"), "date": ("日期", "Date"),
    "interpretation": ("解释", "interpretation"), "defeated_by": ("让位于", "defeated by"),
    "concurring_with": ("同一认定，引用", "same finding as"),
    "act": ("行为类型", "Act"), "fault": ("过错", "Fault"),
    "fired": ("适用", "applied"), "defeated": ("被排除", "defeated"), "unmet": ("未满足", "not met"),
    "concurring": ("竞合", "concurring"), "advisory": ("提示", "advisory"), "chosen": ("选择", "chosen"),
    "completed": ("就未知事实作出判定", "decided over unknown facts"),
    "provisional": ("暂定（依据来源可信度低的规则）", "provisional (rests on a rule of low source confidence)"),
    "contradictions": ("事实相互矛盾", "Contradictory facts"),
    "why_not": ("考虑而未采纳", "Considered and rejected"), "changes": ("何种事实会改变认定", "What would change it"),
    "facts": ("事实", "Facts"), "summary": ("案情", "Summary"), "role": ("人员类别", "Role"),
    "facts_considered": ("规则所依据的事实", "Facts the rules tested"), "source": ("来源可信度", "source confidence"),
    "errata": ("勘误", "errata"), "version_word": ("版本", "Version"), "no_changes": ("无", "none found"),
    "explanation": ("说明", "Explanation"),
})



def liable_text(rb: Rulebook, finding: str, liable: bool, lang: str) -> str:
    return word("open" if finding == rb.undetermined else "yes" if liable else "no", lang)


def names_finding(label: str, finding_id: str) -> bool:
    """The label already says the id (`exempt (no responsibility)` for `exempt`): no need to add it again."""
    import re

    return re.match(rf"{re.escape(finding_id.replace('_', ' '))}\b", label.lower().replace("-", " ")) is not None


def finding_text(rb: Rulebook, finding: str, lang: str) -> str:
    label = rb.finding_label(finding, lang)
    return f"{label} ({finding})" if lang == "en" and not names_finding(label, finding) else label


def value_text(rb: Rulebook, field: str, value: str, lang: str) -> str:
    return Words(rb).value(field, value, lang)


def interpretation(entry: TraceEntry, lang: str) -> str:
    return (entry.interpretation_reason_zh or entry.interpretation_reason or "") if lang == "zh" \
        else (entry.interpretation_reason or "")


def condition_checks(rb: Rulebook, entry: TraceEntry, lang: str) -> list[tuple[bool, str]]:
    words = Words(rb)
    return [(c.holds, condition_words(c.tests, c.holds, c.alternative, words, lang)) for c in entry.conditions]


def outcome_text(entry: TraceEntry, lang: str) -> str:
    text = word(entry.outcome, lang)
    if entry.defeated_by:
        key = "concurring_with" if entry.outcome == "concurring" else "defeated_by"
        text += f"（{word(key, lang)} {entry.defeated_by}）" if lang == "zh" else f" ({word(key, lang)} {entry.defeated_by})"
    if entry.interpretation:
        text += f" [{word('interpretation', lang)}]"
    return text


def entry_text(rb: Rulebook, entry: TraceEntry, lang: str) -> str:
    checks = condition_checks(rb, entry, lang)
    if checks:
        return "；".join(("✓ " if ok else "✗ ") + t for ok, t in checks) if lang == "zh" else \
            "; ".join(("✓ " if ok else "✗ ") + t for ok, t in checks)
    return entry.explanation_text.get(lang) or ""


def alternatives(rb: Rulebook, m: Missing, lang: str, *, ids: bool = True) -> list[str]:
    """Each value of a missing fact and the finding it would give (`ids`: with the finding's id in English)."""
    name = finding_text if ids else (lambda rb_, finding, lang_: rb_.finding_label(finding, lang_))
    return [f"{value_text(rb, m.field, a.value, lang)} → {name(rb, a.finding, lang)}"
            + (f" ({a.citation_label})" if a.citation_label else "") for a in m.alternatives]
