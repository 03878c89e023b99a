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
    Alternative, ConditionCheck, Citation, ConductDetermination, Determination, EngineInfo, Evaluation, Missing, Overall,
    RulebookInfo, Temporal, TraceEntry,
)
from ..errors import FactsError, Problem, RulesError
from ..i18n import Message, msg
from ..resources import PACKAGE_DIR, bundled
from ..facts.model import Conduct, Facts
from ..determination.explain import (
    WhyNotExplainer, considered_fields, counterfactuals, facts_considered, field_tests,
)
from ..determination.citations import citation_for
from .memo import Memo
from .resolution import Resolution, resolve
from ..rulebook.model import Rule, Rulebook, Version, load_rulebook
from .temporal import Comparison, check_exhaustive, comparison_fact

__all__ = ["Engine", "bundled_rules_path"]

Backend = Literal["auto", "durable", "python"]


def bundled_rules_path() -> Path:
    """The rules shipped with the package (a wheel), or the checkout's `rules/` (editable)."""
    found = bundled("rules", "rules", marker="findings.yaml")
    if found is None:
        raise RulesError(Problem(msg("rules.bundled_missing"),
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


def _pair(message: Message) -> tuple[str, str]:
    """A warning as the determination carries it: (English, Chinese)."""
    return str(message), message.zh


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
            raise FactsError(Problem(msg("facts.future_as_of", as_of=as_of, today=today), field="as_of",
                                     value=str(as_of)))
        current = self._current(as_of)
        problems = [facts.located(("conducts", i, "date"),
                                  msg("facts.dated_after_as_of", date=c.date, as_of=as_of),
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

    def _current(self, as_of: _dt.date) -> Version:
        in_force = [v for v in self.rulebook.versions if v.in_force_from <= as_of]
        if not in_force:
            first = self.rulebook.versions[0]
            raise FactsError(Problem(msg("facts.no_version_in_force", as_of=as_of, first=first.id,
                                         since=first.in_force_from), field="as_of", value=str(as_of)))
        return in_force[-1]

    def _overall(self, conducts: list[ConductDetermination]) -> Overall:
        rb = self.rulebook
        liable = any(c.liable for c in conducts)
        if any(c.finding == rb.undetermined for c in conducts):
            finding = rb.undetermined
        else:
            finding = max(conducts, key=lambda c: (rb.severity(c.finding), c.liable)).finding
        return self._overalls.get((finding, liable), lambda: Overall(finding=finding, liable=liable))

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
        d = self._decide(fact, conduct.date, current)
        now, old, old_version, choice, temporal_rule, applied = \
            d.now, d.old, d.old_version, d.choice, d.temporal_rule, d.applied
        finding, liable, citation, version_applied = d.finding, d.liable, d.citation, d.version_applied
        warnings = list(d.warnings)
        undetermined = self.rulebook.undetermined
        outcomes = [o for o in (old, now) if o is not None]
        trace: list[TraceEntry] = []
        for o in outcomes:
            trace.extend(self._trace(o, fact))
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
        missing = []
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
            why = self._why_not_by_version[basis.version.id](basis.resolution, fact, finding)
        if detail and finding == undetermined:
            missing = self._missing(conduct, fact, current, outcomes)
        expl_en, expl_zh = self._explain(finding, liable, citation, applied, temporal)
        return ConductDetermination(
            conduct_id=conduct.id, date=conduct.date, act=conduct.act.value, fault=conduct.fault.value,
            finding=finding, liable=liable, citation=citation, version_applied=version_applied,
            temporal=temporal, trace=trace, missing=missing, explanation=expl_en, explanation_zh=expl_zh,
            facts_considered=considered, why_not=why, warnings=[en for en, _ in dict.fromkeys(warnings)],
            warnings_zh=[zh for _, zh in dict.fromkeys(warnings)])

    # --- Art. 28 -------------------------------------------------------------------------------

    def _choose(self, current: Version, in_current: bool, old: _Outcome | None,
                now: _Outcome) -> tuple[str, Any, list[tuple[str, str]]]:
        undetermined = self.rulebook.undetermined
        ruleset = self._temporal.get(current.id)
        if ruleset is None:
            # The version in force on the evaluation date encodes no temporal article (e.g. an
            # evaluation as of 2022): the version in force when the conduct happened applies.
            warning = _pair(msg("warning.no_temporal", version=current.id))
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
                raise RulesError(Problem(msg("check.temporal_fired", rules=", ".join(fired) or "—")))
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
            out.append(_pair(msg("warning.conflict", version=v, rules=ids)))
        if not res.fired:
            out.append(_pair(msg("warning.gap", version=v)))
        rule = res.decisive
        if rule is not None and rule.source_confidence == "low":
            out.append(_pair(msg("warning.low_confidence", version=v, rule=rule.id,
                                 source=Message(rule.source, msg("warning.source_note").zh) if rule.source
                                 else msg("warning.assumption"))))
        for adv in res.advisory:
            en = adv.explanation.en if adv.explanation else adv.id
            zh = adv.explanation.zh if adv.explanation else adv.id
            out.append(_pair(msg("warning.advisory", version=v, text=Message(en, zh), rule=adv.id,
                                 confidence=msg(f"versions.confidence_{adv.source_confidence}"))))
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
                                                citation_label=d.citation.label if d.citation else None,
                                                citation_label_zh=d.citation.label_zh if d.citation else None))
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
            en += f" {temporal.reason}"
            zh += temporal.reason_zh
        return en.strip(), zh


def _show(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


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
