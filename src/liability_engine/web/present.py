"""What the templates show, computed from the engine's data: a determination (as Engine.explain gives
it), the act list grouped by article, the rules as decision tables, progress as a chart.

Everything is read from the rulebook and the determination; the words are the rulebook's
(vocabulary, findings, article texts) or the page's own (the `web` section of rules/messages.yaml).
Text from the facts is passed through as data: the templates escape it (Jinja2 autoescape)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

from ..determination import ConductDetermination, Determination, TraceEntry
from ..determination.explain import Words, condition_words
from ..determination.citations import citation_for, provision_label, zh_number
from ..rulebook import Rule, Rulebook, Version
from .words import say

__all__ = ["act_groups", "determination_view", "conduct_view", "left_out_view", "liable_text", "finding_text",
           "rules_view", "chart_svg_data", "article_label", "provision_text"]


def finding_text(rb: Rulebook, finding: str | None, lang: str) -> str:
    if finding is None:
        return say("none", lang)
    return rb.finding_label(finding, lang)


def liable_text(rb: Rulebook, finding: str, liable: bool, lang: str) -> str:
    if finding == rb.undetermined:
        return say("open", lang)
    return say("attaches" if liable else "not_attach", lang)


def article_label(article: int | None, lang: str) -> str:
    if article is None:
        return say("other", lang)
    return provision_label(article, None, None).get(lang)


def provision_text(article: int | None, paragraph: int | None, item: int | None, lang: str) -> str:
    if article is None and paragraph is None and item is None:
        return say("none", lang)
    if article is None:
        return f"({item or paragraph})"
    return provision_label(article, paragraph, item).get(lang)


# --- the act list ---------------------------------------------------------------------------------


@dataclass
class ActGroup:
    label: str
    acts: list[tuple[str, str]] = field(default_factory=list)  # (value, words)


def act_groups(rb: Rulebook, lang: str) -> list[ActGroup]:
    """The acts, each under the provision of the current version that first names it by item (else by
    paragraph or article), in the order of the rule files: the drop-down reads like the regulation."""
    words = Words(rb)
    version = rb.versions[-1]
    home: dict[str, tuple[int, Rule]] = {}
    for rank, rule in enumerate(version.rules):
        if rule.acts is None or not rule.cited or rule.warns_only:
            continue
        # an item is the most specific place an act is named; then a paragraph; then the article
        for act in rule.acts:
            current = home.get(act)
            if current is None or _specificity(rule) < _specificity(current[1]):
                home[act] = (rank, rule)
    groups: dict[str, ActGroup] = {}
    order: list[tuple[int, str]] = []
    unplaced = ActGroup(say("other", lang))
    for act in rb.schema["act"].values:
        label = words.value("act", act, lang)
        if lang != "zh":  # the Chinese name beside the English one: the regulation's own words
            label = f"{label} · {words.value('act', act, 'zh')}"
        placed = home.get(act)
        if placed is None:
            unplaced.acts.append((act, label))
            continue
        rank, rule = placed
        cite = citation_for(rule, version)
        key = cite.label if cite else rule.id
        if key not in groups:
            groups[key] = ActGroup(cite.label_text.get(lang) if cite else rule.id)
            order.append((rank, key))
        groups[key].acts.append((act, label))
    out = [groups[k] for _, k in sorted(order)]
    return out + ([unplaced] if unplaced.acts else [])


def _specificity(rule: Rule) -> int:
    return 0 if rule.item is not None else 1 if rule.paragraph is not None else 2


# --- a determination --------------------------------------------------------------------------------


def _confidence(value: str, lang: str) -> str:
    return say(f"conf_{value}", lang)


def _entry_lines(rb: Rulebook, entry: TraceEntry, lang: str) -> list[tuple[bool, str]]:
    words = Words(rb)
    return [(c.holds, condition_words(c.tests, c.holds, c.alternative, words, lang)) for c in entry.conditions]


def conduct_view(rb: Rulebook, c: ConductDetermination, lang: str, index: int = 0) -> dict[str, Any]:
    """A conduct's determination as the templates show it (_result.html): the headline, the basis, the
    Art. 28 comparison, why, why not, what would change it, the facts considered and the questions."""
    words = Words(rb)
    view = _headline(rb, c, lang, words)
    view["index"] = index
    view["citation"] = _citation_view(c, lang) if c.citation is not None else None
    view["temporal"] = _temporal_view(rb, c, lang)
    view["why"] = [_held_view(rb, e, lang) for e in c.trace
                   if e.outcome in ("fired", "advisory") and (e.version == c.version_applied or c.version_applied is None)]
    view["why_not"] = _why_not(c, lang)
    view["changes"] = None if c.what_would_change is None else [x.summary_text.get(lang) for x in c.what_would_change]
    view["considered"] = [(words.field(f, lang), words.value(f, v, lang)) for f, v in c.facts_considered.items()]
    view["warnings"] = c.warnings_zh if lang == "zh" else c.warnings
    view["questions"] = [_question_view(rb, m, lang, words) for m in c.missing]
    return view


def _headline(rb: Rulebook, c: ConductDetermination, lang: str, words: Words) -> dict[str, Any]:
    return {
        "id": c.conduct_id, "date": str(c.date), "act": words.value("act", c.act, lang),
        "fault": words.value("fault", c.fault, lang),
        "finding": finding_text(rb, c.finding, lang), "finding_id": c.finding,
        "undetermined": c.finding == rb.undetermined, "liable": c.liable,
        "liable_text": liable_text(rb, c.finding, c.liable, lang),
        "explanation": c.explanation_text.get(lang),
        "version_applied": say("version_year", lang, v=c.version_applied) if c.version_applied else "—",
    }


def _citation_view(c: ConductDetermination, lang: str) -> dict[str, Any]:
    cite = c.citation
    assert cite is not None
    return {
        "label": cite.label_text.get(lang), "version": cite.version, "text": cite.quote.get(lang),
        "confidence": cite.source_confidence, "confidence_text": _confidence(cite.source_confidence, lang),
        "provisional": c.provisional or cite.source_confidence != "confirmed",
    }


def _temporal_view(rb: Rulebook, c: ConductDetermination, lang: str) -> dict[str, Any] | None:
    """The Art. 28 comparison, when one was made (or none of the versions could apply)."""
    t = c.temporal
    if len(t.evaluations) <= 1 and t.choice != "undetermined":
        return None
    return {
        "reason": t.reason_text.get(lang), "interpretation": t.interpretation, "choice": t.choice, "rule": t.rule,
        "rows": [{"version": say("version_year", lang, v=e.version), "finding": finding_text(rb, e.finding, lang),
                  "liable": liable_text(rb, e.finding, e.liable, lang),
                  "cite": e.citation.label_text.get(lang) if e.citation else "—",
                  "applied": e.version == c.version_applied, "rule": e.decided_by or "—"}
                 for e in t.evaluations],
    }


def _held_view(rb: Rulebook, e: TraceEntry, lang: str) -> dict[str, Any]:
    """A rule that held: its conditions, each with whether it held, and its interpretation."""
    reason = e.interpretation_reason_zh if lang == "zh" else e.interpretation_reason
    return {
        "rule": e.rule, "outcome": e.outcome, "cite": e.citation.label_text.get(lang) if e.citation else "",
        "lines": _entry_lines(rb, e, lang), "explanation": e.explanation_text.get(lang),
        "interpretation": reason if e.interpretation else "",
        "confidence": e.source_confidence, "confidence_text": _confidence(e.source_confidence, lang),
    }


def _why_not(c: ConductDetermination, lang: str) -> list[str]:
    """Each rule defeated by a stronger one, then each other finding's nearest rule and what failed."""
    lines = [say("defeated_line", lang, version=e.version, cite=e.citation.label_text.get(lang), rule=e.rule,
                 by=e.defeated_by)
             for e in c.trace if e.outcome == "defeated" and e.citation is not None]
    lines.extend(w.reason_text.get(lang) for w in c.why_not)
    return list(dict.fromkeys(lines))


def _question_view(rb: Rulebook, m: Any, lang: str, words: Words) -> dict[str, Any]:
    """A missing fact as a question; each answer says the finding (and liability, and article) it leads to."""
    def leads_to(a: Any) -> str:
        text = finding_text(rb, a.finding, lang)
        if rb.leaves_liability_unsaid(a.finding):
            text = say("with_liability", lang, finding=text, liability=liable_text(rb, a.finding, a.liable, lang))
        label = a.cite_in(lang)
        return say("paren", lang, text=text, note=label) if label else text

    return {"field": m.field, "text": m.question_text.get(lang) or words.field(m.field, lang),
            "choices": [{"value": a.value, "label": words.value(m.field, a.value, lang), "leads_to": leads_to(a)}
                        for a in m.alternatives]}


def determination_view(rb: Rulebook, det: Determination, lang: str) -> dict[str, Any]:
    return {
        "case_id": det.case_id, "person_id": det.person_id, "evaluated_on": str(det.evaluated_on),
        "overall": finding_text(rb, det.overall.finding, lang),
        "overall_undetermined": det.overall.finding == rb.undetermined,
        "overall_liable": liable_text(rb, det.overall.finding, det.overall.liable, lang),
        "liable": det.overall.liable,
        "rulebook": f"{det.rulebook.digest} · {', '.join(det.rulebook.versions)}",
        "conducts": [conduct_view(rb, c, lang, i) for i, c in enumerate(det.conducts)],
    }


# --- the rules ----------------------------------------------------------------------------------------


def left_out_view(rb: Rulebook, left_out: Sequence[Any], lang: str) -> list[tuple[str, str, str]]:
    """The facts marked unknown that the format cannot say yet: (conduct, field, the default read)."""
    words = Words(rb)
    return [(lo.conduct, words.field(lo.field, lang), words.value(lo.field, lo.default, lang)) for lo in left_out]


def rules_view(rb: Rulebook, version: Version, article_key: str | None, lang: str) -> dict[str, Any]:
    from ..render.rules import decision_rows

    zh = lang == "zh"
    m = version.manifest
    rows_by_rule = {r["rule"]: r for r in decision_rows(rb, version, None, lang)}
    articles = []
    for key, art in version.articles.items():
        if article_key is not None and key != article_key:
            continue
        rules = [r for r in version.rules if r.article_key == key]
        label = art.label.get(lang) if art.label else article_label(art.number, lang)
        articles.append({
            "key": key, "number": art.number, "label": label,
            "text": art.text.get(lang),
            "paragraphs": [(n, p.get(lang)) for n, p in sorted(art.paragraphs.items())],
            "items": [(n, say("item_mark", lang, number=zh_number(n) if zh else n), t.get(lang))
                      for n, t in sorted(art.items.items())],
            "errata": [e.note for e in art.errata],
            "confidence": art.source_confidence or m.source_confidence,
            "rules": [{
                "id": r.id, "cite": rows_by_rule[r.id]["cite"], "conditions": rows_by_rule[r.id]["conditions"],
                "precedence": _precedence(version, r, lang),
                "finding": finding_text(rb, r.finding, lang),
                "liable": liable_text(rb, r.finding, r.liable, lang), "warns_only": r.warns_only,
                "interpretation": (r.interpretation_zh if zh else r.interpretation) if r.interpretation else "",
                "confidence": r.source_confidence, "confidence_text": _confidence(r.source_confidence, lang),
                "source": r.source or "",
                "explanation": r.explanation.get(lang) if r.explanation else "",
            } for r in rules if r.id in rows_by_rule],
            "temporal": [{"id": t.id, "choose": t.choose, "explanation": t.explanation.get(lang),
                          "interpretation": (t.interpretation_zh if zh else t.interpretation) if t.interpretation else ""}
                         for t in version.temporal_rules if t.article_key == key],
        })
    return {
        "id": version.id, "title": m.title.get(lang), "short": m.short.get(lang), "issuer": m.issuer,
        "from": str(m.in_force_from), "until": str(m.in_force_until) if m.in_force_until else None,
        "source": m.source, "confidence": m.source_confidence, "confidence_text": _confidence(m.source_confidence, lang),
        "errata": list(m.errata_applied),
        "layers": [(layer.id, layer.title.get(lang)) for layer in version.layers],
        "articles": articles,
        "article_keys": [(k, a.label.get(lang) if a.label else article_label(a.number, lang))
                         for k, a in version.articles.items()],
    }


def _precedence(version: Version, rule: Rule, lang: str) -> str:
    """The rule's layer (rank and title, strongest first) and the rules it defeats."""
    if not rule.layer:
        return say("warn_only", lang)
    rank = next((i for i, layer in enumerate(version.layers, 1) if layer.id == rule.layer), None)
    title = next((layer.title.get(lang) for layer in version.layers if layer.id == rule.layer), rule.layer)
    text = f"{rank}. {title}" if rank else title
    if rule.defeats:
        text = say("precedence_defeats", lang, layer=text, rules=", ".join(rule.defeats))
    return text


# --- progress chart -----------------------------------------------------------------------------------

_PALETTE = ("#1f5fa8", "#b3261e", "#1e7b34", "#8a5a00", "#6a3d9a", "#00796b", "#ad1457", "#455a64")


def chart_svg_data(rows: Sequence[Any], days: Sequence[str], lang: str, width: int = 640,
                   height: int = 260) -> dict[str, Any]:
    """Coordinates for an SVG line chart: accuracy per article (rows of training.ArticleStats) per day."""
    left, right, top, bottom = 48, 150, 16, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    shown = list(days)[-14:]
    n = len(shown)

    def x(i: int) -> float:
        return round(left + (plot_w * (i / (n - 1)) if n > 1 else plot_w / 2), 1)

    def y(fraction: float) -> float:
        return round(top + plot_h * (1 - fraction), 1)

    series = []
    for k, row in enumerate(rows):
        points = []
        nudge = round((k - (len(rows) - 1) / 2) * 5, 1)  # series side by side, so equal values do not hide each other
        for i, day in enumerate(shown):
            cell = row.by_day.get(day)
            if cell and cell[1]:
                points.append({"x": round(x(i) + nudge, 1), "y": y(cell[0] / cell[1]),
                               "label": f"{day}: {cell[0]}/{cell[1]}"})
        c, total = row.total
        series.append({"label": article_label(row.article, lang), "color": _PALETTE[k % len(_PALETTE)],
                       "points": points, "path": " ".join(f"{p['x']},{p['y']}" for p in points),
                       "legend_y": top + 14 + 18 * k, "total": f"{round(100 * c / total) if total else 0}%"})
    return {
        "width": width, "height": height, "left": left, "top": top, "plot_w": plot_w, "plot_h": plot_h,
        "legend_x": left + plot_w + 16,
        "grid": [{"y": y(f / 100), "label": f"{f}%"} for f in (0, 25, 50, 75, 100)],
        "days": [{"x": x(i), "label": d[5:]} for i, d in enumerate(shown)],
        "series": series, "bottom": top + plot_h,
    }

