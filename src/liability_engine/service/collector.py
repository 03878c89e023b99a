"""The cyclic garbage collector of a serving worker: young objects collected as CPython does, the old generation
on a timer.

A worker answers the requests it holds one after another on its event loop, so a pause of the collector holds up
every one of them (16 at 32 clients and two workers). CPython's full collection (its generation 2) scans every
object that survived the younger ones: in a worker, mostly what the engine's memos keep (~100,000 objects),
55-60 ms a time, several times a minute under load. The requests themselves leave no cyclic garbage there:
measured in a worker at 1,100 requests/s of new facts, a full collection every 3 s found 0-7 unreachable objects
(150 when the 32 clients closed their connections); what a request builds and drops in cycles dies young and is
collected by generations 0 and 1, which stay automatic.

So `settle()` (at a worker's start) freezes what the worker built to serve, as before, and leaves generation 2
out of the automatic collections; `FullCollections(loop)` runs the full collection on the worker's event loop every
FULL_EVERY seconds, which still frees the old cyclic garbage (connections closed, answers dropped from a memo)
while its pause reaches a few requests a minute instead of the requests of every few seconds.
Measured (benchmarks/bench_server.py --facts generated, 32 clients, 3 rounds): p99 with two workers 26.4 → 19.6 ms,
and with the decision log 52.2 → 23.5 ms.

The timer is started by the app's lifespan (service/app.py), which uvicorn runs in every worker of `liability
serve`; a process that calls `settle()` and runs the app without its lifespan would free old cycles only when it
calls gc.collect() itself. Python 3.14's collector is incremental (no full-heap pause to move): there `settle()`
only freezes.
"""

from __future__ import annotations

import asyncio
import gc
import sys

__all__ = ["settle", "settled", "FullCollections", "FULL_EVERY", "OLD_NEVER"]

FULL_EVERY = 60.0      # seconds between two full collections of a settled worker
OLD_NEVER = 1 << 30    # generation 2's threshold: the automatic collections never reach it


def settle() -> bool:
    """At a worker's start, once it has built what it serves with: freeze it (the collector never scans it again),
    and take generation 2 out of the automatic collections. Whether generation 2 is now left to FullCollections."""
    gc.collect()
    gc.freeze()
    if sys.version_info >= (3, 14):  # incremental: no full-heap pause
        return False
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, OLD_NEVER)
    return True


def settled() -> bool:
    """Whether this process left generation 2 to FullCollections (`settle` ran here)."""
    return gc.get_threshold()[2] == OLD_NEVER


class FullCollections:
    """The full collections of a settled worker: on its event loop, every `seconds`, until `stop()`."""

    def __init__(self, loop: asyncio.AbstractEventLoop, seconds: float = FULL_EVERY):
        self.loop, self.seconds = loop, seconds
        self.count = 0
        self._handle: asyncio.TimerHandle | None = self.loop.call_later(self.seconds, self._collect)

    def _collect(self) -> None:
        gc.collect()
        self.count += 1
        if self._handle is not None:  # not stopped meanwhile
            self._handle = self.loop.call_later(self.seconds, self._collect)

    def stop(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None
