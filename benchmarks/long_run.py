"""A long run in one process: N evaluations on one Engine, resident memory reported as it goes.

    .venv/bin/python benchmarks/long_run.py [--count 1000000] [--every 50000] [--warmup 5000]
                                            [--backend durable|python] [--seed 7]

SPEC §7: "a long-running process can evaluate millions of conducts without memory growth
(durable-rules keeps at most 1024 live sessions per ruleset: state must be cleaned)". This script
evaluates a fixed pool of varied, already-validated facts (1-3 conducts each, dated 2014-2025, so
every version and Art. 28 are exercised) round-robin, and prints the resident set size (VmRSS from
/proc/self/status) after a warm-up and then every `--every` evaluations, with the growth since the
warm-up. A plain script: it prints figures and asserts nothing (tests/test_concurrency.py checks the
session limit); Ctrl-C stops early and still prints the summary.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import itertools
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))  # a checkout without install

AS_OF = dt.date(2026, 1, 1)


def status_kib(field: str) -> int | None:
    """A `kB` field of /proc/self/status (VmRSS, VmHWM), or None off Linux."""
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def mib(kib: int | None) -> str:
    return "n/a" if kib is None else f"{kib / 1024:.1f}"


def pool(size: int, seed: int) -> list[dict[str, Any]]:
    """`size` realistic facts documents from generate.py (dated from 2014, so every version is used)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from generate import documents

    docs = documents(size * 3, seed, start=dt.date(2014, 1, 1))  # at most 3 conducts a document
    return [d for d in itertools.islice(docs, size) if isinstance(d, dict)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1_000_000, help="evaluations after warm-up (default 1,000,000)")
    parser.add_argument("--every", type=int, default=0, help="report interval (default: count/20, at least 1,000)")
    parser.add_argument("--warmup", type=int, default=5_000, help="evaluations before the baseline is taken")
    parser.add_argument("--backend", choices=("durable", "python"), default="durable")
    parser.add_argument("--pool", type=int, default=500, help="distinct facts evaluated round-robin")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    every = args.every or max(args.count // 20, 1_000)

    from liability_engine import Engine, Facts

    print(f"# long run: {args.count:,} evaluations ({args.backend} backend), report every {every:,}")
    print(f"# {platform.system()} {platform.machine()}, Python {platform.python_version()}, "
          f"{os.cpu_count()} CPUs; pid {os.getpid()}")
    print(f"# RSS at start: {mib(status_kib('VmRSS'))} MiB")

    engine = Engine.default(backend=args.backend)
    facts = [Facts.model_validate(d) for d in pool(args.pool, args.seed)]
    conducts_per_round = [len(f.conducts) for f in facts]
    print(f"# engine ready, pool of {len(facts)} facts ({sum(conducts_per_round)} conducts): "
          f"RSS {mib(status_kib('VmRSS'))} MiB")

    started = time.perf_counter()
    for n in range(args.warmup):
        engine.evaluate(facts[n % len(facts)], as_of=AS_OF)
    gc.collect()
    base = status_kib("VmRSS")
    print(f"# warm-up: {args.warmup:,} evaluations in {time.perf_counter() - started:.1f} s; "
          f"baseline RSS {mib(base)} MiB")
    print()
    print(f"{'evaluations':>13} {'conducts':>13} {'seconds':>9} {'evals/s':>9} {'RSS MiB':>9} {'growth MiB':>11}")

    done = conducts = 0
    started = time.perf_counter()
    try:
        for n in range(args.count):
            f = facts[n % len(facts)]
            engine.evaluate(f, as_of=AS_OF)
            done += 1
            conducts += len(f.conducts)
            if done % every == 0 or done == args.count:
                elapsed = time.perf_counter() - started
                rss = status_kib("VmRSS")
                growth = "n/a" if rss is None or base is None else f"{(rss - base) / 1024:+.1f}"
                print(f"{done:>13,} {conducts:>13,} {elapsed:>9.1f} {done / elapsed:>9,.0f} {mib(rss):>9} {growth:>11}",
                      flush=True)
    except KeyboardInterrupt:
        print(f"# interrupted after {done:,} evaluations")

    elapsed = time.perf_counter() - started
    gc.collect()
    end = status_kib("VmRSS")
    print()
    print(f"# {done:,} evaluations ({conducts:,} conducts) in {elapsed:.1f} s, "
          f"{done / elapsed if elapsed else 0:,.0f} evaluations/s")
    print(f"# RSS: baseline {mib(base)} MiB, end {mib(end)} MiB, peak (VmHWM) {mib(status_kib('VmHWM'))} MiB")
    if base is not None and end is not None and done:
        print(f"# growth since warm-up: {(end - base) / 1024:+.1f} MiB "
              f"({(end - base) * 1024 / done:+.1f} bytes per evaluation)")


if __name__ == "__main__":
    main()
