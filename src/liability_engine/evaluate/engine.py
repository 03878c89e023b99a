"""The engine: facts → rulesets → fired rules → resolution → Art. 28 choice → Determination."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, Literal

from ..compile.ruleset import Ruleset, compile_ruleset
from ..rulebook.conditions import NULL, All, Any_, Condition, describe, evaluate, tests_of, values_read
from ..determination.model import (
    Alternative, ConditionCheck, Citation, ConductDetermination, Contradiction, Determination, EngineInfo, Evaluation, Missing, Overall,
    RulebookInfo, Temporal, TraceEntry,
)
from ..errors import FactsError, Problem, RulesError
from ..resources import PACKAGE_DIR, bundled
from ..facts.model import Conduct, Facts
from ..determination.explain import (
    Words, WhyNotExplainer, considered_fields, counterfactuals, facts_considered, field_tests,
)
from ..determination.citations import citation_for
from .memo import Memo
from .resolution import Resolution, resolve
from ..rulebook.model import Rule, Rulebook, Version, load_rulebook
from .temporal import Comparison, check_exhaustive, comparison_fact
from .unknowns import DEFAULTS, UNKNOWN, Completion, agree, complete, summary, unknown_keys

__all__ = ["Engine", "bundled_rules_path"]

Backend = Literal["auto", "durable", "python"]


def bundled_rules_path() -> Path:
    """The rules shipped with the package (a wheel), or the checkout's `rules/` (editable)."""
    found = bundled("rules", "rules", marker="findings.yaml")
    if found is None:
        raise RulesError(Problem("the bundled rules are missing from this installation; reinstall the package",
                                 path=str(PACKAGE_DIR / "rules")))
    return found


@dataclass(frozen=True)
class _Outcome:
    """One version's answer for one conduct."""

    version: Version
    resolution: Resolution
    finding: str
    liable: bool
    rule: Rule | None


@dataclass(frozen=True)
class _Decision:
    """What the versions say about one fact and which one Art. 28 applies."""

    now: _Outcome
    old: _Outcome | None
    old_version: Version | None
    choice: str
    temporal_rule: Any
    warnings: list[tuple[str, str]]
    applied: _Outcome | None
    finding: str
    liable: bool
    citation: Citation | None
    version_applied: str | None


_engines: dict[tuple[str, str, str], "Engine"] = {}
_CONFIDENCE_ZH = {"confirmed": "已核实", "moderate": "中等", "low": "低"}


class Engine:
    """Evaluates facts against a rulebook. Immutable after construction; safe to share between threads."""

    def __init__(self, rulebook: Rulebook, *, backend: Backend = "auto"):
        """`backend`: `auto` (durable-rules where it imports, else the reference evaluator), `durable`
        (BackendUnavailable where it cannot run) or `python` (the reference evaluator)."""
        from ..runtime import backend_note, program_version, resolve_backend

        self.rulebook = rulebook
        backend = resolve_backend(backend)  # type: ignore[assignment]
        note = backend_note(backend)
        self._engine_info = EngineInfo(version=program_version(), backend=backend, note=note[0] if note else None,
                                       note_zh=note[1] if note else None)
        if backend == "durable":
            from ..compile._durable import DurableBackend

            self._backend: Any = DurableBackend()
        elif backend == "python":
            from ..compile.reference import PythonBackend

            self._backend = PythonBackend()
        self._rulesets: dict[str, Ruleset] = {}
        # where each schema field is read: (fact key, 0 conduct / 1 case / 2 person, attribute path)
        self._paths: list[tuple[str, int, tuple[str, ...]]] = []
        for name, spec in rulebook.schema.items():
            head, *rest = name.split(".")
            root = {"case": 1, "person": 2}.get(head, 0)
            self._paths.append((spec.key, root, tuple(rest) if root else (head, *rest)))
        self._temporal: dict[str, Ruleset] = {}
        self._temporal_answers: dict[tuple[str, Comparison], Any] = {}  # at most 2^7 per version
        # What people read is a pure function of few facts: remembered per key, bounded (memo.py).
        self._why_not_by_version = {v.id: WhyNotExplainer(rulebook, v) for v in rulebook.versions}
        self._considered: Memo[tuple[tuple[str, str], ...]] = Memo(1_024)
        self._entries: Memo[TraceEntry] = Memo(2_048)
        self._resolutions: Memo[Resolution] = Memo(1_024)
        self._evaluations: Memo[Evaluation] = Memo(1_024)
        self._texts: Memo[tuple[str, str]] = Memo(1_024)
        self._info: Memo[RulebookInfo] = Memo(64)
        self._overalls: Memo[Overall] = Memo(64)
        self._reads: dict[tuple[Any, ...], tuple[str, ...]] = {}
        self._fulls: Memo[tuple[Any, ...]] = Memo(4_096)
        self._word = Words(rulebook)
        self._article_citations: dict[tuple[str, str], Citation | None] = {}
        for version in rulebook.versions:
            where = str(Path(rulebook.folder) / version.folder)
            self._rulesets[version.id] = compile_ruleset(
                "conduct", [(r.id, r.condition) for r in version.rules], where=where,
                locate=version.locate)
            if version.temporal_rules:
                rules = [(t.id, t.condition) for t in version.temporal_rules]
                gaps = check_exhaustive(rules)
                if gaps:
                    first = version.temporal_rules[0]
                    raise RulesError([Problem(g, path=first.file) for g in gaps[:10]])
                self._temporal[version.id] = compile_ruleset("comparison", rules, where=where)
        for ruleset in [*self._rulesets.values(), *self._temporal.values()]:
            self._backend.prepare(ruleset)

    # --- construction -----------------------------------------------------------------------

    @classmethod
    def from_path(cls, path: str | Path, *, backend: Backend = "auto") -> "Engine":
        """An engine over a rule author's rulebook folder (raises RulesError if it is invalid)."""
        from ..runtime import resolve_backend

        backend = resolve_backend(backend)  # type: ignore[assignment]
        rulebook = load_rulebook(path)
        key = (str(Path(path).resolve()), rulebook.digest, backend)  # a copy keeps its own paths in messages
        cached = _engines.get(key)
        if cached is None:
            cached = _engines[key] = cls(rulebook, backend=backend)
        return cached

    @classmethod
    def default(cls, *, backend: Backend = "auto") -> "Engine":
        """The engine over the rules bundled with the package."""
        return cls.from_path(bundled_rules_path(), backend=backend)

    @property
    def backend(self) -> str:
        return str(self._backend.name)

    # --- evaluation ---------------------------------------------------------------------------

    def evaluate(self, facts: Facts, *, as_of: _dt.date | None = None) -> Determination:
        """Determine each conduct's finding; `as_of` is the evaluation date (default: today)."""
        today = _dt.date.today()
        as_of = as_of or today
        if as_of > today:
            raise FactsError(Problem(f"the evaluation date {as_of} is in the future (today is {today}); "
                                     "evaluate as of today or an earlier date", field="as_of", value=str(as_of)))
        current = self._current(as_of)
        problems = [facts.located(("conducts", i, "date"),
                                  f"the conduct is dated {c.date}, after the evaluation date {as_of}: "
                                  "a conduct cannot be judged before it happens; correct the date",
                                  value=str(c.date))
                    for i, c in enumerate(facts.conducts) if c.date > as_of]
        if problems:
            raise FactsError(problems)
        conducts = [self._conduct(c, facts, current, as_of) for c in facts.conducts]
        versions = tuple(v.id for v in self.rulebook.versions if v.in_force_from <= as_of)
        info = self._info.get(versions, lambda: RulebookInfo(digest=self.rulebook.digest[:16], backend=self.backend,
                                                             versions=list(versions)))
        return Determination(
            case_id=facts.case.id, person_id=facts.person.id, evaluated_on=as_of,
            overall=self._overall(conducts), conducts=conducts, rulebook=info, engine=self._engine_info)

    def explain(self, facts: Facts, *, as_of: _dt.date | None = None) -> Determination:
        """`evaluate`, plus for each conduct the smallest changes of its facts (one field, then two) that
        would change the finding or the liability, found by re-evaluating those variations."""
        det = self.evaluate(facts, as_of=as_of)
        current = self._current(det.evaluated_on)
        conducts = []
        for conduct, result in zip(facts.conducts, det.conducts):
            def variant(changed: Conduct) -> ConductDetermination:
                return self._conduct(changed, facts, current, det.evaluated_on, detail=False)

            changes = counterfactuals(self.rulebook, conduct, result, variant, _with)
            conducts.append(result.model_copy(update={"what_would_change": changes}))
        return det.model_copy(update={"conducts": conducts})

    def procedure(self, facts: Facts, *, as_of: _dt.date | None = None) -> Any:
        """The route after the finding (`liability-procedure/1`, a `ProcedureRoute`): who investigates,
        reviews, gives the opinion and decides, the measures, referrals, leniency and the deadlines
        (Arts. 10–27). The mechanism is in `liability_engine.procedure`."""
        from ..procedure.evaluate import procedure

        return procedure(self, facts, as_of=as_of)

    def _current(self, as_of: _dt.date) -> Version:
        in_force = [v for v in self.rulebook.versions if v.in_force_from <= as_of]
        if not in_force:
            first = self.rulebook.versions[0]
            raise FactsError(Problem(f"no encoded version was in force on {as_of} (the earliest, {first.id}, "
                                     f"took effect on {first.in_force_from}); choose a later evaluation date",
                                     field="as_of", value=str(as_of)))
        return in_force[-1]

    def _overall(self, conducts: list[ConductDetermination]) -> Overall:
        rb = self.rulebook
        liable = any(c.liable for c in conducts)
        if any(c.finding == rb.undetermined for c in conducts):
            finding = rb.undetermined
        else:
            finding = max(conducts, key=lambda c: (rb.severity(c.finding), c.liable)).finding
        provisional = any(c.provisional for c in conducts)
        return self._overalls.get((finding, liable, provisional),
                                  lambda: Overall(finding=finding, liable=liable, provisional=provisional))

    def fact_of(self, conduct: Conduct, facts: Facts) -> dict[str, Any]:
        """The normalised fact rules see: one value of one type per field, NULL when absent."""
        out: dict[str, Any] = {}
        roots = (conduct, facts.case, facts.person)
        for key, root, parts in self._paths:
            obj: Any = roots[root]
            for part in parts:
                obj = getattr(obj, part, None)
                if obj is None:
                    break
            if isinstance(obj, Enum):
                obj = obj._value_  # `.value` is a descriptor call; this is the same attribute, direct
            out[key] = NULL if obj is None else obj
        if out.get("case__kind") == NULL:
            out["case__kind"] = UNKNOWN  # not stated: never defaulted where it decides
        if out.get("outcome_change__cause") == NULL and out.get("outcome_change__kind") != NULL:
            out["outcome_change__cause"] = UNKNOWN
        return out

    def evaluate_under(self, facts: Facts, version_id: str) -> list[tuple[Evaluation, list[str]]]:
        """Each conduct judged by one version alone, whatever its date (no Art. 28): the evaluation and
        the ids of the rules that fired. For comparing versions across a docket."""
        version = self.rulebook.version(version_id)
        out = []
        for conduct in facts.conducts:
            o = self._run(version, self.fact_of(conduct, facts))
            out.append((self._evaluation(o), [r.id for r in o.resolution.fired]))
        return out

    def _evaluation(self, o: _Outcome) -> Evaluation:
        key = (o.version.id, o.finding, o.liable, o.rule.id if o.rule else None)
        return self._evaluations.get(key, lambda: Evaluation(
            version=o.version.id, finding=o.finding, liable=o.liable,
            citation=citation_for(o.rule, o.version) if o.rule else None, decided_by=o.rule.id if o.rule else None))

    def _run(self, version: Version, fact: dict[str, Any]) -> _Outcome:
        fired = self._backend.fire(self._rulesets[version.id], fact)
        res = self._resolutions.get((version.id, *fired), lambda: resolve(version, fired))
        if res.decisive is None:
            return _Outcome(version, res, self.rulebook.undetermined, False, None)
        return _Outcome(version, res, res.decisive.finding, res.decisive.liable, res.decisive)

    def _decide(self, fact: dict[str, Any], date: _dt.date, current: Version) -> _Decision:
        """The finding for one normalised fact on one date: each version in force, then Art. 28."""
        in_current = date >= current.in_force_from
        old_version = None
        if not in_current:
            old_version = next((v for v in self.rulebook.versions
                                if v is not current and v.in_force_on(date)), None)
        now = self._run(current, fact)
        old = self._run(old_version, fact) if old_version is not None else None
        choice, temporal_rule, warnings = self._choose(current, in_current, old, now)
        applied = now if choice == "current" else old if choice == "old" else None
        undetermined = self.rulebook.undetermined
        if applied is None or applied.finding == undetermined:
            return _Decision(now, old, old_version, choice, temporal_rule, warnings, applied,
                             undetermined, False, None, None)
        citation = citation_for(applied.rule, applied.version) if applied.rule else None
        return _Decision(now, old, old_version, choice, temporal_rule, warnings, applied,
                         applied.finding, applied.liable, citation, applied.version.id)

    def _conduct(self, conduct: Conduct, facts: Facts, current: Version, as_of: _dt.date,
                 detail: bool = True) -> ConductDetermination:
        """One conduct; `detail=False` skips what only people read (why-not, missing facts), for variations."""
        fact = self.fact_of(conduct, facts)
        undetermined = self.rulebook.undetermined
        date = conduct.date
        read = self._read_keys(fact, date, current)
        unknown = unknown_keys(fact, read)
        contradictions = [c for c in self.rulebook.contradictions if evaluate(c.condition, fact)]
        shown = _shown(fact)  # unknowns read as their defaults, for the trace only (the finding is decided below)
        d = self._decide(shown, date, current)
        seen = shown
        completions: list[Completion] | None = None
        how = None
        if unknown and not contradictions:
            completions = complete(fact, unknown, self.rulebook.schema, lambda f: self._decide(f, date, current))
            agreed = agree(completions, undetermined) if completions is not None else None
            if agreed is not None:
                how = agreed[1]
                if summary(agreed[0]) != summary(d) or _unknown_flags(fact, unknown):
                    d = agreed[0]  # show a completion that reaches it (the shown defaults may not)
                    rep = next(c for c in completions or () if c.decision is d)
                    seen = {**fact, **dict(zip(unknown, rep.values))}
        now, old, old_version, choice, temporal_rule, applied = \
            d.now, d.old, d.old_version, d.choice, d.temporal_rule, d.applied
        finding, liable, citation, version_applied = d.finding, d.liable, d.citation, d.version_applied
        if contradictions or (unknown and how is None):
            finding, liable, citation, version_applied, applied = undetermined, False, None, None, None
        warnings = list(d.warnings)
        outcomes = [o for o in (old, now) if o is not None]
        trace: list[TraceEntry] = []
        for o in outcomes:
            trace.extend(self._trace(o, seen))
            warnings.extend(self._warnings(o))
        temporal = self._temporal_record(conduct, current, old_version, outcomes, temporal_rule, choice)
        if temporal_rule is not None:
            trace.append(self._entries.get(("chosen", temporal_rule.version, temporal_rule.id), lambda: TraceEntry(
                rule=temporal_rule.id, version=temporal_rule.version, outcome="chosen",
                explanation=temporal.reason, explanation_zh=temporal.reason_zh,
                interpretation=temporal_rule.interpretation is not None,
                interpretation_reason=temporal_rule.interpretation,
                interpretation_reason_zh=temporal_rule.interpretation_zh,
                citation=self._article_citation(temporal_rule.version, temporal_rule.article_key))))
        notes: list[Contradiction] = []
        if contradictions:
            notes = [Contradiction(id=c.id, fields=list(c.fields), reason=c.reason.en, reason_zh=c.reason.zh)
                     for c in contradictions]
            en = "; ".join(c.reason.en for c in contradictions)
            zh = "；".join(c.reason.zh for c in contradictions)
            temporal = temporal.model_copy(update={"choice": "undetermined", "reason": f"The facts contradict each other: {en}",
                                                   "reason_zh": f"事实相互矛盾：{zh}"})
            for c in contradictions:
                warnings.append((f"contradictory facts ({c.id}: {', '.join(c.fields)}): {c.reason.en}",
                                 f"事实相互矛盾（{c.id}：{'、'.join(c.fields)}）：{c.reason.zh}"))
        elif unknown:
            if how is None and completions:
                temporal = temporal.model_copy(update={"evaluations": [
                    self._evaluation_over(e, completions) for e in temporal.evaluations]})
            entry = self._completion_entry(unknown, how, d, current)
            trace.append(entry)
            if how is None and d.finding != undetermined:  # the shown defaults decided; the unknowns do not
                temporal = temporal.model_copy(update={"choice": "undetermined", "reason": entry.explanation,
                                                       "reason_zh": entry.explanation_zh})
        missing: list[Missing] = []
        why: list[Any] = []
        considered: dict[str, str] = {}
        if detail:
            basis = applied or now
            act = fact.get("act")
            fired = [r for o in outcomes for r in o.resolution.fired]

            def rules() -> list[Rule]:  # what fired, and every rule of the version for this act
                return fired + [r for r in basis.version.rules if r.acts is None or act in r.acts]

            fields = self._considered.get((basis.version.id, act, *(r.id for r in fired)),
                                          lambda: considered_fields(rules()))
            considered = facts_considered(fields, fact)
            why = self._why_not_by_version[basis.version.id](basis.resolution, seen, finding)
            if finding != undetermined:
                warnings.extend(self._left_out(conduct, facts, fact, read, date, current, (finding, liable)))
        if detail and finding == undetermined:
            missing = self._missing_all(conduct, fact, date, current, outcomes, unknown, completions, contradictions)
        provisional = finding != undetermined and (
            any(o.rule is not None and o.rule.source_confidence == "low" for o in ([applied] if applied else []))
            or (how == "same" and any(c.decision.applied is not None and c.decision.applied.rule is not None
                                      and c.decision.applied.rule.source_confidence == "low"
                                      for c in completions or ())))
        expl_en, expl_zh = self._explain(finding, liable, citation, applied, temporal)
        return ConductDetermination(
            conduct_id=conduct.id, date=conduct.date, act=conduct.act.value, fault=conduct.fault.value,
            finding=finding, liable=liable, provisional=provisional, citation=citation,
            version_applied=version_applied, temporal=temporal, trace=trace, missing=missing,
            contradictions=notes, explanation=expl_en, explanation_zh=expl_zh,
            facts_considered=considered, why_not=why, warnings=[en for en, _ in dict.fromkeys(warnings)],
            warnings_zh=[zh for _, zh in dict.fromkeys(warnings)])

    # --- unknown facts, facts left out, contradictions ----------------------------------------------

    def _period(self, date: _dt.date, current: Version) -> Version | None:
        if date >= current.in_force_from:
            return None
        return next((v for v in self.rulebook.versions if v is not current and v.in_force_on(date)), None)

    def _read_keys(self, fact: dict[str, Any], date: _dt.date, current: Version) -> tuple[str, ...]:
        """The facts the rules for this act read, in the versions a conduct of this date is judged by."""
        old = self._period(date, current)
        act = fact.get("act")
        key = (current.id, old.id if old else None, act)
        found = self._reads.get(key)
        if found is None:
            keys: dict[str, None] = {}
            for version in (v for v in (old, current) if v is not None):
                for rule in version.rules:
                    if rule.acts is None or act in rule.acts:
                        for test in tests_of(rule.condition):
                            keys.setdefault(test.field.replace(".", "__"))
            found = self._reads[key] = tuple(k for k in keys if k != "act")
        return found

    def _full(self, fact: dict[str, Any], date: _dt.date, current: Version) -> tuple[Any, ...]:
        """(finding, liable, version applied, citation label) with unknowns completed and contradictions
        honoured: what a person would be told for these facts. Remembered on the facts."""
        old = self._period(date, current)
        key = (current.id, old.id if old else None, date >= current.in_force_from, *sorted(fact.items()))

        def compute() -> tuple[Any, ...]:
            undetermined = self.rulebook.undetermined
            if any(evaluate(c.condition, fact) for c in self.rulebook.contradictions):
                return (undetermined, False, None, None, None)
            unknown = unknown_keys(fact, self._read_keys(fact, date, current))
            if not unknown:
                return _told(self._decide(fact, date, current))
            completions = complete(fact, unknown, self.rulebook.schema, lambda f: self._decide(f, date, current))
            agreed = agree(completions, undetermined) if completions is not None else None
            return _told(agreed[0]) if agreed is not None else (undetermined, False, None, None, None)

        return self._fulls.get(key, compute)

    def _words(self, key: str, value: Any, lang: str) -> str:
        return self._word.value(key.replace("__", "."), value, lang)

    def _outcome_words(self, result: tuple[Any, ...]) -> tuple[str, str]:
        finding, liable, version, label, label_zh = result
        rb = self.rulebook
        en, zh = rb.finding_label(finding, "en"), rb.finding_label(finding, "zh")
        if finding != rb.undetermined and not rb.says_liability(finding):
            en += ", liable" if liable else ", not liable"
            zh += "，应当承担司法责任" if liable else "，不承担司法责任"
        if label:
            en += f", {label} ({version})"
            zh += f"，{label_zh}（{version}年版本）"
        return en, zh

    def _left_out(self, conduct: Conduct, facts: Facts, fact: dict[str, Any], read: tuple[str, ...],
                  date: _dt.date, current: Version, got: tuple[str, bool]) -> list[tuple[str, str]]:
        """Warnings, by name, for each fact left out whose documented default decides the outcome."""
        given = set(conduct.model_fields_set)
        effects_given = set(conduct.effects.model_fields_set) if "effects" in given else set()
        out = []
        for key, default in DEFAULTS.items():
            if key not in read or fact.get(key) == UNKNOWN:
                continue
            name = key.replace("__", ".")
            stated = name in given if "." not in name else name.split(".", 1)[1] in effects_given
            if stated:
                continue
            other = self._full({**fact, key: not default}, date, current)
            if (other[0], other[1]) == got or other[0] == self.rulebook.undetermined:
                continue  # the default does not decide (or the other value would contradict another fact)
            field_en = self._word.field(name, "en")
            field_zh = self._word.field(name, "zh")
            then_en, then_zh = self._outcome_words(other)
            out.append((f"“{field_en}” was not stated and was read as {self._words(key, default, 'en')}; had it been "
                        f"{self._words(key, not default, 'en')}: {then_en}",
                        f"“{field_zh}”未载明，按“{self._words(key, default, 'zh')}”认定；如为“"
                        f"{self._words(key, not default, 'zh')}”：{then_zh}"))
        return out

    def _evaluation_over(self, shown: Evaluation, completions: list[Completion]) -> Evaluation:
        """One version's evaluation over the completions: its own, if they all agree; else undetermined."""
        if shown.finding == self.rulebook.undetermined:
            return shown  # the rules themselves left it undetermined (e.g. the fault unknown): they say why
        found = set()
        for c in completions:
            for o in (c.decision.now, c.decision.old):
                if o is not None and o.version.id == shown.version:
                    found.add((o.finding, o.liable, o.rule.id if o.rule else None))
        if len(found) == 1:
            finding, liable, rule = next(iter(found))
            if (finding, liable, rule) == (shown.finding, shown.liable, shown.decided_by):
                return shown
        if len(found) <= 1:
            return shown
        return Evaluation(version=shown.version, finding=self.rulebook.undetermined, liable=False)

    def _completion_entry(self, unknown: list[str], how: str | None, d: _Decision, current: Version) -> TraceEntry:
        names_en = ", ".join(f"“{self._word.field(k.replace('__', '.'), 'en')}”" for k in unknown)
        names_zh = "、".join(f"“{self._word.field(k.replace('__', '.'), 'zh')}”" for k in unknown)
        if how is None:
            en = (f"Unknown: {names_en}. Its possible values lead to different findings, so the conduct is "
                  "undetermined until it is established (see the missing facts).")
            zh = f"{names_zh}不明，其可能的取值导致不同的认定，在查明之前无法认定（见待查明的事实）。"
        else:
            then_en, then_zh = self._outcome_words(_told(d))
            if how == "same":
                en = f"Unknown: {names_en}. Every possible value leads to the same outcome: {then_en}; it is decided."
                zh = f"{names_zh}不明，但其任一可能取值均导致相同结果：{then_zh}，故可以认定。"
            else:
                en = (f"Unknown: {names_en}. For no possible value is judicial responsibility pursued, and this "
                      f"regulation's finding is the same for all: under Art. 28 the outcome is {then_en}; it is decided.")
                zh = (f"{names_zh}不明，但无论其取值如何均不追究司法责任，且本条例的认定相同：依第二十八条，结果为"
                      f"{then_zh}，故可以认定。")
        return TraceEntry(rule="unknown_facts", version=current.id, outcome="completed", explanation=en,
                          explanation_zh=zh)

    def _missing_all(self, conduct: Conduct, fact: dict[str, Any], date: _dt.date, current: Version,
                     outcomes: list[_Outcome], unknown: list[str], completions: list[Completion] | None,
                     contradictions: list[Any]) -> list[Missing]:
        """The facts that would decide, each with the outcome each of its values gives."""
        out: list[Missing] = []
        vocab = self.rulebook.vocabulary
        undetermined = self.rulebook.undetermined

        def missing(name: str, alternatives: list[Alternative]) -> Missing:
            q = vocab.questions.get(name)
            return Missing(field=name, question=q.en if q else None, question_zh=q.zh if q else None,
                           alternatives=alternatives)

        def alternative(value: Any, result: tuple[Any, ...]) -> Alternative:
            return Alternative(value=_show(value), finding=result[0], liable=result[1], citation_label=result[3])

        if contradictions:
            for name in dict.fromkeys(f for c in contradictions for f in c.fields):
                spec = self.rulebook.schema[name]
                values = [True, False] if spec.kind == "bool" else [v for v in spec.values if v != UNKNOWN]
                out.append(missing(name, [alternative(v, self._full({**fact, spec.key: v}, date, current))
                                          for v in values if v != fact.get(spec.key)]))
            return out
        if completions is not None:
            for i, key in enumerate(unknown):
                name = key.replace("__", ".")
                groups: dict[Any, list[Completion]] = {}
                for c in completions:
                    groups.setdefault(c.values[i], []).append(c)
                alternatives = []
                for value, group in groups.items():
                    agreed = agree(group, undetermined)
                    alternatives.append(alternative(value, _told(agreed[0]) if agreed else
                                                    (undetermined, False, None, None, None)))
                out.append(missing(name, alternatives))
        listed = {m.field for m in out}
        for m in self._missing(conduct, fact, current, outcomes):
            if m.field not in listed:
                out.append(m)
        return out

    # --- Art. 28 -------------------------------------------------------------------------------

    def _choose(self, current: Version, in_current: bool, old: _Outcome | None,
                now: _Outcome) -> tuple[str, Any, list[tuple[str, str]]]:
        undetermined = self.rulebook.undetermined
        ruleset = self._temporal.get(current.id)
        if ruleset is None:
            # The version in force on the evaluation date encodes no temporal article (e.g. an
            # evaluation as of 2022): the version in force when the conduct happened applies.
            warning = (f"version {current.id} encodes no temporal article; the version in force on the "
                       "conduct date is applied",
                       f"{current.id}年版本未编入时间效力条款，适用行为发生时施行的版本")
            if in_current:
                return "current", None, []
            return ("old", None, [warning]) if old is not None else ("undetermined", None, [warning])
        o_det = old is not None and old.finding != undetermined
        n_det = now.finding != undetermined
        less = (o_det and n_det and old is not None and
                self.rulebook.severity(now.finding) < self.rulebook.severity(old.finding))
        comparison = Comparison(in_current, old is not None, o_det, bool(o_det and old and old.liable),
                                n_det, n_det and now.liable, bool(less))
        key = (current.id, comparison)
        rule = self._temporal_answers.get(key)
        if rule is None:  # the temporal ruleset is pure: each comparison is run once, then remembered
            fired = self._backend.fire(ruleset, comparison_fact(comparison))
            if len(fired) != 1:  # load-time check makes this unreachable; refuse to guess if it is not
                raise RulesError(Problem(f"temporal rules {fired or 'none'} decided one comparison"))
            rule = self._temporal_answers[key] = next(t for t in current.temporal_rules if t.id == fired[0])
        return rule.choose, rule, []

    def _temporal_record(self, conduct: Conduct, current: Version, old_version: Version | None,
                         outcomes: list[_Outcome], rule: Any, choice: str) -> Temporal:
        compared = [v.id for v in (old_version, current) if v is not None]
        if rule is not None:
            reason_en, reason_zh = rule.explanation.en, rule.explanation.zh
        elif choice == "current":
            reason_en = f"The conduct happened while version {current.id} was in force."
            reason_zh = f"行为发生在{current.id}年版本施行期间。"
        else:
            reason_en = "The version in force on the conduct date applies (no temporal article is encoded)."
            reason_zh = "适用行为发生时施行的版本（未编入时间效力条款）。"
        evaluations = [self._evaluation(o) for o in outcomes]
        return Temporal(conduct_date=conduct.date, versions_compared=compared, rule=rule.id if rule else None,
                        choice=choice, reason=reason_en, reason_zh=reason_zh,  # type: ignore[arg-type]
                        interpretation=bool(rule is not None and rule.interpretation), evaluations=evaluations)

    def _article_citation(self, version_id: str, key: str) -> Citation | None:
        if (version_id, key) not in self._article_citations:
            self._article_citations[(version_id, key)] = self._cite_article(version_id, key)
        return self._article_citations[(version_id, key)]

    def _cite_article(self, version_id: str, key: str) -> Citation | None:
        version = self.rulebook.version(version_id)
        art = version.articles.get(key)
        if art is None:
            return None
        probe = Rule(id="", version=version_id, article_key=key, article=art.number, paragraph=None, item=None, layer="",
                     finding="", liable=False, acts=None, when=None, condition=None, defeats=(),
                     interpretation=None, interpretation_zh=None,
                     source_confidence=version.manifest.source_confidence, source=None,
                     missing=(), explains_unmet=(), cited=True, warns_only=False, explanation=None, note=None,
                     file=art.file, line=None)
        return citation_for(probe, version)

    # --- explanation -------------------------------------------------------------------------

    def _label(self, field: str, value: Any) -> str:
        return f"{field} = {'true' if value is True else 'false' if value is False else value}"

    def _trace(self, outcome: _Outcome, fact: dict[str, Any]) -> list[TraceEntry]:
        res = outcome.resolution
        entries = []
        for rule in res.fired:
            if rule.warns_only:
                state = "advisory"
            elif res.decisive is rule:
                state = "fired"
            elif rule.id in res.concurring:
                state = "concurring"
            else:
                state = "defeated"
            entries.append(self._entry(rule, outcome.version, state, fact,
                                       defeated_by=res.defeated.get(rule.id) or res.concurring.get(rule.id)))
        decisive = res.decisive
        if decisive is not None and decisive.explains_unmet:
            act = fact.get("act")
            for rule in outcome.version.rules:
                if rule.layer in decisive.explains_unmet and rule.acts is not None and act in rule.acts \
                        and rule not in res.fired:
                    entries.append(self._entry(rule, outcome.version, "unmet", fact))
        return entries

    def _entry(self, rule: Rule, version: Version, outcome: str, fact: dict[str, Any],
               defeated_by: str | None = None) -> TraceEntry:
        """A trace entry reads the rule and the values of the fields it tests: remembered on those."""
        key = (rule.id, outcome, defeated_by, values_read(rule.condition, fact))
        return self._entries.get(key, lambda: self._new_entry(rule, version, outcome, fact, defeated_by))

    def _new_entry(self, rule: Rule, version: Version, outcome: str, fact: dict[str, Any],
                   defeated_by: str | None) -> TraceEntry:
        cond = rule.condition
        checks = []
        if cond is not None:
            for part in (cond.items if isinstance(cond, All) else (cond,)):
                tests = field_tests(part, fact)
                checks.append(ConditionCheck(text=self._describe(part, fact), holds=evaluate(part, fact), tests=tests,
                                             alternative=isinstance(part, Any_) and len(tests) > 1))
        article = version.articles[rule.article_key]
        return TraceEntry(
            rule=rule.id, version=version.id, outcome=outcome, layer=rule.layer, finding=rule.finding,  # type: ignore[arg-type]
            liable=rule.liable, citation=citation_for(rule, version) or self._article_citation(version.id, rule.article_key),
            conditions=checks, defeated_by=defeated_by,
            interpretation=rule.interpretation is not None, interpretation_reason=rule.interpretation,
            interpretation_reason_zh=rule.interpretation_zh,
            explanation=rule.explanation.en if rule.explanation else None,
            explanation_zh=rule.explanation.zh if rule.explanation else None,
            source_confidence=rule.source_confidence, errata=article.errata_for(rule.item, rule.paragraph))  # type: ignore[arg-type]

    def _describe(self, cond: Condition, fact: dict[str, Any]) -> str:
        """The condition in the rule language; a long list of acts shows only the act that matched."""
        tests = tests_of(cond)
        fields = {t.field for t in tests}
        if len(fields) == 1 and len(tests) > 3 and evaluate(cond, fact) and isinstance(cond, Any_):
            (name,) = fields
            return f"{name} = {_show(fact.get(name.replace('.', '__'), NULL))}"
        return describe(cond)

    def _warnings(self, outcome: _Outcome) -> list[tuple[str, str]]:
        """Warnings in English and Chinese."""
        res = outcome.resolution
        v = outcome.version.id
        out = []
        if res.conflict:
            ids = ", ".join(r.id for r in res.conflict)
            out.append((f"version {v}: rules {ids} all apply with different findings and no declared precedence "
                        "between them; the conduct is left undetermined (declare `defeats:` in the rules)",
                        f"{v}年版本：规则{ids}同时适用但认定不同，且未规定优先顺序，无法认定（请在规则中声明 defeats）"))
        if not res.fired:
            out.append((f"version {v}: no rule applies to these facts; the rulebook has a gap",
                        f"{v}年版本：没有规则适用于这些事实，规则库存在缺漏"))
        rule = res.decisive
        if rule is not None and rule.source_confidence == "low":
            out.append((f"version {v}: the finding rests on rule {rule.id}, whose source is of low confidence "
                        f"({rule.source or 'an assumption'}); only the official text would settle it",
                        f"{v}年版本：该认定依据的规则{rule.id}来源可信度低（{rule.source or '推定'}），"
                        "须以官方文本核实"))
        for adv in res.advisory:
            en = adv.explanation.en if adv.explanation else adv.id
            zh = adv.explanation.zh if adv.explanation else adv.id
            out.append((f"version {v}: {en} ({adv.id}, source confidence {adv.source_confidence})",
                        f"{v}年版本：{zh}（{adv.id}，来源可信度：{_CONFIDENCE_ZH[adv.source_confidence]}）"))
        return out

    def _missing(self, conduct: Conduct, fact: dict[str, Any], current: Version,
                 outcomes: list[_Outcome]) -> list[Missing]:
        """Each fact an undetermined rule lacks, with the finding each of its values would give."""
        fields: list[str] = []
        for o in outcomes:
            for rule in o.resolution.fired:
                if rule.finding == self.rulebook.undetermined:
                    fields.extend(f for f in rule.missing if f not in fields)
        out = []
        vocab = self.rulebook.vocabulary
        for name in fields:
            spec = self.rulebook.schema[name]
            values: list[Any] = [True, False] if spec.kind == "bool" else list(spec.values)
            alternatives = []
            for value in values:
                if value == getattr(conduct, name, object()) or value == "unknown":
                    continue
                d = self._decide(_fact_with(conduct, fact, name, spec.key, value), conduct.date, current)
                alternatives.append(Alternative(value=_show(value), finding=d.finding, liable=d.liable,
                                                citation_label=d.citation.label if d.citation else None))
            q = vocab.questions.get(name)
            out.append(Missing(field=name, question=q.en if q else None, question_zh=q.zh if q else None,
                               alternatives=alternatives))
        return out

    def _explain(self, finding: str, liable: bool, citation: Citation | None, applied: _Outcome | None,
                 temporal: Temporal) -> tuple[str, str]:
        """The finding in a sentence; it reads the rule and version applied and the Art. 28 reason."""
        with_reason = len(temporal.versions_compared) > 1 or temporal.choice == "undetermined"
        key = (finding, liable, citation is None, applied.version.id if applied else None,
               applied.rule.id if applied and applied.rule else None, with_reason and temporal.reason)
        return self._texts.get(key, lambda: self._sentence(finding, liable, citation, applied, temporal))

    def _sentence(self, finding: str, liable: bool, citation: Citation | None, applied: _Outcome | None,
                  temporal: Temporal) -> tuple[str, str]:
        rb = self.rulebook
        label = rb.finding_label(finding, "en")
        en, zh = label[:1].upper() + label[1:], rb.finding_label(finding, "zh")
        if finding == rb.undetermined:
            en += ": these facts do not decide whether judicial responsibility attaches"
            zh += "：现有事实不足以认定是否应当承担司法责任"
        elif not rb.says_liability(finding):
            en += f"; judicial responsibility {'attaches' if liable else 'does not attach'}"
            zh += f"；{'应当承担司法责任' if liable else '不承担司法责任'}"
        if citation is not None:
            en += f" under {citation.label} ({citation.version})"
            zh += f"，依据{citation.label_zh}（{citation.version}年版本）"
        rule = applied.rule if applied else None
        if rule is not None and rule.explanation is not None:
            en += f". {rule.explanation.en}"
            zh += f"。{rule.explanation.zh}"
        elif citation is not None:
            en += "."
            zh += "。"
        if len(temporal.versions_compared) > 1 or temporal.choice == "undetermined":
            if not en.endswith("."):
                en += "."
                zh += "。"
            en += f" {temporal.reason}"
            zh += temporal.reason_zh
        return en.strip(), zh


def _show(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


def _told(decision: Any) -> tuple[Any, ...]:
    """(finding, liable, version applied, citation label, its Chinese label): what a person is told."""
    cite = decision.citation
    return (decision.finding, decision.liable, decision.version_applied, cite.label if cite else None,
            cite.label_zh if cite else None)


def _unknown_flags(fact: dict[str, Any], unknown: list[str]) -> bool:
    """Whether an unknown is one the shown fact reads as a default (not one the rules know as unknown)."""
    return any(k not in ("fault", "outcome_change__cause") for k in unknown)


def _shown(fact: dict[str, Any]) -> dict[str, Any]:
    """The fact with its unknowns read as the defaults (none for an accident or a kind of case), for
    the trace of an evaluation whose finding is decided over the unknowns' completions."""
    if UNKNOWN not in fact.values():
        return fact
    keep = ("fault", "outcome_change__cause")  # values the rules themselves know (fault_unknown, no Art. 9 item)
    return {k: (DEFAULTS.get(k, NULL) if v == UNKNOWN and k not in keep else v) for k, v in fact.items()}


def _fact_with(conduct: Conduct, fact: dict[str, Any], field: str, key: str, value: Any) -> dict[str, Any]:
    """The normalised fact of the conduct with one field changed; unchanged where the field's parent
    is absent (an `outcome_change.cause` without an outcome change), as `_with` does for a Conduct."""
    parent: Any = conduct
    for part in field.split(".")[:-1]:
        parent = getattr(parent, part, None)
        if parent is None:
            return fact
    return {**fact, key: value}


def _with(conduct: Conduct, field: str, value: Any) -> Conduct:
    """The same conduct with one field changed (dotted names reach into effects/outcome_change)."""
    data = conduct.model_dump()
    *path, last = field.split(".")
    target = data
    for part in path:
        if target.get(part) is None:
            return conduct
        target = target[part]
    target[last] = value
    return Conduct.model_validate(data)
