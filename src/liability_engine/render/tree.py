"""`liability explain` on a terminal: the determination as a tree — per conduct its reasoning, basis,
trace by version, why not, what would change it, missing facts and warnings."""

from __future__ import annotations

from rich.text import Text
from rich.tree import Tree

from ..determination.model import Determination
from ..rulebook.model import Rulebook
from .console import safe
from .words import alternatives, colon, condition_checks, finding_text, interpretation, outcome_text, word

__all__ = ["explain_tree"]


def explain_tree(rb: Rulebook, det: Determination, lang: str) -> Tree:
    root = Tree(Text(f"{word('case', lang)} {safe(det.case_id)} · {word('overall', lang)}{colon(lang)}"
                     f"{finding_text(rb, det.overall.finding, lang)}", style="bold"))
    for c in det.conducts:
        node = root.add(Text(f"{word('conduct', lang)} {safe(c.conduct_id)}: {finding_text(rb, c.finding, lang)}",
                             style="bold"))
        node.add(Text(f"{word('reasoning', lang)}{colon(lang)}{c.explanation_text.get(lang)}"))
        if c.citation:
            basis = node.add(Text(f"{word('basis', lang)}{colon(lang)}{c.citation.label_text.get(lang)} "
                                  f"({c.citation.version})"))
            basis.add(Text(c.citation.quote.get(lang), style="italic"))
        by_version: dict[str, Tree] = {}
        trace = node.add(Text(word("trace", lang), style="bold"))
        for e in c.trace:
            branch = by_version.get(e.version)
            if branch is None:
                branch = by_version[e.version] = trace.add(Text(f"{word('version_word', lang)} {e.version}"))
            style = "green" if e.outcome in ("fired", "chosen") else "dim"
            leaf = branch.add(Text(f"{e.rule}: {outcome_text(e, lang)}", style=style))
            for ok, text in condition_checks(rb, e, lang):
                leaf.add(Text(("✓ " if ok else "✗ ") + text, style=None if ok else "red"))
            if not e.conditions and e.explanation_text.get(lang):
                leaf.add(Text(e.explanation_text.get(lang) or ""))
            if e.interpretation and e.interpretation_reason:
                leaf.add(Text(f"{word('interpretation', lang)}{colon(lang)}{interpretation(e, lang)}", style="magenta"))
        if c.why_not:
            why = node.add(Text(word("why_not", lang), style="bold"))
            for item in c.why_not:
                why.add(Text(item.reason_text.get(lang)))
        if c.what_would_change is not None:
            changes = node.add(Text(word("changes", lang), style="bold"))
            for change in c.what_would_change:
                changes.add(Text(change.summary_text.get(lang)))
            if not c.what_would_change:
                changes.add(Text(word("no_changes", lang)))
        for m in c.missing:
            miss = node.add(Text(f"{word('missing', lang)}{colon(lang)}{m.question_text.get(lang) or m.field}",
                                 style="yellow"))
            for alternative in alternatives(rb, m, lang):
                miss.add(Text(alternative))
        for warning in (c.warnings_zh if lang == "zh" else c.warnings):
            node.add(Text(f"⚠ {warning}", style="yellow"))
    return root
