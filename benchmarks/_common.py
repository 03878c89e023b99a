"""Helpers shared by the benchmark scripts: the machine, timing, tables, the raw durable-rules baseline."""

from __future__ import annotations

import os
import platform
import random
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any, Callable, Sequence

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))


def machine() -> str:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    mem = "?"
    try:
        kb = int(next(l for l in Path("/proc/meminfo").read_text().splitlines() if l.startswith("MemTotal")).split()[1])
        mem = f"{kb / 1024 / 1024:.0f} GiB"
    except (OSError, StopIteration, ValueError):
        pass
    load = " ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    return (f"{platform.system()} {platform.machine()}, {cpu}, {cores} cores, {mem}; Python "
            f"{platform.python_version()}; load average {load}")


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    cells = [[str(h) for h in headers]] + [[_fmt(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(cells[0], widths)) + " |",
             "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    for row in cells[1:]:
        lines.append("| " + " | ".join(c.rjust(w) if _numeric(c) else c.ljust(w) for c, w in zip(row, widths)) + " |")
    return "\n".join(lines)


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        if value >= 100:
            return f"{value:,.0f}"
        if value >= 10:
            return f"{value:.1f}"
        return f"{value:.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _numeric(text: str) -> bool:
    return bool(text) and (text[0].isdigit() or text[0] in "-+.") and not text.startswith("-- ")


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def clock() -> float:
    return time.perf_counter()


def cli() -> list[str]:
    script = Path(sys.executable).with_name("liability")
    return [str(script)] if script.exists() else [sys.executable, "-m", "liability_engine"]


def precompile() -> None:
    """Byte-compile the package, as `pip install` does for a wheel (an editable install does not, and
    this machine sets PYTHONDONTWRITEBYTECODE, so every run would compile the sources again)."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src")], check=True)


# --- the raw baseline: durable-rules as the notes' example drives it ------------------------------------

KINDS = ("合同", "协议", "借款", "担保", "租赁", "买卖", "承揽", "委托")
TEXTS = ("本合同违约责任由乙方承担", "双方协商一致", "逾期未付款构成违约", "普通条款", "保证期间为两年", "租赁物交付")
TAGS = ("nda", "urgent", "vip", "audit", "foreign", "sealed")


class RawBaseline:
    """A legal-style ruleset of `rules` rules, 2-4 conditions each (eq, $gt, $lt, $gte, $iany, $mt on Chinese
    text, $nex), registered on a QuietHost with the __probe__ sentinel, run with assert_fact + delete_state on a
    fresh uuid sid per fact: durable-rules/notes §1 and §4, sized like the compiled 2024 ruleset.

    `definition` replaces the generated ruleset (e.g. the compiled 2024 ruleset, run raw)."""

    def __init__(self, rules: int, seed: int = 7, definition: dict[str, Any] | None = None, name: str = "raw"):
        from durable import engine

        class QuietHost(engine.Host):  # type: ignore[misc]
            def _run(self) -> None:
                pass

        self.fired = 0
        rng = random.Random(seed)

        def count(_c: Any) -> None:
            self.fired += 1

        if definition is None:
            definition = {}
            for i in range(rules):
                n = 2 + i % 3
                conds: list[Any] = [{"type": KINDS[i % len(KINDS)]}]
                for k in range(n - 1):
                    r = (i + k) % 6
                    if r == 0:
                        conds.append({"$gt": {"amount": rng.randrange(500, 3000)}})
                    elif r == 1:
                        conds.append({"$lt": {"days": rng.randrange(150, 330)}})
                    elif r == 2:
                        conds.append({"$gte": {"score": rng.randrange(1, 5)}})
                    elif r == 3:
                        conds.append({"$iany": {"tags": {"$i": rng.choice(TAGS[:3])}}})
                    elif r == 4:
                        conds.append({"$mt": {"text": ".*违约.*"}})
                    else:
                        conds.append({"$nex": {"cancelled": 1}})
                definition[f"R{i:03d}"] = {"all": [{"m": {"$and": conds}}]}
        for rule in definition.values():
            rule["run"] = count
        definition["__sentinel__"] = {"pri": 1000, "all": [{"m": {"$ex": {"__probe__": 1}}}],
                                      "run": lambda c: None}
        self.rules = len(definition) - 1
        self.host = QuietHost()
        self.name = name
        self.host.register_rulesets({name: definition})

    @staticmethod
    def facts(count: int, seed: int = 11) -> list[dict[str, Any]]:
        rng = random.Random(seed)
        return [{"id": f"doc-{i}", "type": rng.choice(KINDS), "amount": rng.randrange(0, 6000),
                 "days": rng.randrange(0, 366), "score": rng.randrange(0, 10), "tags": rng.sample(TAGS, 2),
                 "text": rng.choice(TEXTS), "__probe__": 1} for i in range(count)]

    def run(self, facts: list[dict[str, Any]]) -> float:
        """Seconds for assert_fact + delete_state on every fact."""
        host, name = self.host, self.name
        start = time.perf_counter()
        for fact in facts:
            sid = uuid.uuid4().hex
            message = dict(fact)
            message["sid"] = sid
            try:
                host.assert_fact(name, message)
            finally:
                host.delete_state(name, sid)
        return time.perf_counter() - start


def rate_rounds(rounds: int, subjects: dict[str, Callable[[], tuple[float, int]]]) -> dict[str, list[float]]:
    """Interleave the subjects round by round (so machine load hits them alike); per-round rates."""
    rates: dict[str, list[float]] = {k: [] for k in subjects}
    for _ in range(rounds):
        for key, run in subjects.items():
            seconds, count = run()
            rates[key].append(count / seconds)
    return rates
