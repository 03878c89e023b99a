"""How `liability serve`'s workers take connections: the event loop they run and the HTTP protocol they speak.

`WorkerLoop`: asyncio's selector loop (not uvloop: with evaluations on the loop, uvloop served some clients far
behind the others, a p99 4.5-5 times asyncio's at the same throughput), on which each worker listens on a socket of
its own. uvicorn binds one listening socket in the parent and hands it to every worker, and each worker's loop
accepts every connection waiting when it wakes: 32 clients connecting together mostly landed in one worker, the
other idle (measured with the sample: two workers answered 1.27 times one; of 6 bursts of 32 connections, 4 all in
one worker and one 30/2 with uvloop, 5 all in one and one 31/1 with asyncio's loop). On Linux each worker now
listens on its own socket bound to the same address with SO_REUSEPORT, and the kernel spreads the connections over
the workers. uvicorn's socket, which nobody listens on, only holds the address (it is marked SO_REUSEPORT so that
the workers' sockets may join it; the kernel lets only processes of the same user join). Elsewhere, or if that
fails, the worker listens on uvicorn's socket as before. The kernel's spread is even on average only; the workers
keep their shares of the connections even by closing some (balance.py), which the protocol counts here.

`NoDelayProtocol`: uvicorn's HTTP protocol (httptools' C parser when it is installed, else h11), with TCP_NODELAY
set on every connection. asyncio sets TCP_NODELAY only on a socket whose `proto` says TCP; the socket uvicorn binds
for its workers (`socket.socket(family=...)`) reads 0, so their connections kept Nagle's algorithm: an answer
written in two parts (the headers, then the body) waited for the client's delayed acknowledgement, ~40 ms a request
(two workers answered one client 23 times a second, one worker 1,794). uvloop set the option itself, which hid it.
"""

from __future__ import annotations

import asyncio
import socket
import sys
from typing import Any

from uvicorn.protocols.http.auto import AutoHTTPProtocol

from .balance import installed

__all__ = ["WorkerLoop", "NoDelayProtocol", "no_delay", "own_listener"]


def own_listener(shared: socket.socket) -> socket.socket | None:
    """A socket of this process's own, bound to `shared`'s address with SO_REUSEPORT (Linux), or None where the
    kernel cannot spread connections over such sockets or the address cannot be shared."""
    if not sys.platform.startswith("linux") or not hasattr(socket, "SO_REUSEPORT"):
        return None
    if shared.family not in (socket.AF_INET, socket.AF_INET6) or shared.type != socket.SOCK_STREAM:
        return None
    own = socket.socket(shared.family, socket.SOCK_STREAM)
    try:
        shared.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)  # the placeholder lets the workers' sockets in
        own.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        own.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        own.bind(shared.getsockname()[:2])
    except OSError:
        own.close()
        return None
    return own


class WorkerLoop(asyncio.SelectorEventLoop):
    """asyncio's selector event loop, on which a server given a shared listening socket listens on a socket of its
    own instead (`own_listener`); uvicorn creates it in each worker
    (`loop="liability_engine.service.connection:WorkerLoop"`)."""

    async def create_server(  # type: ignore[override]
            self, protocol_factory: Any, host: Any = None, port: Any = None, *, sock: socket.socket | None = None,
            **options: Any) -> asyncio.Server:
        own = own_listener(sock) if sock is not None else None
        return await super().create_server(protocol_factory, host, port, sock=own or sock, **options)


def no_delay(transport: Any) -> None:
    """Send small writes at once on this connection (TCP_NODELAY), if it is a TCP connection."""
    sock = transport.get_extra_info("socket")
    if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6) and sock.type == socket.SOCK_STREAM:
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:  # pragma: no cover - a connection already closed: nothing to speed up
            pass


class NoDelayProtocol(AutoHTTPProtocol):  # type: ignore[misc, valid-type]
    """uvicorn's HTTP protocol, with TCP_NODELAY on each connection it is given; each connection counted in the
    workers' table where there is one (balance.py)."""

    def connection_made(self, transport: Any) -> None:  # noqa: D102
        no_delay(transport)
        super().connection_made(transport)
        self._table = installed()
        if self._table is not None:
            self._table.opened()

    def send_400_response(self, msg: str) -> None:  # noqa: D102
        """A request the HTTP parser cannot read (a method it does not know, a Content-Length that is not a number,
        a line too long): 400 in the error shape (liability-error/1), as every other error, instead of uvicorn's
        text/plain "Invalid HTTP request received."; the connection closed, as uvicorn does."""
        from ..i18n import msg as catalogue
        from .errors import error_bytes

        words = catalogue("input_hunt.unreadable_request")
        state = _service(self.app)
        body = error_bytes(400, "request", [{"message": str(words), "message_zh": words.zh}],
                           state.info_json if state is not None else b"{}")
        head = [b"HTTP/1.1 400 Bad Request", b"content-type: application/json", b"content-length: %d" % len(body),
                b"connection: close"]
        stamp = [*self.server_state.default_headers, *(state.headers if state is not None else ())]
        head += [name + b": " + value for name, value in stamp]
        self.transport.write(b"\r\n".join(head) + b"\r\n\r\n" + body)
        self.transport.close()

    def connection_lost(self, exc: Any) -> None:  # noqa: D102
        if getattr(self, "_table", None) is not None:
            self._table.closed(self.client)  # the peer, as the request's scope["client"] names it
            self._table = None
        super().connection_lost(exc)


def _service(app: Any) -> Any:
    """The service's state (its stamp: `info_json` and the headers) of the application uvicorn runs, through the
    middlewares it wraps it in; None where there is none."""
    for _ in range(8):
        state = getattr(getattr(app, "state", None), "service", None)
        if state is not None:
            return state
        app = getattr(app, "app", None)
        if app is None:
            break
    return None
