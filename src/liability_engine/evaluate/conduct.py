"""One conduct judged: the decision (decision.py), and around it what the determination reports —
trace, warnings, the Art. 28 record, the facts considered, why not, missing facts, the sentence."""

from __future__ import annotations

from typing import Any

from ..determination.explain import WhyNotExplainer, considered_fields, facts_considered
from ..determination.missing import missing_facts
from ..determination.model import ConductDetermination, TraceEntry, WhyNot
from ..determination.sentences import Sentences
from ..determination.trace import TraceBuilder
from ..determination.warnings import warnings_of
from ..facts.fields import FactReader
from ..facts.model import Conduct, Facts
from ..rulebook.model import Rule, Rulebook, Version
from .article28 import temporal_record
from .decision import Decider, Decision
from .memo import Memo

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

    def judge(self, conduct: Conduct, facts: Facts, current: Version, detail: bool = True) -> ConductDetermination:
        """One conduct; `detail=False` skips what only people read (why-not, missing facts), for variations."""
        fact = self.reader.fact_of(conduct, facts)
        d = self.decider.decide(fact, conduct.date, current)
        trace: list[TraceEntry] = []
        warnings = list(d.choice.warnings)
        for o in d.outcomes:
            trace.extend(self.traces.trace(o.resolution, o.version, fact))
            warnings.extend(warnings_of(o.resolution, o.version.id))
        temporal = temporal_record(d.choice, conduct.date, current, d.old_version,
                                   [self.decider.evaluation(o) for o in d.outcomes])
        if d.choice.rule is not None:
            trace.append(self.traces.chosen(d.choice.rule, temporal))
        considered, why = self._why(d, fact) if detail else ({}, [])
        missing = []
        if detail and d.finding == self.rulebook.undetermined:
            missing = missing_facts(self.rulebook, conduct, fact, [o.resolution for o in d.outcomes],
                                    lambda changed: self.decider.decide(changed, conduct.date, current))
        applied = d.applied
        explanation = self.sentences.explain(d.finding, d.liable, d.citation, applied.version.id if applied else None,
                                             applied.rule if applied else None, temporal)
        return ConductDetermination(
            conduct_id=conduct.id, date=conduct.date, act=conduct.act.value, fault=conduct.fault.value,
            finding=d.finding, liable=d.liable, citation=d.citation, version_applied=d.version_applied,
            temporal=temporal, trace=trace, missing=missing, explanation=explanation.en, explanation_zh=explanation.zh,
            facts_considered=considered, why_not=why, warnings=[w.en for w in dict.fromkeys(warnings)],
            warnings_zh=[w.zh for w in dict.fromkeys(warnings)])

    def _why(self, d: Decision, fact: dict[str, Any]) -> tuple[dict[str, str], list[WhyNot]]:
        """The facts the rules considered, and why the other findings were not reached."""
        basis = d.applied or d.now
        act = fact.get("act")
        fired = [r for o in d.outcomes for r in o.resolution.fired]

        def rules() -> list[Rule]:  # what fired, and every rule of the version for this act
            return fired + [r for r in basis.version.rules if r.acts is None or act in r.acts]

        fields = self._considered.get((basis.version.id, act, *(r.id for r in fired)),
                                      lambda: considered_fields(rules()))
        return facts_considered(fields, fact), self._why_not_by_version[basis.version.id](basis.resolution, fact,
                                                                                           d.finding)


