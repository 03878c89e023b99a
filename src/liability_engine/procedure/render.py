"""The route as text or markdown, in Chinese or English (the JSON is the model itself)."""

from __future__ import annotations

from typing import Any

from ..i18n import text
from ..render.words import bracket, clauses, colon, comma, listed, paren
from .model import Deadline, ProcedureRoute, RouteStep, StepOutcome

__all__ = ["route_text", "route_markdown"]

def _w(key: str, lang: str, **kw: Any) -> str:
    """A word of the route (rules/messages.yaml, `procedure.route`)."""
    return text(f"procedure.route.{key}", lang, **kw)


def _finding(route: ProcedureRoute, lang: str) -> str:
    f = route.finding
    label = f.label_zh if lang == "zh" else f.label
    liab = _w("liable" if f.liable else "not_liable", lang)
    cites = listed(f.citations_zh if lang == "zh" else f.citations, lang)
    return label + paren(clauses([liab, cites] if cites else [liab], lang), lang)


def _outcome_lines(o: StepOutcome, lang: str) -> list[str]:
    zh = lang == "zh"
    label = o.provision.label_zh if zh else o.provision.label
    head = _w("note", lang) + colon(lang) if o.role == "note" else ""
    lines = [head + (o.text_zh if zh else o.text) + text("punctuation.provision_mark", lang, text=label)]
    if o.body_label:
        lines.append(f"{_w('body', lang)}{colon(lang)}{o.body_label_zh if zh else o.body_label}")
    measures = o.measures_zh if zh else o.measures
    if measures:
        lines.append(f"{_w('measures', lang)}{colon(lang)}{text('punctuation.list_long', lang).join(measures)}")
    if o.because:
        facts = clauses((b.label_zh if zh else b.label for b in o.because), lang)
        lines.append(f"{_w('because', lang)}{colon(lang)}{facts}")
    if o.interpretation:
        lines.append(f"{_w('interp_label', lang)} {o.interpretation_reason_zh if zh else o.interpretation_reason}")
    if o.provision.source_confidence != "confirmed":
        lines.append(_w("source_confidence", lang, level=o.provision.source_confidence) +
                     (_w("source", lang, source=o.source) if o.source else ""))
    return lines


def _step_lines(step: RouteStep, lang: str) -> list[str]:
    zh = lang == "zh"
    out: list[str] = []
    if step.status == "skipped":
        out.append(_w("skipped", lang) + paren(f"{step.skipped_because}", lang))
        return out
    if step.status == "none":
        out.append(_w("none", lang))
    for o in step.outcomes:
        out.extend(_outcome_lines(o, lang))
    for m in step.missing:
        label = m.label_zh if zh else m.label
        out.append(f"{_w('undetermined', lang)}{colon(lang)}{_w('would_need', lang)} {label}{paren(m.field, lang)}")
        for a in m.alternatives:
            out.append(f"  {label} = {a.value_label_zh if zh else a.value_label} → {a.text_zh if zh else a.text}")
    return out


def _deadline_line(d: Deadline, lang: str) -> list[str]:
    zh = lang == "zh"
    label = d.provision.label_zh if zh else d.provision.label
    status = _w(d.status, lang)
    if d.days_left is not None:
        status += comma(lang) + _w("days_left", lang, n=d.days_left)
    if d.days_over is not None:
        status += comma(lang) + _w("days_over", lang, n=d.days_over)
    title = d.title_zh if zh else d.title
    who = d.who_zh if zh else d.who
    period = d.period_zh if zh else d.period
    lines = [title + paren(f"{who}{comma(lang)}{period}", lang) + bracket(label, lang) + colon(lang) + status]
    if d.trigger_date is not None:
        extension = d.extension_zh if zh else d.extension
        ext = comma(lang) + extension if extension else ""
        lines.append("  " + _w("counted", lang, field=d.trigger_field, day=d.trigger_date, starts=d.starts,
                                   extension=ext, ends=d.ends)
                     + (_w("nominally", lang, day=d.nominal_end) if d.nominal_end != d.ends else ""))
        if d.moved_over:
            days = listed((f"{m.day} {m.reason_zh if zh else m.reason}" for m in d.moved_over), lang)
            lines.append(f"  {_w('moved', lang)}{colon(lang)}{days}")
        if d.done_on is not None:
            lines.append(f"  {_w('done_on', lang)} {d.done_on}")
    if d.interpretation:
        lines.append(f"  {_w('interp_label', lang)} {d.interpretation_reason_zh if zh else d.interpretation_reason}")
    for w in (d.warnings_zh if zh else d.warnings):
        lines.append(f"  ! {w}")
    return lines


def _counting(route: ProcedureRoute, lang: str) -> list[str]:
    c = route.counting
    zh = lang == "zh"
    return [c.days_zh if zh else c.days, c.months_zh if zh else c.months,
            f"{_w('interp_label', lang)} {c.interpretation_reason_zh if zh else c.interpretation_reason}",
            f"{_w('calendar', lang)}{colon(lang)}{c.calendar}. {c.calendar_limits_zh if zh else c.calendar_limits}"]


def route_text(route: ProcedureRoute, lang: str) -> str:
    zh = lang == "zh"
    sep = colon(lang)
    lines = [f"{_w('title', lang)} — {_w('case', lang)} {route.case_id} · {_w('person', lang)} {route.person_id} · "
             f"{_w('as_of', lang)} {route.as_of}",
             f"{_w('finding', lang)}{sep}{_finding(route, lang)}", ""]
    for i, step in enumerate(route.steps, 1):
        lines.append(f"{i}. {step.title_zh if zh else step.title}")
        lines.extend(f"   {line}" for line in _step_lines(step, lang))
    lines += ["", _w("deadlines", lang)]
    for d in route.deadlines:
        lines.extend(f"   {line}" for line in _deadline_line(d, lang))
    lines += ["", _w("counting", lang)]
    lines.extend(f"   {line}" for line in _counting(route, lang))
    warnings = route.warnings_zh if zh else route.warnings
    if warnings:
        lines += ["", _w("warnings", lang)] + [f"   ! {w}" for w in warnings]
    return "\n".join(lines) + "\n"


def route_markdown(route: ProcedureRoute, lang: str) -> str:
    zh = lang == "zh"
    sep = colon(lang)
    lines = [f"# {_w('title', lang)}", "",
             f"- {_w('case', lang)}{sep}{route.case_id}", f"- {_w('person', lang)}{sep}{route.person_id}",
             f"- {_w('as_of', lang)}{sep}{route.as_of}", f"- {_w('finding', lang)}{sep}{_finding(route, lang)}", ""]
    for i, step in enumerate(route.steps, 1):
        lines += [f"## {i}. {step.title_zh if zh else step.title}", ""]
        lines += [f"- {line}" if not line.startswith("  ") else f"  - {line.strip()}" for line in _step_lines(step, lang)]
        for o in step.outcomes:
            lines += ["", f"> {o.provision.label_zh if zh else o.provision.label}{sep}"
                          f"{o.provision.text if zh else o.provision.text_en}"]
        lines.append("")
    lines += [f"## {_w('deadlines', lang)}", ""]
    for d in route.deadlines:
        first, *rest = _deadline_line(d, lang)
        lines.append(f"- {first}")
        lines += [f"  - {r.strip()}" for r in rest]
    lines += ["", f"## {_w('counting', lang)}", ""] + [f"- {line}" for line in _counting(route, lang)]
    warnings = route.warnings_zh if zh else route.warnings
    if warnings:
        lines += ["", f"## {_w('warnings', lang)}", ""] + [f"- {w}" for w in warnings]
    return "\n".join(lines) + "\n"
