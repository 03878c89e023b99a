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
            return "是" if lang == "zh" else "yes"
        if value is False or value == "false":
            return "否" if lang == "zh" else "no"
        if value == NULL or value is None:
            return "无" if lang == "zh" else "none"
        label = self.rb.vocabulary.values.get(name, {}).get(str(value))
        return label.get(lang) if label else str(value)



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
            mine, theirs = _cite_id(rule.id, version, "zh"), _cite_id(winner, version, "zh")
            if _cite_id(winner, version) == label:  # two rules of one provision: name them by rule
                return WhyNot(
                    finding=other, rules=[rule.id], citations=[label], defeated_by=winner,
                    reason=f"rule {rule.id} ({label}) applies, but rule {winner} of the same provision takes "
                           "precedence." + (f" {outside.en}" if outside else ""),
                    reason_zh=f"规则 {rule.id}（{mine}）的条件具备，但同一条款的规则 {winner} 优先适用。"
                              + (outside.zh if outside else ""))
            return WhyNot(
                finding=other, rules=[rule.id], citations=[label], defeated_by=winner,
                reason=f"{label} applies, but {_cite_id(winner, version)} takes precedence ({winner})."
                       + (f" {outside.en}" if outside else ""),
                reason_zh=f"{mine}的条件具备，但{theirs}优先适用（{winner}）。" + (outside.zh if outside else ""))
        act = fact.get("act")
        scoped = [r for r in candidates if r.not_applicable is not None and r.acts is not None
                  and act not in r.acts and len(failing_tests(r.condition, fact)) == 1]
        if scoped and not any(r.acts is None or act in r.acts for r in candidates):
            # the rule would apply but for its declared scope (e.g. Art. 9 and an omission): say why
            rule = scoped[0]
            label = _cite(rule, version)
            assert rule.not_applicable is not None
            return WhyNot(finding=other, rules=[rule.id], citations=[label],
                          reason=f"{label} does not apply: {rule.not_applicable.en}",
                          reason_zh=f"不适用{_cite(rule, version, 'zh')}：{rule.not_applicable.zh}")
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
        more = f" (and {len(failing) - 1} more condition{'s' if len(failing) > 2 else ''})" if len(failing) > 1 else ""
        more_zh = f"（另有{len(failing) - 1}项条件不具备）" if len(failing) > 1 else ""
        return WhyNot(
            finding=other, rules=[r.id for r in same_field], citations=labels, failed=failed, alternative=alternative,
            reason=f"{_join(labels)} not met: {_needs(failed, words, 'en', alternative)}{more}.",
            reason_zh=f"不符合{_join([_cite(r, version, 'zh') for r in same_field], 'zh')}："
                      f"{_needs(failed, words, 'zh', alternative)}{more_zh}。")


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
        field = words.field(fc.field, lang)
        got = words.value(fc.field, fc.value, lang)
        wants = [(("非" if lang == "zh" else "not ") + words.value(fc.field, w[4:], lang)) if w.startswith("not ")
                 else words.value(fc.field, w, lang) for w in fc.expected]
        if lang == "zh":
            parts.append(f"“{field}”为“{got}”，而需要{'以下之一：' if len(wants) > 1 else ''}“{'”、“'.join(wants)}”")
        else:
            parts.append(f"“{field}” is “{got}”, but it needs {'one of ' if len(wants) > 1 else ''}"
                         f"“{'”, “'.join(wants)}”")
    if lang == "zh":
        return ("；或者" if alternative else "；").join(parts)
    return ("; or " if alternative else "; ").join(parts)


def _join(labels: list[str], lang: str = "en") -> str:
    unique = list(dict.fromkeys(labels))
    if len(unique) > 3:
        return f"{unique[0]} … {unique[-1]}" if lang == "en" else f"{unique[0]}至{unique[-1]}"
    return ", ".join(unique) if lang == "en" else "、".join(unique)


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
        current = _current(data, name)
        values: list[Any] = [True, False] if spec.kind == "bool" else list(spec.values) + (
            [None] if spec.nullable else [])
        for value in values:
            if value == current or value == "unknown":
                continue
            if name == "outcome_change.kind" or (name == "outcome_change.cause" and value is None):
                continue
            out.append((name, value))
    return out


def _current(data: dict[str, Any], name: str) -> Any:
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
    facts = [FactChange(field=n, **{"from": show_value(_current(data, n) if _current(data, n) is not None else NULL),
                                   "to": show_value(v if v is not None else NULL)}) for n, v in changes]
    rb = words.rb
    cite = det.citation.label if det.citation else None
    cite_zh = det.citation.label_zh if det.citation else None
    if_en = " and ".join(f"“{words.field(n, 'en')}” were “{words.value(n, v, 'en')}”" for n, v in changes)
    if_zh = "且".join(f"“{words.field(n, 'zh')}”为“{words.value(n, v, 'zh')}”" for n, v in changes)
    said = rb.says_liability(det.finding)
    liable_en = "" if said else (", liable" if det.liable else ", not liable")
    liable_zh = "" if said else ("，应当承担司法责任" if det.liable else "，不承担司法责任")
    decided = next((e.decided_by for e in det.temporal.evaluations if e.version == det.version_applied), None)
    return Counterfactual(
        changes=facts, finding=det.finding, liable=det.liable, citation=cite, decided_by=decided,
        version_applied=det.version_applied,
        summary=f"If {if_en}: {rb.finding_label(det.finding, 'en')}{liable_en}"
                + (f", under {cite} ({det.version_applied})" if cite else "") + ".",
        summary_zh=f"如果{if_zh}：{rb.finding_label(det.finding, 'zh')}{liable_zh}"
                   + (f"，依据{cite_zh}（{det.version_applied}年版本）" if cite_zh else "") + "。")



def condition_words(tests: list[FieldTest], holds: bool, alternative: bool, words: Words, lang: str) -> str:
    """A checked condition in words: `“fault” is “gross”` / `“serious consequences” is “no” (needs “yes”)`."""
    parts = []
    for t in tests:
        field = words.field(t.field, lang)
        got = words.value(t.field, t.value, lang)
        if holds:
            parts.append(f"“{field}”为“{got}”" if lang == "zh" else f"{field}: {got}")
            continue
        wants = [(("非" if lang == "zh" else "not ") + words.value(t.field, w[4:], lang)) if w.startswith("not ")
                 else words.value(t.field, w, lang) for w in t.expected]
        if len(wants) > 4:
            wants = wants[:4] + (["……"] if lang == "zh" else ["…"])
        shown = "”或“".join(wants) if lang == "zh" else "” or “".join(wants)
        parts.append(f"“{field}”为“{got}”，需要“{shown}”" if lang == "zh" else f"{field}: {got} (needs “{shown}”)")
    if holds and alternative:
        parts = [p for p, t in zip(parts, tests) if t.value in t.expected] or parts
    joiner = ("；或者" if alternative else "；") if lang == "zh" else ("; or " if alternative else "; ")
    return joiner.join(parts)
