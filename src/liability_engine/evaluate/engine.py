"""The engine: facts → rulesets → fired rules → resolution → Art. 28 choice → Determination.

`Engine` is the façade over the stages: it compiles each version's rules for a backend at
construction (compile/), and for each conduct asks `ConductJudge` (conduct.py) for its
determination, which `Decider` (decision.py) and the builders of determination/ make.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Any, Mapping

from ..compile.backend import BackendName, make_backend
from ..compile.ruleset import Ruleset, compile_ruleset
from ..determination.explain import counterfactuals
from ..determination.model import ConductDetermination, Determination, EngineInfo, Evaluation, Overall, RulebookInfo
from ..errors import FactsError, Problem, RulesError
from ..facts.fields import conduct_with
from ..facts.model import Conduct, Facts, as_facts
from ..resources import PACKAGE_DIR, bundled
from ..rulebook.model import Rulebook, Version
from .article28 import Article28
from .conduct import ConductJudge
from .decision import Decider
from .memo import Memo
from ..i18n import msg

__all__ = ["Engine", "bundled_rules_path"]


def bundled_rules_path() -> Path:
    """The rules shipped with the package (a wheel), or the checkout's `rules/` (editable)."""
    found = bundled("rules", "rules", marker="findings.yaml")
    if found is None:
        raise RulesError(Problem(msg("rules.bundled_missing"),
                                 path=str(PACKAGE_DIR / "rules")))
    return found


class Engine:
    """Evaluates facts against a rulebook. Immutable after construction; safe to share between threads."""

    def __init__(self, rulebook: Rulebook, *, backend: BackendName = "auto"):
        """`backend`: `auto` (durable-rules where it imports, else the reference evaluator), `durable`
        (BackendUnavailable where it cannot run) or `python` (the reference evaluator)."""
        from ..runtime import backend_note, program_version, resolve_backend

        self.rulebook = rulebook
        resolved = resolve_backend(backend)
        note = backend_note(resolved)
        self._engine_info = EngineInfo(version=program_version(), backend=resolved,  # type: ignore[arg-type]
                                       note=note.en if note else None, note_zh=note.zh if note else None)
        self._backend = make_backend(resolved)
        self._rulesets: dict[str, Ruleset] = {}
        self._article28 = Article28(rulebook, self._backend)
        for version in rulebook.versions:
            where = str(Path(rulebook.folder) / version.folder)
            self._rulesets[version.id] = compile_ruleset(
                "conduct", [(r.id, r.condition) for r in version.rules], where=where, locate=version.locate)
            self._article28.add(version, where)
        for ruleset in [*self._rulesets.values(), *self._article28.rulesets.values()]:
            self._backend.prepare(ruleset)
        self._decider = Decider(rulebook, self._backend, self._rulesets, self._article28)
        self._judge = ConductJudge(rulebook, self._decider)
        self._info: Memo[RulebookInfo] = Memo(64)
        self._overalls: Memo[Overall] = Memo(64)

    # --- construction -----------------------------------------------------------------------

    @classmethod
    def from_path(cls, path: str | Path, *, backend: BackendName = "auto") -> "Engine":
        """An engine over a rule author's rulebook folder (raises RulesError if it is invalid)."""
        from ..compile.rulecache import engine_for

        return engine_for(path, backend)

    @classmethod
    def default(cls, *, backend: BackendName = "auto") -> "Engine":
        """The engine over the rules bundled with the package."""
        return cls.from_path(bundled_rules_path(), backend=backend)

    @property
    def backend(self) -> str:
        return str(self._backend.name)

    # --- evaluation ---------------------------------------------------------------------------

    def evaluate(self, facts: Facts | Mapping[str, Any], *, as_of: _dt.date | None = None) -> Determination:
        """Determine each conduct's finding; `as_of` is the evaluation date (default: today).

        `facts` is a Facts (load_facts, parse_facts) or a liability-facts/1 document as a dict: whatever
        the entry point, bad input raises FactsError with every problem (never a raw pydantic
        ValidationError or an AttributeError). Given a case file (`liability-facts/2`, an
        `allocation.CaseFile`), returns its case determination (`liability-case-determination/1`), as
        `evaluate_case` does."""
        if not isinstance(facts, (Facts, Mapping)):
            from ..allocation.casefile import CaseFile

            if isinstance(facts, CaseFile):
                return self.evaluate_case(facts, as_of=as_of)  # type: ignore[return-value]
        facts = as_facts(facts)
        today = _dt.date.today()
        as_of = as_of or today
        if as_of > today:
            raise FactsError(Problem(msg("facts.future_as_of", as_of=as_of, today=today), field="as_of",
                                     value=str(as_of)))
        current = self.rulebook.in_force(as_of)
        problems = [facts.located(("conducts", i, "date"),
                                  msg("facts.dated_after_as_of", date=c.date, as_of=as_of),
                                  value=str(c.date))
                    for i, c in enumerate(facts.conducts) if c.date > as_of]
        if problems:
            raise FactsError(problems)
        conducts = [self._judge.judge(c, facts, current) for c in facts.conducts]
        versions = tuple(v.id for v in self.rulebook.versions if v.in_force_from <= as_of)
        info = self._info.get(versions, lambda: RulebookInfo(digest=self.rulebook.digest[:16], backend=self.backend,
                                                             versions=list(versions)))
        return Determination(
            case_id=facts.case.id, person_id=facts.person.id, evaluated_on=as_of,
            overall=self._overall(conducts), conducts=conducts, rulebook=info, engine=self._engine_info)

    def evaluate_case(self, case: Any, *, as_of: _dt.date | None = None) -> Any:
        """A case file (`liability-facts/2`, or a `Facts` read as a case with one person) → its
        `CaseDetermination`: each person's own conducts and what each answers for (allocation/)."""
        from ..allocation.casefile import CaseFile, case_from_facts
        from ..allocation.evaluate import evaluate_case

        if isinstance(case, Facts):
            case = case_from_facts(case)
        if not isinstance(case, CaseFile):
            raise TypeError(f"expected a CaseFile or Facts, got {type(case).__name__}")
        return evaluate_case(self, case, as_of=as_of)

    def explain(self, facts: Facts | Mapping[str, Any], *,
                as_of: _dt.date | None = None) -> Determination:
        """`evaluate`, plus for each conduct the smallest changes of its facts (one field, then two) that
        would change the finding or the liability, found by re-evaluating those variations."""
        facts = as_facts(facts)
        det = self.evaluate(facts, as_of=as_of)
        current = self.rulebook.in_force(det.evaluated_on)
        conducts = []
        for conduct, result in zip(facts.conducts, det.conducts):
            def variant(changed: Conduct) -> ConductDetermination:
                return self._judge.judge(changed, facts, current, detail=False)

            changes = counterfactuals(self.rulebook, conduct, result, variant, conduct_with)
            conducts.append(result.model_copy(update={"what_would_change": changes}))
        return det.model_copy(update={"conducts": conducts})

    def procedure(self, facts: Facts, *, as_of: _dt.date | None = None) -> Any:
        """The route after the finding (`liability-procedure/1`, a `ProcedureRoute`): who investigates,
        reviews, gives the opinion and decides, the measures, referrals, leniency and the deadlines
        (Arts. 10–27). The mechanism is in `liability_engine.procedure`."""
        from ..procedure.evaluate import procedure

        return procedure(self, facts, as_of=as_of)

    def evaluate_under(self, facts: Facts, version_id: str) -> list[tuple[Evaluation, list[str]]]:
        """Each conduct judged by one version alone, whatever its date (no Art. 28): the evaluation and
        the ids of the rules that fired. For comparing versions across a docket."""
        version: Version = self.rulebook.version(version_id)
        out = []
        for conduct in facts.conducts:
            o = self._decider.run(version, self.fact_of(conduct, facts))
            out.append((self._decider.evaluation(o), [r.id for r in o.resolution.fired]))
        return out

    def fact_of(self, conduct: Conduct, facts: Facts) -> dict[str, Any]:
        """The normalised fact rules see: one value of one type per field, NULL when absent."""
        return self._judge.reader.fact_of(conduct, facts)

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
