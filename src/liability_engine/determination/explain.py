"""Explanations people can act on: which facts mattered, why not another finding, what would change it.

Why-not reads the same compiled conditions with the pure-Python evaluator (no re-evaluation);
what-would-change re-evaluates variations of the facts (one field, then two) through the engine,
so it is never a hand-written table. Words for fields and values come from rules/vocabulary.yaml.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any, Callable

from ..rulebook.conditions import NULL, Any_, Condition, failing_tests, tests_of, values_of, values_read
from .model import ConductDetermination, Counterfactual, FactChange, FieldTest, WhyNot
from .citations import citation_for
from ..evaluate.memo import Memo
from ..evaluate.resolution import Resolution
from ..rulebook.model import Rule, Rulebook, Version
from ..facts.fields import field_key, show_value
from ..i18n import Message, join_each, msg, text

if TYPE_CHECKING:  # pragma: no cover
    from ..facts.model import Conduct

__all__ = ["facts_considered", "considered_fields", "WhyNotExplainer", "counterfactuals", "field_tests",
           "condition_words", "Words"]

MAX_TWO_FIELD = 12


class Words:
    """zh/en labels for fields and values, from the rulebook's vocabulary."""

    def __init__(self, rulebook: Rulebook):
        self.rb = rulebook

    def field(self, name: str, lang: str) -> str:
        label = self.rb.vocabulary.fields.get(name)
        return label.get(lang) if label else name

    def question(self, name: str, lang: str) -> str:
        """The question that asks for a field (vocabulary.yaml `questions`), else the field's name."""
        asked = self.rb.vocabulary.questions.get(name)
        return asked.get(lang) if asked else self.field(name, lang)

    def value(self, name: str, value: Any, lang: str) -> str:
        if value is True or value == "true":
            return text("determination.true", lang)
        if value is False or value == "false":
            return text("determination.false", lang)
        if value == NULL or value is None:
            return text("report.none", lang)
        label = self.rb.vocabulary.values.get(name, {}).get(str(value))
        return label.get(lang) if label else str(value)

    def field_words(self, name: str) -> Message:
        """A field's label in both languages (a placeholder for `msg`)."""
        return Message(self.field(name, "en"), self.field(name, "zh"))

    def value_words(self, name: str, value: Any) -> Message:
        """A value's label in both languages (a placeholder for `msg`)."""
        return Message(self.value(name, value, "en"), self.value(name, value, "zh"))

    def wanted(self, name: str, expected: str, lang: str) -> str:
        """A value a condition needs: `“b”`, or `not “b”` for a test that the field is not b."""
        if expected.startswith("not "):
            return text("determination.not", lang, value=self.value(name, expected[4:], lang))
        return self.value(name, expected, lang)



def considered_fields(rules: list[Rule]) -> tuple[tuple[str, str], ...]:
    """The fields the given rules test, in order of first mention, with their keys in the fact."""
    fields: dict[str, str] = {}
    for rule in rules:
        for test in tests_of(rule.condition):
            fields.setdefault(test.field, field_key(test.field))
    return tuple(fields.items())


def facts_considered(fields: tuple[tuple[str, str], ...], fact: dict[str, Any]) -> dict[str, str]:
    """The facts the rules tested (`fields`: `considered_fields(rules)`), as the rules saw them."""
    return {f: show_value(fact.get(k, NULL)) for f, k in fields}


def field_tests(part: Condition, fact: dict[str, Any]) -> list[FieldTest]:
    """What a failing part of a condition needed, per field."""
    wanted: dict[str, list[str]] = {}
    for test in tests_of(part):
        want = show_value(test.value) if test.op == "eq" else f"not {show_value(test.value)}"
        wanted.setdefault(test.field, [])
        if want not in wanted[test.field]:
            wanted[test.field].append(want)
    return [FieldTest(field=f, value=show_value(fact.get(field_key(f), NULL)), expected=v)
            for f, v in wanted.items()]


def _distance(rule: Rule, fact: dict[str, Any]) -> tuple[int, int]:
    failing = failing_tests(rule.condition, fact)
    act_mismatch = int(rule.acts is not None and fact.get("act") not in rule.acts)
    return act_mismatch, len(failing)


class WhyNotExplainer:
    """Why a conduct did not get each other finding of one version.

    The answer for one finding reads only that finding's rules: which of them were defeated, and the
    values of the fields they test (and the act). It is remembered on exactly that key, so the
    realistic stream of conducts, which varies in fields other findings read, mostly hits.
    """

    def __init__(self, rulebook: Rulebook, version: Version, limit: int = 2_048):
        self.rulebook, self.version = rulebook, version
        self.words = Words(rulebook)
        order = [f.id for f in rulebook.findings]
        deciding = [r for r in version.rules if not r.warns_only]
        self.groups = []
        for other in sorted({r.finding for r in deciding}, key=order.index):
            if other == rulebook.undetermined:
                continue
            candidates = tuple(r for r in deciding if r.finding == other)
            keys = sorted({k for _, k in considered_fields(list(candidates))} | {"act"})
            self.groups.append((other, candidates, values_of(keys)))
        self._memo: Memo[WhyNot | None] = Memo(limit)  # per finding, on the facts its rules read
        self._words: Memo[WhyNot] = Memo(limit // 2)  # per nearest rules, on the facts their failing parts read

    def __call__(self, res: Resolution, fact: dict[str, Any], finding: str) -> list[WhyNot]:
        out = []
        for other, candidates, keys in self.groups:
            if other == finding:
                continue
            defeated = tuple(res.defeated.get(r.id) for r in candidates) if res.defeated else ()
            key = (other, defeated, keys(fact))
            item = self._memo.get(key, lambda: self._one(other, candidates, res, fact))
            if item is not None:
                out.append(item)
        return out

    def _one(self, other: str, candidates: tuple[Rule, ...], res: Resolution,
             fact: dict[str, Any]) -> WhyNot | None:
        version = self.version
        beaten = [r for r in candidates if r.id in res.defeated]
        if beaten:
            rule = beaten[0]
            winner = res.defeated[rule.id]
            label = _cite(rule, version)
            outside = rule.not_applicable if rule.not_applicable and winner not in rule.defeats else None
            mine = Message(label, _cite_id(rule.id, version, "zh"))
            if _cite_id(winner, version) == label:  # two rules of one provision: name them by rule
                said = msg("determination.why_not_same_provision", rule=rule.id, label=mine, winner=winner)
            else:
                said = msg("determination.why_not_defeated", label=mine, winner=winner,
                           theirs=Message(_cite_id(winner, version), _cite_id(winner, version, "zh")))
            if outside:
                said += Message(f" {outside.en}", outside.zh)
            return WhyNot(finding=other, rules=[rule.id], citations=[label], defeated_by=winner, reason=str(said),
                          reason_zh=said.zh)
        act = fact.get("act")
        scoped = [r for r in candidates if r.not_applicable is not None and r.acts is not None
                  and act not in r.acts and len(failing_tests(r.condition, fact)) == 1]
        if scoped and not any(r.acts is None or act in r.acts for r in candidates):
            # the rule would apply but for its declared scope (e.g. Art. 9 and an omission): say why
            rule = scoped[0]
            label = _cite(rule, version)
            assert rule.not_applicable is not None
            said = msg("determination.why_not_scope", label=Message(label, _cite(rule, version, "zh")),
                       reason=rule.not_applicable)
            return WhyNot(finding=other, rules=[rule.id], citations=[label], reason=str(said), reason_zh=said.zh)
        # the nearest rules: fewest failing conditions among those for this act, if any is for it
        # (a rule for another act is farther than any rule for this one, whatever its count)
        near = [r for r in candidates if r.acts is None or act in r.acts] or list(candidates)
        distance = {r.id: _distance(r, fact) for r in near}
        best = min(distance.values())
        nearest = [r for r in near if distance[r.id] == best]
        failing = _failing(nearest[0], fact)
        if not failing:  # fired with the same finding as nothing else: cannot happen for a finding not reached
            return None
        first = failing[0]
        same_field = [r for r in nearest if [t.field for t in tests_of(_failing(r, fact)[0])]
                      == [t.field for t in tests_of(first)]] if len(failing) == 1 or nearest[0].not_applicable else \
            nearest[:1]
        firsts = [_failing(r, fact)[0] for r in same_field] if len(same_field) > 1 else [first]
        # The words read only these rules, their first failing parts and the values of those parts'
        # fields: remembered on exactly that (a small domain, unlike the facts the rules read).
        key = (other, tuple(r.id for r in same_field), len(failing), tuple(id(p) for p in firsts),
               tuple(values_read(p, fact) for p in firsts))
        return self._words.get(key, lambda: self._worded(other, same_field, failing, firsts, fact))

    def _worded(self, other: str, same_field: list[Rule], failing: list[Condition], firsts: list[Condition],
                fact: dict[str, Any]) -> WhyNot:
        version, words = self.version, self.words
        first = failing[0]
        failed = field_tests(first, fact)
        alternative = isinstance(first, Any_) and len(failed) > 1  # e.g. serious consequences OR bad influence
        if len(same_field) > 1:  # e.g. every item of Art. 9 fails on the cause: one message for them all
            merged: dict[str, list[str]] = {}
            for part in firsts:
                for fc in field_tests(part, fact):
                    merged.setdefault(fc.field, [])
                    merged[fc.field].extend(v for v in fc.expected if v not in merged[fc.field])
            failed = [FieldTest(field=f, value=show_value(fact.get(field_key(f), NULL)), expected=v)
                      for f, v in merged.items()]
        labels = [_cite(r, version) for r in same_field]
        more = msg("determination.more_conditions" if len(failing) > 2 else "determination.more_condition",
                   count=len(failing) - 1) if len(failing) > 1 else ""
        said = msg("determination.why_not_unmet", more=more,
                   labels=Message(_join(labels, "en"), _join([_cite(r, version, "zh") for r in same_field], "zh")),
                   needs=Message(_needs(failed, words, "en", alternative), _needs(failed, words, "zh", alternative)))
        return WhyNot(finding=other, rules=[r.id for r in same_field], citations=labels, failed=failed,
                      alternative=alternative, reason=str(said), reason_zh=said.zh)


def _failing(rule: Rule, fact: dict[str, Any]) -> list[Condition]:
    """The parts of a rule's condition that fail; for a rule with a declared scope (`not_applicable`),
    what else it lacks comes before the act (e.g. no change of outcome at all, rather than the act)."""
    failing = failing_tests(rule.condition, fact)
    if rule.not_applicable is not None and len(failing) > 1:
        failing = sorted(failing, key=lambda p: all(t.field == "act" for t in tests_of(p)))
    return failing


def _needs(failed: list[FieldTest], words: Words, lang: str, alternative: bool) -> str:
    """`X is “a”, but it needs “b”`, joined by `or` when any one of the conditions would do."""
    parts = []
    for fc in failed:
        wants = [words.wanted(fc.field, w, lang) for w in fc.expected]
        parts.append(text("determination.needs_one_of" if len(wants) > 1 else "determination.needs", lang,
                          field=words.field(fc.field, lang), got=words.value(fc.field, fc.value, lang),
                          wants=text("determination.wants_list", lang).join(wants)))
    return text("determination.parts_or" if alternative else "determination.parts_and", lang).join(parts)


def _join(labels: list[str], lang: str = "en") -> str:
    unique = list(dict.fromkeys(labels))
    if len(unique) > 3:
        return text("determination.range", lang, first=unique[0], last=unique[-1])
    return text("determination.list", lang).join(unique)


def _cite(rule: Rule, version: Version, lang: str = "en") -> str:
    cite = citation_for(rule, version)
    if cite is None:
        return rule.id
    return cite.label_text.get(lang)


def _cite_id(rule_id: str, version: Version, lang: str = "en") -> str:
    try:
        return _cite(version.rule(rule_id), version, lang)
    except KeyError:
        return rule_id


# --- what would change it ------------------------------------------------------------------------

Evaluate = Callable[["Conduct"], ConductDetermination]


def _variants(rulebook: Rulebook, conduct: "Conduct") -> list[tuple[str, Any]]:
    """(field, value) single changes worth asking about: not the act itself, nor who the person is."""
    out = []
    data = conduct.model_dump(mode="json")
    for name, spec in rulebook.schema.items():
        if name == "act" or name.startswith("person."):
            continue
        head = name.split(".")[0]
        if name.startswith("case."):
            continue  # the case is shared by every conduct of the file; varied by a person, not here
        if head in ("outcome_change",) and data.get("outcome_change") is None:
            continue
        current = dotted_value(data, name)
        values: list[Any] = [True, False] if spec.kind == "bool" else list(spec.values) + (
            [None] if spec.nullable else [])
        for value in values:
            if value == current or value == "unknown":
                continue
            if name == "outcome_change.kind" or (name == "outcome_change.cause" and value is None):
                continue
            out.append((name, value))
    return out


def dotted_value(data: dict[str, Any], name: str) -> Any:
    node: Any = data
    for part in name.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return node


def counterfactuals(rulebook: Rulebook, conduct: "Conduct", base: ConductDetermination,
                    evaluate_variant: Evaluate, change: Callable[["Conduct", str, Any], "Conduct"]) -> list[Counterfactual]:
    words = Words(rulebook)
    key0 = (base.finding, base.liable)
    seen: set[tuple[Any, ...]] = set()
    out: list[Counterfactual] = []
    singles = _variants(rulebook, conduct)
    results: dict[tuple[str, Any], ConductDetermination] = {}
    for name, value in singles:
        det = evaluate_variant(change(conduct, name, value))
        results[(name, value)] = det
        if (det.finding, det.liable) != key0:
            key = (det.finding, det.liable, det.citation.label if det.citation else None)
            seen.add(key)
            out.append(_counterfactual(words, conduct, [(name, value)], det))
    relevant = sorted({n for n, _ in singles if n in base.facts_considered}, key=list(rulebook.schema).index)
    doubles = 0
    for (n1, v1), (n2, v2) in itertools.combinations([(n, v) for n, v in singles if n in relevant], 2):
        if n1 == n2 or doubles >= MAX_TWO_FIELD:
            continue
        if (results[(n1, v1)].finding, results[(n1, v1)].liable) != key0 or \
                (results[(n2, v2)].finding, results[(n2, v2)].liable) != key0:
            continue  # one of the two changes already suffices: not a smallest change
        det = evaluate_variant(change(change(conduct, n1, v1), n2, v2))
        key = (det.finding, det.liable, det.citation.label if det.citation else None)
        if (det.finding, det.liable) != key0 and key not in seen:
            seen.add(key)
            doubles += 1
            out.append(_counterfactual(words, conduct, [(n1, v1), (n2, v2)], det))
    return out


def _counterfactual(words: Words, conduct: "Conduct", changes: list[tuple[str, Any]],
                    det: ConductDetermination) -> Counterfactual:
    data = conduct.model_dump(mode="json")
    def shown(value: Any) -> Any:
        return show_value(value if value is not None else NULL)

    facts = [FactChange(field=n, **{"from": shown(dotted_value(data, n)), "to": shown(v)}) for n, v in changes]
    rb = words.rb
    cite = det.citation.label if det.citation else None
    cite_zh = det.citation.label_zh if det.citation else None
    conditions = join_each("determination.if_and", [
        msg("determination.if_field", field=words.field_words(n), value=words.value_words(n, v)) for n, v in changes])
    liable = "" if rb.says_liability(det.finding) else \
        msg("determination.then_liable" if det.liable else "determination.then_not_liable")
    under = msg("determination.if_under", label=Message(cite, cite_zh or cite), version=det.version_applied) \
        if cite else ""
    summary = msg("determination.if_then", changes=conditions, liable=liable, cite=under,
                  finding=Message(rb.finding_label(det.finding, "en"), rb.finding_label(det.finding, "zh")))
    decided = next((e.decided_by for e in det.temporal.evaluations if e.version == det.version_applied), None)
    return Counterfactual(
        changes=facts, finding=det.finding, liable=det.liable, citation=cite, decided_by=decided,
        version_applied=det.version_applied, summary=str(summary), summary_zh=summary.zh)



def condition_words(tests: list[FieldTest], holds: bool, alternative: bool, words: Words, lang: str) -> str:
    """A checked condition in words: `“fault” is “gross”` / `“serious consequences” is “no” (needs “yes”)`."""
    parts = []
    for t in tests:
        field = words.field(t.field, lang)
        got = words.value(t.field, t.value, lang)
        if holds:
            parts.append(text("determination.holds", lang, field=field, value=got))
            continue
        wants = [words.wanted(t.field, w, lang) for w in t.expected]
        if len(wants) > 4:
            wants = wants[:4] + [text("determination.wants_more", lang)]
        parts.append(text("determination.fails", lang, field=field, value=got,
                          wanted=text("determination.wants_or", lang).join(wants)))
    if holds and alternative:
        parts = [p for p, t in zip(parts, tests) if t.value in t.expected] or parts
    return text("determination.parts_or" if alternative else "determination.parts_and", lang).join(parts)
