"""Batch mode: `liability evaluate --jsonl` throughput, --jobs scaling, peak memory, growth with size.

    .venv/bin/python benchmarks/bench_batch.py [--sizes 10000,100000,1000000] [--jobs 2] [--speedup-size 5000]

For each size (conducts; realistic mix from generate.py, 1-3 conducts per line, dates 2016-2025)
and each --jobs value, runs the installed CLI as a user would (`liability evaluate --jsonl IN
--as-of 2026-01-01`), reads its output as it streams (counting lines, checking output lines = input
lines) and samples the resident memory of the whole process tree (the CLI and its workers) every
0.2 s. Reported: wall time, conducts/s, wall and CPU time per conduct (CPU: all processes of the
tree, after the first tenth, so start-up is left out; on a shared machine it is the steadier
figure), peak RSS of the tree, and the spread of the time per conduct over successive tenths of
the run (flat = no slow-down as the run goes on).

First, --jobs 1 and --jobs 2 alternate on one input (medians), next to this machine's own ceiling
for two processes (two CPU-bound loops against one). Then one run per size with --jobs N.

Targets: --jobs 2 >= 1.7 x --jobs 1; time per conduct within 20% from the smallest to the largest
size; peak RSS flat from the smallest to the largest size.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from _common import cli, machine, precompile, table
from generate import documents


def tree_rss(pid: int) -> int:
    """Resident bytes of `pid` and all its descendants (Linux /proc)."""
    total = 0
    stack = [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/statm") as f:
                total += int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    stack.extend(int(c) for c in f.read().split())
        except (OSError, ValueError):
            continue
    return total


def tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by `pid` and all its descendants (Linux /proc)."""
    total = 0
    tick = os.sysconf("SC_CLK_TCK")
    stack = [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += sum(int(x) for x in fields[11:15])  # utime, stime, and those of reaped children
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    stack.extend(int(c) for c in f.read().split())
        except (OSError, ValueError, IndexError):
            continue
    return total / tick


def make_input(path: Path, conducts: int, seed: int) -> int:
    lines = 0
    with path.open("w", encoding="utf-8") as out:
        for doc in documents(conducts, seed):
            out.write(json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n")
            lines += 1
    return lines


def run(path: Path, lines: int, jobs: int) -> dict[str, float | list[float]]:
    env = dict(os.environ, LANG="C.UTF-8")
    cmd = [*cli(), "evaluate", "--jsonl", str(path), "--as-of", "2026-01-01", "--jobs", str(jobs)]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], tree_rss(proc.pid))
            done.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    marks: list[tuple[int, float, float]] = []  # (lines so far, seconds, CPU seconds of the tree) per tenth
    step = max(1, lines // 10)
    seen = 0
    next_mark = step
    assert proc.stdout is not None
    while True:
        block = proc.stdout.read(1 << 20)
        if not block:
            break
        seen += block.count(b"\n")
        while seen >= next_mark and next_mark <= lines:
            marks.append((next_mark, time.perf_counter() - start, tree_cpu(proc.pid)))
            next_mark += step
    code = proc.wait()
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    tenths, cpu_tenths = [], []
    for before, after in zip(marks, marks[1:]):  # the first tenth includes start-up: left out
        tenths.append((after[1] - before[1]) / (after[0] - before[0]))
        cpu_tenths.append((after[2] - before[2]) / (after[0] - before[0]))
    # The last tenth can end after the workers have exited (their CPU time then leaves the tree): CPU time
    # is read from the second to the second-last tenth.
    cpu_marks = marks[:-1] if len(marks) > 2 else marks
    cpu_tenths = cpu_tenths[:-1] if len(cpu_tenths) > 1 else cpu_tenths
    steady = ((cpu_marks[-1][2] - cpu_marks[0][2]) / (cpu_marks[-1][0] - cpu_marks[0][0])
              if len(cpu_marks) > 1 else float("nan"))
    return {"wall": wall, "lines_out": seen, "exit": code, "peak": peak[0], "per_line_tenths": tenths,
            "cpu_tenths": cpu_tenths, "cpu_per_line": steady}


def _spin(n: int) -> None:
    x = 0
    for i in range(n):
        x += i


def machine_scaling(rounds: int, n: int = 20_000_000) -> float:
    """How much faster two CPU-bound processes finish two units of work than one process does:
    the ceiling for any --jobs 2 speed-up on this machine (2.0 on two idle, independent cores)."""
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    one, two = [], []
    for _ in range(rounds):
        start = time.perf_counter()
        _spin(n)
        _spin(n)
        one.append(time.perf_counter() - start)
        start = time.perf_counter()
        procs = [ctx.Process(target=_spin, args=(n,)) for _ in range(2)]
        for p in procs:
            p.start()
        for p in procs:
            p.join()
        two.append(time.perf_counter() - start)
    from statistics import median

    return median(one) / median(two)


HEADERS = ["conducts", "lines", "jobs", "wall s", "conducts/s", "wall us/conduct", "CPU us/conduct", "peak RSS MiB",
           "lines out = in", "exit", "slowest/fastest tenth (wall)", "(CPU)"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="conducts, for growth and memory")
    parser.add_argument("--jobs", type=int, default=2, help="--jobs for the growth runs")
    parser.add_argument("--speedup-size", type=int, default=5000, help="conducts for the --jobs 1 vs 2 runs (0: skip)")
    parser.add_argument("--speedup-rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", help="folder for the generated inputs (default: a temporary one)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    precompile()
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="liability-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"# Batch mode (--jsonl)\n\nmachine: {machine()}\n", flush=True)

    def row(size: int, lines: int, jobs: int, r: dict) -> list:
        def spread(values: list[float]) -> str:
            return f"{max(values) / min(values):.2f}" if values and min(values) > 0 else "-"
        per_conduct_cpu = r["cpu_per_line"] * lines / size * 1e6
        return [size, lines, jobs, r["wall"], size / r["wall"], r["wall"] / size * 1e6, per_conduct_cpu,
                r["peak"] / 2**20, "yes" if r["lines_out"] == lines else f"NO ({r['lines_out']})", r["exit"],
                spread(r["per_line_tenths"]), spread(r["cpu_tenths"])]

    if args.speedup_size:
        path = folder / f"conducts-{args.speedup_size}-seed{args.seed}.jsonl"
        lines = make_input(path, args.speedup_size, args.seed)
        walls: dict[int, list[float]] = {1: [], 2: []}
        rows = []
        for _ in range(args.speedup_rounds):
            for jobs in (1, 2):
                r = run(path, lines, jobs)
                walls[jobs].append(r["wall"])
                rows.append(row(args.speedup_size, lines, jobs, r))
        from statistics import median

        speedup = median(walls[1]) / median(walls[2])
        ceiling = machine_scaling(args.speedup_rounds)
        print("## --jobs 2 against --jobs 1 (alternating runs)\n")
        print(table(HEADERS, rows))
        print(f"\n--jobs 2 vs --jobs 1 (medians of {args.speedup_rounds}): {speedup:.2f} x (target >= 1.7: "
              f"{'met' if speedup >= 1.7 else 'NOT met'}); this machine's own ceiling, two CPU-bound processes vs "
              f"one: {ceiling:.2f} x\n", flush=True)
        if not args.keep:
            path.unlink()

    results: dict[int, dict] = {}
    results_lines: dict[int, int] = {}
    rows = []
    print(f"## Growth and memory (--jobs {args.jobs})\n", flush=True)
    for size in sizes:
        path = folder / f"conducts-{size}-seed{args.seed}.jsonl"
        lines = make_input(path, size, args.seed)
        r = results[size] = run(path, lines, args.jobs)
        results_lines[size] = lines
        rows.append(row(size, lines, args.jobs, r))
        print(table(HEADERS, rows[-1:]), flush=True)
        if not args.keep:
            path.unlink()
    if not args.keep:
        folder.rmdir()
    print("\n" + table(HEADERS, rows))
    if len(sizes) > 1:
        small, large = min(sizes), max(sizes)
        a, b = results[small], results[large]
        growth = (b["wall"] / large) / (a["wall"] / small)
        cpu_growth = (b["cpu_per_line"] * results_lines[large] / large) / (a["cpu_per_line"] * results_lines[small] / small)
        def verdict(x: float) -> str:
            return "met" if 0.8 <= x <= 1.2 else "no slow-down, but outside the band" if x < 0.8 else "NOT met"
        rss = b["peak"] / a["peak"]
        print(f"\ntime per conduct, {large:,} vs {small:,} conducts: wall {growth:.2f} x, CPU {cpu_growth:.2f} x "
              f"(target flat within 20%: wall {verdict(growth)}, CPU {verdict(cpu_growth)}); peak RSS {rss:.2f} x "
              f"({a['peak'] / 2**20:.0f} -> {b['peak'] / 2**20:.0f} MiB; flat within 20%: "
              f"{'met' if rss <= 1.2 else 'NOT met'})")


if __name__ == "__main__":
    main()
