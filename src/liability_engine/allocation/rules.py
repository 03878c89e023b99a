"""Allocation rules: `rules/<version>/allocation.yaml`, loaded, validated and compiled.

Each rule says, for one part a person plays in a decision (decider, reporter, committee member,
executor, reviewer, team member, proposer) or for one of their own conducts, what they answer for
(the decision, the facts reported, their vote, the execution, …) and with what result (bears,
bears mainly, bears the corresponding responsibility, does not bear, not determined by the encoded
sources, a separate track). Conditions are written in the project's condition language over the
fields of `allocation_schema()`; the legal content (which part, which result, the source, its
confidence, the quotation) lives only in the YAML.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..rulebook.conditions import Condition, ConditionError, FieldSpec, Schema, conjoin, parse_condition, Any_, Test
from ..facts.documents import Document
from ..errors import RulesError, did_you_mean
from ..i18n import msg
from ..facts.model import Act, Cause
from ..rulebook.files import Bilingual, Interpretation
from ..rulebook.model import Rulebook
from ..rulebook.precedence import find_cycle
from ..rulebook.problems import Collector as _Collector, read as _read, validate as _validate  # the rulebook loader's
from .casefile import DeciderKind, Defect, Role, Tri, VoteValue

__all__ = ["PARTS", "ANSWERS", "RESULTS", "AllocationFile", "AllocationRuleSpec", "AllocationRule",
           "AllocationRules", "allocation_schema", "load_allocation", "allocation_rules_for", "FILE_NAME"]

FILE_NAME = "allocation.yaml"

PARTS = ("own_conduct", "decider", "proposer", "reporter", "committee_member", "executor", "reviewer",
         "team_member")
ANSWERS = ("own_conduct", "decision", "facts_reported", "vote", "execution", "review", "team_split",
           "instruction", "supervision")
RESULTS = ("bears", "bears_mainly", "bears_corresponding", "does_not_bear", "not_determined", "separate_track")
Confidence = Literal["confirmed", "moderate", "low"]


def _tri() -> tuple[str, ...]:
    return tuple(t.value for t in Tri)


def allocation_schema() -> Schema:
    """The fields an allocation rule may test (one fact per person, decision and part)."""
    roles = tuple(r.value for r in Role)
    fields = [
        FieldSpec("part", "enum", PARTS),
        FieldSpec("decided_by", "enum", tuple(d.value for d in DeciderKind), True),
        FieldSpec("person.role", "enum", roles),
        FieldSpec("person.procurator_post", "enum", _tri()),
        FieldSpec("person.leadership", "enum", _tri()),
        FieldSpec("decider.role", "enum", roles, True),
        FieldSpec("decision.within_powers", "enum", _tri(), True),
        FieldSpec("decision.changed_opinion", "enum", _tri(), True),
        FieldSpec("decision.manifestly_unlawful", "enum", _tri(), True),
        FieldSpec("report.truthful_complete", "enum", _tri(), True),
        FieldSpec("report.defect", "enum", tuple(d.value for d in Defect), True),
        FieldSpec("vote", "enum", tuple(v.value for v in VoteValue), True),
        FieldSpec("objected", "enum", _tri(), True),
        FieldSpec("objection.in_writing", "enum", _tri(), True),
        FieldSpec("outcome.cause", "enum", tuple(c.value for c in Cause), True),
        FieldSpec("conduct.act", "enum", tuple(a.value for a in Act), True),
        FieldSpec("conduct.liable", "enum", _tri(), True),
        FieldSpec("choice.auxiliary_staff", "enum", ("unset", "pursued", "not_pursued")),
    ]
    return {f.name: f for f in fields}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AllocationRuleSpec(_Model):
    id: str = Field(pattern=r"^[A-Za-z0-9_.\-]+$", min_length=3, max_length=120)
    point: str = Field(pattern=r"^(A([1-9]|1[0-2])|art4|art9)$",
                       description="the point of the allocation sources (A1–A12, docs/sources.md), art4 (Art. 4's "
                       "principle on a person's own conducts) or art9 (Art. 9 on the outcome a decision led to)")
    parts: list[Literal["own_conduct", "decider", "proposer", "reporter", "committee_member", "executor", "reviewer",
                        "team_member"]] = Field(min_length=1)
    answers_for: Literal["own_conduct", "decision", "facts_reported", "vote", "execution", "review", "team_split",
                         "instruction", "supervision"]
    result: Literal["bears", "bears_mainly", "bears_corresponding", "does_not_bear", "not_determined",
                    "separate_track"]
    when: Any = None
    defeats: list[str] = Field(default_factory=list)
    source: Bilingual
    source_confidence: Confidence
    note: str = Field(min_length=1, description="the provision quoted (or summarised, marked as such)")
    interpretation: Interpretation | None = None
    assumption: Bilingual | None = Field(default=None, description="a labelled assumption (low confidence): what is "
                                         "assumed, shown with every result that rests on it")
    missing: list[str] = Field(default_factory=list, description="facts whose value would decide (not_determined)")
    missing_provision: Bilingual | None = Field(default=None, description="the provision the sources lack "
                                                "(not_determined)")
    explanation: Bilingual


class AllocationFile(_Model):
    version: str
    title: Bilingual
    note: str | None = None
    rules: list[AllocationRuleSpec] = Field(default_factory=list)


@dataclass(frozen=True)
class AllocationRule:
    id: str
    version: str
    point: str
    parts: tuple[str, ...]
    answers_for: str
    result: str
    condition: Condition | None  # parts and `when:` together
    when: Condition | None
    defeats: tuple[str, ...]
    source: Bilingual
    source_confidence: str
    note: str
    interpretation: Interpretation | None
    assumption: Bilingual | None
    missing: tuple[str, ...]
    missing_provision: Bilingual | None
    explanation: Bilingual
    file: str
    line: int | None

    @property
    def provisional(self) -> bool:
        """A result resting on a low-confidence rule is provisional and warns."""
        return self.source_confidence == "low"


@dataclass(frozen=True)
class AllocationRules:
    version: str
    title: Bilingual
    rules: tuple[AllocationRule, ...]
    file: str

    def rule(self, rid: str) -> AllocationRule:
        return next(r for r in self.rules if r.id == rid)


def _parts_condition(parts: list[str]) -> Condition:
    tests = tuple(Test("part", "eq", p) for p in parts)
    return tests[0] if len(tests) == 1 else Any_(tests)


def load_allocation(path: Path, version: str, out: _Collector | None = None) -> AllocationRules | None:
    """Load and check one allocation.yaml; problems go to `out` (or raise RulesError)."""
    collect = out or _Collector()
    doc = _read(path, collect)
    spec = _validate(AllocationFile, doc, collect) if doc is not None else None
    result = _compile(spec, doc, version, collect) if spec is not None and doc is not None else None
    if out is None and collect.problems:
        raise RulesError(collect.problems)
    return result


def _compile(spec: AllocationFile, doc: Document, version: str, out: _Collector) -> AllocationRules | None:
    schema = allocation_schema()
    before = len(out.problems)
    if str(spec.version) != version:
        out.add(doc, ("version",), msg("allocation.error.wrong_version", version=version, said=repr(spec.version)), value=str(spec.version), allowed=[version], suggestion=version)
    ids = [r.id for r in spec.rules]
    rules: list[AllocationRule] = []
    seen: set[str] = set()
    for i, r in enumerate(spec.rules):
        loc = ("rules", i)
        if r.id in seen:
            out.add(doc, loc + ("id",), msg("rules.duplicate_id", id=r.id), rule_id=r.id, value=r.id)
        seen.add(r.id)
        if not r.id.startswith(f"{version}."):
            out.add(doc, loc + ("id",), msg("allocation.error.id_prefix", version=version), rule_id=r.id,
                    value=r.id, suggestion=f"{version}.{r.id}")
        for j, d in enumerate(r.defeats):
            if d not in ids:
                out.add(doc, loc + ("defeats", j), msg("allocation.error.unknown_rule", rule=d), rule_id=r.id, value=d, allowed=ids,
                        suggestion=did_you_mean(d, ids))
            elif d == r.id:
                out.add(doc, loc + ("defeats", j), msg("allocation.error.defeats_itself"), rule_id=r.id, value=d)
        if r.result == "not_determined" and r.missing_provision is None and not r.missing:
            out.add(doc, loc, msg("allocation.error.needs_missing"), rule_id=r.id)
        if r.source_confidence == "low" and r.assumption is None:
            out.add(doc, loc, msg("allocation.error.needs_assumption"), rule_id=r.id)
        for j, m in enumerate(r.missing):
            if m not in schema:
                out.add(doc, loc + ("missing", j), msg("facts.unknown_field", name=m), rule_id=r.id, value=m, allowed=sorted(schema),
                        suggestion=did_you_mean(m, list(schema)))
        when = None
        if r.when is not None:
            try:
                when = parse_condition(r.when, schema, ())
            except ConditionError as exc:
                out.add(doc, loc + ("when",) + exc.where, exc.message, rule_id=r.id, value=exc.value,
                        allowed=exc.allowed, suggestion=exc.suggestion)
                continue
        line, _ = doc.position(loc)
        rules.append(AllocationRule(
            id=r.id, version=version, point=r.point, parts=tuple(r.parts), answers_for=r.answers_for,
            result=r.result, condition=conjoin([_parts_condition(list(r.parts)), when]), when=when,
            defeats=tuple(r.defeats), source=r.source, source_confidence=r.source_confidence, note=r.note,
            interpretation=r.interpretation, assumption=r.assumption, missing=tuple(r.missing),
            missing_provision=r.missing_provision, explanation=r.explanation, file=doc.path, line=line))
    graph = {r.id: list(r.defeats) for r in rules}
    cycle = find_cycle(graph, order=graph)
    if cycle:
        first = next(r for r in rules if r.id == cycle[0])
        out.add(doc, ("rules", ids.index(first.id), "defeats"),
                msg("allocation.error.defeats_cycle", cycle=" → ".join(cycle + cycle[:1])), rule_id=first.id)
    if len(out.problems) > before:
        return None
    return AllocationRules(version=version, title=spec.title, rules=tuple(rules), file=doc.path)


_cache: dict[tuple[Any, ...], dict[str, AllocationRules | None]] = {}


def allocation_rules_for(rulebook: Rulebook) -> dict[str, AllocationRules | None]:
    """Each version's allocation rules (None where the version's folder has no allocation.yaml).

    Loaded once per rulebook (keyed by its folder and the digest of its files); raises RulesError."""
    paths = {v.id: Path(rulebook.folder) / v.folder / FILE_NAME for v in rulebook.versions}
    stamps = tuple((vid, p.stat().st_mtime_ns, p.stat().st_size) if p.is_file() else (vid, 0, -1)
                   for vid, p in paths.items())
    key = (str(Path(rulebook.folder).resolve()), rulebook.digest, stamps)
    found = _cache.get(key)
    if found is None:
        out = _Collector()
        found = {}
        for vid, path in paths.items():
            found[vid] = load_allocation(path, vid, out) if path.is_file() else None
        if out.problems:
            raise RulesError(out.problems)
        _cache[key] = found
    return found
