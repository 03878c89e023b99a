"""Rendering the version list and version differences."""

from __future__ import annotations

from typing import Any, Sequence

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..rulebook.model import Rulebook

__all__ = ["versions_table", "diff_table", "engine_line", "versions_markdown", "diff_markdown"]


def versions_table(rows: Sequence[dict[str, Any]], console: Console) -> None:
    table = Table(title="Encoded versions", title_justify="left")
    for head in ("version", "title", "in force", "source", "confidence", "rules (confirmed/moderate/low)", "Art. 28"):
        table.add_column(head)
    for r in rows:
        c = r["rules_by_confidence"]
        table.add_row(r["version"], Text(r["title"]), f"{r['in_force_from']} – {r['in_force_until'] or 'now'}",
                      Text(r["source"]), r["source_confidence"],
                      f"{r['rules']} ({c['confirmed']}/{c['moderate']}/{c['low']})",
                      "yes" if r["temporal_article"] else "—")
    console.print(table)


def engine_line(lang: str, console: Console) -> None:
    """One line under the version list: which evaluator runs these rules here (and why, when not durable-rules)."""
    from ..runtime import version_lines

    console.print(Text(" · ".join(version_lines(lang))), soft_wrap=True)


def diff_table(rb: Rulebook, rows: Sequence[Any], old: str, new: str, total: int, lang: str,
               console: Console) -> None:
    table = Table(title=f"Where {old} and {new} differ ({len(rows)} of {total} conducts)", title_justify="left",
                  show_lines=True)
    for head in ("case / conduct", "act, fault", "changed", old, new, "why (deciding rules)"):
        table.add_column(head)
    for r in rows:
        def side(e: Any) -> Text:
            label = e.citation.label if e.citation else "—"
            return Text(f"{rb.finding_label(e.finding, lang)}\n{'liable' if e.liable else 'not liable'}\n{label}")
        why = Text(f"{old}: {r.old.decided_by or 'no rule'}\n{new}: {r.new.decided_by or 'no rule'}")
        table.add_row(Text(f"{r.case_id} / {r.conduct_id}\n{r.source}"), Text(f"{r.act}\n{r.fault}"),
                      ", ".join(r.changed), side(r.old), side(r.new), why)
    console.print(table)


# Markdown, for a report or an investigation file: zh and en side by side in the code.
_MD = {
    "versions_title": {"zh": "已编码的版本", "en": "Encoded versions"},
    "versions_head": {"zh": ["版本", "名称", "施行期间", "来源", "来源可信度", "规则数（已核实/中等/低）", "第二十八条"],
                      "en": ["version", "title", "in force", "source", "confidence",
                             "rules (confirmed/moderate/low)", "Art. 28"]},
    "now": {"zh": "至今", "en": "now"},
    "yes": {"zh": "是", "en": "yes"},
    "confidence": {"zh": {"confirmed": "已核实", "moderate": "中等", "low": "低"},
                   "en": {"confirmed": "confirmed", "moderate": "moderate", "low": "low"}},
    "diff_title": {"zh": "{old} 与 {new} 的差异（{total} 项行为中有 {n} 项不同）",
                   "en": "Where {old} and {new} differ ({n} of {total} conducts)"},
    "diff_head": {"zh": ["案件 / 行为", "行为、过错", "变化", "{old}", "{new}", "理由（决定规则）"],
                  "en": ["case / conduct", "act, fault", "changed", "{old}", "{new}", "why (deciding rules)"]},
    "liable": {"zh": "应当承担司法责任", "en": "liable"},
    "not_liable": {"zh": "不承担司法责任", "en": "not liable"},
    "no_rule": {"zh": "无规则", "en": "no rule"},
    "none": {"zh": "两个版本对每项行为的结论相同。", "en": "The two versions agree on every conduct."},
}


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", "<br>")


def _table(head: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def versions_markdown(rows: Sequence[dict[str, Any]], lang: str) -> str:
    from ..runtime import version_lines

    body = []
    for r in rows:
        c = r["rules_by_confidence"]
        body.append([r["version"], r["title"], f"{r['in_force_from']} – {r['in_force_until'] or _MD['now'][lang]}",
                     r["source"], _MD["confidence"][lang][r["source_confidence"]], f"{r['rules']} ({c['confirmed']}/{c['moderate']}/{c['low']})",
                     _MD["yes"][lang] if r["temporal_article"] else "—"])
    return (f"## {_MD['versions_title'][lang]}\n\n" + _table(_MD["versions_head"][lang], body) + "\n"
            + " · ".join(version_lines(lang)) + "\n")


def diff_markdown(rb: Rulebook, rows: Sequence[Any], old: str, new: str, total: int, lang: str) -> str:
    def side(e: Any) -> str:
        label = (e.citation.label_zh if lang == "zh" else e.citation.label) if e.citation else "—"
        liable = _MD["liable" if e.liable else "not_liable"][lang]
        return f"{rb.finding_label(e.finding, lang)}\n{liable}\n{label}"

    title = _MD["diff_title"][lang].format(old=old, new=new, n=len(rows), total=total)
    head = [h.format(old=old, new=new) for h in _MD["diff_head"][lang]]
    no_rule = _MD["no_rule"][lang]
    body = [[f"{r.case_id} / {r.conduct_id}\n{r.source}", f"{r.act}\n{r.fault}", ", ".join(r.changed), side(r.old),
             side(r.new), f"{old}: {r.old.decided_by or no_rule}\n{new}: {r.new.decided_by or no_rule}"]
            for r in rows]
    return f"## {title}\n\n" + (_table(head, body) if body else _MD["none"][lang] + "\n")
