"""How `liability serve`'s workers take connections (service/connection.py): each listens on a socket of its own,
so that the kernel spreads clients over the workers, and they send their answers at once (TCP_NODELAY).

Sockets of their own: uvicorn binds one listening socket and hands it to every worker, and a worker's loop accepts
every connection waiting when it wakes, so a burst of clients nearly always landed in one worker, the other idle.
On Linux each worker listens on its own socket bound to the same address with SO_REUSEPORT (`own_listener`).
Tested on the sockets themselves (two such listeners beside a socket bound as uvicorn binds it: 32 connections
spread over both) and on a real server with two workers (32 clients connecting together: each worker holds a share).

TCP_NODELAY: with `--workers N` uvicorn binds the listening socket itself, as `socket.socket(family=...)`, whose
`proto` reads 0; asyncio sets TCP_NODELAY only on a socket whose `proto` is IPPROTO_TCP, so the workers'
connections kept Nagle's algorithm, and an answer written in two parts (headers, body) waited ~40 ms for the
client's delayed ACK (two workers answered one client 23 times a second). The server's protocol
(`NoDelayProtocol`) sets the option itself. Tested on a socket made as uvicorn makes it for its workers, with
uvicorn's own server on asyncio's loop, as `liability serve` runs it.
"""

from __future__ import annotations

import asyncio
import os
import socket
import time
from pathlib import Path

import pytest

pytest.importorskip("uvicorn", reason="the server tests need the server extra (uvicorn)")

import uvicorn  # noqa: E402

from liability_engine.service.connection import NoDelayProtocol, own_listener  # noqa: E402
from serving import Server  # noqa: E402


async def _app(scope, receive, send):  # pragma: no cover - no request is sent
    pass


def _server_side_nodelay(http: object) -> int:
    """TCP_NODELAY of the server's end of a connection that uvicorn's server (with `http`, the protocol
    `liability serve` names, or one of uvicorn's) accepts on a socket bound as uvicorn binds it for workers."""
    config = uvicorn.Config(_app, http=http, loop="asyncio", lifespan="off", log_level="warning")
    listener = socket.socket(family=socket.AF_INET)  # as uvicorn.Config.bind_socket: proto 0
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    assert listener.proto == 0

    async def run() -> int:
        server = uvicorn.Server(config)
        serving = asyncio.create_task(server.serve(sockets=[listener]))
        writer = None
        try:
            for _ in range(1000):  # until it listens (bounded: 10 s)
                if server.started or serving.done():
                    break
                await asyncio.sleep(0.01)
            _, writer = await asyncio.open_connection(*listener.getsockname())
            for _ in range(1000):  # until the server has the connection
                if server.server_state.connections or serving.done():
                    break
                await asyncio.sleep(0.01)
            (protocol,) = server.server_state.connections
            return protocol.transport.get_extra_info("socket").getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
        finally:
            if writer is not None:
                writer.close()
            server.should_exit = True
            await asyncio.wait_for(serving, 30)

    return asyncio.run(run())


def test_a_worker_connection_sends_at_once():
    assert _server_side_nodelay(NoDelayProtocol) != 0


@pytest.mark.parametrize("workers, loop", [(1, "asyncio"), (2, "liability_engine.service.connection:WorkerLoop")])
def test_the_serve_command_runs_uvicorn_with_this_protocol_and_loop(monkeypatch: pytest.MonkeyPatch, workers: int,
                                                                    loop: str) -> None:
    from liability_engine.cli import serve
    from liability_engine.service.config import CONFIG_ENV, ServiceConfig
    from liability_engine.web.session import SESSION_KEY_ENV

    asked: dict[str, object] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: asked.update(options, app=app))
    for name in (CONFIG_ENV, SESSION_KEY_ENV):  # what _run puts in the environment, taken out again afterwards
        monkeypatch.setenv(name, "")
    serve._run(ServiceConfig(auth=False), "127.0.0.1", 8080, workers)
    assert asked["http"] is NoDelayProtocol and asked["loop"] == loop and asked["workers"] == workers
    assert uvicorn.Config(_app, loop=loop).get_loop_factory() is not None  # uvicorn can load the loop it is named


LINUX = pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="SO_REUSEPORT spreading and /proc: Linux")


@LINUX
def test_listeners_of_their_own_share_the_connections() -> None:
    shared = socket.socket(family=socket.AF_INET)  # as uvicorn.Config.bind_socket: bound, never listening
    shared.bind(("127.0.0.1", 0))
    listeners = [own_listener(shared), own_listener(shared)]  # two workers
    assert all(listener is not None for listener in listeners)
    clients = []
    try:
        for listener in listeners:
            listener.listen(64)
            listener.setblocking(False)
        clients = [socket.create_connection(shared.getsockname()) for _ in range(32)]
        taken = []
        for listener in listeners:
            count = 0
            while True:
                try:
                    conn, _ = listener.accept()
                except BlockingIOError:
                    break
                conn.close()
                count += 1
            taken.append(count)
    finally:
        for conn in clients:
            conn.close()
        for listener in listeners:
            listener.close()
        shared.close()
    assert sum(taken) == 32 and min(taken) >= 4, taken  # one shared listener: all 32 to whoever accepts first


def _sockets_on(port: int, state: str) -> set[str]:
    """The inodes of the TCP sockets whose local port is `port`, in `state` (01 established, 0A listening)."""
    found = set()
    with open("/proc/net/tcp") as table:
        for line in table.readlines()[1:]:
            fields = line.split()
            if fields[1].endswith(f":{port:04X}") and fields[3] == state:
                found.add(fields[9])
    return found


def _connections_by_process(server: Server) -> dict[int, int]:
    """The server's established connections on its port, by the process (worker) holding each."""
    inodes = _sockets_on(server.port, "01")
    found: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[2]) != server.proc.pid:  # its group
                continue
            links = [os.readlink(fd) for fd in (entry / "fd").iterdir()]
        except OSError:
            continue
        held = sum(1 for link in links if link.startswith("socket:[") and link[8:-1] in inodes)
        if held:
            found[int(entry.name)] = held
    return found


def evaluate_request() -> bytes:
    """A whole POST /v1/evaluate of the sample facts (YAML), as raw bytes on a keep-alive connection."""
    body = (Path(__file__).resolve().parent.parent / "facts" / "forged-interrogation-record.yaml").read_bytes()
    return (b"POST /v1/evaluate HTTP/1.1\r\nHost: x\r\nContent-Type: application/yaml\r\nContent-Length: "
            + str(len(body)).encode() + b"\r\n\r\n" + body)


def two_workers(tmp_path: Path) -> Server:
    """`liability serve --workers 2`, once both workers listen (ready when one answers; the other may still be
    starting)."""
    srv = Server(tmp_path, "--workers", "2", "--insecure-no-auth", "--no-access-log")
    deadline = time.monotonic() + 60
    while len(_sockets_on(srv.port, "0A")) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    return srv


@LINUX
def test_two_workers_share_a_burst_of_clients(tmp_path: Path) -> None:
    """32 clients connecting together, each sending facts as soon as it is connected (as a load generator does,
    from one thread): both workers hold a share of the connections. With asyncio's own loop, the worker that woke
    first accepted all 32 (measured with wrk)."""
    import selectors

    request = evaluate_request()
    srv = two_workers(tmp_path)
    clients: list[socket.socket] = []
    try:
        with selectors.DefaultSelector() as sel:
            for _ in range(32):
                conn = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                conn.setblocking(False)
                conn.connect_ex(("127.0.0.1", srv.port))
                clients.append(conn)
                sel.register(conn, selectors.EVENT_WRITE)
            answered: dict[socket.socket, bytes] = {}
            deadline = time.monotonic() + 60
            while len(answered) < 32 and time.monotonic() < deadline:
                for key, events in sel.select(1):
                    conn = key.fileobj  # type: ignore[assignment]
                    if events & selectors.EVENT_WRITE:
                        conn.sendall(request)  # connected: the request at once
                        sel.modify(conn, selectors.EVENT_READ)
                    else:
                        answered[conn] = answered.get(conn, b"") + conn.recv(65536)
                        if b"\r\n\r\n" in answered[conn]:
                            sel.unregister(conn)
        assert sorted(v[:12] for v in answered.values()) == [b"HTTP/1.1 200"] * 32
        # a worker over its share closes as many as it holds over it (test_server_balance.py), once answered
        closed = sum(1 for v in answered.values() if b"\r\nconnection: close\r\n" in v.lower())
        time.sleep(0.5)
        held = _connections_by_process(srv)
    finally:
        for conn in clients:
            conn.close()
        srv.stop()
    assert sum(held.values()) + closed == 32, (held, closed)
    assert len(held) == 2 and min(held.values()) >= 4, held


def test_a_worker_freezes_what_it_built_before_serving() -> None:
    """A worker's rulebook, rulesets and app live as long as it does: frozen (gc.freeze), a full collection no longer
    scans them while every request the worker holds waits (80 ms a full collection unfrozen, 36 ms frozen). And the
    full collections are the worker's timer's (service/collector.py), which its lifespan starts and stops."""
    import subprocess
    import sys

    code = ("import asyncio, gc; from liability_engine.service import collector; "
            "from liability_engine.service.app import app_from_env; gc.collect(); "
            "imported = len(gc.get_objects()); app = app_from_env(); "
            "print(imported, gc.get_freeze_count(), len(gc.get_objects()), collector.settled()); "
            "collector.FULL_EVERY = 0.05\n"
            "async def main():\n"
            "    async with app.router.lifespan_context(app):\n"
            "        start = gc.get_stats()[2]['collections']\n"
            "        for _ in range(200):\n"  # until the timer has run twice: 10 s at most on a loaded machine
            "            await asyncio.sleep(0.05)\n"
            "            if gc.get_stats()[2]['collections'] - start >= 2: break\n"
            "        during = gc.get_stats()[2]['collections'] - start\n"
            "    await asyncio.sleep(0.2); return during, gc.get_stats()[2]['collections'] - start - during\n"
            "print(*asyncio.run(main()))")
    env = {**os.environ, "LIABILITY_SERVE_CONFIG": '{"auth": false, "access_log": false}'}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    first, second = out.stdout.splitlines()
    imported, frozen, left, settled = first.split()
    assert int(frozen) > int(imported) + 10_000  # the modules, and what the worker built after them: rulebook, app
    assert int(left) < 1_000  # nothing of it is left for the collector to scan
    if sys.version_info < (3, 14):
        during, after = map(int, second.split())
        assert settled == "True" and during >= 2 and after == 0  # full collections while it serves, none after
