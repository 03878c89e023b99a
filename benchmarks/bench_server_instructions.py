"""Instructions a request costs `liability serve`, beside in-process Engine.evaluate, counted by valgrind (callgrind):
the load-independent companion of bench_server.py.

    .venv/bin/python benchmarks/bench_server_instructions.py [--requests 400] [--facts sample|generated]

On a shared virtual machine the wall-clock and even the CPU-time figures of bench_server.py drift by half within
minutes (the host's other tenants). Counted instructions do not: the same code, input and PYTHONHASHSEED give the
same count whatever else runs. Each subject runs twice under callgrind, with a few and with `--requests` more
iterations (the two at once, a core each), and the difference divided by `--requests` is the count of one
iteration: start-up (imports, compiling the rulebook, uvicorn's start) cancels out.

The facts, as bench_server.py's `--facts`: `sample`, the one document forged-interrogation-record as JSON, every
iteration (the engine answers it from its memos after the first: the least favourable ratio for the server);
`generated`, documents of benchmarks/generate.py, a new one each iteration, the same documents in the same order
for every subject (in-process, the facts are validated for all the iterations before any is counted, so that the
difference of the two runs holds only the evaluations).

Subjects:
- in-process `Engine.evaluate(facts)` on validated facts (the baseline of the targets);
- in-process, the request's work: parse and validate the JSON body, evaluate, serialise the answer;
- `liability serve`, one worker, log off and on: a POST /v1/evaluate over one keep-alive connection from
  127.0.0.1, one request at a time (so each row of the log is its own group: logging's worst case).

A count varies by a few thousand instructions between runs and versions of the code (uvicorn's clock tick, the
event loop's timers, where objects land in memory): well under 1 % of a request. What this does not count: the kernel (the loopback TCP of each request: see bench_server.py's HTTP floor), and the
speed of an instruction, which is lower when a request's work mixes parsing, evaluating, serialising and HTTP than
in a loop of evaluations alone (caches): a ratio of instructions is the best case of the ratio of throughputs.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from _common import ROOT, machine

sys.path.insert(0, str(ROOT / "tests"))
import serving  # noqa: E402  tests/serving.py: one way to start `liability serve`
from bench_server import SAMPLE, TOKEN, generated_bodies, sample_body  # noqa: E402  the same facts and token

HASH_SEED = {"PYTHONHASHSEED": "0"}  # the same dicts and sets, so the same instructions, run after run
FEW = 20
IN_PROCESS = """
import sys
from liability_engine import Engine, parse_facts
bodies = open(sys.argv[1], 'rb').read().splitlines()
n, what, most = int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
engine = Engine.default()
if what == 'evaluate':  # validated before counting starts to matter: as many in every run
    facts = [parse_facts(bodies[i % len(bodies)]) for i in range(min(most, len(bodies)))]
for i in range(n):
    if what == 'evaluate':
        engine.evaluate(facts[i % len(facts)])
    else:
        det = engine.evaluate(parse_facts(bodies[i % len(bodies)]))
        det.__pydantic_serializer__.to_json(det)
"""


def _callgrind(tmp: Path) -> list[str]:
    return ["valgrind", "--tool=callgrind", f"--callgrind-out-file={tmp / 'callgrind.out'}"]


def _collected(output: str) -> int:
    found = re.findall(r"Collected : (\d+)", output)
    if not found:
        raise SystemExit(f"no instruction count from valgrind: {output[-2000:]}")
    return int(found[-1])


def in_process(pool_path: Path, n: int, what: str, most: int, tmp: Path) -> int:
    script = tmp / "in_process.py"
    script.write_text(IN_PROCESS)
    done = subprocess.run([*_callgrind(tmp), sys.executable, str(script), str(pool_path), str(n), what, str(most)],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, **HASH_SEED},
                          cwd=tmp, timeout=1800)
    return _collected(done.stderr.decode(errors="replace"))


def server(bodies: list[bytes], n: int, logged: bool, tmp: Path) -> int:
    """`liability serve` (one worker) under callgrind, as the tests start it (tests/serving.py), sent `n` requests
    (the pool's documents in order) over one keep-alive connection, one at a time; its instructions once it has
    stopped."""
    (tmp / "tokens").write_text(f"bench:{TOKEN}\n")
    (tmp / "tokens").chmod(0o600)
    args = ["--workers", "1", "--tokens", str(tmp / "tokens"), "--no-access-log"]
    running = serving.Server(tmp, *args, *(["--log", str(tmp / "log.db")] if logged else ["--no-log"]), env=HASH_SEED,
                             start_timeout=600, prefix=_callgrind(tmp))  # a cold start under valgrind: minutes
    try:
        conn = http.client.HTTPConnection("127.0.0.1", running.port, timeout=120)
        for i in range(n):
            conn.request("POST", "/v1/evaluate", body=bodies[i % len(bodies)],
                         headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"})
            answer = conn.getresponse()
            answer.read()
            if answer.status != 200:
                raise SystemExit(f"the server answered {answer.status}")
        conn.close()
    finally:
        running.stop(timeout=600)  # SIGTERM: uvicorn stops, valgrind writes its count
    return _collected(running.output())


def per_iteration(measure: object, n: int) -> float:
    """Instructions of one iteration: (count with FEW + n) - (count with FEW), over n."""
    with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b, ThreadPoolExecutor(2) as pool:
        few = pool.submit(measure, FEW, Path(a))  # type: ignore[arg-type]  # both at once: a core each
        many = pool.submit(measure, FEW + n, Path(b))  # type: ignore[arg-type]
        return (many.result() - few.result()) / n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=400, help="iterations counted (beyond the first 20)")
    parser.add_argument("--facts", choices=("sample", "generated"), default="sample",
                        help="the sample again and again, or a new generated document each iteration")
    parser.add_argument("--seed", type=int, default=1, help="generate.py's seed (--facts generated)")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        print("valgrind is not on the PATH (Debian: apt-get install valgrind)", file=sys.stderr)
        raise SystemExit(2)
    most = FEW + args.requests
    if args.facts == "sample":
        bodies = [sample_body()]
        label = f"{SAMPLE.name} as JSON ({len(bodies[0])} bytes), every iteration"
    else:
        bodies = generated_bodies(most, args.seed)
        label = f"{most} documents of generate.py (seed {args.seed}), a new one each iteration"
    print(f"# bench_server_instructions — {machine()}")
    print(f"facts: {label}; {args.requests} iterations counted a subject\n")
    with tempfile.TemporaryDirectory() as tmp_name:
        pool_path = Path(tmp_name) / "facts.jsonl"
        pool_path.write_bytes(b"\n".join(bodies) + b"\n")
        counts = {
            "in-process Engine.evaluate": per_iteration(
                lambda n, tmp: in_process(pool_path, n, "evaluate", most, tmp), args.requests),
            "in-process, the request's work (parse, evaluate, serialise)": per_iteration(
                lambda n, tmp: in_process(pool_path, n, "request", most, tmp), args.requests),
            "liability serve, one worker, log off": per_iteration(
                lambda n, tmp: server(bodies, n, False, tmp), args.requests),
            "liability serve, one worker, log on": per_iteration(
                lambda n, tmp: server(bodies, n, True, tmp), args.requests),
        }
    width = max(map(len, counts))
    for name, count in counts.items():
        print(f"{name:<{width}}  {count:>12,.0f} instructions")
    base, off, on = (counts["in-process Engine.evaluate"], counts["liability serve, one worker, log off"],
                     counts["liability serve, one worker, log on"])
    print(f"\none worker / in-process Engine.evaluate, in instructions: {base / off:.2f}× (log off), "
          f"{base / on:.2f}× (log on); target of the throughputs ≥ 0.5×")
    print(f"logging's cost in instructions, one row a group: {100 * (on / off - 1):.1f}%; target of the throughputs "
          f"≤ 15%")


if __name__ == "__main__":
    main()
