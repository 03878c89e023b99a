"""Keep-alive connections spread evenly over the workers of one `liability serve --workers N`.

Each worker listens on a socket of its own (connection.py) and the kernel hashes every new connection to one of
them, so a client's connections land unevenly: 32 connections of one load generator over two workers split 10/22,
12/20, 14/18 … 16/16 (15 bursts, measured), and a keep-alive connection stays where it landed. A worker answers its
connections in turn, so the clients of the fuller worker wait longer, for as long as the connections last.

The workers of one server share a small table, a file the parent creates in a private folder and every worker maps
in memory: a row per worker, its process id and the connections it holds open. A worker writes its own row only.
When a worker holds more than its share — the connections of the live workers divided by their number, rounded up —
it answers one request of a connection with `Connection: close` (HTTP/1.1: the client opens a new connection, which
the kernel hashes again), as many as it holds over its share, no more. A row whose process is gone is not counted,
and the worker uvicorn starts in its place takes it. Nothing here is needed for correctness: without the table (one
worker, or no `fcntl` on this platform) every connection stays where it landed.
"""

from __future__ import annotations

import mmap
import os
import struct
from pathlib import Path
from typing import Any, Hashable

__all__ = ["ConnectionTable", "create_table", "install", "installed"]

_ROW = struct.Struct("<qq")  # process id, open connections


def create_table(path: Path, rows: int) -> None:
    """The empty table of a server with room for `rows` workers (the parent, before any worker starts)."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, bytes(_ROW.size * rows))
    finally:
        os.close(fd)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover - another user's process reusing the id: not one of ours
        return False
    return True


class ConnectionTable:
    """This worker's row of the table at `path`: `opened()` and `closed(peer)` as connections come and go, and
    `should_close(peer)` when a response to `peer` starts."""

    def __init__(self, path: str | Path, pid: int | None = None):
        import fcntl

        self.pid = pid if pid is not None else os.getpid()
        self._fd = os.open(path, os.O_RDWR)
        self._map = mmap.mmap(self._fd, 0)
        self.rows = len(self._map) // _ROW.size
        self.open = 0
        self._leaving: set[Hashable] = set()  # peers told to close, not yet gone
        fcntl.flock(self._fd, fcntl.LOCK_EX)  # one worker at a time takes a row
        try:
            for row in range(self.rows):
                pid_there, _ = _ROW.unpack_from(self._map, row * _ROW.size)
                if pid_there == 0 or pid_there == self.pid or not _alive(pid_there):
                    self.row = row
                    _ROW.pack_into(self._map, row * _ROW.size, self.pid, 0)
                    break
            else:
                raise OSError(f"no free row in {path} ({self.rows} rows)")
        finally:
            fcntl.flock(self._fd, fcntl.LOCK_UN)

    def _write(self) -> None:
        _ROW.pack_into(self._map, self.row * _ROW.size, self.pid, self.open)

    def opened(self) -> None:
        self.open += 1
        self._write()

    def closed(self, peer: Hashable) -> None:
        self.open = max(0, self.open - 1)
        self._leaving.discard(peer)
        self._write()

    def counts(self) -> list[int]:
        """The open connections of each live worker, this one's first."""
        found = [self.open]
        for row in range(self.rows):
            if row != self.row:
                pid, held = _ROW.unpack_from(self._map, row * _ROW.size)
                if pid and _alive(pid):
                    found.append(held)
        return found

    def should_close(self, peer: Hashable) -> bool:
        """Whether the response now starting to `peer` should close its connection: this worker holds more than
        its share, not counting the connections it has already told to close."""
        if peer in self._leaving:
            return True
        counts = self.counts()
        if len(counts) < 2:
            return False
        share = -(-sum(counts) // len(counts))  # rounded up; those told to close come back, to one worker or another
        if self.open - len(self._leaving) > share:
            self._leaving.add(peer)
            return True
        return False

    def close(self) -> None:
        """Leave the table (a worker shutting down): its row is free for another."""
        try:
            _ROW.pack_into(self._map, self.row * _ROW.size, 0, 0)
            self._map.close()
        finally:
            os.close(self._fd)


_table: list[ConnectionTable | None] = [None]


def install(path: str | None) -> ConnectionTable | None:
    """This worker's row of the server's table (`ServiceConfig.connections`), used by the protocol and the front;
    None without a table or where it cannot be shared (no `fcntl`, the file gone)."""
    if path is None:
        return None
    try:
        _table[0] = ConnectionTable(path)
    except (ImportError, OSError, ValueError):
        _table[0] = None
    return _table[0]


def installed() -> Any:
    """The table this worker installed, or None."""
    return _table[0]
