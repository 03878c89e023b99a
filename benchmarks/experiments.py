"""Candidate optimisations of files this benchmark does not own, measured by patching them in memory.

    .venv/bin/python benchmarks/experiments.py [--rounds 5] [--facts 3000]

Each variant adds one change to the previous one and is measured against the same raw
durable-rules baseline as bench_throughput.py, in the same interleaved rounds. Every variant is
first checked to give byte-identical determinations (JSON) to the unpatched engine on all facts
used here, so a figure is never bought with a change of result. Nothing here is used by the
package: it is the evidence for the recommendations in benchmarks/README.md.

Variants (cumulative, in this order):
  base       the engine as it is
With --extra, also those that gave no gain above the noise here:
  construct  the determination models built with model_construct instead of validating constructors
             (slower: serialising constructed models takes pydantic's slow path)

Applied to the engine since (their patches are gone from here; figures in benchmarks/README.md):
memo28, direct, fastcond, whynot, cite, fact_of, considered (2026-11-28/29), and per-finding why-not,
trace entries, resolutions and sentences remembered on the values they read (2026-11-29).
"""

from __future__ import annotations

import argparse
import datetime as dt
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


def patch_construct(engine: Any, mods: Modules) -> None:
    from pydantic import BaseModel

    import liability_engine.determination.model as determination
    import liability_engine.evaluate.engine as engine_module
    import liability_engine.determination.explain as explain

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
    ("base", None),
]
EXTRA: list[tuple[str, Callable[[Any, Modules], None] | None]] = [
    ("construct", patch_construct),
]


def build(upto: str) -> tuple[Any, Modules]:
    """A fresh engine with the patches up to and including `upto`, and its module-level replacements."""
    import liability_engine.evaluate.engine as module
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
