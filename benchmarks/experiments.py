"""Candidate optimisations of files this benchmark does not own, measured by patching them in memory.

    .venv/bin/python benchmarks/experiments.py [--rounds 5] [--facts 3000]

Each variant adds one change to the previous one and is measured against the same raw
durable-rules baseline as bench_throughput.py, in the same interleaved rounds. Every variant is
first checked to give byte-identical determinations (JSON) to the unpatched engine on all facts
used here, so a figure is never bought with a change of result. Nothing here is used by the
package: it is the evidence for the recommendations in benchmarks/README.md.

Variants (cumulative, in this order):
  base       the engine as it is
  memo28     Art. 28: the comparison ruleset is a pure function of 7 booleans: its answer is
             memoised per (ruleset, comparison) instead of a durable-rules session per conduct
  direct     DurableBackend.fire drives the C engine directly (assert_fact, start_action_for_state,
             complete_and_start_action, delete_state) and reads the fired rule names from the
             action messages, instead of durable.engine.Host's Python dispatch (json.loads of the
             state and the message, a Closure, two timestamps and update_state per action)
  fastcond   conditions.evaluate runs each condition compiled once into a closure (the field key
             computed once, `act in {...}` as a set lookup) instead of walking the tree and
             calling str.replace per test; failing_tests/tests_of results per condition reused
  whynot     explain.why_not memoised per (version, fired rules, finding, the values of the fields
             the version's rules test): it is a pure function of those
  cite       citation_for / _article_citation memoised per rule and version (Citation is frozen,
             all its fields are scalars: sharing it is safe)
  fact_of    Engine.fact_of walks precomputed accessors instead of splitting names per call
  considered explain.facts_considered: the fields of a set of rules computed once per set
With --extra, also those that gave no gain above the noise here:
  describe   Engine._describe memoised per (condition, the fact values it reads)
  resolve    resolution.resolve memoised per (version, fired rule ids)
  fieldtests explain.field_tests (what a condition part needed) memoised per (part, its field values)
  construct  the determination models built with model_construct instead of validating constructors
             (slower: serialising constructed models takes pydantic's slow path)
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import uuid
from enum import Enum
from typing import Any, Callable

from _common import RawBaseline, clock, machine, median, table
from generate import documents

AS_OF = dt.date(2026, 1, 1)


class Modules:
    """Module-level replacements of one variant, installed only while that variant runs."""

    def __init__(self) -> None:
        self.changes: list[tuple[Any, str, Any]] = []

    def set(self, module: Any, name: str, value: Any) -> None:
        self.changes.append((module, name, value))

    def install(self) -> list[tuple[Any, str, Any]]:
        saved = [(m, n, getattr(m, n)) for m, n, _ in self.changes]
        for m, n, v in self.changes:
            setattr(m, n, v)
        return saved

    @staticmethod
    def restore(saved: list[tuple[Any, str, Any]]) -> None:
        for m, n, v in reversed(saved):
            setattr(m, n, v)


# --- the patches ----------------------------------------------------------------------------------------


def patch_memo28(engine: Any, mods: Modules) -> None:
    backend = engine._backend
    memo: dict[tuple[str, tuple[Any, ...]], list[str]] = {}
    backend._inner_fire = backend.fire

    def fire(ruleset: Any, fact: dict[str, Any]) -> list[str]:
        if ruleset.kind != "comparison":
            return backend._inner_fire(ruleset, fact)
        key = (ruleset.name, tuple(sorted(fact.items())))
        hit = memo.get(key)
        if hit is None:
            hit = memo[key] = backend._inner_fire(ruleset, fact)
        return list(hit)

    backend.fire = fire


def patch_direct(engine: Any, mods: Modules) -> None:
    import durable_rules_engine as C

    from liability_engine import _durable
    from liability_engine.compiler import FACT_KIND
    from liability_engine.errors import EngineFailure

    backend = engine._backend
    lock = _durable._lock
    orders: dict[str, dict[str, int]] = {}

    def direct(ruleset: Any, fact: dict[str, Any]) -> list[str]:
        with lock:
            proc = _durable._process()
            names = backend._register(proc, ruleset)
            handle = proc.host.get_ruleset(ruleset.name)._handle
            sid = uuid.uuid4().hex
            message = dict(fact)
            message.update({"sid": sid, "id": "f", FACT_KIND: ruleset.kind, _durable._PROBE: 1})
            fired: list[str] = []
            try:
                code, state = C.assert_fact(handle, json.dumps(message, ensure_ascii=False))
                if code != 0:  # 1: no rule matched, 2: already observed; neither can happen with the sentinel
                    raise EngineFailure(f"durable-rules refused the fact (result {code})")
                started = C.start_action_for_state(handle, state)
                pending = started[1] if started else None
                while pending:  # '{"r012": {...}}': the action's name is the first key
                    fired.append(pending[2:pending.index('"', 2)])
                    pending = C.complete_and_start_action(handle, state)
            finally:
                try:
                    C.delete_state(handle, sid)
                except Exception as exc:  # noqa: BLE001
                    if "309" not in str(exc):
                        raise EngineFailure(f"durable-rules could not delete a session: {exc}") from exc
            order = orders.get(ruleset.name)
            if order is None:
                order = orders[ruleset.name] = {n: i for i, n in enumerate(names)}
            return [names[n] for n in sorted(set(fired) & names.keys(), key=order.__getitem__)]

    if hasattr(backend, "_inner_fire"):
        backend._inner_fire = direct
    else:
        backend.fire = direct


def patch_fastcond(engine: Any, mods: Modules) -> None:
    import liability_engine.conditions as conditions
    import liability_engine.engine as engine_module
    import liability_engine.explain as explain

    NULL, Test, All, Any_ = conditions.NULL, conditions.Test, conditions.All, conditions.Any_
    compiled: dict[int, tuple[Any, Callable[[dict[str, Any]], bool]]] = {}

    def compile_(cond: Any) -> Callable[[dict[str, Any]], bool]:
        hit = compiled.get(id(cond))
        if hit is not None:
            return hit[1]
        if cond is None:
            fn: Callable[[dict[str, Any]], bool] = lambda fact: True  # noqa: E731
        elif isinstance(cond, Test):
            key, value = cond.field.replace(".", "__"), cond.value
            if cond.op == "eq":
                fn = lambda fact: fact.get(key, NULL) == value  # noqa: E731
            else:
                fn = lambda fact: fact.get(key, NULL) != value  # noqa: E731
        elif isinstance(cond, Any_) and all(isinstance(c, Test) and c.op == "eq" for c in cond.items) \
                and len({c.field for c in cond.items}) == 1 and all(isinstance(c.value, str) for c in cond.items):
            key = cond.items[0].field.replace(".", "__")
            values = frozenset(c.value for c in cond.items)
            fn = lambda fact: fact.get(key, NULL) in values  # noqa: E731
        else:
            parts = [compile_(c) for c in cond.items]
            if isinstance(cond, All):
                fn = lambda fact: all(p(fact) for p in parts)  # noqa: E731
            else:
                fn = lambda fact: any(p(fact) for p in parts)  # noqa: E731
        compiled[id(cond)] = (cond, fn)  # keeps `cond` alive: its id is never reused
        return fn

    def evaluate(cond: Any, fact: dict[str, Any]) -> bool:
        return compile_(cond)(fact)

    def failing_tests(cond: Any, fact: dict[str, Any]) -> list[Any]:
        if cond is None or compile_(cond)(fact):
            return []
        if isinstance(cond, All):
            return [c for c in cond.items if not compile_(c)(fact)]
        return [cond]

    tests_memo: dict[int, tuple[Any, list[Any]]] = {}
    original_tests_of = conditions.tests_of

    def tests_of(cond: Any) -> list[Any]:
        hit = tests_memo.get(id(cond))
        if hit is None:
            hit = tests_memo[id(cond)] = (cond, original_tests_of(cond))
        return list(hit[1])

    for module in (conditions, engine_module, explain):
        if hasattr(module, "evaluate"):
            mods.set(module, "evaluate", evaluate)
        if hasattr(module, "failing_tests"):
            mods.set(module, "failing_tests", failing_tests)
        if hasattr(module, "tests_of"):
            mods.set(module, "tests_of", tests_of)


def patch_whynot(engine: Any, mods: Modules) -> None:
    import liability_engine.engine as engine_module

    original = engine_module.why_not
    fields: dict[str, tuple[str, ...]] = {}
    memo: dict[tuple[Any, ...], Any] = {}

    def why_not(rulebook: Any, version: Any, res: Any, fact: dict[str, Any], finding: str) -> Any:
        keys = fields.get(version.id)
        if keys is None:
            from liability_engine.conditions import tests_of

            keys = fields[version.id] = tuple(sorted({t.field.replace(".", "__") for r in version.rules
                                                      for t in tests_of(r.condition)} | {"act"}))
        key = (id(rulebook), version.id, tuple(r.id for r in res.fired), tuple(sorted(res.defeated.items())),
               finding) + tuple(fact.get(k) for k in keys)
        hit = memo.get(key)
        if hit is None:
            hit = memo[key] = original(rulebook, version, res, fact, finding)
        return hit

    mods.set(engine_module, "why_not", why_not)


def patch_fact_of(engine: Any, mods: Modules) -> None:
    accessors = []
    for name, spec in engine.rulebook.schema.items():
        parts = tuple(name.split("."))
        source = parts[0] if parts[0] in ("case", "person") else None
        accessors.append((spec.key, source, parts[1:] if source else parts))
    from liability_engine.conditions import NULL

    def fact_of(conduct: Any, facts: Any) -> dict[str, Any]:
        out: dict[str, Any] = {}
        case, person = facts.case, facts.person
        for key, source, parts in accessors:
            obj = conduct if source is None else case if source == "case" else person
            for part in parts:
                obj = getattr(obj, part, None)
                if obj is None:
                    break
            if isinstance(obj, Enum):
                obj = obj.value
            out[key] = NULL if obj is None else obj
        return out

    engine.fact_of = fact_of


def patch_cite(engine: Any, mods: Modules) -> None:
    import liability_engine.engine as engine_module
    import liability_engine.explain as explain

    original = engine_module.citation_for
    memo: dict[tuple[Any, ...], Any] = {}

    def citation_for(rule: Any, version: Any) -> Any:
        key = (rule.id, rule.article_key, rule.paragraph, rule.item, rule.cited, rule.source_confidence, version.id)
        if key not in memo:
            memo[key] = original(rule, version)
        return memo[key]

    mods.set(engine_module, "citation_for", citation_for)
    mods.set(explain, "citation_for", citation_for)
    inner = engine._article_citation
    art_memo: dict[tuple[str, str], Any] = {}

    def article_citation(version_id: str, key: str) -> Any:
        k = (version_id, key)
        if k not in art_memo:
            art_memo[k] = inner(version_id, key)
        return art_memo[k]

    engine._article_citation = article_citation


def patch_describe(engine: Any, mods: Modules) -> None:
    from liability_engine.conditions import NULL, tests_of

    inner = engine._describe
    fields: dict[int, tuple[Any, tuple[str, ...]]] = {}
    memo: dict[tuple[Any, ...], str] = {}

    def describe(cond: Any, fact: dict[str, Any]) -> str:
        hit = fields.get(id(cond))
        if hit is None:
            hit = fields[id(cond)] = (cond, tuple(sorted({t.field.replace(".", "__") for t in tests_of(cond)})))
        key = (id(cond),) + tuple(fact.get(k, NULL) for k in hit[1])
        text = memo.get(key)
        if text is None:
            text = memo[key] = inner(cond, fact)
        return text

    engine._describe = describe


def patch_resolve(engine: Any, mods: Modules) -> None:
    import liability_engine.engine as engine_module

    original = engine_module.resolve
    memo: dict[tuple[Any, ...], Any] = {}

    def resolve(version: Any, fired_ids: list[str]) -> Any:
        key = (id(version), tuple(fired_ids))
        if key not in memo:
            memo[key] = original(version, fired_ids)
        return memo[key]

    mods.set(engine_module, "resolve", resolve)


def patch_considered(engine: Any, mods: Modules) -> None:
    import liability_engine.engine as engine_module
    from liability_engine.conditions import NULL, tests_of

    memo: dict[tuple[int, ...], tuple[Any, list[str]]] = {}

    def show(value: Any) -> str:
        return "true" if value is True else "false" if value is False else str(value)

    def facts_considered(rules: list[Any], fact: dict[str, Any]) -> dict[str, str]:
        key = tuple(id(r) for r in rules)
        hit = memo.get(key)
        if hit is None:
            fields: list[str] = []
            for rule in rules:
                for test in tests_of(rule.condition):
                    if test.field not in fields:
                        fields.append(test.field)
            hit = memo[key] = (list(rules), [(f, f.replace(".", "__")) for f in fields])
        return {f: show(fact.get(k, NULL)) for f, k in hit[1]}

    mods.set(engine_module, "facts_considered", facts_considered)


def patch_fieldtests(engine: Any, mods: Modules) -> None:
    import liability_engine.engine as engine_module
    from liability_engine.conditions import NULL, tests_of

    original = engine_module.field_tests
    keys: dict[int, tuple[Any, tuple[str, ...]]] = {}
    memo: dict[tuple[Any, ...], list[Any]] = {}

    def field_tests(part: Any, fact: dict[str, Any]) -> list[Any]:
        hit = keys.get(id(part))
        if hit is None:
            hit = keys[id(part)] = (part, tuple(sorted({t.field.replace(".", "__") for t in tests_of(part)})))
        key = (id(part),) + tuple(fact.get(k, NULL) for k in hit[1])
        got = memo.get(key)
        if got is None:
            got = memo[key] = original(part, fact)
        return list(got)

    mods.set(engine_module, "field_tests", field_tests)


def patch_construct(engine: Any, mods: Modules) -> None:
    from pydantic import BaseModel

    import liability_engine.determination as determination
    import liability_engine.engine as engine_module
    import liability_engine.explain as explain

    for module in (engine_module, explain):
        for name in dir(module):
            cls = getattr(module, name)
            if isinstance(cls, type) and issubclass(cls, BaseModel) and getattr(determination, name, None) is cls:
                mods.set(module, name, _constructor(cls))


def _constructor(cls: Any) -> Any:
    fields = cls.model_fields
    aliases = {info.alias: name for name, info in fields.items() if info.alias}

    def construct(**values: Any) -> Any:
        if aliases:
            values = {aliases.get(k, k): v for k, v in values.items()}
        return cls.model_construct(**values)

    construct.model_construct = cls.model_construct  # type: ignore[attr-defined]
    return construct


VARIANTS: list[tuple[str, Callable[[Any, Modules], None] | None]] = [
    ("base", None), ("memo28", patch_memo28), ("direct", patch_direct), ("fastcond", patch_fastcond),
    ("whynot", patch_whynot), ("cite", patch_cite), ("fact_of", patch_fact_of), ("considered", patch_considered),
    # tried, no gain above the noise: describe, resolve, fieldtests; construct (model_construct) was slower.
    # Measure them with --extra.
]
EXTRA: list[tuple[str, Callable[[Any, Modules], None] | None]] = [
    ("describe", patch_describe), ("resolve", patch_resolve),
    ("fieldtests", patch_fieldtests), ("construct", patch_construct),
]


def build(upto: str) -> tuple[Any, Modules]:
    """A fresh engine with the patches up to and including `upto`, and its module-level replacements."""
    import liability_engine.engine as module
    from liability_engine import Engine
    from liability_engine.rulebook import load_rulebook

    engine = Engine(load_rulebook(module.bundled_rules_path()))
    mods = Modules()
    for name, patch in VARIANTS:
        if patch is not None:
            saved = mods.install()  # later patches wrap what the earlier ones installed
            patch(engine, mods)
            Modules.restore(saved)
        if name == upto:
            break
    return engine, mods


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--facts", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--mixed", action="store_true", help="realistic mix of dates (Art. 28 comparisons) "
                        "and documents, instead of single conducts after 2024-07-04")
    parser.add_argument("--only", help="comma-separated variants to measure (default: all)")
    parser.add_argument("--extra", action="store_true", help="also the variants that gave no gain")
    args = parser.parse_args()
    if args.extra:
        VARIANTS.extend(EXTRA)

    from liability_engine import Facts

    if args.mixed:
        docs = documents(args.facts, args.seed)
    else:
        docs = documents(args.facts, args.seed, single=True, start=dt.date(2024, 7, 5), end=dt.date(2025, 12, 31))
    facts = [Facts.model_validate(d) for d in docs]
    chosen = [n for n, _ in VARIANTS if not args.only or n in args.only.split(",") or n == "base"]
    engines: dict[str, tuple[Any, Modules]] = {}
    expected: list[str] | None = None
    for name in chosen:
        engine, mods = build(name)
        saved = mods.install()
        try:
            got = [engine.evaluate(f, as_of=AS_OF).model_dump_json() for f in facts]
        finally:
            Modules.restore(saved)
        if expected is None:
            expected = got
        if got != expected:
            bad = next(i for i, (a, b) in enumerate(zip(got, expected)) if a != b)
            raise SystemExit(f"variant {name} changes the result of document {bad}: not measured")
        engines[name] = (engine, mods)
    raw = RawBaseline(rules=len(engines["base"][0]._rulesets["2024"].rules))
    raw_facts = RawBaseline.facts(args.facts)
    raw.run(raw_facts[:300])

    def runner(name: str) -> Callable[[], tuple[float, int]]:
        engine, mods = engines[name]

        def run() -> tuple[float, int]:
            saved = mods.install()
            try:
                start = clock()
                for f in facts:
                    engine.evaluate(f, as_of=AS_OF)
                return clock() - start, len(facts)
            finally:
                Modules.restore(saved)
        return run

    subjects: dict[str, Callable[[], tuple[float, int]]] = {"raw": lambda: (raw.run(raw_facts), len(raw_facts))}
    for name in chosen:
        subjects[name] = runner(name)
    rates: dict[str, list[float]] = {k: [] for k in subjects}
    for _ in range(args.rounds):
        for key, run in subjects.items():
            seconds, count = run()
            rates[key].append(count / seconds)
    base = median(rates["raw"])
    rows = [["raw durable-rules baseline", median(rates["raw"]), 1e6 / median(rates["raw"]), 1.0, ""]]
    previous = None
    for name in chosen:
        r = median(rates[name])
        rows.append([f"+ {name}" if name != "base" else "Engine.evaluate as it is", r, 1e6 / r, r / base,
                     f"{(1e6 / previous - 1e6 / r):,.0f} us" if previous else ""])
        previous = r
    kind = "realistic mix (Art. 28 comparisons, 1-3 conducts)" if args.mixed else "single conducts after 2024-07-04"
    print(f"# Engine.evaluate: candidate optimisations (cumulative)\n\nmachine: {machine()}\n"
          f"{args.rounds} interleaved rounds x {len(facts)} documents, {kind}; medians; every variant gives "
          "byte-identical JSON to the engine as it is\n")
    print(table(["variant", "facts/s", "us/fact", "x raw baseline", "saved by this step"], rows))


if __name__ == "__main__":
    main()
