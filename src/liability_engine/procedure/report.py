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

from ..i18n import text
from ..render.words import colon, listed
from .model import ProcedureRoute

if TYPE_CHECKING:
    from .. import Determination, Engine, Facts

__all__ = ["Report", "Section", "build_report", "report_markdown", "report_docx", "SECTIONS", "blank"]

SECTIONS = ("lead", "case", "error", "person", "breach", "attitude", "finding")  # Art. 19 ¶2, in its order


def _t(key: str, lang: str, **params: Any) -> str:
    """A sentence of the report (rules/messages.yaml, `procedure.report`)."""
    return text(f"procedure.report.{key}", lang, **params)


def blank(what: str, lang: str) -> str:
    """A marked blank for what only the investigator can write (`what`: a key of `procedure.report.todo`)."""
    return _t("blank", lang, what=_t(f"todo.{what}", lang))


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
    return _t("label.yes" if value is True else "label.no" if value is False else "label.unknown", lang)


def build_report(engine: "Engine", facts: "Facts", det: "Determination", route: ProcedureRoute, lang: str) -> Report:
    """The draft: each section of Art. 19 ¶2 filled in from the facts, the determination and the route."""
    from .evaluate import rules_for

    rules = rules_for(engine, route.as_of)
    listing = rules.report_article()  # the article listing the contents: their headings and order
    quoted = listing and listing.report_paragraph and rules.quote(listing.article, listing.report_paragraph)
    basis = _quote(quoted, lang) if quoted else None
    sep = colon(lang)
    p = facts.procedure
    person = facts.person.name or facts.person.id
    listed = listing.report_sections if listing else {}
    sections = {key: Section(key, listed[key].get(lang) if key in listed else key) for key in SECTIONS}
    order = list(listed) or list(SECTIONS)  # the article's order; what it does not list is not in the draft
    _lead(sections["lead"], p, route, lang)
    _case(sections["case"], engine, facts, lang)
    _error(sections["error"], engine, facts, p, lang)
    _person(sections["person"], engine, facts, p, rules, lang)
    _breach(sections["breach"], engine, facts, det, lang)
    _attitude(sections["attitude"], p, lang)
    _finding(sections["finding"], route, lang)
    title = _t("title", lang, person=person)
    meta = [_t("label.case", lang) + sep + facts.case.id, _t("label.person", lang) + sep + facts.person.id,
            _t("label.drafted_on", lang) + sep + route.as_of.isoformat()]
    return Report(title, _t("draft_note", lang), meta, [sections[k] for k in order], lang, basis)


def _lead(s: Section, p: Any, route: ProcedureRoute, lang: str) -> None:
    """1. Where the lead came from, the days of the investigation and the investigating body."""
    zh = lang == "zh"
    sep = colon(lang)
    source = p.lead_source if p and p.lead_source else blank("lead_source", lang)
    s.paragraphs.append(_t("label.lead_source", lang) + sep + source)
    if p is not None:
        for key in ("lead_received", "investigation_approved", "investigation_decision", "decision_filed",
                    "extension_approved", "report"):
            value = getattr(p.dates, key)
            if value is not None:
                s.paragraphs.append(f"{_t(f'date.{key}', lang)}{sep}"
                                    f"{value if value != 'unknown' else _t('label.day_unknown', lang)}")
    for step in route.steps:
        if step.step == "investigator":
            for o in step.outcomes:
                s.paragraphs.append(_t("line.investigating_body", lang, body=(o.body_label_zh if zh else o.body_label) or "",
                                       provision=o.provision.label_zh if zh else o.provision.label))
    s.paragraphs.append(blank("investigation", lang))


def _case(s: Section, engine: "Engine", facts: "Facts", lang: str) -> None:
    """2. The case and its proceedings."""
    sep = colon(lang)
    s.paragraphs.append(_t("label.case_no", lang) + sep + facts.case.id)
    s.paragraphs.append(_t("label.case_kind", lang) + sep + _label(engine, "case.kind", facts.case.kind, lang))
    if facts.case.summary:
        s.paragraphs.append(_t("label.summary", lang) + sep + facts.case.summary)
    s.paragraphs.append(blank("proceedings", lang))


def _error(s: Section, engine: "Engine", facts: "Facts", p: Any, lang: str) -> None:
    """3. Each conduct with its consequences, and what the case led to."""
    sep = colon(lang)
    for c in facts.conducts:
        named = ("wrongful_handling", "serious_consequence", "bad_influence", "major_loss")
        effects = [_field_label(engine, f"effects.{n}", lang) for n in named if getattr(c.effects, n) is True]
        effects += [_t("line.unknown_effect", lang, effect=_field_label(engine, f"effects.{n}", lang))
                    for n in named if getattr(c.effects, n) == "unknown"]  # unknown is a value, not a consequence
        eff = listed(effects, lang) or _t("label.none_stated", lang)
        said = (c.summary or "").rstrip("。；;. ")
        summary = _t("line.conduct_summary", lang, text=said) if said else ""
        s.paragraphs.append(_t("line.conduct", lang, id=c.id, date=c.date, act=_label(engine, "act", c.act, lang),
                               summary=summary, effects=eff))
    if p is not None:
        for key in ("wrongful_death_execution", "wrongful_detention_10y"):
            s.paragraphs.append(_t(f"label.{key}", lang) + sep + _yes(getattr(p.outcome, key), lang))
    s.paragraphs.append(blank("error_course", lang))


def _person(s: Section, engine: "Engine", facts: "Facts", p: Any, rules: Any, lang: str) -> None:
    """4. The person: name, role, status, procuratorate, post, leadership, cadre authority."""
    sep = colon(lang)
    s.paragraphs.append(_t("label.name_id", lang) + sep + f"{facts.person.name or '—'} / {facts.person.id}")
    s.paragraphs.append(_t("label.role", lang) + sep + _label(engine, "person.role", facts.person.role, lang))
    status = p.status.value if p and p.status else None
    s.paragraphs.append(_t("label.status", lang) + sep + (status or _label(engine, "person.status", facts.person.status, lang)))
    if p is not None:
        s.paragraphs.append(_t("label.procuratorate", lang) + sep +
                            rules.level_label(p.procuratorate_level.value, lang))
        s.paragraphs.append(_t("label.procurator_post", lang) + sep + _yes(p.procurator_post, lang))
        s.paragraphs.append(_t("label.leadership", lang) + sep + _yes(p.leadership, lang))
        s.paragraphs.append(_t("label.cadre_authority", lang) + sep +
                            {"inside": _yes(True, lang), "outside": _yes(False, lang)}.get(p.cadre_authority.value, _yes("unknown", lang)))
    s.paragraphs.append(blank("particulars", lang))


def _breach(s: Section, engine: "Engine", facts: "Facts", det: "Determination", lang: str) -> None:
    """5. Each conduct's finding with its grounds, the article quoted."""
    zh = lang == "zh"
    for c, d in zip(facts.conducts, det.conducts):
        finding = engine.rulebook.finding_label(d.finding, lang)
        cite = (d.citation.label_zh if zh else d.citation.label) if d.citation else "—"
        s.paragraphs.append(_t("line.breach", lang, id=c.id, act=_label(engine, "act", c.act, lang),
                               fault=_label(engine, "fault", c.fault, lang), finding=finding, citation=cite,
                               explanation=d.explanation_zh if zh else d.explanation))
        if d.citation:
            s.quotes.append(_quote(d.citation, lang))
    s.paragraphs.append(blank("evidence", lang))


def _attitude(s: Section, p: Any, lang: str) -> None:
    """6. The facts of leniency and obstruction."""
    sep = colon(lang)
    if p is not None:
        rows = [(key, getattr(p.leniency, key)) for key in ("corrected_on_own_initiative", "explained",
                                                             "recorded_interference")]
        rows += [(key, getattr(p.obstruction, key)) for key in ("resisted", "had_others_obstruct")]
        for key, value in rows:
            s.paragraphs.append(f"{_t(f'attitude.{key}', lang)}{sep}{_yes(value, lang)}")
    s.paragraphs.append(blank("statements", lang))


def _finding(s: Section, route: ProcedureRoute, lang: str) -> None:
    """7. The proposed finding and what the route decides, with the provisions quoted."""
    zh = lang == "zh"
    f = route.finding
    s.paragraphs.append(_t("line.proposed", lang, finding=f.label_zh if zh else f.label,
                           citations=listed(f.citations_zh if zh else f.citations, lang) or "—"))
    s.paragraphs.append(blank("division", lang))
    for step in route.steps:
        if step.step in ("review", "opinion", "handling", "decision", "referral", "leniency", "strictness") and step.outcomes:
            for o in step.outcomes:
                if o.role != "decides":
                    continue
                s.paragraphs.append(_t("line.step_decides", lang, step=step.title_zh if zh else step.title,
                                       text=o.text_zh if zh else o.text,
                                       provision=o.provision.label_zh if zh else o.provision.label))
                quote = _quote(o.provision, lang)
                if quote not in s.quotes:
                    s.quotes.append(quote)
        if step.status == "undetermined":
            s.paragraphs.append(_t("line.step_undetermined", lang, step=step.title_zh if zh else step.title,
                                   fields=", ".join(m.field for m in step.missing)))


def _quote(provision: Any, lang: str) -> str:
    """A provision quoted after its label: `第七条：……` / `Art. 7: …`."""
    return (f"{provision.label_zh}{colon(lang)}{provision.text}" if lang == "zh" else
            f"{provision.label}{colon(lang)}{provision.text_en}")


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


def _xml(text: str) -> str:
    """Text from the facts as XML can hold it: control characters shown escaped, as the terminal report shows
    them (python-docx refused them: "All strings must be XML compatible", an internal error, exit 1)."""
    from ..render.console import safe

    return safe(text).replace("\ufffe", "\\ufffe").replace("\uffff", "\\uffff")


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
    doc.core_properties.title = _xml(report.title)
    doc.core_properties.created = _dt.datetime.now(_dt.timezone.utc).replace(tzinfo=None)
    doc.add_heading(_xml(report.title), level=0)
    doc.add_paragraph(_xml(report.note)).italic = True
    for m in report.meta:
        doc.add_paragraph(_xml(m))
    if report.basis:
        doc.add_paragraph(_xml(report.basis), style="Quote")
    for s in report.sections:
        doc.add_heading(_xml(s.heading), level=1)
        for para in s.paragraphs:
            doc.add_paragraph(_xml(para))
        for q in s.quotes:
            doc.add_paragraph(_xml(q), style="Quote")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
