"""A serving worker's garbage collector (service/collector.py): generation 2 on a timer, nothing leaked.

Each test runs in a process of its own: the policy changes the whole interpreter's collector."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

pytestmark = pytest.mark.skipif(sys.version_info >= (3, 14), reason="Python 3.14's collector is incremental: "
                                "settle() only freezes there")

_CYCLES = """
import asyncio, gc, weakref
from liability_engine.service import collector

class Node:
    pass

dead = []

def cycle():
    a, b = Node(), Node()
    a.other, b.other = b, a
    weakref.finalize(a, dead.append, 1)
    return a

def churn():  # containers kept (CPython counts allocations less deallocations): many collections of gen. 0 and 1
    before = gc.get_stats()
    keep = [[i] for i in range(150 * gc.get_threshold()[0])]  # 700 objects a collection (3.11, 3.12), 2,000 (3.13)
    after = gc.get_stats()
    assert after[0]["collections"] - before[0]["collections"] > 100, (before, after)
    assert after[1]["collections"] > before[1]["collections"], (before, after)
    return after[2]["collections"] - before[2]["collections"]
"""


def _run(code: str) -> str:
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(_CYCLES) + textwrap.dedent(code)],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_a_settled_worker_still_collects_the_cycles_a_request_drops() -> None:
    """Generations 0 and 1 stay automatic: garbage cycles that die young are freed without a full collection."""
    assert _run("""
        assert collector.settle() and collector.settled()
        assert gc.get_threshold()[2] == collector.OLD_NEVER
        assert gc.get_freeze_count() > 0
        for _ in range(10):
            cycle()  # dropped at once
        full = churn()
        print(len(dead), full)
    """) == "10 0"


def test_old_cycles_wait_for_the_timer_and_the_timer_frees_them() -> None:
    """A cycle that lived long enough to reach generation 2 is not freed by the automatic collections once settled,
    and is by the worker's timed full collection (FullCollections), which stops when told."""
    assert _run("""
        collector.settle()
        old = cycle()
        gc.collect(1)  # survives generations 0 and 1: now in generation 2
        del old
        assert churn() == 0  # no full collection
        before = len(dead)

        async def main():
            full = collector.FullCollections(asyncio.get_running_loop(), seconds=0.05)
            for _ in range(200):  # until it has run twice (a loaded machine may hold the loop up): 10 s at most
                if full.count >= 2:
                    break
                await asyncio.sleep(0.05)
            full.stop()
            ran = full.count
            await asyncio.sleep(0.2)
            return ran, full.count

        ran, after_stop = asyncio.run(main())
        print(before, len(dead), ran >= 2, after_stop == ran)
    """) == "0 1 True True"


def test_without_settle_nothing_changes() -> None:
    """The policy is the serving worker's (app_from_env); a process that did not settle keeps CPython's own."""
    assert _run("""
        threshold = gc.get_threshold()
        assert not collector.settled()
        from liability_engine.service import create_app
        create_app()
        print(gc.get_threshold() == threshold, threshold[2] != collector.OLD_NEVER)
    """) == "True True"
