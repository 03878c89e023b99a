"""Evaluating the route after the finding: the procedure rules over the facts and the determination.

Each step's rules are evaluated with the project's pure-Python evaluator of compiled conditions. An
unknown fact is never read as false: when a step's rules test facts that are unknown, the step is
evaluated over every completion of those facts; if all completions agree, that is the step's
answer; if not, the step is undetermined and says, for each unknown fact, what each value would give.
Deadlines are computed from the dates given, counted as `procedure.yaml` says (`calendar`).
"""

from __future__ import annotations

import datetime as _dt
import itertools
from typing import TYPE_CHECKING, Any

from ..rulebook.conditions import NULL, evaluate, tests_of
from ..i18n import Message, join, join_each, msg, text
from .calendar import china_calendar
from .deadlines import deadline
from ..facts.procedure import DATE_FIELDS, UNKNOWN, ProcedureFacts
from .model import (Alternative, Counting, FactUsed, Finding, MissingFact, ProcedureRoute, RouteStep,
                    StepOutcome)
from .fields import GIVEN, UNKNOWN_MARKER
from .rules import ProcedureRules, ProcRule, load_procedure_rules

if TYPE_CHECKING:  # the top-level API, imported lazily at call time
    from .. import Determination, Engine, Facts

__all__ = ["procedure", "evaluate_route", "procedure_fact", "rules_for"]

PAIR = "determination"  # the finding and the liability, completed together as one unknown
PAIRS = "__determination_pairs"
MAX_COMPLETIONS = 4096  # 12 unknown two-valued facts in one step; beyond that a step is left undetermined


def rules_for(engine: "Engine", as_of: _dt.date) -> ProcedureRules:
    """The procedure rules of the newest version in force on `as_of` that has them."""
    from ..errors import Problem, RulesError

    book = engine.rulebook
    findings = tuple(f.id for f in book.findings)
    for version in reversed(book.versions):
        if version.in_force_on(as_of) and (__import__("pathlib").Path(book.folder) / version.folder / "procedure").is_dir():
            return load_procedure_rules(book.folder, version.folder, findings)
    raise RulesError(Problem(msg("procedure.error.none_in_force", as_of=as_of),
                             path=book.folder))


def procedure(engine: "Engine", facts: "Facts", *, as_of: _dt.date | None = None,
              determination: "Determination | None" = None) -> ProcedureRoute:
    """The route from here for the person of `facts` (liability-procedure/1)."""
    return evaluate_route(engine, facts, as_of=as_of, determination=determination)[0]


def evaluate_route(engine: "Engine", facts: "Facts", *, as_of: _dt.date | None = None,
                   determination: "Determination | None" = None) -> tuple[ProcedureRoute, dict[str, Any], ProcedureRules]:
    """The route, the fact the rules saw at the end (with the fields the steps set) and the rules (for the YAML cases)."""
    day = as_of or _dt.date.today()
    det = determination if determination is not None else engine.evaluate(facts, as_of=day)
    _check_dates(facts, day)
    rules = rules_for(engine, day)
    block = facts.procedure
    fact = procedure_fact(facts, det, rules, engine.rulebook)
    steps: list[RouteStep] = []
    ended_by: str | None = None
    for step in rules.steps:
        title, title_zh = step.title.en, step.title.zh
        if ended_by is not None:
            steps.append(RouteStep(step=step.id, title=title, title_zh=title_zh, status="skipped",
                                   skipped_because=ended_by))
            continue
        result = _step(rules, rules.rules_of(step.id), fact, engine.rulebook)
        steps.append(RouteStep(step=step.id, title=title, title_zh=title_zh, **result["route"]))
        fact.update(result["sets"])
        if result["ends"]:
            ended_by = result["ends"]
    deadlines = [deadline(d, fact, block, day) for d in rules.deadlines]
    cal = china_calendar()
    counting = rules.counting
    known = msg("procedure.step.calendar_known_until", year=cal.known_until) if cal.known_until else Message("", "")
    limits_en, limits_zh = counting.calendar.en + str(known), counting.calendar.zh + known.zh
    warnings = [msg("procedure.step.no_block")] if block is None else []
    if det.overall.finding == engine.rulebook.undetermined:
        warnings.append(msg("procedure.step.finding_undetermined"))
    book = engine.rulebook
    finding = Finding(finding=det.overall.finding, liable=det.overall.liable,
                      label=book.finding_label(det.overall.finding, "en"),
                      label_zh=book.finding_label(det.overall.finding, "zh"),
                      citations=[c.citation.label for c in det.conducts if c.citation],
                      citations_zh=[c.citation.label_zh for c in det.conducts if c.citation])
    return (ProcedureRoute(
        case_id=det.case_id, person_id=det.person_id, version=rules.version, as_of=day, finding=finding,
        facts_given=block is not None, steps=steps, deadlines=deadlines,
        counting=Counting(days=counting.days.en, days_zh=counting.days.zh, months=counting.months.en,
                          months_zh=counting.months.zh, interpretation_reason=counting.interpretation.reason,
                          interpretation_reason_zh=counting.interpretation.reason_zh,
                          source_confidence=counting.source_confidence, calendar=cal.library,
                          calendar_known_until=cal.known_until, calendar_limits=limits_en,
                          calendar_limits_zh=limits_zh),
        warnings=[str(w) for w in warnings], warnings_zh=[w.zh for w in warnings]), fact, rules)


def _check_dates(facts: "Facts", as_of: _dt.date) -> None:
    """A procedure day after the as-of day cannot have happened yet: a located error, as for conducts."""
    from ..errors import FactsError

    if facts.procedure is None:
        return
    dates = facts.procedure.dates
    problems = [facts.located(("procedure", "dates", name), f"the day {value} is after the as-of day {as_of}: an "
                              "event cannot be dated after the day the route is computed for; correct the date or "
                              "use --as-of", value=str(value))
                for name in DATE_FIELDS if isinstance(value := getattr(dates, name), _dt.date) and value > as_of]
    if problems:
        raise FactsError(problems)


# --- facts as the rules see them ---------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return NULL
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(getattr(value, "value", value))


def procedure_fact(facts: "Facts", det: "Determination", rules: ProcedureRules, book: Any) -> dict[str, Any]:
    """The normalised fact the procedure conditions test (keys as `conditions` writes them)."""
    block = facts.procedure or ProcedureFacts()
    fact: dict[str, Any] = {}
    for name in rules.schema:
        key = name.replace(".", "__")
        if name.startswith("procedure.dates."):
            fact[key] = GIVEN if getattr(block.dates, name.rsplit(".", 1)[1]) is not None else NULL
        elif name.startswith("procedure."):
            value: Any = block
            for part in name.split(".")[1:]:
                value = getattr(value, part)
            fact[key] = _text(value)
    if block.status is None:
        person_status = facts.person.status
        fact["procedure__status"] = _text(person_status) if person_status is not None else UNKNOWN
    fact["person__role"] = _text(facts.person.role) if facts.person.role is not None else UNKNOWN
    finding = det.overall.finding
    fact["determination__finding"] = finding
    fact["determination__liable"] = UNKNOWN if finding == "undetermined" else _text(det.overall.liable)
    fact["route__investigation_level"] = UNKNOWN
    if finding == "undetermined":  # completed as (finding, liable) pairs the case could have, never apart
        fact[PAIRS] = _finding_pairs(det, book)
    return fact


def _finding_pairs(det: "Determination", book: Any) -> list[str]:
    """The (finding, liable) pairs an undetermined determination could become: what each missing fact's
    values give, and what the determined conducts give; failing those, every pair a rule of the newest
    version can conclude."""
    pairs: dict[str, None] = {}
    for c in det.conducts:
        if c.finding == "undetermined":
            for m in c.missing:
                for a in m.alternatives:
                    if a.finding != "undetermined":
                        pairs[f"{a.finding}/{_text(a.liable)}"] = None
        else:
            pairs[f"{c.finding}/{_text(c.liable)}"] = None
    if not any(c.finding == "undetermined" and c.missing for c in det.conducts):
        for rule in book.versions[-1].rules:
            if not rule.warns_only and rule.finding != "undetermined":
                pairs[f"{rule.finding}/{_text(rule.liable)}"] = None
    return list(pairs)


# --- steps ----------------------------------------------------------------------------------------------


def _fired(rules: list[ProcRule], fact: dict[str, Any]) -> tuple[str, ...]:
    return tuple(r.id for r in rules if evaluate(r.condition, fact))


def _unknowns(rules: list[ProcRule], fact: dict[str, Any]) -> list[str]:
    found: dict[str, None] = {}
    for r in rules:
        for t in tests_of(r.condition):
            marker = UNKNOWN_MARKER.get(t.field)
            if marker is not None and fact.get(t.field.replace(".", "__")) == marker:
                found[PAIR if t.field.startswith(PAIR + ".") else t.field] = None
    return list(found)


def _values(rules: ProcedureRules, name: str, fact: dict[str, Any]) -> list[str]:
    if name == PAIR:
        return list(fact.get(PAIRS, []))
    return [v for v in rules.schema[name].values if v != UNKNOWN_MARKER.get(name)]


def _assign(fact: dict[str, Any], names: list[str], values: tuple[str, ...]) -> dict[str, Any]:
    """The fact with these unknown fields given these values (the finding and liability as one pair)."""
    trial = dict(fact)
    for name, value in zip(names, values):
        if name == PAIR:
            trial["determination__finding"], trial["determination__liable"] = value.split("/")
        else:
            trial[name.replace(".", "__")] = value
    return trial


def _level_of(rules: ProcedureRules, expr: Any, fact: dict[str, Any]) -> tuple[str | None, str | None]:
    """The level an expression names, and the field whose unknown value stopped it (if any)."""
    if expr is None:
        return None, None
    if isinstance(expr, str):
        return expr, None
    name = expr.same_as or expr.next_higher_of
    value = fact.get(name.replace(".", "__"), UNKNOWN)
    if value == UNKNOWN:
        return UNKNOWN, name
    return (value if expr.same_as else rules.next_higher(value)), None


def _notes(rules: ProcedureRules, notes: list[ProcRule], fact: dict[str, Any]) -> tuple[str, ...]:
    """The notes that hold whatever value the unknown facts they test take (a note never decides a step)."""
    shown = []
    for note in notes:
        unknown = _unknowns([note], fact)
        combos = itertools.product(*[_values(rules, f, fact) for f in unknown])
        if all(evaluate(note.condition, _assign(fact, unknown, combo)) for combo in combos):
            shown.append(note.id)
    return tuple(shown)


def _step(rules: ProcedureRules, all_rules: list[ProcRule], fact: dict[str, Any], book: Any) -> dict[str, Any]:
    by_id = {r.id: r for r in all_rules}
    step_rules = [r for r in all_rules if r.role == "decides"]
    unknown = _unknowns(step_rules, fact)
    missing: list[MissingFact] = []
    if not unknown:
        fired = _fired(step_rules, fact)
        decided = True
    else:
        choices = [_values(rules, f, fact) for f in unknown]
        total = 1
        for c in choices:
            total *= len(c)
        results: dict[tuple[str, ...], tuple[str, ...]] = {}
        if total <= MAX_COMPLETIONS:
            for combo in itertools.product(*choices):
                results[combo] = _fired(step_rules, _assign(fact, unknown, combo))
        outcomes = set(results.values())
        decided = len(outcomes) == 1
        # what applies whatever the unknown facts are (e.g. one strictness factor of two) is shown as known
        fired = next(iter(outcomes)) if decided else tuple(
            rid for rid in next(iter(results.values()), ()) if all(rid in o for o in outcomes))
        if not decided:
            for i, name in enumerate(unknown):
                if not _matters(results, i):
                    continue  # e.g. whether a serving person has a unit: no value of it changes the step
                alts = []
                for value in choices[i]:
                    given = {r for combo, r in results.items() if combo[i] == value}
                    alts.append(_alternative(rules, book, by_id, name, value, given))
                missing.append(_missing(rules, name, alts))
    fired = fired + _notes(rules, [r for r in all_rules if r.role == "note"], fact)
    outs: list[StepOutcome] = []
    sets: dict[str, Any] = {}
    ends: str | None = None
    for rid in fired:
        rule = by_id[rid]
        body, stopped = _level_of(rules, rule.body, fact)
        if stopped is not None:
            decided = False
            alts = []
            for v in _values(rules, stopped, fact):
                level = _level_of(rules, rule.body, {**fact, stopped.replace(".", "__"): v})[0]
                alts.append(Alternative(value=v, value_label=_value_label(rules, book, stopped, v, "en"),
                                        value_label_zh=_value_label(rules, book, stopped, v, "zh"), rules=[rid],
                                        text=rules.level_label(level, "en"), text_zh=rules.level_label(level, "zh")))
            missing.append(_missing(rules, stopped, alts))
        for name, expr in rule.sets.items():
            sets[name.replace(".", "__")] = _level_of(rules, expr, fact)[0] or UNKNOWN
        if rule.ends_route and rule.role == "decides":
            ends = rid
        outs.append(_outcome(rules, rule, fact, body, book))
    status = "decided" if decided and any(o.role == "decides" for o in outs) else "undetermined" if not decided else "none"
    return {"route": {"status": status, "outcomes": outs, "missing": _dedupe(missing)},
            "sets": sets, "ends": ends if decided else None}


def _matters(results: dict[tuple[str, ...], tuple[str, ...]], i: int) -> bool:
    """Whether changing the i-th unknown fact alone, the others fixed, ever changes what the step gives."""
    seen: dict[tuple[str, ...], tuple[str, ...]] = {}
    for combo, fired in results.items():
        rest = combo[:i] + combo[i + 1:]
        if seen.setdefault(rest, fired) != fired:
            return True
    return False


def _dedupe(missing: list[MissingFact]) -> list[MissingFact]:
    seen: dict[str, MissingFact] = {}
    for m in missing:
        seen.setdefault(m.field, m)
    return list(seen.values())


def _missing(rules: ProcedureRules, name: str, alternatives: list[Alternative]) -> MissingFact:
    return MissingFact(field=name, label=rules.field_label(name, "en"), label_zh=rules.field_label(name, "zh"),
                       alternatives=alternatives)


def _value_label(rules: ProcedureRules, book: Any, name: str, value: str, lang: str) -> str:
    """A value as people read it: the rulebook's words for a role or a finding, else procedure.yaml's."""
    if name == PAIR:
        finding, liable = value.split("/")
        said = _value_label(rules, book, "determination.liable", liable, lang)
        shown = f"{rules.field_label('determination.liable', lang)}{text('report.colon', lang)}{said}"
        return book.finding_label(finding, lang) + text("report.paren", lang, text=shown)
    if name == "determination.finding":
        return str(book.finding_label(value, lang))
    entry = book.vocabulary.values.get(name, {}).get(value) if name.startswith("person.") else None
    return entry.get(lang) if entry else rules.value_label(name, value, lang)


def _alternative(rules: ProcedureRules, book: Any, by_id: dict[str, ProcRule], name: str, value: str,
                 given: set[tuple[str, ...]]) -> Alternative:
    labels = {"value": value, "value_label": _value_label(rules, book, name, value, "en"),
              "value_label_zh": _value_label(rules, book, name, value, "zh")}
    if len(given) == 1:
        ids = list(next(iter(given)))
        if not ids:
            said = msg("procedure.step.no_rule")
            return Alternative(rules=[], text=str(said), text_zh=said.zh, **labels)
        said = join_each("punctuation.either", [by_id[i].outcome for i in ids])
        return Alternative(rules=ids, text=str(said), text_zh=said.zh, **labels)
    ids = sorted({i for g in given for i in g})
    said = msg("procedure.step.depends", rules=join("determination.list", ids))
    return Alternative(rules=ids, text=str(said), text_zh=said.zh, **labels)


def _because(rules: ProcedureRules, rule: ProcRule, fact: dict[str, Any], book: Any) -> list[FactUsed]:
    used: dict[str, str] = {}
    for t in tests_of(rule.condition):
        value = fact.get(t.field.replace(".", "__"), NULL)
        if value != UNKNOWN_MARKER.get(t.field) and t.holds(fact) and not t.field.startswith("route."):
            used.setdefault(t.field, "not given" if value == NULL else value)
    out = []
    for name, value in used.items():
        not_given = msg("procedure.step.not_given")
        shown = {"en": str(not_given), "zh": not_given.zh} if value == "not given" else \
            {lang: _value_label(rules, book, name, value, lang) for lang in ("en", "zh")}
        label = {lang: f"{rules.field_label(name, lang)}{text('report.colon', lang)}{shown[lang]}"
                 for lang in ("en", "zh")}
        out.append(FactUsed(field=name, value=value, label=label["en"], label_zh=label["zh"]))
    return out


def _outcome(rules: ProcedureRules, rule: ProcRule, fact: dict[str, Any], body: str | None, book: Any) -> StepOutcome:
    label_en = label_zh = None
    if rule.body is not None:
        if body is None:
            none = msg("procedure.step.no_higher_body")
            label_en, label_zh = str(none), none.zh
        else:
            label_en, label_zh = rules.level_label(body, "en"), rules.level_label(body, "zh")
    interp = rule.interpretation
    return StepOutcome(rule=rule.id, role=rule.role, text=rule.outcome.en, text_zh=rule.outcome.zh, body=body,
                       body_label=label_en, body_label_zh=label_zh, measures=[m.en for m in rule.measures],
                       measures_zh=[m.zh for m in rule.measures], because=_because(rules, rule, fact, book),
                       provision=rule.provision.ref(rule.version), interpretation=interp is not None,
                       interpretation_reason=interp.reason if interp else None,
                       interpretation_reason_zh=interp.reason_zh if interp else None, source=rule.source,
                       ends_route=rule.ends_route)
