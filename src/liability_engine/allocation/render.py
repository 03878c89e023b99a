"""Reports of a case determination: markdown (a section per person) and text, in zh and en."""

from __future__ import annotations

import io
from typing import Any

from .determination import Allocation, CaseDetermination, PersonDetermination

__all__ = ["case_markdown", "case_text", "WORDS"]

WORDS: dict[str, tuple[str, str]] = {
    "title": ("案件责任认定与划分报告", "Case report: responsibility and its division"),
    "case": ("案件", "Case"),
    "evaluated_on": ("评估日期", "Evaluated on"),
    "overall": ("总体结论", "Overall"),
    "most_severe": ("最严重的行为认定", "most severe conduct finding"),
    "bearing": ("承担责任的人员（本人行为或决定）", "persons who bear responsibility (own conducts or a decision)"),
    "not_determined": ("存在未确定事项的人员", "persons with something not determined"),
    "separate_track": ("转入监督管理责任另行处理的人员", "persons on the supervisory-management track"),
    "provisional": ("暂定（依据低可信度来源）", "provisional (rests on low-confidence sources)"),
    "decisions": ("决定", "Decisions"),
    "decided_by": ("决定者", "decided by"),
    "wrong": ("决定是否错误", "decision wrong"),
    "version": ("责任划分适用版本", "allocation version"),
    "person": ("人员", "Person"),
    "role": ("身份", "role"),
    "own": ("本人行为", "Own conducts"),
    "answers": ("对决定承担的责任", "What the person answers for"),
    "trace": ("划分过程（为何归于或不归于本人）", "Trace (why responsibility went to this person or passed them by)"),
    "warnings": ("提示", "Warnings"),
    "none": ("无", "none"),
    "liable": ("承担司法责任", "judicially liable"),
    "liable_own": ("本人行为承担司法责任", "judicially liable for own conducts"),
    "missing_provision": ("现有规则来源未作规定；缺少的规定", "not determined by the encoded sources; missing provision"),
    "missing": ("待查明的事实", "facts to establish"),
    "assumption": ("标明的假定", "labelled assumption"),
    "interpretation": ("解释", "interpretation"),
    "source": ("来源", "source"),
    "conditional": ("决定是否错误尚未查明：仅在决定错误时成立", "the decision's wrongness is not established: holds only if it was wrong"),
    "yes": ("是", "yes"), "no": ("否", "no"), "unknown": ("不明", "unknown"),
}

RESULT_WORDS: dict[str, tuple[str, str]] = {
    "bears": ("承担责任", "bears the responsibility"),
    "bears_mainly": ("主要承担责任", "bears the responsibility mainly"),
    "bears_corresponding": ("承担相应责任", "bears the corresponding responsibility"),
    "does_not_bear": ("不承担责任", "does not bear it"),
    "not_determined": ("现有规则来源未作规定", "not determined by the encoded sources"),
    "separate_track": ("监督管理责任（另行追究，非本条例认定）", "supervisory-management responsibility (separate track, not a finding of this regulation)"),
}

PART_WORDS: dict[str, tuple[str, str]] = {
    "own_conduct": ("本人行为", "own conduct"), "decider": ("决定者", "decider"), "proposer": ("提出意见者", "proposer"),
    "reporter": ("汇报人", "reporter"), "committee_member": ("检察委员会委员", "committee member"),
    "executor": ("执行人", "executor"), "reviewer": ("审核人", "reviewer"), "team_member": ("办案组成员", "team member"),
}

HEAD_WORDS: dict[str, tuple[str, str]] = {
    "own_conduct": ("本人行为", "own conduct"), "decision": ("决定本身", "the decision"),
    "facts_reported": ("汇报的事实", "the facts reported"), "vote": ("本人表决", "own vote"),
    "execution": ("执行", "the execution"), "review": ("审核", "the review"), "team_split": ("办案组内分担", "the split within the team"),
    "instruction": ("上级指令", "the upper procuratorate's instruction"), "supervision": ("监督管理", "supervision"),
}

OUTCOME_WORDS = {"fired": ("适用", "fired"), "defeated": ("被排除", "defeated"), "unmet": ("条件不具备", "unmet"),
                 "conflict": ("冲突", "conflict")}

DECIDER_WORDS = {"committee": ("检察委员会", "the procuratorial committee"),
                 "upper_procuratorate": ("上级人民检察院", "the upper procuratorate"), "unknown": ("不明", "unknown")}


def _w(table: dict[str, tuple[str, str]], key: str, lang: str) -> str:
    pair = table.get(key)
    return key if pair is None else pair[0 if lang == "zh" else 1]


def _safe(text: Any) -> str:
    return str(text).replace("<", "&lt;").replace(">", "&gt;")


ROLE_WORDS: dict[str, tuple[str, str]] = {
    "independent_procurator": ("独任检察官", "independent procurator"),
    "lead_procurator": ("主办检察官", "lead procurator"), "team_procurator": ("办案组检察官", "team procurator"),
    "procurator": ("检察官", "procurator"), "assistant": ("检察官助理", "assistant"), "clerk": ("书记员", "clerk"),
    "judicial_police": ("司法警察", "judicial police"), "technician": ("检察技术人员", "technician"),
    "administrative": ("司法行政人员", "administrative staff"), "department_head": ("部门负责人", "department head"),
    "deputy_chief": ("副检察长", "deputy chief procurator"), "chief_procurator": ("检察长", "chief procurator"),
    "committee_member": ("检察委员会委员", "committee member"),
    "upper_procuratorate_staff": ("上级人民检察院人员", "upper-procuratorate staff"), "unknown": ("身份不明", "role unknown"),
}


def _role(rb: Any, role: str, lang: str) -> str:
    return _w(ROLE_WORDS, role, lang)


def _alloc_line(a: Allocation, lang: str) -> str:
    zh = lang == "zh"
    where = (f"决定{a.decision_id}" if zh else f"decision {a.decision_id}") if a.decision_id else \
        (f"行为{a.conduct_id}" if zh else f"conduct {a.conduct_id}")
    head = f"{where} · {_w(PART_WORDS, a.part, lang)} · {_w(HEAD_WORDS, a.answers_for, lang)}"
    text = f"- **{head}: {_w(RESULT_WORDS, a.result, lang)}** — {a.explanation.zh if zh else a.explanation.en}\n"
    text += (f"  - {_w(WORDS, 'source', lang)}: {a.source.zh if zh else a.source.en} "
             f"(`{a.rule}`, {a.point}, {a.source_confidence})\n")
    text += f"  - > {_safe(a.note)}\n"
    if a.interpretation:
        text += f"  - {_w(WORDS, 'interpretation', lang)}: {a.interpretation.zh if zh else a.interpretation.en}\n"
    if a.assumption:
        text += f"  - ⚠ {_w(WORDS, 'assumption', lang)}: {a.assumption.zh if zh else a.assumption.en}\n"
    if a.missing_provision:
        text += (f"  - {_w(WORDS, 'missing_provision', lang)}: "
                 f"{a.missing_provision.zh if zh else a.missing_provision.en}\n")
    if a.missing:
        text += f"  - {_w(WORDS, 'missing', lang)}: {', '.join(a.missing)}\n"
    if a.conditional:
        text += f"  - ⚠ {_w(WORDS, 'conditional', lang)}\n"
    return text


def _person_md(rb: Any, p: PersonDetermination, lang: str, w: Any) -> None:
    zh = lang == "zh"
    name = f"{_safe(p.name)}（{p.person_id}）" if p.name and zh else f"{_safe(p.name)} ({p.person_id})" if p.name \
        else p.person_id
    w(f"## {_w(WORDS, 'person', lang)} {name} · {_role(rb, p.role, lang)}\n\n")
    w(f"{p.summary.zh if zh else p.summary.en}\n\n")
    liable = {True: _w(WORDS, 'yes', lang), False: _w(WORDS, 'no', lang), None: _w(WORDS, 'unknown', lang)}
    if p.own is not None:
        w(f"- **{_w(WORDS, 'liable_own', lang)}:** {liable[p.overall.liable]}\n")
    if p.overall.allocation:
        w(f"- **{_w(WORDS, 'answers', lang)}:** {_w(RESULT_WORDS, p.overall.allocation, lang)}\n")
    if p.overall.provisional:
        w(f"- ⚠ {_w(WORDS, 'provisional', lang)}\n")
    w("\n")
    if p.own is not None:
        w(f"### {_w(WORDS, 'own', lang)}\n\n")
        for c in p.own.conducts:
            cite = (c.citation.label_zh if zh else c.citation.label) if c.citation else "—"
            w(f"- {c.conduct_id} ({c.date}, {c.act}): **{rb.finding_label(c.finding, lang)}**"
              f"{'' if rb.says_liability(c.finding) else ' — ' + _w(WORDS, 'liable', lang) + ': ' + liable[c.liable]}"
              f"; {cite}; {c.version_applied or '—'} — {c.explanation_zh if zh else c.explanation}\n")
        w("\n")
    if p.allocations:
        w(f"### {_w(WORDS, 'answers', lang)}\n\n")
        for a in p.allocations:
            w(_alloc_line(a, lang))
        w("\n")
    if p.trace:
        w(f"### {_w(WORDS, 'trace', lang)}\n\n| {'规则' if zh else 'rule'} | {'所起作用' if zh else 'part'}"
          f" | {'结果' if zh else 'outcome'} | {'条件' if zh else 'conditions'} |\n|---|---|---|---|\n")
        for e in p.trace:
            where = e.decision_id or e.conduct_id or ""
            checks = "; ".join(("✓ " if c.holds else "✗ ") + c.text for c in e.checks) or "—"
            outcome = _w(OUTCOME_WORDS, e.outcome, lang) + (f" ← {e.defeated_by}" if e.defeated_by else "")
            w(f"| {e.rule} | {where} {_w(PART_WORDS, e.part, lang)} | {outcome} → {_w(RESULT_WORDS, e.result, lang)} "
              f"| {checks.replace('|', '/')} |\n")
        w("\n")
    warnings = p.warnings_zh if zh else p.warnings
    if warnings:
        w(f"### {_w(WORDS, 'warnings', lang)}\n\n" + "".join(f"- {x}\n" for x in warnings) + "\n")


def case_markdown(rb: Any, det: CaseDetermination, lang: str, case: Any = None) -> str:
    out = io.StringIO()
    w = out.write
    zh = lang == "zh"
    w(f"# {_w(WORDS, 'title', lang)}: {_w(WORDS, 'case', lang)} {_safe(det.case_id)}\n\n")
    if case is not None and case.case.summary:
        w(f"> {_safe(case.case.summary)}\n\n")
    w(f"{_w(WORDS, 'evaluated_on', lang)}: {det.evaluated_on}\n\n## {_w(WORDS, 'overall', lang)}\n\n")
    o = det.overall
    none = _w(WORDS, "none", lang)
    w(f"- {_w(WORDS, 'most_severe', lang)}: **{rb.finding_label(o.finding, lang)}**\n")
    w(f"- {_w(WORDS, 'bearing', lang)}: {', '.join(o.bearing) or none}\n")
    w(f"- {_w(WORDS, 'not_determined', lang)}: {', '.join(o.not_determined) or none}\n")
    w(f"- {_w(WORDS, 'separate_track', lang)}: {', '.join(o.separate_track) or none}\n")
    if o.provisional:
        w(f"- ⚠ {_w(WORDS, 'provisional', lang)}\n")
    w("\n")
    if det.decisions:
        w(f"## {_w(WORDS, 'decisions', lang)}\n\n")
        for d in det.decisions:
            decider = _w(DECIDER_WORDS, d.decided_by, lang) if d.decided_by in DECIDER_WORDS else d.decided_by
            w(f"- **{d.decision_id}** {_safe(d.matter or '')} ({d.date or '—'}): {_w(WORDS, 'decided_by', lang)} "
              f"{decider}; {_w(WORDS, 'wrong', lang)}: {_w(WORDS, d.wrong, lang)}; {_w(WORDS, 'version', lang)}: "
              f"{d.version_applied or '—'} — {d.version_reason.zh if zh else d.version_reason.en}\n")
            for pid, parts in d.parts.items():
                w(f"  - {pid}: {', '.join(_w(PART_WORDS, x, lang) for x in parts)}\n")
            for a in d.body:
                w(f"  - {decider}: **{_w(RESULT_WORDS, a.result, lang)}** — {a.explanation.zh if zh else a.explanation.en} "
                  f"(`{a.rule}`, {a.point}, {a.source_confidence})\n")
        w("\n")
    for p in det.persons:
        _person_md(rb, p, lang, w)
    warnings = det.warnings_zh if zh else det.warnings
    if warnings:
        w(f"## {_w(WORDS, 'warnings', lang)}\n\n" + "".join(f"- {x}\n" for x in warnings) + "\n")
    return out.getvalue()


def case_tree(rb: Any, det: CaseDetermination, lang: str) -> Any:
    """`liability explain` on a case file: per person, the own conducts' trees and why each allocation
    rule went to the person or passed them by."""
    from rich.text import Text
    from rich.tree import Tree

    from ..render import explain_tree

    zh = lang == "zh"
    root = Tree(Text(f"{_w(WORDS, 'case', lang)} {det.case_id} · {_w(WORDS, 'most_severe', lang)}: "
                     f"{rb.finding_label(det.overall.finding, lang)}", style="bold"))
    for p in det.persons:
        node = root.add(Text(f"{_w(WORDS, 'person', lang)} {p.person_id} ({_role(rb, p.role, lang)}): "
                             f"{p.summary.zh if zh else p.summary.en}", style="bold"))
        if p.own is not None:
            node.add(explain_tree(rb, p.own, lang))
        groups: dict[tuple[str, str], Any] = {}
        for e in p.trace:
            key = (e.decision_id or e.conduct_id or "", e.part)
            if key not in groups:
                groups[key] = node.add(Text(f"{key[0]} · {_w(PART_WORDS, e.part, lang)}"))
            mark = {"fired": "✓", "defeated": "✗", "unmet": "·", "conflict": "!"}[e.outcome]
            line = groups[key].add(Text(f"{mark} {e.rule} [{e.point}, {e.source_confidence}] {e.outcome}"
                                        f"{' ← ' + e.defeated_by if e.defeated_by else ''} → "
                                        f"{_w(HEAD_WORDS, e.answers_for, lang)}: {_w(RESULT_WORDS, e.result, lang)}"))
            for c in e.checks:
                line.add(Text(("✓ " if c.holds else "✗ ") + c.text))
        for x in (p.warnings_zh if zh else p.warnings):
            node.add(Text("⚠ " + x, style="yellow"))
    return root


def case_text(rb: Any, det: CaseDetermination, lang: str, console: Any) -> None:
    """The terminal report: the markdown report rendered by rich."""
    from rich.markdown import Markdown

    console.print(Markdown(case_markdown(rb, det, lang)))


def allocation_diff_table(rows: list[Any], old: str, new: str, lang: str, console: Any) -> None:
    """Where two versions' allocation rules differ for the persons of case files."""
    from ..render.layout import show_table

    zh = lang == "zh"
    heads = [zh_en[0] if zh else zh_en[1] for zh_en in (("来源", "source"), ("决定", "decision"), ("人员", "person"),
                                                          ("部分", "part"), ("事项", "answers for"), (old, old),
                                                          (new, new))]
    cells = [[r.source, r.decision_id, r.person_id, _w(PART_WORDS, r.part, lang), _w(HEAD_WORDS, r.answers_for, lang),
              "\n".join(r.old) or "—", "\n".join(r.new) or "—"] for r in rows]
    # a table where it fits, else one block per row: rule ids are never folded (render/layout.py)
    show_table(console, f"责任划分的差异：{old} → {new}" if zh else f"Allocation differences: {old} → {new}", heads, cells)
