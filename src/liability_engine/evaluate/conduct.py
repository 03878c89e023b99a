"""One conduct judged: the decision (decision.py), and around it what the determination reports —
trace, warnings, the Art. 28 record, the facts considered, why not, missing facts, the sentence."""

from __future__ import annotations

from typing import Any

import datetime as _dt

from ..determination.explain import Words, WhyNotExplainer, considered_fields, facts_considered
from ..determination.missing import missing_facts
from ..determination.model import (Alternative, ConductDetermination, Contradiction, Evaluation, Missing, Temporal,
                                   TraceEntry, WhyNot)
from ..determination.sentences import Sentences
from ..determination.trace import TraceBuilder
from ..determination.warnings import warnings_of
from ..facts.fields import NULL, FactReader, field_key, show_value
from ..rulebook.conditions import evaluate, tests_of
from ..facts.model import Conduct, Facts
from ..rulebook.model import Rule, Rulebook, Version
from .article28 import temporal_record
from .decision import Decider, Decision, values_of
from .memo import Memo
from ..i18n import Message, join, join_each, msg, pair
from ..wording import Bilingual
from .unknowns import DEFAULTS, UNKNOWN, Completion, agree, complete, possible, summary, unknown_keys

__all__ = ["ConductJudge"]


class ConductJudge:
    """Builds the `ConductDetermination` of each conduct. What people read is a pure function of few
    facts: remembered per key, bounded (memo.py)."""

    def __init__(self, rulebook: Rulebook, decider: Decider):
        self.rulebook, self.decider = rulebook, decider
        self.reader = FactReader(rulebook.schema)
        self.traces = TraceBuilder(rulebook)
        self.sentences = Sentences(rulebook)
        self._why_not_by_version = {v.id: WhyNotExplainer(rulebook, v) for v in rulebook.versions}
        self._considered: Memo[tuple[tuple[str, str], ...]] = Memo(1_024)
        self._fulls: Memo[tuple[Any, ...]] = Memo(4_096)
        # the facts the declared contradictions read: with the rules' (Decider.reads), all that `_full` reads
        self._contradiction_keys = tuple(dict.fromkeys(field_key(t.field) for c in rulebook.contradictions
                                                       for t in tests_of(c.condition)))
        self._word = Words(rulebook)

    def judge(self, conduct: Conduct, facts: Facts, current: Version, detail: bool = True) -> ConductDetermination:
        """One conduct; `detail=False` skips what only people read (why-not, missing facts), for variations.

        Unknown is a value (evaluate/unknowns.py): a conduct with unknown facts that the rules for its act
        read is decided over their completions; declared contradictions leave it undetermined."""
        fact = self.reader.fact_of(conduct, facts)
        undetermined = self.rulebook.undetermined
        date = conduct.date
        read = self._read_keys(fact, date, current)
        unknown = unknown_keys(fact, read)
        contradictions = [c for c in self.rulebook.contradictions if evaluate(c.condition, fact)]
        d, seen, completions, how = self._decide(fact, unknown, contradictions, date, current)
        finding, liable, citation, version_applied, applied = d.finding, d.liable, d.citation, d.version_applied, \
            d.applied
        if contradictions or (unknown and how is None):
            finding, liable, citation, version_applied, applied = undetermined, False, None, None, None
        trace, warnings, temporal = self._record(d, seen, date, current, unknown)
        temporal, notes = self._open_questions(temporal, trace, warnings, d, unknown, how, completions,
                                               contradictions, current)
        considered, why = self._why(d, seen, finding) if detail else ({}, [])
        if detail and considered:
            considered = {k: ("unknown" if fact.get(field_key(k)) == UNKNOWN else v) for k, v in considered.items()}
        if detail and finding != undetermined:
            warnings.extend(self._left_out(conduct, fact, read, date, current, (finding, liable)))
        missing: list[Missing] = []
        if detail and finding == undetermined:
            missing = self._missing_all(conduct, fact, date, current, d, unknown, completions, contradictions)
        explanation = self.sentences.explain(finding, liable, citation, applied.version.id if applied else None,
                                             applied.rule if applied else None, temporal)
        return ConductDetermination(
            conduct_id=conduct.id, date=conduct.date, act=conduct.act.value, fault=conduct.fault.value,
            finding=finding, liable=liable, provisional=_provisional(finding != undetermined, applied, how, completions),
            citation=citation, version_applied=version_applied, temporal=temporal, trace=trace, missing=missing,
            contradictions=notes, explanation=explanation.en, explanation_zh=explanation.zh,
            facts_considered=considered, why_not=why, warnings=[w.en for w in dict.fromkeys(warnings)],
            warnings_zh=[w.zh for w in dict.fromkeys(warnings)])

    def _decide(self, fact: dict[str, Any], unknown: list[str], contradictions: list[Any], date: _dt.date,
                current: Version) -> tuple[Decision, dict[str, Any], list[Completion] | None, str | None]:
        """The decision to show, the fact it was reached on, the completions of the unknowns, and how they
        agree (None: they do not, or there are none)."""
        d = self.decider.decide(_shown(fact), date, current)  # unknowns read as defaults: for the trace only
        seen = _shown(fact)
        completions: list[Completion] | None = None
        how = None
        if unknown and not contradictions:
            completions = complete(fact, unknown, self.rulebook.schema,
                                   lambda f: self.decider.decide(f, date, current), self._contradicts)
            agreed = agree(completions, self.rulebook.undetermined) if completions is not None else None
            if agreed is not None:
                how = agreed[1]
                if summary(agreed[0]) != summary(d) or _unknown_flags(unknown):
                    d = agreed[0]  # show a completion that reaches it (the shown defaults may not)
                    rep = next(c for c in completions or () if c.decision is d)
                    seen = {**fact, **dict(zip(unknown, rep.values))}
        return d, seen, completions, how

    def _record(self, d: Decision, seen: dict[str, Any], date: _dt.date, current: Version,
                unknown: list[str]) -> tuple[list[TraceEntry], list[Bilingual], Temporal]:
        """The trace, the warnings and the Art. 28 record of the decision shown."""
        trace: list[TraceEntry] = []
        warnings = list(d.choice.warnings)
        for o in d.outcomes:
            trace.extend(self.traces.trace(o.resolution, o.version, seen))
            warnings.extend(warnings_of(o.resolution, o.version.id, unknown))
        temporal = temporal_record(d.choice, date, current, d.old_version,
                                   [self.decider.evaluation(o) for o in d.outcomes])
        if d.choice.rule is not None:
            trace.append(self.traces.chosen(d.choice.rule, temporal))
        return trace, warnings, temporal

    def _open_questions(self, temporal: Temporal, trace: list[TraceEntry], warnings: list[Bilingual], d: Decision,
                        unknown: list[str], how: str | None, completions: list[Completion] | None,
                        contradictions: list[Any], current: Version) -> tuple[Temporal, list[Contradiction]]:
        """What contradictions and unknown facts do to the record: the Art. 28 choice, the trace, warnings."""
        if contradictions:
            notes = [Contradiction(id=c.id, fields=list(c.fields), reason=c.reason.en, reason_zh=c.reason.zh)
                     for c in contradictions]
            reason = msg("determination.contradiction_reason",
                         reasons=join_each("report.sep", [c.reason for c in contradictions]))
            temporal = temporal.model_copy(update={"choice": "undetermined", "reason": str(reason),
                                                   "reason_zh": reason.zh})
            for c in contradictions:
                warnings.append(msg("determination.contradiction_warning", id=c.id, reason=c.reason,
                                    fields=join("determination.list", c.fields)).bilingual())
            return temporal, notes
        if unknown:
            if how is None and completions:
                temporal = temporal.model_copy(update={"evaluations": [
                    self._evaluation_over(e, completions) for e in temporal.evaluations]})
            entry = self._completion_entry(unknown, how, d, current, completions)
            if how is None and completions and temporal.rule is not None and temporal.choice != "undetermined" and \
                    len({c.decision.choice.rule.id if c.decision.choice.rule else None for c in completions}) > 1:
                # The values of the unknown facts lead Art. 28 to different rules (e.g. old liable: both liable for
                # one value, 2024 not liable for the other): no rule chose. The rule that the facts read with their
                # defaults reach, choosing a version, is not the determination's: neither in `temporal.rule` nor as a
                # `chosen` entry of the trace. (A rule that itself leaves the choice open, as old_undetermined on a
                # fault stated unknown, holds on the facts as stated, and stays.)
                trace[:] = [t for t in trace if not (t.outcome == "chosen" and t.rule == temporal.rule)]
                temporal = temporal.model_copy(update={"rule": None, "interpretation": False})
            trace.append(entry)
            if how is None and d.finding != self.rulebook.undetermined and temporal.conduct_date < current.in_force_from:
                # the shown defaults decided; the unknowns do not, and which version applies turns on them (a conduct
                # of the current version's period is judged by it alone whatever they are: its choice stays)
                temporal = temporal.model_copy(update={"choice": "undetermined", "reason": entry.explanation,
                                                       "reason_zh": entry.explanation_zh})
        return temporal, []

    # --- unknown facts, facts left out, contradictions ----------------------------------------------

    def _read_keys(self, fact: dict[str, Any], date: _dt.date, current: Version) -> tuple[str, ...]:
        """The facts the rules for this act read, in the versions a conduct of this date is judged by."""
        return self.decider.reads(fact.get("act"), self.decider.period(date, current), current)

    def _full(self, fact: dict[str, Any], date: _dt.date, current: Version) -> tuple[Any, ...]:
        """What a person is told for these facts, unknowns completed and contradictions honoured."""
        old = self.decider.period(date, current)
        act = fact.get("act")
        read = self.decider.reads(act, old, current)
        key = (current.id, old.id if old else None, date >= current.in_force_from, act.__class__, act,
               values_of(fact, read), values_of(fact, self._contradiction_keys))

        def compute() -> tuple[Any, ...]:
            undetermined = self.rulebook.undetermined
            if self._contradicts(fact):
                return (undetermined, False, None, None, None)
            unknown = unknown_keys(fact, read)
            if not unknown:
                return _told(self.decider.decide(fact, date, current))
            completions = complete(fact, unknown, self.rulebook.schema,
                                   lambda f: self.decider.decide(f, date, current), self._contradicts)
            agreed = agree(completions, undetermined) if completions is not None else None
            return _told(agreed[0]) if agreed is not None else (undetermined, False, None, None, None)

        return self._fulls.get(key, compute)

    def _contradicts(self, fact: dict[str, Any]) -> bool:
        """Whether a declared contradiction holds in these facts (rules/contradictions.yaml)."""
        return any(evaluate(c.condition, fact) for c in self.rulebook.contradictions)

    def _outcome_words(self, result: tuple[Any, ...]) -> Bilingual:
        finding, liable, version, label, label_zh = result
        rb = self.rulebook
        said = Message(rb.finding_label(finding, "en"), rb.finding_label(finding, "zh"))
        if rb.leaves_liability_unsaid(finding):
            said += msg("determination.then_liable" if liable else "determination.then_not_liable")
        if label:
            said += msg("determination.then_cite", label=pair(label, label_zh), version=version)
        return said.bilingual()

    def _left_out(self, conduct: Conduct, fact: dict[str, Any], read: tuple[str, ...], date: _dt.date,
                  current: Version, got: tuple[str, bool]) -> list[Bilingual]:
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
            then = self._outcome_words(other)
            w = self._word
            out.append(msg("determination.left_out", field=w.field_words(name), default=w.value_words(name, default),
                           other=w.value_words(name, not default), then=then).bilingual())
        return out

    def _evaluation_over(self, shown: Evaluation, completions: list[Completion]) -> Evaluation:
        """One version's evaluation over the completions: its own, if they all agree; else undetermined."""
        if shown.finding == self.rulebook.undetermined:
            return shown  # the rules themselves left it undetermined (e.g. the fault unknown): they say why
        found = set()
        for c in completions:
            for o in c.decision.outcomes:
                if o.version.id == shown.version:
                    found.add((o.finding, o.liable, o.rule.id if o.rule else None))
        if len(found) <= 1:
            return shown
        return Evaluation(version=shown.version, finding=self.rulebook.undetermined, liable=False)

    def _completion_entry(self, unknown: list[str], how: str | None, d: Decision, current: Version,
                          completions: list[Completion] | None) -> TraceEntry:
        def names_of(keys: list[str]) -> Any:
            quoted = [msg("determination.quoted", name=self._word.field_words(k.replace("__", "."))) for k in keys]
            return join_each("determination.list", quoted)

        names = names_of(unknown)
        if how is None:
            # "its values lead to different findings": said of the unknowns that decide (as in `missing`)
            open_ = unknown if completions is None else \
                [k for k in unknown if k in deciding(unknown, completions, self.rulebook.undetermined)]
            said = msg("determination.unknown_open", names=names_of(open_))
        else:
            said = msg("determination.unknown_same" if how == "same" else "determination.unknown_art28", names=names,
                       then=self._outcome_words(_told(d)))
        if completions is not None and len(completions) < possible(self.rulebook.schema, unknown):
            said += msg("determination.unknown_consistent")  # values contradicting the established facts: not tried
        en, zh = str(said), said.zh
        return TraceEntry(rule="unknown_facts", version=current.id, outcome="completed", explanation=en,
                          explanation_zh=zh)

    def _missing_all(self, conduct: Conduct, fact: dict[str, Any], date: _dt.date, current: Version, d: Decision,
                     unknown: list[str], completions: list[Completion] | None,
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
            return Alternative(value=show_value(value), finding=result[0], liable=result[1],
                               citation_label=result[3], citation_label_zh=result[4],
                               citation_version=result[2] if result[3] else None)

        if contradictions:
            for name in dict.fromkeys(f for c in contradictions for f in c.fields):
                spec = self.rulebook.schema[name]
                values = [True, False] if spec.kind == "bool" else [v for v in spec.values if v != UNKNOWN]
                out.append(missing(name, [alternative(v, self._full({**fact, spec.key: v}, date, current))
                                          for v in values if v != fact.get(spec.key)]))
            return out
        if completions is not None:
            for i, key in enumerate(unknown):
                if key not in deciding(unknown, completions, undetermined):
                    continue  # no value of it changes the outcome, whatever the other unknowns are (SPEC §2)
                groups: dict[Any, list[Completion]] = {}
                for c in completions:
                    groups.setdefault(c.values[i], []).append(c)
                alternatives = []
                for value, group in groups.items():
                    agreed = agree(group, undetermined)
                    alternatives.append(alternative(value, _told(agreed[0]) if agreed else
                                                    (undetermined, False, None, None, None)))
                out.append(missing(key.replace("__", "."), alternatives))
        listed = {m.field for m in out}
        for m in missing_facts(self.rulebook, conduct, fact, [o.resolution for o in d.outcomes],
                               lambda changed: _Told(*self._full(changed, conduct.date, current))):
            if m.field not in listed:
                out.append(m)
        return out

    def _why(self, d: Decision, fact: dict[str, Any], finding: str) -> tuple[dict[str, str], list[WhyNot]]:
        """The facts the rules considered, and why the other findings were not reached."""
        basis = d.applied or d.now
        act = fact.get("act")
        fired = [r for o in d.outcomes for r in o.resolution.fired]

        def rules() -> list[Rule]:  # what fired, and every rule of the version for this act
            return fired + [r for r in basis.version.rules if r.acts is None or act in r.acts]

        fields = self._considered.get((basis.version.id, act, *(r.id for r in fired)),
                                      lambda: considered_fields(rules()))
        return facts_considered(fields, fact), self._why_not_by_version[basis.version.id](basis.resolution, fact,
                                                                                           finding)


def _provisional(decided: bool, applied: Any, how: str | None, completions: list[Completion] | None) -> bool:
    """Whether the finding rests on a rule of low source confidence (in the decision, or, decided over
    the unknowns' completions, in any of them). An advisory rule of low confidence that fired in the version
    applied counts too: it states an assumption on which that version's answer stands (2020.no_exemption_list:
    had the 2020 version a list like 2024 Art. 9, this conduct might not be liable under it), so the finding
    holds only until the official text is checked."""
    def low(decision: Any) -> bool:
        if decision is None or decision.rule is None:
            return False
        return decision.rule.source_confidence == "low" or \
            any(r.source_confidence == "low" for r in decision.resolution.advisory)

    return decided and (low(applied) or (how == "same" and any(low(c.decision.applied) for c in completions or ())))


class _Told:
    """What a person is told (`_full`), in the shape of a decision: finding, liable, citation's labels."""

    __slots__ = ("finding", "liable", "version_applied", "citation")

    def __init__(self, finding: str, liable: bool, version: str | None, label: str | None, label_zh: str | None):
        self.finding, self.liable, self.version_applied = finding, liable, version
        self.citation = _Label(label, label_zh) if label else None


class _Label:
    __slots__ = ("label", "label_zh")

    def __init__(self, label: str, label_zh: str | None):
        self.label, self.label_zh = label, label_zh


def deciding(unknown: list[str], completions: list[Completion], undetermined: str) -> set[str]:
    """The unknown facts that decide: those for which two completions, alike in every other unknown, lead to
    different outcomes (`agree`). An unknown whose every value leads to the same outcome, whatever the others
    are, decides nothing and is not asked for (SPEC §2: one that does not decide changes nothing): with the
    fault unknown, an unknown wrongful handling beside no serious consequence changes no finding. When no single
    fact decides alone (the completions that differ in one fact only would contradict the established facts),
    every unknown is kept."""
    out: set[str] = set()
    for i, key in enumerate(unknown):
        others: dict[tuple[Any, ...], list[Completion]] = {}
        for c in completions:
            others.setdefault(c.values[:i] + c.values[i + 1:], []).append(c)
        if any(len({summary(c.decision) for c in group}) > 1 and agree(group, undetermined) is None
               for group in others.values()):
            out.add(key)
    return out or set(unknown)


def _told(decision: Any) -> tuple[Any, ...]:
    """(finding, liable, version applied, citation label, its Chinese label): what a person is told."""
    cite = decision.citation
    return (decision.finding, decision.liable, decision.version_applied, cite.label if cite else None,
            cite.label_zh if cite else None)


def _unknown_flags(unknown: list[str]) -> bool:
    """Whether an unknown is one the shown fact reads as a default (not one the rules know as unknown)."""
    return any(k not in ("fault", "outcome_change__cause") for k in unknown)


def _shown(fact: dict[str, Any]) -> dict[str, Any]:
    """The fact with its unknowns read as the defaults (none for an accident or a kind of case), for
    the trace of an evaluation whose finding is decided over the unknowns' completions."""
    if UNKNOWN not in fact.values():
        return fact
    keep = ("fault", "outcome_change__cause")  # values the rules themselves know (fault_unknown, no Art. 9 item)
    return {k: (DEFAULTS.get(k, NULL) if v == UNKNOWN and k not in keep else v) for k, v in fact.items()}
