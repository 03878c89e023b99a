"""`liability serve` throughput and latency, beside in-process Engine.evaluate on the same facts, in one run.

    .venv/bin/python benchmarks/bench_server.py [--rounds 3] [--seconds 2] [--clients 1,8,32] [--client auto]

Subject: POST /v1/evaluate with facts documents (JSON) over HTTP/1.1 keep-alive connections, N clients each
sending its next request when the last answer came (closed loop), against `liability serve` started here on a
free loopback port (127.0.0.1 only), with one and with two workers, with the decision log off and on. The load
generator is wrk (Debian's `wrk`, in C: about a tenth of the CPU a request of the Python client costs) when it is
on the PATH, else a minimal asyncio HTTP/1.1 client in this process (`--client python`); either shares the
machine's cores with the server, which on a 2-core machine is a real part of what is measured, so its CPU per
request is printed.

Baselines in the same run: `Engine.evaluate(facts)` in-process on the validated facts, and the same
with the request's work around it (parse the JSON body, validate, evaluate, serialise the answer).

The facts (`--facts`): `sample`, one document (facts/forged-interrogation-record.yaml) sent again and again, as
every earlier run of this script did: after the first request the engine answers it from what it remembers
(evaluate/memo.py), so `Engine.evaluate` costs its least while HTTP, parsing and serialising cost what they
always cost, the least favourable ratio for the server. `generated`, documents of benchmarks/generate.py (its mix
of one to three conducts, dates 2016-2025, fixed seed): every subject — each server, each in-process baseline —
reads them in the same order from a cursor of its own, so each meets documents it has not seen before (as
bench_throughput.py's "new facts every round"), the servers' requests the same documents as the in-process
calls; a subject that runs through the pool starts it over, and the report says so.

The four servers (one and two workers, log off and on) and the HTTP floor are started once; then every cell,
the in-process baselines included, is measured in turn, round after round (--rounds), and each target's ratio is
taken within a round: on a shared machine whose speed drifts by half over minutes, cells measured one after the
other in a single pass compare one minute's machine with another's. The table gives each cell's median, the
targets every round's ratio and their median. Each cell is bounded by --seconds (and --max-requests with the
Python client); after a warm-up. Targets (issue #17): one worker ≥ 0.5× in-process throughput; p99 ≤ 20 ms at
32 clients; two workers ≥ 1.7× one; logging costs ≤ 15%.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Iterator

from _common import ROOT, machine, table

sys.path.insert(0, str(ROOT / "tests"))
import serving  # noqa: E402  tests/serving.py: one way to start `liability serve`, for the tests and this benchmark

TOKEN = "bench-token-0123456789abcdef"
SAMPLE = ROOT / "facts" / "forged-interrogation-record.yaml"


class Server(serving.Server):
    """`liability serve` as the tests start it (tests/serving.py), with a token file and the access log off;
    and the CPU time its processes have used."""

    def __init__(self, workers: int, log: Path | None, tmp: Path):
        tokens = tmp / "tokens"
        tokens.write_text(f"bench:{TOKEN}\n")
        tokens.chmod(0o600)
        args = ["--host", "127.0.0.1", "--workers", str(workers), "--tokens", str(tokens), "--no-access-log"]
        args += ["--log", str(log)] if log is not None else ["--no-log"]  # without, it logs to the default log
        super().__init__(tmp, *args)

    def cpu_seconds(self) -> float:
        """User + system CPU time of the server's processes (the parent and its workers: one process group)."""
        total = 0
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == self.proc.pid:  # pgrp
                total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / os.sysconf("SC_CLK_TCK")


async def _client(port: int, requests: Any, stop_at: float, budget: list[int], latencies: list[float],
                  errors: list[int]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while time.perf_counter() < stop_at and budget[0] > 0:
            budget[0] -= 1
            start = time.perf_counter()
            writer.write(next(requests))
            head = await reader.readuntil(b"\r\n\r\n")
            length, close = 0, False
            for line in head.split(b"\r\n"):
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
                elif line.lower() == b"connection: close":
                    close = True
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - start)
            if not head.startswith(b"HTTP/1.1 200"):
                errors[0] += 1
            if close:  # a worker over its share of the connections: connect again, as wrk does
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
    finally:
        writer.close()


def load(port: int, feed: "Feed", subject: Any, clients: int, seconds: float, max_requests: int,
         server: Server) -> dict[str, float]:
    head = (f"POST /v1/evaluate HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Bearer {TOKEN}\r\n"
            f"Content-Type: application/json\r\nContent-Length: ").encode()
    sent = [0]

    def requests() -> Any:
        for body in feed.read(subject):
            sent[0] += 1
            yield head + str(len(body)).encode() + b"\r\n\r\n" + body

    async def run(duration: float, budget: int) -> tuple[list[float], int, float]:
        latencies: list[float] = []
        errors = [0]
        left = [budget]
        start = time.perf_counter()
        sent[0] = 0
        shared = requests()
        await asyncio.gather(*(_client(port, shared, start + duration, left, latencies, errors)
                               for _ in range(clients)))
        feed.advance(subject, sent[0])  # the next run goes on from there
        return latencies, errors[0], time.perf_counter() - start

    asyncio.run(run(min(1.0, seconds / 3), max_requests // 5))  # warm-up: connections, caches, memos
    cpu, mine = server.cpu_seconds(), time.process_time()
    latencies, errors, elapsed = asyncio.run(run(seconds, max_requests))
    cpu, mine = server.cpu_seconds() - cpu, time.process_time() - mine
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000

    return {"requests": len(latencies), "rps": len(latencies) / elapsed, "p50": pct(0.50), "p99": pct(0.99),
            "errors": errors, "cpu_us": cpu / max(1, len(latencies)) * 1e6,
            "client_us": mine / max(1, len(latencies)) * 1e6}


WRK_SCRIPT = """wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
local bodies = {}
for line in io.lines(os.getenv("BENCH_FACTS")) do bodies[#bodies + 1] = line end
if #bodies == 1 then
  wrk.body = bodies[1]  -- one document: wrk's own request, built once
else
  local i = tonumber(os.getenv("BENCH_START")) % #bodies
  request = function()
    i = i % #bodies + 1
    return wrk.format(nil, nil, nil, bodies[i])
  end
end
"""
_UNIT = {"us": 1e-3, "ms": 1.0, "s": 1e3}


def load_wrk(port: int, feed: "Feed", subject: Any, clients: int, seconds: float,
             server: Server) -> dict[str, float]:
    """As `load`, with wrk as the load generator (one thread, `clients` keep-alive connections, closed loop),
    bounded by `seconds`; after a warm-up of its own. wrk sends the feed's documents from the subject's cursor,
    which then moves on by the requests wrk counted (and the few it may have left in flight)."""
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        (tmp / "post.lua").write_text(WRK_SCRIPT)

        def run(duration: float) -> tuple[str, float]:
            env = {**os.environ, "BENCH_FACTS": str(feed.path), "BENCH_START": str(feed.cursor(subject)),
                   "BENCH_TOKEN": TOKEN}
            proc = subprocess.Popen(["wrk", "-t1", f"-c{clients}", f"-d{max(1, round(duration))}s", "--latency",
                                     "-s", str(tmp / "post.lua"), f"http://127.0.0.1:{port}/v1/evaluate"],
                                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
            out = proc.stdout.read().decode() if proc.stdout else ""
            _, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = os.waitstatus_to_exitcode(status)
            if proc.returncode != 0:
                raise SystemExit(f"wrk failed ({proc.returncode}): {out}")
            done = re.search(r"(\d+) requests in", out)
            feed.advance(subject, (int(done[1]) if done else 0) + clients)
            return out, usage.ru_utime + usage.ru_stime

        run(min(1.0, seconds / 3))  # warm-up: connections, caches, memos
        cpu = server.cpu_seconds()
        out, mine = run(seconds)
        cpu = server.cpu_seconds() - cpu

    def find(pattern: str) -> re.Match[str]:
        found = re.search(pattern, out)
        if found is None:
            raise SystemExit(f"unexpected wrk output (no {pattern!r}): {out}")
        return found

    requests = int(find(r"(\d+) requests in")[1])
    pct = {p: float(v) * _UNIT[u] for p, v, u in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)}
    non200 = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = (int(non200[1]) if non200 else 0) + (sum(map(int, socket_errors.groups())) if socket_errors else 0)
    return {"requests": requests, "rps": float(find(r"Requests/sec:\s+([\d.]+)")[1]), "p50": pct["50"],
            "p99": pct["99"], "errors": errors, "cpu_us": cpu / max(1, requests) * 1e6,
            "client_us": mine / max(1, requests) * 1e6}


class Floor(Server):
    """The HTTP floor: uvicorn as `liability serve` runs it (httptools, asyncio's loop, one worker) with an ASGI app
    that reads the body and answers a fixed body of the same size, doing nothing else: what HTTP, the event loop
    and the kernel cost a request, measured with the same clients."""

    APP = (
        "BODY = open(__file__.replace('floor_app.py', 'floor_body'), 'rb').read()\n"
        "async def app(scope, receive, send):\n"
        "    if scope['type'] != 'http':\n"
        "        return\n"
        "    while (await receive()).get('more_body'):\n"
        "        pass\n"
        "    await send({'type': 'http.response.start', 'status': 200, 'headers': [\n"
        "        (b'content-length', str(len(BODY)).encode()), (b'content-type', b'application/json')]})\n"
        "    await send({'type': 'http.response.body', 'body': BODY})\n")

    def __init__(self, tmp: Path, answer: bytes):  # noqa: D107 - not liability serve: its own start
        (tmp / "floor_app.py").write_text(self.APP)
        (tmp / "floor_body").write_bytes(answer)
        self.port = serving.free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.output_path = tmp / "floor.log"
        self._out = open(self.output_path, "wb")
        import subprocess

        self.proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "--app-dir", str(tmp), "floor_app:app",
                                      "--host", "127.0.0.1", "--port", str(self.port), "--loop", "asyncio", "--http",
                                      "httptools", "--no-access-log", "--log-level", "warning"],
                                     stdout=self._out, stderr=subprocess.STDOUT, start_new_session=True)
        self._wait(serving.START_TIMEOUT)

    def _wait(self, timeout: float) -> None:
        import socket

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise SystemExit("the HTTP floor server did not start")


class Feed:
    """The documents the subjects are given, and where each subject is in them (see the module's text): a pool
    of one document (the sample) or of many (generated); `read(subject)` from the subject's cursor, round and
    round, `advance(subject, n)` once the subject has used n of them."""

    def __init__(self, docs: list[bytes], path: Path, label: str):
        self.docs, self.path, self.label = docs, path, label
        path.write_bytes(b"\n".join(docs) + b"\n")  # wrk reads the pool from here
        self._cursor: dict[Any, int] = {}

    def __len__(self) -> int:
        return len(self.docs)

    def start(self, subject: Any, at: int) -> None:
        """Start `subject` at `at` (in-process subjects share one engine: each starts in its own stretch)."""
        self._cursor.setdefault(subject, at)

    def cursor(self, subject: Any) -> int:
        return self._cursor.get(subject, 0)

    def advance(self, subject: Any, count: int) -> None:
        self._cursor[subject] = self.cursor(subject) + count

    def read(self, subject: Any) -> Iterator[bytes]:
        i = self.cursor(subject)
        while True:
            yield self.docs[i % len(self.docs)]
            i += 1

    def passes(self) -> dict[Any, float]:
        """How many times each subject has gone through the pool (over 1: it met documents again)."""
        return {subject: cursor / len(self.docs) for subject, cursor in self._cursor.items()}


def in_process(feed: Feed, seconds: float, tag: str = "") -> tuple[float, float, float, float]:
    """(calls/s of Engine.evaluate, of the request's work; CPU µs a call of each), `seconds` of calls each, on
    the feed's documents from each subject's cursor. Facts for Engine.evaluate are validated outside the timing."""
    from liability_engine import Engine, parse_facts

    engine = Engine.default()
    chunk = 256

    def rate(subject: str, prepare: Any, fn: Any) -> tuple[float, float]:
        """(calls per second of wall time, CPU microseconds per call)"""
        docs = feed.read(subject)
        fn(prepare([next(docs)])[0])  # warm-up
        n, wall, cpu = 1, 0.0, 0.0
        while wall < seconds:
            items = prepare([next(docs) for _ in range(chunk)])
            start, started_cpu = time.perf_counter(), time.process_time()
            for item in items:
                fn(item)
            wall += time.perf_counter() - start
            cpu += time.process_time() - started_cpu
            n += chunk
        feed.advance(subject, n)
        return (n - 1) / wall, cpu / (n - 1) * 1e6

    def validated(docs: list[bytes]) -> list[Any]:
        if len(feed) == 1:  # the sample: one validated object, as the engine is called on it again and again
            return [parse_facts(docs[0])] * len(docs)
        return [parse_facts(doc) for doc in docs]

    def request_work(body: bytes) -> bytes:  # as the server does it: parse and validate, evaluate, serialise
        det = engine.evaluate(parse_facts(body))
        return det.__pydantic_serializer__.to_json(det)

    for i, subject in enumerate(("plain", "whole")):  # each in a stretch of the pool of its own
        feed.start(subject + tag, (2 * i + (1 if tag else 0)) * len(feed) // 4)
    plain = rate("plain" + tag, validated, engine.evaluate)
    whole = rate("whole" + tag, lambda docs: docs, request_work)
    return plain[0], whole[0], plain[1], whole[1]


def in_process_beside_a_busy_core(feed: Feed, seconds: float) -> tuple[float, float, float, float]:
    """`in_process` while another process keeps a core busy, as the load generator does during the HTTP cells:
    on a machine whose cores share a physical core (or a host), a busy neighbour slows every instruction, and the
    server's CPU per request includes that."""
    import subprocess

    burner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        time.sleep(0.2)
        return in_process(feed, seconds, tag=" beside a busy core")
    finally:
        burner.kill()
        burner.wait()


def answer_of(feed: Feed) -> bytes:
    """An answer of the server's median size for the feed's documents (the HTTP floor answers with it), from the
    pool's last documents: the in-process subjects share this engine and start in the pool's quarters."""
    from liability_engine import Engine, parse_facts

    engine = Engine.default()
    answers = sorted((engine.evaluate(parse_facts(doc)).model_dump_json() for doc in feed.docs[-200:]), key=len)
    det = answers[len(answers) // 2]
    return det[:-1].encode() + b',"service":{"engine_version":"0.1.0","rulebook_digest":"' + b"0" * 64 + b'"}}'


def sample_body() -> bytes:
    """The sample facts as the JSON body every earlier run of the server benchmarks sent."""
    from liability_engine import load_facts

    return json.dumps(load_facts(SAMPLE).model_dump(mode="json", by_alias=True), ensure_ascii=False).encode()


def generated_bodies(count: int, seed: int) -> list[bytes]:
    """`count` documents of benchmarks/generate.py (seed `seed`) as JSON bodies, one line each as it writes them."""
    import itertools

    import generate

    return [json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()
            for doc in itertools.islice(generate.documents(10 * count, seed), count)]


def make_feed(kind: str, pool: int, seed: int, tmp: Path) -> Feed:
    """The sample as one document, or `pool` documents of benchmarks/generate.py (seed `seed`), as JSON lines."""
    if kind == "sample":
        body = sample_body()
        return Feed([body], tmp / "facts.jsonl", f"{SAMPLE.name} as JSON ({len(body)} bytes), the same document "
                    "for every request and call")
    docs = generated_bodies(pool, seed)
    sizes = sorted(map(len, docs))
    return Feed(docs, tmp / "facts.jsonl", f"{pool:,} documents of generate.py (seed {seed}; "
                f"{sizes[0]}-{sizes[-1]} bytes, median {sizes[len(sizes) // 2]}), each subject from a cursor of "
                "its own")


CONFIGS = ((1, False), (1, True), (2, False), (2, True))  # (workers, decision log on)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="per cell and round (bounded)")
    parser.add_argument("--rounds", type=int, default=3,
                        help="every cell, the in-process baselines included, is measured once a round, in turn")
    parser.add_argument("--clients", default="1,8,32")
    parser.add_argument("--max-requests", type=int, default=20_000,
                        help="per cell (bounded; the Python client only: wrk is bounded by --seconds)")
    parser.add_argument("--client", choices=("auto", "wrk", "python"), default="auto",
                        help="the load generator: wrk when on the PATH (auto), or the asyncio client of this script")
    parser.add_argument("--facts", choices=("sample", "generated"), default="sample",
                        help="one document again and again (the sample), or generated documents each subject "
                             "has not seen (see the text above)")
    parser.add_argument("--pool", type=int, default=60_000, help="generated documents (--facts generated)")
    parser.add_argument("--seed", type=int, default=1, help="generate.py's seed (--facts generated)")
    args = parser.parse_args()
    use_wrk = args.client == "wrk" or (args.client == "auto" and shutil.which("wrk") is not None)
    if args.client == "wrk" and shutil.which("wrk") is None:
        raise SystemExit("wrk is not on the PATH (Debian: apt-get install wrk); or --client python")
    clients = [int(c) for c in args.clients.split(",")]

    def measure(port: int, subject: Any, n: int, seconds: float, server: Server) -> dict[str, float]:
        if use_wrk:
            return load_wrk(port, feed, subject, n, seconds, server)
        return load(port, feed, subject, n, seconds, args.max_requests, server)

    rounds: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        feed = make_feed(args.facts, args.pool, args.seed, tmp)
        print(f"# bench_server — {machine()}")
        print(f"facts: {feed.label}; {args.rounds} rounds of every cell in turn, "
              f"{args.seconds} s a cell" + (", load from wrk (one thread)" if use_wrk else f", at most "
              f"{args.max_requests} requests a cell, load from the asyncio client of this script") + "\n")
        floor = Floor(tmp, answer_of(feed))
        servers: dict[tuple[int, bool], Server] = {}
        try:
            for workers, logged in CONFIGS:
                servers[(workers, logged)] = Server(workers, tmp / f"log-{workers}.db" if logged else None, tmp)
            for number in range(args.rounds):
                plain, whole, cpu_plain, cpu_whole = in_process(feed, args.seconds / 2)
                rnd: dict[str, Any] = {"plain": plain, "whole": whole, "cpu_plain": cpu_plain, "cpu_whole": cpu_whole,
                                       "floor": {n: measure(floor.port, "floor", n, args.seconds, floor)
                                                 for n in clients}}
                for config, server in servers.items():
                    for n in clients:
                        rnd[config + (n,)] = measure(server.port, config, n, args.seconds, server)
                rounds.append(rnd)
                ratios = _ratios(rnd, clients)
                print(f"round {number + 1} (load average {os.getloadavg()[0]:.2f}): " + "; ".join(
                    f"{name} {value:.2f}" for name, value in ratios.items()))
        finally:
            floor.stop()
            for server in servers.values():
                server.stop()
        for workers in (1, 2):
            sent = sum(r[(workers, True, n)]["requests"] for r in rounds for n in clients)
            print(f"decision log, {workers} worker(s): {_rows(tmp / f'log-{workers}.db')} rows for {sent} measured "
                  f"requests (+ warm-up requests)")
        busy = in_process_beside_a_busy_core(feed, args.seconds)
        if len(feed) > 1:
            again = {subject: passes for subject, passes in feed.passes().items()
                     if passes > 1 and subject != "floor"}  # the floor reads and drops them
            print("documents met again (subjects that went through the pool more than once): " + (
                "; ".join(f"{_subject(k)} {v:.2f} times through" for k, v in again.items()) if again
                else "none: every request and call had a document its subject had not seen"))
    _report(rounds, clients, busy)


def _subject(key: Any) -> str:
    if isinstance(key, tuple):
        workers, logged = key
        return f"{workers} worker(s), log {'on' if logged else 'off'}"
    return str(key)


def _rows(path: Path) -> int:
    import sqlite3

    with sqlite3.connect(path) as db:
        return int(db.execute("SELECT COUNT(*) FROM decisions").fetchone()[0])


def _ratios(rnd: dict[str, Any], clients: list[int]) -> dict[str, float]:
    """The targets' ratios within one round (every cell of a round measured within a minute of the others)."""
    best = {config: max(rnd[config + (n,)]["rps"] for n in clients) for config in CONFIGS}
    return {"one worker / Engine.evaluate": best[(1, False)] / rnd["plain"],
            "one worker / the request's work in-process": best[(1, False)] / rnd["whole"],
            "two workers / one": best[(2, False)] / best[(1, False)],
            "logging on / off, one worker": best[(1, True)] / best[(1, False)],
            "logging on / off, two workers": best[(2, True)] / best[(2, False)]}


def _med(values: list[float]) -> float:
    return statistics.median(values)


def _report(rounds: list[dict[str, Any]], clients: list[int], busy: tuple[float, float, float, float]) -> None:
    top = max(clients)
    keys = ("requests", "rps", "p50", "p99", "cpu_us", "client_us")

    def cell(key: Any) -> dict[str, float]:
        """A cell's medians over the rounds: a server's by (workers, logged, clients), the floor's by clients."""
        runs = [r["floor"][key] if isinstance(key, int) else r[key] for r in rounds]
        found = {k: _med([run[k] for run in runs]) for k in keys}
        found["errors"] = sum(run["errors"] for run in runs)
        return found

    rows = []
    for workers, logged in CONFIGS:
        for n in clients:
            c = cell((workers, logged, n))
            rows.append([workers, "on" if logged else "off", n, c["requests"], c["rps"], c["p50"], c["p99"],
                         c["cpu_us"], c["client_us"], c["errors"]])
    floors = {n: cell(n) for n in clients}
    rows += [["floor", "-", n, f["requests"], f["rps"], f["p50"], f["p99"], f["cpu_us"], f["client_us"], f["errors"]]
             for n, f in floors.items()]
    print(f"\nmedians of {len(rounds)} rounds (non-200: the sum):")
    print(table(["workers", "log", "clients", "requests", "req/s", "p50 ms", "p99 ms", "server CPU µs/req",
                 "client CPU µs/req", "non-200"], rows))
    print("(floor: uvicorn answering a fixed body of the same size, no work: what HTTP costs a request)\n")
    plain, whole = _med([r["plain"] for r in rounds]), _med([r["whole"] for r in rounds])
    cpu_plain, cpu_whole = _med([r["cpu_plain"] for r in rounds]), _med([r["cpu_whole"] for r in rounds])
    print(f"in-process Engine.evaluate (validated facts): {plain:,.0f}/s "
          f"(rounds: {', '.join(format(r['plain'], ',.0f') for r in rounds)})")
    print(f"in-process parse + evaluate + serialise (the request's work): {whole:,.0f}/s "
          f"(rounds: {', '.join(format(r['whole'], ',.0f') for r in rounds)})")
    ratios = [_ratios(r, clients) for r in rounds]
    targets = {"one worker / Engine.evaluate": "≥ 0.5×", "two workers / one": "≥ 1.7×",
               "logging on / off, one worker": "≥ 0.85× (cost ≤ 15%)",
               "logging on / off, two workers": "≥ 0.85× (cost ≤ 15%)",
               "one worker / the request's work in-process": "(no target)"}
    print("\ntargets, the ratio within each round (its median, and every round's):")
    for name, target in targets.items():
        values = [r[name] for r in ratios]
        print(f"  {name}: {_med(values):.2f}× (rounds: {', '.join(f'{v:.2f}' for v in values)}); target {target}")
    p99 = {w: [r[(w, False, top)]["p99"] for r in rounds] for w in (1, 2)}
    p99_log = {w: [r[(w, True, top)]["p99"] for r in rounds] for w in (1, 2)}
    print(f"  p99 at {top} clients: one worker {_med(p99[1]):.1f} ms, two workers {_med(p99[2]):.1f} ms; with the "
          f"log {_med(p99_log[1]):.1f} and {_med(p99_log[2]):.1f} ms (target ≤ 20 ms)")
    cpu_server = min(_med([r[(1, False, n)]["cpu_us"] for r in rounds]) for n in clients)
    cpu_logged = min(_med([r[(1, True, n)]["cpu_us"] for r in rounds]) for n in clients)
    print("load-independent (CPU time, which a loaded machine distorts less than wall time):")
    print(f"  CPU per call in-process: Engine.evaluate {cpu_plain:.0f} µs, the request's work {cpu_whole:.0f} µs; "
          f"per request, one worker: {cpu_server:.0f} µs (log off), {cpu_logged:.0f} µs (log on)")
    print(f"  one worker's CPU capacity / in-process Engine.evaluate: {cpu_plain / cpu_server:.2f}×; "
          f"/ the request's work in-process: {cpu_whole / cpu_server:.2f}×; logging's CPU cost per request: "
          f"{100 * (cpu_logged / cpu_server - 1):.0f}%")
    print(f"  in-process beside a busy core (another process spinning, as the clients do during the HTTP cells): "
          f"Engine.evaluate {busy[2]:.0f} µs, the request's work {busy[3]:.0f} µs CPU a call")
    floor_cpu = min(f["cpu_us"] for f in floors.values())
    client_cpu = min(_med([r[(1, False, n)]["client_us"] for r in rounds]) for n in clients)
    best1 = max(_med([r[(1, False, n)]["rps"] for r in rounds]) for n in clients)
    ceiling = 1e6 / (cpu_whole + floor_cpu)
    print("arithmetic (CPU per request):")
    print(f"  a worker needs at least the request's work in-process ({cpu_whole:.0f} µs) plus the HTTP floor "
          f"({floor_cpu:.0f} µs): at most {ceiling:,.0f} req/s on a core of its own, "
          f"{ceiling * cpu_plain / 1e6:.2f}× Engine.evaluate; measured server CPU {cpu_server:.0f} µs")
    two = 2e6 / (cpu_server + client_cpu)
    print(f"  one worker with a core of its own (the clients on the other) answers at most {1e6 / cpu_server:,.0f} "
          f"req/s; two workers and the clients ({client_cpu:.0f} µs a request) share the 2 cores: at most "
          f"{two:,.0f} req/s, {two * cpu_server / 1e6:.2f}× one worker — on a machine nobody else uses")
    print(f"  {top} clients in a closed loop wait {top} / throughput on average: {top * 1e3 / best1:.1f} ms at "
          f"{best1:,.0f} req/s (one worker); p99 ≤ 20 ms needs well over {top * 1e3 / 20:,.0f} req/s")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
