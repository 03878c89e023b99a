"""The HTTP protocol `liability serve` gives uvicorn: uvicorn's own (httptools' C parser when it is installed, else
h11), with TCP_NODELAY set on every connection.

asyncio sets TCP_NODELAY on a connection only when its socket says it is TCP (`sock.proto == IPPROTO_TCP`). With
one worker uvicorn lets asyncio create the listening socket, and it does; with `--workers N` uvicorn binds the socket
itself (`socket.socket(family=...)`, whose proto reads 0) and hands it to the workers, so their connections kept
Nagle's algorithm on: an answer written in two parts (the headers, then the body) waited for the client's delayed
acknowledgement, ~40 ms a request (measured: two workers answered 23 requests a second to one client, one worker
1,794). uvloop, which set the option on every TCP connection, had hidden it; the server now runs on asyncio's loop.
"""

from __future__ import annotations

import socket
from typing import Any

from uvicorn.protocols.http.auto import AutoHTTPProtocol

__all__ = ["NoDelayProtocol", "no_delay"]


def no_delay(transport: Any) -> None:
    """Send small writes at once on this connection (TCP_NODELAY), if it is a TCP connection."""
    sock = transport.get_extra_info("socket")
    if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6) and sock.type == socket.SOCK_STREAM:
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:  # pragma: no cover - a connection already closed: nothing to speed up
            pass


class NoDelayProtocol(AutoHTTPProtocol):  # type: ignore[misc, valid-type]
    """uvicorn's HTTP protocol, with TCP_NODELAY on each connection it is given."""

    def connection_made(self, transport: Any) -> None:  # noqa: D102
        no_delay(transport)
        super().connection_made(transport)
