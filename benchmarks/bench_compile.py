"""Compile time against the number of rules: generated rulebooks 1x to 10x the real one.

    .venv/bin/python benchmarks/bench_compile.py [--factors 1,2,5,10] [--repeat 3]

A k-x rulebook is the bundled one plus k-1 copies of each of its versions (rules and temporal rules,
ids suffixed, their references renamed alike), dated one after another before 2015. The project
caps a version at 200 rules (past that durable-rules' Rete network overflows: compiler.MAX_RULES,
well under the notes' <500), so a larger rulebook means more versions and rulesets, each the size
of a real one.

Each measurement is a fresh process (durable-rules never frees a ruleset, and registration
caches per process): `load_rulebook` (YAML, validation, conditions) and `Engine(rulebook)` (compile
to durable-rules JSON, the Art. 28 exhaustiveness check, registration in the C engine), in CPU time
of that process (wall time on a shared machine varies more than the effect measured); the best of
--repeat runs. Target: compile time grows at most linearly: CPU time per rule at 2x, 5x, 10x stays
within 20% of (or below) the 1x figure.
"""

from __future__ import annotations

import argparse
import copy
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _common import machine, precompile, table

HEADERS = ["rulebook", "rules", "rulesets", "load_rulebook CPU ms", "Engine() CPU ms", "total CPU ms",
           "us per rule", "us per added rule (since the previous row)"]
ROLES = ("procurator", "assistant", "administrative", "chief", "deputy_chief", "department_head")
KINDS = ("criminal", "civil", "administrative", "public_interest")


def _rename(rule: dict[str, Any], suffix: str) -> dict[str, Any]:
    """A rule (or temporal rule) with its id and the ids it refers to given `suffix`."""
    clone = copy.deepcopy(rule)  # no shared objects: the dump must not use YAML anchors
    clone["id"] = f"{rule['id']}{suffix}"
    if clone.get("defeats"):
        clone["defeats"] = [f"{x}{suffix}" for x in clone["defeats"]]
    acts = clone.get("acts")
    if isinstance(acts, dict):
        for key in ("of_rules", "except_rules"):
            if key in acts:
                acts[key] = [f"{x}{suffix}" for x in acts[key]]
    return clone


def generate(source: Path, target: Path, factor: int) -> int:
    """Write a `factor`-x copy of the rulebook at `source` into `target`; return its number of rules.

    The copies are whole versions (every rule and temporal rule, ids suffixed, references kept),
    dated one after another before 2015: the project caps a version at 200 rules (durable-rules'
    Rete network overflows beyond), so a larger rulebook is more versions, not larger ones."""
    import datetime as dt

    import yaml

    shutil.copytree(source, target, ignore=shutil.ignore_patterns("tests", "__pycache__"))
    versions = sorted(p for p in target.iterdir() if (p / "manifest.yaml").is_file())
    n = 0
    for j in range(1, factor):
        for vdir in versions:
            name = f"c{j:02d}-{vdir.name}"
            copy_dir = target / name
            copy_dir.mkdir()
            suffix = f".c{j:02d}"
            for path in sorted(vdir.glob("*.yaml")):
                data = yaml.safe_load(path.read_text(encoding="utf-8"))
                if path.name == "manifest.yaml":
                    data["version"] = name
                    data["in_force_from"] = dt.date(1900 + 3 * n, 1, 1)
                    data["in_force_until"] = dt.date(1902 + 3 * n, 12, 31)
                elif path.name != "precedence.yaml":
                    for key in ("rules", "temporal_rules"):
                        if data.get(key):
                            data[key] = [_rename(r, suffix) for r in data[key]]
                (copy_dir / path.name).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                                                  encoding="utf-8")
            n += 1
    total = 0
    for path in target.glob("*/*.yaml"):
        if path.name not in ("manifest.yaml", "precedence.yaml"):
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            total += len(data.get("rules") or []) + len(data.get("temporal_rules") or [])
    return total


def child(folder: str) -> None:
    start = time.process_time()
    import durable_rules_engine  # noqa: F401 - imported before timing: it is not part of compiling

    from liability_engine import Engine
    from liability_engine.rulebook import load_rulebook

    imported = time.process_time()  # CPU time: less disturbed by other load on the machine than wall time
    rulebook = load_rulebook(folder)
    loaded = time.process_time()
    engine = Engine(rulebook)
    built = time.process_time()
    sizes = {v: len(r.rules) for v, r in engine._rulesets.items()}
    print(json.dumps({"import": imported - start, "load": loaded - imported, "engine": built - loaded,
                      "largest": max(sizes.values()), "rulesets": len(sizes) + len(engine._article28.rulesets)}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--factors", default="1,2,5,10")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    precompile()
    from liability_engine.evaluate import bundled_rules_path

    source = bundled_rules_path()
    work = Path(tempfile.mkdtemp(prefix="liability-rulebooks-"))
    rows: list[list[Any]] = []
    per_rule: dict[int, float] = {}
    points: list[tuple[int, float]] = []  # (rules, total seconds)
    for factor in [int(f) for f in args.factors.split(",")]:
        folder = work / f"x{factor}"
        rules = generate(source, folder, factor)
        best: dict[str, Any] | None = None
        for _ in range(args.repeat):
            out = subprocess.run([sys.executable, __file__, "--child", str(folder)], capture_output=True, text=True,
                                 check=True).stdout
            got = json.loads(out)
            if best is None or got["load"] + got["engine"] < best["load"] + best["engine"]:
                best = got
        assert best is not None
        total = best["load"] + best["engine"]
        per_rule[factor] = total / rules
        marginal = ((total - points[-1][1]) / (rules - points[-1][0]) * 1e6) if points else float("nan")
        points.append((rules, total))
        rows.append([f"{factor}x", rules, best["rulesets"], best["load"] * 1e3, best["engine"] * 1e3, total * 1e3,
                     total / rules * 1e6, "" if marginal != marginal else marginal])
        print(table(HEADERS, rows[-1:]), flush=True)
    shutil.rmtree(work, ignore_errors=True)
    print(f"\n# Compile time vs number of rules\n\nmachine: {machine()}\nbest of {args.repeat} fresh processes "
          "per rulebook\n")
    print(table(HEADERS, rows))
    worst = max(per_rule.values()) / per_rule[min(per_rule)]
    print(f"\ntarget: at most linear growth, i.e. CPU time per rule at every size within 20% of the 1x figure (or "
          f"below it) -> worst {worst:.2f} x ({'met' if worst <= 1.2 else 'NOT met'}). The cost per added rule "
          "between successive sizes (last column) is the noisier view of the same thing.")


if __name__ == "__main__":
    main()
