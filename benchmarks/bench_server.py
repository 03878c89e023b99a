"""`liability serve` throughput and latency, beside in-process Engine.evaluate on the same facts, in one run.

    .venv/bin/python benchmarks/bench_server.py [--seconds 3] [--clients 1,8,32] [--max-requests 20000]

Subject: POST /v1/evaluate with one facts document (JSON, the sample forged-interrogation-record) over
HTTP/1.1 keep-alive connections, N clients each sending its next request when the last answer came
(closed loop), against `liability serve` started here on a free loopback port (127.0.0.1 only), with
one and with two workers, with the decision log off and on. The load generator is wrk (Debian's `wrk`, in
C: about a tenth of the CPU a request of the Python client costs) when it is on the PATH, else a minimal
asyncio HTTP/1.1 client in this process (`--client python`); either shares the machine's cores with the
server, which on a 2-core machine is a real part of what is measured, so its CPU per request is printed.

Baselines in the same run: `Engine.evaluate(facts)` in-process on the validated facts, and the same
with the request's work around it (parse the JSON body, validate, evaluate, serialise the answer).

Each cell is bounded by --seconds and --max-requests; after a warm-up. Targets (issue #17): one worker
≥ 0.5× in-process throughput; p99 ≤ 20 ms at 32 clients; two workers ≥ 1.7× one; logging costs ≤ 15%.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

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
        if log is not None:
            args += ["--log", str(log)]
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


async def _client(port: int, request: bytes, stop_at: float, budget: list[int], latencies: list[float],
                  errors: list[int]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while time.perf_counter() < stop_at and budget[0] > 0:
            budget[0] -= 1
            start = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - start)
            if not head.startswith(b"HTTP/1.1 200"):
                errors[0] += 1
    finally:
        writer.close()


def load(port: int, body: bytes, clients: int, seconds: float, max_requests: int, server: Server) -> dict[str, float]:
    request = (f"POST /v1/evaluate HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Bearer {TOKEN}\r\n"
               f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body

    async def run(duration: float, budget: int) -> tuple[list[float], int, float]:
        latencies: list[float] = []
        errors = [0]
        left = [budget]
        start = time.perf_counter()
        await asyncio.gather(*(_client(port, request, start + duration, left, latencies, errors)
                               for _ in range(clients)))
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
wrk.body = io.open(os.getenv("BENCH_BODY"), "rb"):read("*a")
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
"""
_UNIT = {"us": 1e-3, "ms": 1.0, "s": 1e3}


def load_wrk(port: int, body: bytes, clients: int, seconds: float, server: Server) -> dict[str, float]:
    """As `load`, with wrk as the load generator (one thread, `clients` keep-alive connections, closed loop),
    bounded by `seconds`; after a warm-up of its own."""
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        (tmp / "post.lua").write_text(WRK_SCRIPT)
        (tmp / "body.json").write_bytes(body)
        env = {**os.environ, "BENCH_BODY": str(tmp / "body.json"), "BENCH_TOKEN": TOKEN}

        def run(duration: float) -> tuple[str, float]:
            proc = subprocess.Popen(["wrk", "-t1", f"-c{clients}", f"-d{max(1, round(duration))}s", "--latency",
                                     "-s", str(tmp / "post.lua"), f"http://127.0.0.1:{port}/v1/evaluate"],
                                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
            out = proc.stdout.read().decode() if proc.stdout else ""
            _, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = os.waitstatus_to_exitcode(status)
            if proc.returncode != 0:
                raise SystemExit(f"wrk failed ({proc.returncode}): {out}")
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
    """The HTTP floor: uvicorn as `liability serve` runs it (httptools, uvloop, one worker) with an ASGI app that
    reads the body and answers a fixed body of the same size, doing nothing else: what HTTP, the event loop
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
                                      "--host", "127.0.0.1", "--port", str(self.port), "--loop", "uvloop", "--http",
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


def in_process(body: bytes, seconds: float) -> tuple[float, float]:
    from liability_engine import Engine, parse_facts

    engine = Engine.default()
    facts = parse_facts(body)

    def rate(fn: Any) -> tuple[float, float]:
        """(calls per second of wall time, CPU microseconds per call)"""
        fn()
        n, start, cpu = 0, time.perf_counter(), time.process_time()
        while time.perf_counter() - start < seconds:
            fn()
            n += 1
        return n / (time.perf_counter() - start), (time.process_time() - cpu) / n * 1e6

    plain = rate(lambda: engine.evaluate(facts))
    whole = rate(lambda: engine.evaluate(parse_facts(body)).model_dump_json())
    return plain[0], whole[0], plain[1], whole[1]


def in_process_beside_a_busy_core(body: bytes, seconds: float) -> tuple[float, float, float, float]:
    """`in_process` while another process keeps a core busy, as the load generator does during the HTTP cells:
    on a machine whose cores share a physical core (or a host), a busy neighbour slows every instruction, and the
    server's CPU per request includes that."""
    import subprocess

    burner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        time.sleep(0.2)
        return in_process(body, seconds)
    finally:
        burner.kill()
        burner.wait()


def answer_of(body: bytes) -> bytes:
    """The answer the server gives to `body` (for the HTTP floor: the same number of bytes)."""
    from liability_engine import Engine, parse_facts

    det = Engine.default().evaluate(parse_facts(body)).model_dump_json()
    return det[:-1].encode() + b',"service":{"engine_version":"0.1.0","rulebook_digest":"' + b"0" * 64 + b'"}}'


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="per cell (bounded)")
    parser.add_argument("--clients", default="1,8,32")
    parser.add_argument("--max-requests", type=int, default=20_000,
                        help="per cell (bounded; the Python client only: wrk is bounded by --seconds)")
    parser.add_argument("--client", choices=("auto", "wrk", "python"), default="auto",
                        help="the load generator: wrk when on the PATH (auto), or the asyncio client of this script")
    args = parser.parse_args()
    use_wrk = args.client == "wrk" or (args.client == "auto" and shutil.which("wrk") is not None)
    if args.client == "wrk" and shutil.which("wrk") is None:
        raise SystemExit("wrk is not on the PATH (Debian: apt-get install wrk); or --client python")

    def measure(port: int, n: int, seconds: float, server: Server) -> dict[str, float]:
        if use_wrk:
            return load_wrk(port, body, n, seconds, server)
        return load(port, body, n, seconds, args.max_requests, server)
    clients = [int(c) for c in args.clients.split(",")]

    from liability_engine import load_facts

    body = json.dumps(load_facts(SAMPLE).model_dump(mode="json", by_alias=True), ensure_ascii=False).encode()
    print(f"# bench_server — {machine()}")
    print(f"facts: {SAMPLE.name} as JSON ({len(body)} bytes); {args.seconds} s per cell"
          + (", load from wrk (one thread)" if use_wrk else f", at most {args.max_requests} requests, load from the "
             "asyncio client of this script") + "\n")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    base_before = in_process(body, args.seconds)
    rows = []
    results: dict[tuple[int, bool, int], dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        floor = Floor(tmp, answer_of(body))
        try:
            floors = {n: measure(floor.port, n, min(args.seconds, 2.0), floor) for n in clients}
        finally:
            floor.stop()
        for workers, logged in ((1, False), (1, True), (2, False), (2, True)):
            log = tmp / f"log-{workers}.db" if logged else None
            server = Server(workers, log, tmp)
            try:
                for n in clients:
                    r = measure(server.port, n, args.seconds, server)
                    results[(workers, logged, n)] = r
                    rows.append([workers, "on" if logged else "off", n, r["requests"], r["rps"], r["p50"], r["p99"],
                                 r["cpu_us"], r["client_us"], r["errors"]])
            finally:
                server.stop()
            if log is not None:
                import sqlite3

                with sqlite3.connect(log) as db:
                    count = db.execute("SELECT COUNT(*) FROM decisions").fetchone()[0]
                sent = sum(results[(workers, True, n)]["requests"] for n in clients)
                print(f"decision log, {workers} worker(s): {count} rows for {sent} measured requests "
                      f"(+ warm-up requests)")
    base_after = in_process(body, args.seconds)
    busy = in_process_beside_a_busy_core(body, args.seconds)
    plain = (base_before[0] + base_after[0]) / 2
    whole = (base_before[1] + base_after[1]) / 2
    print()
    rows += [["floor", "-", n, f["requests"], f["rps"], f["p50"], f["p99"], f["cpu_us"], f["client_us"], f["errors"]]
             for n, f in floors.items()]
    print(table(["workers", "log", "clients", "requests", "req/s", "p50 ms", "p99 ms", "server CPU µs/req",
                 "client CPU µs/req", "non-200"], rows))
    print("(floor: uvicorn answering a fixed body of the same size, no work: what HTTP costs a request)")
    print()
    print(f"in-process Engine.evaluate (validated facts): {plain:,.0f}/s "
          f"(before {base_before[0]:,.0f}, after {base_after[0]:,.0f})")
    print(f"in-process parse + evaluate + serialise (the request's work): {whole:,.0f}/s "
          f"(before {base_before[1]:,.0f}, after {base_after[1]:,.0f})")
    cpu_plain = (base_before[2] + base_after[2]) / 2
    cpu_whole = (base_before[3] + base_after[3]) / 2
    cpu_server = min(results[(1, False, n)]["cpu_us"] for n in clients)
    cpu_logged = min(results[(1, True, n)]["cpu_us"] for n in clients)
    print(f"CPU per call, in-process: Engine.evaluate {cpu_plain:.0f} µs, the request's work {cpu_whole:.0f} µs; "
          f"per request, one worker: {cpu_server:.0f} µs (log off), {cpu_logged:.0f} µs (log on)")
    best1 = max(results[(1, False, n)]["rps"] for n in clients)
    best2 = max(results[(2, False, n)]["rps"] for n in clients)
    on1 = max(results[(1, True, n)]["rps"] for n in clients)
    top = max(clients)
    print("\ntargets:")
    print(f"  one worker / in-process Engine.evaluate: {best1 / plain:.2f}× (target ≥ 0.5×); "
          f"/ in-process request work: {best1 / whole:.2f}×")
    print(f"  p99 at {top} clients, one worker: {results[(1, False, top)]['p99']:.1f} ms; two workers: "
          f"{results[(2, False, top)]['p99']:.1f} ms (target ≤ 20 ms)")
    print(f"  two workers / one: {best2 / best1:.2f}× (target ≥ 1.7×; needs a core each plus one for the clients)")
    print(f"  logging on / off, one worker: {on1 / best1:.2f}× (cost {100 * (1 - on1 / best1):.0f}%, "
          f"target ≤ 15%)")
    print("load-independent (CPU time, which a loaded machine does not distort as it does wall time):")
    print(f"  one worker's CPU capacity / in-process Engine.evaluate: {cpu_plain / cpu_server:.2f}×; "
          f"/ the request's work in-process: {cpu_whole / cpu_server:.2f}×")
    print(f"  logging's CPU cost per request: {100 * (cpu_logged / cpu_server - 1):.0f}%")
    print(f"in-process beside a busy core (another process spinning, as the clients do during the HTTP cells): "
          f"Engine.evaluate {busy[2]:.0f} µs, the request's work {busy[3]:.0f} µs CPU a call")
    floor_cpu = min(f["cpu_us"] for f in floors.values())
    client_cpu = min(results[(1, False, n)]["client_us"] for n in clients)
    ceiling = 1e6 / (cpu_whole + floor_cpu)
    print("arithmetic (CPU per request):")
    print(f"  a worker needs at least the request's work in-process ({cpu_whole:.0f} µs) plus the HTTP floor "
          f"({floor_cpu:.0f} µs): at most {ceiling:,.0f} req/s on a core of its own, "
          f"{ceiling * cpu_plain / 1e6:.2f}× Engine.evaluate; measured server CPU {cpu_server:.0f} µs")
    print(f"  beside a busy core the same work costs {busy[3]:.0f} µs: with the floor, {busy[3] + floor_cpu:.0f} µs "
          f"a request, which is what the server's {cpu_server:.0f} µs is to be compared with")
    two = 2e6 / (cpu_server + client_cpu)
    print(f"  one worker with a core of its own (the clients on the other) answers at most {1e6 / cpu_server:,.0f} "
          f"req/s; two workers and the clients ({client_cpu:.0f} µs a request) share the 2 cores: at most "
          f"{two:,.0f} req/s, {two * cpu_server / 1e6:.2f}× one worker — on a machine nobody else uses")
    print(f"  32 clients in a closed loop wait 32 / throughput on average: {32e3 / best1:.1f} ms at {best1:,.0f} "
          f"req/s; p99 ≤ 20 ms needs well over {32e3 / 20:,.0f} req/s")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
