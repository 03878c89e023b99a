"""A draft of the Art. 19 investigation report (调查报告), as markdown or .docx.

The sections follow Art. 19 ¶2 in its order. What the facts and the determination establish is
filled in (the finding, its article texts, the route after it); what only the investigator can
write is left as a marked blank: 【待调查人员填写：…】 / [To be completed by the investigator: …].
The section headings are the regulation's words (Art. 19 para. 2, quoted at the top of the draft
from `rules/<version>/procedure/art19.yaml`); they shape the document and decide nothing.
"""

from __future__ import annotations

import datetime as _dt
import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .model import ProcedureRoute

if TYPE_CHECKING:
    from .. import Determination, Engine, Facts

__all__ = ["Report", "Section", "build_report", "report_markdown", "report_docx", "SECTIONS", "blank"]

SECTIONS: list[tuple[str, dict[str, str]]] = [  # Art. 19 ¶2, in its order
    ("lead", {"zh": "一、线索来源及调查过程", "en": "1. Source of the lead and course of the investigation"}),
    ("case", {"zh": "二、所涉案件简要情况及诉讼经过", "en": "2. The case and its procedure"}),
    ("error", {"zh": "三、办案错误发生的经过、原因、后果", "en": "3. How the error happened, why, and its consequences"}),
    ("person", {"zh": "四、当事检察人员的基本情况", "en": "4. The person"}),
    ("breach", {"zh": "五、当事检察人员违反检察职责的事实和依据", "en": "5. The facts and grounds of the breach"}),
    ("attitude", {"zh": "六、当事检察人员的认识态度、申辩意见及采纳情况的说明",
                  "en": "6. The person's attitude and arguments, and whether they were accepted"}),
    ("finding", {"zh": "七、责任认定的意见及依据", "en": "7. The proposed finding, division and bearing of responsibility, and its grounds"}),
]

TITLE = {"zh": "关于{person}违反检察职责问题的调查报告（草稿）", "en": "Investigation report on the breach of duty by {person} (draft)"}
DRAFT_NOTE = {"zh": "本草稿由 liability-engine 依据事实和责任认定结果生成，依《人民检察院司法责任追究条例》第十九条第二款的顺序列明调查报告内容；标有【待调查人员填写】之处须由调查组填写。",
              "en": "Drafted by liability-engine from the facts and the determination, with the contents of an investigation report in the order of Art. 19 ¶2 of the regulation; the places marked [To be completed by the investigator] are for the investigation team."}


def blank(what_zh: str, what_en: str, lang: str) -> str:
    return f"【待调查人员填写：{what_zh}】" if lang == "zh" else f"[To be completed by the investigator: {what_en}]"


@dataclass
class Section:
    key: str
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    quotes: list[str] = field(default_factory=list)


@dataclass
class Report:
    title: str
    note: str
    meta: list[str]
    sections: list[Section]
    lang: str
    basis: str | None = None  # Art. 19 para. 2 quoted, when the procedure rules carry it


def _label(engine: "Engine", name: str, value: Any, lang: str) -> str:
    if value is None:
        return "—"
    if value == "unknown":  # not established (unknown is a value)
        return _yes(None, lang)
    text = value.value if hasattr(value, "value") else str(value).lower() if isinstance(value, bool) else str(value)
    entry = engine.rulebook.vocabulary.values.get(name, {}).get(text)
    return entry.get(lang) if entry else text


def _yes(value: Any, lang: str) -> str:
    if value is True:
        return "是" if lang == "zh" else "yes"
    if value is False:
        return "否" if lang == "zh" else "no"
    return "不明" if lang == "zh" else "unknown"


def build_report(engine: "Engine", facts: "Facts", det: "Determination", route: ProcedureRoute, lang: str) -> Report:
    """The draft: each section of Art. 19 ¶2 filled in from the facts, the determination and the route."""
    from .evaluate import rules_for

    zh = lang == "zh"
    art19 = rules_for(engine, route.as_of).quote(19, 2)
    basis = None if art19 is None else (f"{art19.label_zh}：{art19.text}" if zh else f"{art19.label}: {art19.text_en}")
    sep = _sep(lang)
    p = facts.procedure
    person = facts.person.name or facts.person.id
    sections = {key: Section(key, title[lang]) for key, title in SECTIONS}
    _lead(sections["lead"], p, route, lang)
    _case(sections["case"], engine, facts, lang)
    _error(sections["error"], engine, facts, p, lang)
    _person(sections["person"], engine, facts, p, route, lang)
    _breach(sections["breach"], engine, facts, det, lang)
    _attitude(sections["attitude"], p, lang)
    _finding(sections["finding"], route, lang)
    title = TITLE[lang].format(person=person)
    meta = [("案件" if zh else "Case") + sep + facts.case.id, ("当事人" if zh else "Person") + sep + facts.person.id,
            ("生成日期" if zh else "Drafted on") + sep + route.as_of.isoformat()]
    return Report(title, DRAFT_NOTE[lang], meta, [sections[k] for k, _ in SECTIONS], lang, basis)


def _lead(s: Section, p: Any, route: ProcedureRoute, lang: str) -> None:
    """1. Where the lead came from, the days of the investigation and the investigating body."""
    zh = lang == "zh"
    sep = _sep(lang)
    source = p.lead_source if p and p.lead_source else blank("线索来源（第十一条所列途径）", "where the lead came from (Art. 11)", lang)
    s.paragraphs.append(("线索来源" if zh else "Source of the lead") + sep + source)
    if p is not None:
        names = {"lead_received": ("线索受理", "lead received"), "investigation_approved": ("批准调查", "investigation approved"),
                 "investigation_decision": ("制作调查决定书", "investigation decision made"),
                 "decision_filed": ("报上一级备案", "filed with the next-higher procuratorate"),
                 "extension_approved": ("批准延长调查期限", "extension approved"), "report": ("形成调查报告", "report made")}
        for key, (n_zh, n_en) in names.items():
            value = getattr(p.dates, key)
            if value is not None:
                s.paragraphs.append(f"{n_zh if zh else n_en}{sep}{value if value != 'unknown' else ('日期不明' if zh else 'day unknown')}")
    for step in route.steps:
        if step.step == "investigator":
            for o in step.outcomes:
                s.paragraphs.append(("调查机关" if zh else "Investigating body") + sep +
                                    f"{(o.body_label_zh if zh else o.body_label) or ''}（{o.provision.label_zh}）" if zh else
                                    ("Investigating body") + sep + f"{o.body_label or ''} ({o.provision.label})")
    s.paragraphs.append(blank("调查组组成、调查方式（第十五条）和调查经过", "the team, the means used (Art. 15) and the course of the investigation", lang))


def _case(s: Section, engine: "Engine", facts: "Facts", lang: str) -> None:
    """2. The case and its proceedings."""
    zh = lang == "zh"
    sep = _sep(lang)
    s.paragraphs.append(("案件编号" if zh else "Case") + sep + facts.case.id)
    s.paragraphs.append(("案件类型" if zh else "Kind") + sep + _label(engine, "case.kind", facts.case.kind, lang))
    if facts.case.summary:
        s.paragraphs.append(("案情摘要" if zh else "Summary") + sep + facts.case.summary)
    s.paragraphs.append(blank("诉讼经过（立案、侦查、审查逮捕、审查起诉、审判、改判或者纠正等）",
                              "the course of the proceedings (filing, investigation, arrest review, prosecution, trial, correction)", lang))


def _error(s: Section, engine: "Engine", facts: "Facts", p: Any, lang: str) -> None:
    """3. Each conduct with its consequences, and what the case led to."""
    zh = lang == "zh"
    sep = _sep(lang)
    for c in facts.conducts:
        named = ("wrongful_handling", "serious_consequence", "bad_influence", "major_loss")
        effects = [_field_label(engine, f"effects.{n}", lang) for n in named if getattr(c.effects, n) is True]
        effects += [_field_label(engine, f"effects.{n}", lang) + ("（不明）" if zh else " (unknown)")
                    for n in named if getattr(c.effects, n) == "unknown"]  # unknown is a value, not a consequence
        eff = ("、" if zh else ", ").join(effects) or ("无" if zh else "none stated")
        text = (c.summary or "").rstrip("。；;. ")
        summary = f"{text}；" if zh and text else f"{text}; " if text else ""
        s.paragraphs.append(f"{c.id}（{c.date}）：{_label(engine, 'act', c.act, lang)}；{summary}后果：{eff}" if zh else
                            f"{c.id} ({c.date}): {_label(engine, 'act', c.act, lang)}; {summary}consequences: {eff}")
    if p is not None:
        outcome = p.outcome
        s.paragraphs.append(("错误执行死刑" if zh else "Wrongful execution of a death sentence") + sep + _yes(outcome.wrongful_death_execution, lang))
        s.paragraphs.append(("错误羁押十年以上" if zh else "Wrongful detention of ten years or more") + sep + _yes(outcome.wrongful_detention_10y, lang))
    s.paragraphs.append(blank("错误发生的经过和原因", "how and why the error happened", lang))


def _person(s: Section, engine: "Engine", facts: "Facts", p: Any, route: ProcedureRoute, lang: str) -> None:
    """4. The person: name, role, status, procuratorate, post, leadership, cadre authority."""
    from .evaluate import rules_for

    zh = lang == "zh"
    sep = _sep(lang)
    s.paragraphs.append(("姓名／编号" if zh else "Name / id") + sep + f"{facts.person.name or '—'} / {facts.person.id}")
    s.paragraphs.append(("职务" if zh else "Role") + sep + _label(engine, "person.role", facts.person.role, lang))
    status = p.status.value if p and p.status else None
    s.paragraphs.append(("现状" if zh else "Status") + sep + (status or _label(engine, "person.status", facts.person.status, lang)))
    if p is not None:
        s.paragraphs.append(("所在检察院" if zh else "Procuratorate") + sep +
                            rules_for(engine, route.as_of).level_label(p.procuratorate_level.value, lang))
        s.paragraphs.append(("员额检察官" if zh else "Holds a procurator post") + sep + _yes(p.procurator_post, lang))
        s.paragraphs.append(("院领导班子成员" if zh else "Member of the leadership") + sep + _yes(p.leadership, lang))
        s.paragraphs.append(("干部管理权限在检察机关" if zh else "Cadre-management authority in the procuratorate") + sep +
                            {"inside": _yes(True, lang), "outside": _yes(False, lang)}.get(p.cadre_authority.value, _yes("unknown", lang)))
    s.paragraphs.append(blank("出生年月、政治面貌、任职经历、入额时间等", "date of birth, political affiliation, career, date of appointment to a post", lang))


def _breach(s: Section, engine: "Engine", facts: "Facts", det: "Determination", lang: str) -> None:
    """5. Each conduct's finding with its grounds, the article quoted."""
    zh = lang == "zh"
    for c, d in zip(facts.conducts, det.conducts):
        finding = engine.rulebook.finding_label(d.finding, lang)
        cite = (d.citation.label_zh if zh else d.citation.label) if d.citation else "—"
        s.paragraphs.append(f"{c.id}：{_label(engine, 'act', c.act, lang)}，{_label(engine, 'fault', c.fault, lang)}。认定：{finding}（{cite}）。{d.explanation_zh}"
                            if zh else f"{c.id}: {_label(engine, 'act', c.act, lang)}, {_label(engine, 'fault', c.fault, lang)}. "
                            f"Finding: {finding} ({cite}). {d.explanation}")
        if d.citation:
            s.quotes.append(f"{d.citation.label_zh}：{d.citation.text}" if zh else f"{d.citation.label}: {d.citation.text_en}")
    s.paragraphs.append(blank("认定上述事实的证据", "the evidence for these facts", lang))


def _attitude(s: Section, p: Any, lang: str) -> None:
    """6. The facts of leniency and obstruction."""
    zh = lang == "zh"
    sep = _sep(lang)
    if p is not None:
        rows = [("主动纠错", "corrected the error on own initiative", p.leniency.corrected_on_own_initiative),
                ("说明情况", "explained the situation", p.leniency.explained),
                ("如实记录报告干预、过问、不当接触交往", "recorded and reported interference", p.leniency.recorded_interference),
                ("对抗、阻碍调查和追究", "resisted or obstructed the investigation", p.obstruction.resisted),
                ("指使他人对抗、阻碍", "had others obstruct it", p.obstruction.had_others_obstruct)]
        for n_zh, n_en, value in rows:
            s.paragraphs.append(f"{n_zh if zh else n_en}{sep}{_yes(value, lang)}")
    s.paragraphs.append(blank("当事检察人员的陈述、申辩和举证（第十八条），以及是否采纳和理由",
                              "the person's statements, arguments and evidence (Art. 18), whether accepted and why", lang))


def _finding(s: Section, route: ProcedureRoute, lang: str) -> None:
    """7. The proposed finding and what the route decides, with the provisions quoted."""
    zh = lang == "zh"
    f = route.finding
    s.paragraphs.append((f"建议认定：{f.label_zh}（{'、'.join(f.citations_zh) or '—'}）" if zh else
                         f"Proposed finding: {f.label} ({', '.join(f.citations) or '—'})"))
    s.paragraphs.append(blank("责任划分和承担（依《关于人民检察院全面准确落实司法责任制的若干意见》，同案其他人员的责任）",
                              "the division and bearing of responsibility (under the 2024 opinions; the others in the case)", lang))
    for step in route.steps:
        if step.step in ("review", "opinion", "handling", "decision", "referral", "leniency", "strictness") and step.outcomes:
            for o in step.outcomes:
                if o.role != "decides":
                    continue
                s.paragraphs.append(f"{step.title_zh}：{o.text_zh}（{o.provision.label_zh}）" if zh else
                                    f"{step.title}: {o.text} ({o.provision.label})")
                quote = f"{o.provision.label_zh}：{o.provision.text}" if zh else f"{o.provision.label}: {o.provision.text_en}"
                if quote not in s.quotes:
                    s.quotes.append(quote)
        if step.status == "undetermined":
            s.paragraphs.append(f"{step.title_zh}：待定，尚需查明 {', '.join(m.field for m in step.missing)}" if zh else
                                f"{step.title}: undetermined, would need {', '.join(m.field for m in step.missing)}")


def _sep(lang: str) -> str:
    return "：" if lang == "zh" else ": "


def _field_label(engine: "Engine", name: str, lang: str) -> str:
    entry = engine.rulebook.vocabulary.fields.get(name)
    return entry.get(lang) if entry else name


def report_markdown(report: Report) -> str:
    lines = [f"# {report.title}", "", f"*{report.note}*", ""] + [f"- {m}" for m in report.meta] + [""]
    if report.basis:
        lines += [f"> {report.basis}", ""]
    for s in report.sections:
        lines += [f"## {s.heading}", ""]
        lines += [f"{para}\n" for para in s.paragraphs]
        lines += [f"> {q}\n" for q in s.quotes]
    return "\n".join(lines).rstrip() + "\n"


def report_docx(report: Report) -> bytes:
    """The report as a Word document (python-docx), headings as Word headings."""
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "SimSun"
    style.font.size = Pt(12)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "SimSun")  # Chinese text in a Chinese font
    doc.core_properties.title = report.title
    doc.core_properties.created = _dt.datetime.now(_dt.timezone.utc).replace(tzinfo=None)
    doc.add_heading(report.title, level=0)
    doc.add_paragraph(report.note).italic = True
    for m in report.meta:
        doc.add_paragraph(m)
    if report.basis:
        doc.add_paragraph(report.basis, style="Quote")
    for s in report.sections:
        doc.add_heading(s.heading, level=1)
        for para in s.paragraphs:
            doc.add_paragraph(para)
        for q in s.quotes:
            doc.add_paragraph(q, style="Quote")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
