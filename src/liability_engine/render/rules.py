"""Rendering for rule authors: decision tables, check results, YAML-case results and law coverage."""

from __future__ import annotations

import io
from typing import Any, Sequence

from rich.console import Console
from rich.text import Text

from ..determination.citations import citation_for
from ..i18n import localized, text
from .words import listed, paren
from ..rulebook.conditions import NULL, All, Any_, Condition, Test, describe
from ..rulebook.model import Rule, Rulebook, Version
from .layout import show_table

__all__ = ["decision_rows", "rules_table", "rules_markdown", "interpretations_markdown", "case_results",
           "coverage_table"]

_HEAD = ["rule", "cite", "text", "conditions", "finding", "precedence", "notes"]


def decision_rows(rb: Rulebook, version: Version, article: int | None, lang: str) -> list[dict[str, str]]:
    """One row per rule: what a lawyer needs to read the rule without the YAML."""
    rows = []
    rank = {layer.id: i + 1 for i, layer in enumerate(version.layers)}
    titles = {layer.id: layer.title.get(lang) for layer in version.layers if getattr(layer, "title", None)}
    for rule in version.rules:
        if article is not None and rule.article != article:
            continue
        cite = citation_for(rule, version)
        art = version.articles[rule.article_key]
        if rule.item is not None:
            body = art.items[rule.item].get(lang)
        elif rule.paragraph is not None:
            body = art.paragraphs[rule.paragraph].get(lang)
        else:
            body = art.text.get(lang)
        layer = titles.get(rule.layer, rule.layer) if lang == "zh" else rule.layer
        precedence = f"{rank[rule.layer]}. {layer}" if rule.layer else text("rules_show.warning_only", lang)
        if rule.defeats:
            precedence += text("rules_show.defeats", lang, rules=", ".join(rule.defeats))
        notes = ""
        if rule.interpretation:
            reason = (rule.interpretation_zh or rule.interpretation) if lang == "zh" else rule.interpretation
            notes += text("rules_show.interpretation", lang, reason=reason)
        if rule.source_confidence != "confirmed":
            notes += text("rules_show.source", lang, confidence=text(f"versions.confidence_{rule.source_confidence}",
                                                                     lang) if lang == "zh" else rule.source_confidence)
        rows.append({
            "rule": rule.id,
            "cite": cite.label_text.get(lang) if cite else "—",
            "text": body,
            "conditions": _conditions(rb, rule, lang),
            "finding": rb.finding_label(rule.finding, lang)
                       + text("rules_show.liable" if rule.liable else "rules_show.not_liable", lang)
                       + (text("rules_show.warning", lang) if rule.warns_only else ""),
            "precedence": precedence,
            "notes": notes,
        })
    return rows


def _conditions(rb: Rulebook, rule: Rule, lang: str) -> str:
    parts = []
    if lang != "zh":  # the rule language (also docs/rules.md)
        if rule.acts is not None:
            parts.append(f"act: {', '.join(sorted(rule.acts))}" if len(rule.acts) <= 8
                         else f"act: any of {len(rule.acts)} acts not listed elsewhere")
        if rule.when is not None:
            parts.append(describe(rule.when))
        return "; ".join(parts) or "always"
    from ..determination.explain import Words

    words = Words(rb)
    if rule.acts is not None:
        acts = listed((words.value("act", a, lang) for a in sorted(rule.acts)), lang)
        parts.append(text("rules_show.acts", lang, acts=acts) if len(rule.acts) <= 8
                     else text("rules_show.acts_other", lang, count=len(rule.acts)))
    if rule.when is not None:
        parts.append(_describe_zh(rule.when, words))
    return text("rules_show.and", lang).join(parts) or text("rules_show.always", lang)


def _describe_zh(cond: Condition, words: Any, top: bool = True) -> str:
    """A condition in the vocabulary's Chinese words: `主观过错为重大过失，且（……或……）`."""
    lang = "zh"

    def show(field: str, value: Any, negated: bool = False) -> str:
        shown = words.value(field, None if value == NULL else value, lang)
        return text("rules_show.is_not" if negated else "rules_show.is", lang, field=words.field(field, lang),
                    value=shown)

    if isinstance(cond, Test):
        return show(cond.field, cond.value, cond.op != "eq")
    items = list(cond.items)
    same_field = len({getattr(c, "field", None) for c in items}) == 1 and all(isinstance(c, Test) for c in items)
    if same_field and isinstance(cond, Any_) and all(c.op == "eq" for c in items):
        field = items[0].field
        values = listed((words.value(field, None if c.value == NULL else c.value, lang) for c in items), lang)
        return text("rules_show.one_of", lang, field=words.field(field, lang), values=values)
    if same_field and isinstance(cond, All) and all(c.op == "ne" for c in items):
        field = items[0].field
        values = listed((words.value(field, None if c.value == NULL else c.value, lang) for c in items), lang)
        return text("rules_show.none_of", lang, field=words.field(field, lang), values=values)
    joiner = text("rules_show.and" if isinstance(cond, All) else "rules_show.or", lang)
    return joiner.join(_describe_zh(c, words, False) if isinstance(c, Test) else
                       paren(_describe_zh(c, words, False), lang) for c in items)


def _headings(lang: str) -> list[str]:
    return [text(f"rules_show.head_{h}", lang) for h in _HEAD]


def rules_table(rb: Rulebook, versions: Sequence[Version], article: int | None, lang: str, console: Console) -> None:
    for version in versions:
        rows = decision_rows(rb, version, article, lang)
        title = text("rules_show.title", lang, title=version.manifest.title.get(lang), version=version.id,
                     since=version.in_force_from)
        show_table(console, title, _headings(lang), [[row[h] for h in _HEAD] for row in rows], show_lines=True)


def rules_markdown(rb: Rulebook, versions: Sequence[Version], article: int | None, lang: str) -> str:
    out = io.StringIO()
    out.write(f"<!-- {text('rules_show.md_generated', lang)} -->\n")
    out.write(f"# {text('rules_show.md_title', lang)}\n\n")
    for version in versions:
        m = version.manifest
        until = text("rules_show.md_until", lang, until=m.in_force_until) if m.in_force_until else ""
        out.write(f"## {text('rules_show.md_version', lang, title=m.title.get(lang), version=version.id)}\n\n")
        source = (m.source_zh or m.source) if lang == "zh" else m.source
        confidence = text(f"versions.confidence_{m.source_confidence}", lang) if lang == "zh" else m.source_confidence
        out.write(text("rules_show.md_manifest", lang, since=m.in_force_from, until=until, issuer=m.issuer,
                       source=source, confidence=confidence) + "\n\n")
        out.write(text("rules_show.md_precedence", lang, layers=" › ".join(layer.id for layer in version.layers))
                  + "\n\n")
        out.write("| " + " | ".join(_headings(lang)) + " |\n|" + "---|" * len(_HEAD) + "\n")
        for row in decision_rows(rb, version, article, lang):
            cells = [row[h].replace("|", "\\|").replace("\n", " ") for h in _HEAD]
            out.write("| " + " | ".join(cells) + " |\n")
        out.write("\n")
    return out.getvalue()


def _both(key: str, between: str) -> str:
    """A sentence of the catalogue in English, then in Chinese (the interpretations list is written in both)."""
    return text(key, "en") + between + text(key, "zh")


def interpretations_markdown(rb: Rulebook, versions: Sequence[Version]) -> str:
    """Every reading beyond the words (`interpretation:` in the YAML), per version, with the rules,
    precedence layers and temporal rules that carry it, and its reason in Chinese and English."""
    out = io.StringIO()
    out.write("<!-- generated by `liability rules show --interpretations --format markdown`; do not edit by hand -->\n")
    out.write(f"# {_both('rules_show.interp_title', ' / ')}\n\n")
    out.write(f"{_both('rules_show.interp_intro', ' ')}\n\n")
    for version in versions:
        readings: dict[tuple[str, str], list[str]] = {}
        for layer in version.layers:
            if layer.interpretation is not None:
                key = (layer.interpretation.reason, layer.interpretation.reason_zh)
                readings.setdefault(key, []).append(f"precedence layer `{layer.id}`")
        for rule in version.rules:
            cite = citation_for(rule, version)
            where = f"`{rule.id}`" + (f" ({cite.label} / {cite.label_zh})" if cite else "")
            for reading in rule.interpretations:
                readings.setdefault((reading.reason, reading.reason_zh), []).append(where)
        for temporal in version.temporal_rules:
            if temporal.interpretation:
                key = (temporal.interpretation, temporal.interpretation_zh or "")
                readings.setdefault(key, []).append(f"`{temporal.id}` (Art. 28)")
        m = version.manifest
        out.write(f"## {m.title.zh} / {m.title.en} — version {version.id}\n\n")
        if not readings:
            out.write(f"{_both('rules_show.interp_none', ' ')}\n\n")
        for i, ((en, zh), where) in enumerate(readings.items(), 1):
            out.write(f"### {version.id}-{i}\n\n")
            out.write(f"- **{_both('rules_show.interp_rules', ' / ')}:** " + ", ".join(dict.fromkeys(where)) + "\n")
            out.write(f"- **{text('rules_show.interp_reason', 'zh')}:** {' '.join(zh.split())}\n")
            out.write(f"- **{text('rules_show.interp_reason', 'en')}:** {' '.join(en.split())}\n\n")
    return out.getvalue()


def case_results(results: Sequence[Any], console: Console, lang: str) -> None:
    for r in results:
        if r.passed:
            continue
        console.print(Text(text("rules_show.case_failed", lang, file=r.case.file, line=r.case.line, name=r.case.name),
                           style="bold red"))
        for diff in r.differences:
            console.print(Text(f"    - {localized(diff, lang)}"))
    passed = sum(1 for r in results if r.passed)
    failed = len(results) - passed
    console.print(Text(text("rules_show.cases_summary", lang, passed=passed, failed=failed),
                       style="bold green" if not failed else "bold red"))


def coverage_table(rows: Sequence[Any], console: Console, lang: str) -> dict[str, tuple[float, float]]:
    """Per version: (share of rules some case fires, share some case just misses), in percent."""
    totals: dict[str, list[int]] = {}
    cells = []
    for row in rows:
        t = totals.setdefault(row.version, [0, 0, 0])
        t[0] += 1
        t[1] += bool(row.fired_by)
        t[2] += bool(row.missed_by)
        cells.append([row.version, row.rule, row.label_zh if lang == "zh" else row.label,
                      Text(str(len(row.fired_by)), style="green" if row.fired_by else "bold red"),
                      Text(str(len(row.missed_by)), style="green" if row.missed_by else "bold red")])
    show_table(console, text("rules_show.coverage_title", lang),
               [text(f"rules_show.coverage_{h}", lang) for h in ("version", "rule", "cite", "fired", "missed")], cells)
    summary = {v: (100.0 * f / n, 100.0 * m / n) for v, (n, f, m) in totals.items()}
    for v, (f, m) in summary.items():
        console.print(Text(text("rules_show.coverage_summary", lang, version=v, fired=f"{f:.0f}", missed=f"{m:.0f}")))
    return summary
