"""`liability serve` sends its answers at once (TCP_NODELAY) on every connection, with any number of workers.

With `--workers N` uvicorn binds the listening socket itself, as `socket.socket(family=...)`, whose `proto` reads
0; asyncio sets TCP_NODELAY only on a socket whose `proto` is IPPROTO_TCP, so the workers' connections kept Nagle's
algorithm, and an answer written in two parts (headers, body) waited ~40 ms for the client's delayed ACK (two
workers answered one client 23 times a second). The server's protocol (`service.connection.NoDelayProtocol`) sets
the option itself. Tested here on a socket made as uvicorn makes it for its workers, with uvicorn's own server
loop (asyncio, as `liability serve` runs it).
"""

from __future__ import annotations

import asyncio
import socket

import pytest

pytest.importorskip("uvicorn", reason="the server tests need the server extra (uvicorn)")

import uvicorn  # noqa: E402

from liability_engine.service.connection import NoDelayProtocol  # noqa: E402


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


def test_the_serve_command_gives_uvicorn_this_protocol():
    import inspect

    from liability_engine.cli import serve

    assert "http=NoDelayProtocol" in inspect.getsource(serve._run)
