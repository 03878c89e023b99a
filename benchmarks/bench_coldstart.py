"""Cold start: `liability evaluate one.yaml --format json` against importing the libraries it is built on.

    .venv/bin/python benchmarks/bench_coldstart.py [--runs 15]

Baseline: `python -c "import durable.lang, pydantic, yaml, typer, rich"` (the floor for any program
built on these libraries). Subject: the installed console script on one sample facts file. Both are
run alternately, `--runs` times each, and the medians compared (wall time; CPU time of the child
is shown too, as it is less disturbed by other load on the machine).

The package is byte-compiled first, as `pip install` does for a wheel (an editable install does not
and this machine sets PYTHONDONTWRITEBYTECODE=1, which would make every run compile the sources).
Rows: the compiled-rulebook cache warm (the normal case after the first run), the cache off
(LIABILITY_NO_CACHE=1: YAML parsed and validated on every run), and the text report.
Target: cache-warm median <= 2 x baseline median.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

from _common import ROOT, cli, machine, median, precompile, table


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--file", default=str(ROOT / "facts" / "forged-interrogation-record.yaml"))
    args = parser.parse_args()
    precompile()
    cache = tempfile.mkdtemp(prefix="liability-cache-")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "LIABILITY_NO_CACHE")}
    env.update(LIABILITY_CACHE_DIR=cache, LANG="C.UTF-8")
    subjects = {
        "baseline: import durable.lang, pydantic, yaml, typer, rich":
            ([sys.executable, "-c", "import durable.lang, pydantic, yaml, typer, rich"], env),
        "liability evaluate --format json (rulebook cache warm)":
            ([*cli(), "evaluate", args.file, "--format", "json"], env),
        "liability evaluate --format json (rulebook cache off)":
            ([*cli(), "evaluate", args.file, "--format", "json"], dict(env, LIABILITY_NO_CACHE="1")),
        "liability evaluate (text report, cache warm)":
            ([*cli(), "evaluate", args.file, "--lang", "en"], env),
    }
    for cmd, e in subjects.values():  # warm the OS caches and the rulebook cache
        timed(cmd, e)
    walls: dict[str, list[float]] = {k: [] for k in subjects}
    cpus: dict[str, list[float]] = {k: [] for k in subjects}
    for _ in range(args.runs):
        for key, (cmd, e) in subjects.items():
            w, c = timed(cmd, e)
            walls[key].append(w)
            cpus[key].append(c)
    keys = list(subjects)
    base_wall, base_cpu = median(walls[keys[0]]), median(cpus[keys[0]])
    rows = [[k, median(walls[k]) * 1e3, min(walls[k]) * 1e3, median(walls[k]) / base_wall, median(cpus[k]) * 1e3,
             median(cpus[k]) / base_cpu] for k in keys]
    print(f"# Cold start\n\nmachine: {machine()}\n{args.runs} alternating runs each; medians\n")
    print(table(["command", "wall ms (median)", "wall ms (min)", "x baseline", "CPU ms (median)",
                 "CPU x baseline"], rows))
    shutil.rmtree(cache, ignore_errors=True)
    ratio = median(walls[keys[1]]) / base_wall
    print(f"\ntarget: cold start <= 2 x baseline -> measured {ratio:.2f} x ({'met' if ratio <= 2 else 'NOT met'})")


if __name__ == "__main__":
    main()
