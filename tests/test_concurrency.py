"""One Engine under concurrent and long use (SPEC §6 "safe to share between threads", §7):

- 8 threads sharing one Engine give exactly the serial results, including the very first calls of a
  fresh process (durable-rules races on first use, docs/engine.md);
- 5,000 evaluations in one process stay clear of durable-rules' 1,024 live sessions per ruleset;
- a process forked after the Engine was made (even while other threads evaluate) evaluates
  correctly, with os.fork and with multiprocessing's fork context.

Anything that could crash the C extension runs in a child process with a timeout, so a segfault or a
hang fails one test instead of taking pytest down. Speed is measured by benchmarks/, never here.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import subprocess
import sys
import textwrap
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from conftest import AS_OF, ROOT
from liability_engine import Engine, Facts
from liability_engine.facts import Accident, Act, CaseKind, Cause, ExecutionIncident, Fault, OutcomeKind

THREADS = 8


def sample_facts(count: int, seed: int = 2024) -> list[dict[str, Any]]:
    """Varied valid facts (every era, act and fault; some outcome changes), as plain data."""
    rnd = random.Random(seed)
    first, span = dt.date(2014, 1, 1), (AS_OF - dt.date(2014, 1, 1)).days
    out = []
    for n in range(count):
        conducts = []
        for i in range(rnd.randint(1, 3)):
            conduct: dict[str, Any] = {
                "id": f"C{i + 1}", "date": (first + dt.timedelta(days=rnd.randrange(span + 1))).isoformat(),
                "act": rnd.choice(list(Act)).value, "fault": rnd.choice(list(Fault)).value,
                "knowing": rnd.random() < 0.5,
                "effects": {"wrongful_handling": rnd.random() < 0.5, "serious_consequence": rnd.random() < 0.5,
                            "bad_influence": rnd.random() < 0.5, "major_loss": rnd.random() < 0.3,
                            "conclusion_affected": rnd.random() < 0.7,
                            "accident": rnd.choice([None, *(a.value for a in Accident)]),
                            "execution_incident": rnd.choice([None, *(x.value for x in ExecutionIncident)])},
            }
            if rnd.random() < 0.3:
                conduct["outcome_change"] = {"kind": rnd.choice(list(OutcomeKind)).value,
                                             "cause": rnd.choice(list(Cause)).value}
            conducts.append(conduct)
        case: dict[str, Any] = {"id": f"K-{n}"}
        if rnd.random() < 0.7:
            case["kind"] = rnd.choice(list(CaseKind)).value
        out.append({"schema": "liability-facts/1", "case": case, "person": {"id": f"P-{n % 7}"},
                    "conducts": conducts})
    return out


def as_json(engine: Engine, data: dict[str, Any]) -> str:
    return engine.evaluate(Facts.model_validate(data), as_of=AS_OF).model_dump_json()


def run_child(code: str, *args: str, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    """A fresh Python process running `code` (sys.argv[1:] = args); tests/ is importable."""
    prelude = f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r})\n"
    return subprocess.run([sys.executable, "-c", prelude + textwrap.dedent(code), *args], capture_output=True,
                          text=True, timeout=timeout, cwd=str(ROOT), check=False)


def assert_child_ok(proc: subprocess.CompletedProcess[str]) -> None:
    assert proc.returncode == 0, \
        f"exit {proc.returncode} (negative: killed by a signal)\n{proc.stdout}\n{proc.stderr[-3000:]}"
    assert proc.stdout.strip().endswith("OK"), proc.stdout


# --- threads -----------------------------------------------------------------------------------


def test_eight_threads_sharing_one_engine_give_the_serial_results(engine: Engine) -> None:
    data = sample_facts(48)
    serial = [as_json(engine, d) for d in data]
    previous = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible
    try:
        barrier = threading.Barrier(THREADS)

        def work(seed: int) -> list[tuple[int, str]]:
            order = list(range(len(data)))
            random.Random(seed).shuffle(order)
            barrier.wait()
            return [(i, as_json(engine, data[i])) for i in order]

        with ThreadPoolExecutor(THREADS) as pool:
            results = list(pool.map(work, range(THREADS)))
    finally:
        sys.setswitchinterval(previous)
    for got in results:
        assert len(got) == len(data)
        for i, text in got:
            assert text == serial[i], f"thread result for {data[i]['case']['id']} differs from the serial one"


FIRST_CALLS = """
    import json, sys, threading, datetime as dt
    sys.setswitchinterval(1e-6)
    from test_concurrency import sample_facts
    from liability_engine import Engine, Facts
    AS_OF = dt.date(2026, 1, 1)
    data = sample_facts(24, seed=int(sys.argv[1]))
    barrier = threading.Barrier(8)
    results, errors = {}, []

    def work(k):
        try:
            barrier.wait()
            engine = Engine.default()  # made, and used for the first time, by 8 threads at once
            results[k] = [engine.evaluate(Facts.model_validate(d), as_of=AS_OF).model_dump_json()
                          for d in data[k::8] + data[:8]]
        except BaseException as exc:
            errors.append(repr(exc))

    threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
    for t in threads: t.start()
    for t in threads: t.join()
    assert not errors, errors
    engine = Engine.default()
    serial = [engine.evaluate(Facts.model_validate(d), as_of=AS_OF).model_dump_json() for d in data]
    python = Engine.default(backend="python")
    for k in range(8):
        want = serial[k::8] + serial[:8]
        assert results[k] == want, f"thread {k} differs from the serial results"
    for d, s in zip(data, serial):
        p = python.evaluate(Facts.model_validate(d), as_of=AS_OF).model_dump_json()
        assert p.replace('"backend":"python"', f'"backend":"{engine.backend}"') == s
    print("OK")
"""


@pytest.mark.parametrize("seed", [1, 2])
def test_the_first_calls_of_a_fresh_process_from_eight_threads(seed: int) -> None:
    assert_child_ok(run_child(FIRST_CALLS, str(seed), timeout=300))


# --- long runs ---------------------------------------------------------------------------------


LONG_RUN = """
    import sys, datetime as dt
    from liability_engine import Engine, Facts, FactsError
    AS_OF = dt.date(2026, 1, 1)
    engine = Engine.default()
    python = Engine.default(backend="python")
    CASES = [  # dated before 2024-07-04: each evaluation opens 3 sessions (old version, 2024, Art. 28)
        ("2022-05-01", "leak_case_information", "gross", {"bad_influence": True}),
        ("2017-03-02", "forge_evidence", "intentional", {}),
        ("2021-08-09", "wrong_decision", "ordinary", {}),
        ("2023-01-15", "supervision_management_failure", "gross", {}),
        ("2019-11-30", "document_defect", "none", {"conclusion_affected": False}),
        ("2014-06-01", "torture", "intentional", {}),
        ("2024-02-29", "misapply_law", "gross", {"wrongful_handling": True, "serious_consequence": True}),
    ]
    data = [Facts.model_validate({"schema": "liability-facts/1", "case": {"id": f"K{i}"}, "person": {"id": "P"},
                                  "conducts": [{"id": "C1", "date": d, "act": a, "fault": f, "effects": e}]})
            for i, (d, a, f, e) in enumerate(CASES)]
    want = [python.evaluate(f, as_of=AS_OF).model_dump(exclude={"rulebook", "engine"}) for f in data]
    brief = [[(c["finding"], c["liable"], c["version_applied"]) for c in w["conducts"]] for w in want]
    future = Facts.model_validate({"schema": "liability-facts/1", "case": {"id": "F"}, "person": {"id": "P"},
                                   "conducts": [{"id": "C1", "date": "2025-12-31", "act": "torture",
                                                 "fault": "intentional"}]})
    total = int(sys.argv[1])
    for n in range(total):
        i = n % len(data)
        det = engine.evaluate(data[i], as_of=AS_OF)
        if n < 50 or n >= total - 50:  # in full at both ends
            assert det.model_dump(exclude={"rulebook", "engine"}) == want[i], f"evaluation {n} differs"
        else:
            got = [(c.finding, c.liable, c.version_applied) for c in det.conducts]
            assert got == brief[i], f"evaluation {n}: {got} != {brief[i]}"
        if n % 97 == 0:  # refused inputs in between must not leave a session behind either
            try:
                engine.evaluate(future, as_of=dt.date(2025, 1, 1))
            except FactsError:
                pass
            else:
                raise AssertionError("a conduct after the evaluation date was evaluated")
    print(total, "evaluations")
    print("OK")
"""


def test_five_thousand_evaluations_in_one_process() -> None:
    """Each evaluation opens up to 3 durable-rules sessions (old version, 2024, Art. 28): 5,000
    evaluations are well over the 1,024 live sessions a ruleset can hold, so every session must be
    deleted; the 1,025th live one would raise MemoryError and then segfault (notes §2)."""
    proc = run_child(LONG_RUN, "5000", timeout=600)
    assert_child_ok(proc)
    assert "5000 evaluations" in proc.stdout


# --- fork --------------------------------------------------------------------------------------


FORK = """
    import os, sys, threading, time, datetime as dt
    from test_concurrency import sample_facts
    from liability_engine import Engine, Facts
    AS_OF = dt.date(2026, 1, 1)
    engine = Engine.default()
    data = [Facts.model_validate(d) for d in sample_facts(30, seed=9)]
    want = [engine.evaluate(f, as_of=AS_OF).model_dump_json() for f in data]

    def child_checks() -> int:
        got = [engine.evaluate(f, as_of=AS_OF).model_dump_json() for f in data]
        return 0 if got == want else 3

    def fork_and_wait(label: str) -> None:
        pid = os.fork()
        if pid == 0:
            code = 4
            try:
                code = child_checks()
            finally:
                os._exit(code)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                code = os.waitstatus_to_exitcode(status)
                assert code == 0, f"{label}: forked child exited {code}"
                return
            time.sleep(0.02)
        os.kill(pid, 9)
        os.waitpid(pid, 0)
        raise AssertionError(f"{label}: forked child hung")

    fork_and_wait("quiet parent")

    # fork while other threads are inside the engine (holding its lock, with live sessions)
    stop = threading.Event()
    def spin():
        while not stop.is_set():
            for f in data[:10]:
                engine.evaluate(f, as_of=AS_OF)
    spinners = [threading.Thread(target=spin) for _ in range(3)]
    for t in spinners: t.start()
    try:
        time.sleep(0.2)
        for k in range(6):
            fork_and_wait(f"busy parent, fork {k}")
    finally:
        stop.set()
        for t in spinners: t.join()

    # the parent still evaluates correctly after all that
    assert [engine.evaluate(f, as_of=AS_OF).model_dump_json() for f in data] == want
    print("OK")
"""


def test_a_forked_child_evaluates_correctly() -> None:
    assert_child_ok(run_child(FORK, timeout=600))


POOL = """
    import multiprocessing, datetime as dt
    from test_concurrency import sample_facts
    from liability_engine import Engine, Facts
    AS_OF = dt.date(2026, 1, 1)
    engine = Engine.default()  # made before the pool forks its workers
    DATA = sample_facts(80, seed=11)

    def evaluate(d):
        return engine.evaluate(Facts.model_validate(d), as_of=AS_OF).model_dump_json()

    if __name__ == "__main__":
        want = [evaluate(d) for d in DATA]
        with multiprocessing.get_context("fork").Pool(2) as pool:
            got = pool.map(evaluate, DATA, chunksize=5)
        assert got == want, "pool workers differ from the parent"
        print("OK")
"""


def test_a_fork_pool_made_after_the_engine_evaluates_correctly(tmp_path: Path) -> None:
    script = tmp_path / "pool_check.py"  # a file, so that the pool's workers can find `evaluate`
    script.write_text(f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r})\n"
                      + textwrap.dedent(POOL), encoding="utf-8")
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300,
                          cwd=str(ROOT), check=False)
    assert_child_ok(proc)


def test_sample_facts_are_valid_and_varied() -> None:
    data = sample_facts(200)
    facts = [Facts.model_validate(d) for d in data]
    acts = {c.act for f in facts for c in f.conducts}
    years = {c.date.year for f in facts for c in f.conducts}
    assert len(acts) > 30 and {2014, 2016, 2021, 2025} <= years
    assert json.loads(json.dumps(data)) == data


def test_concurrent_cli_processes_on_a_cold_cache_print_the_same(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Four `liability evaluate` processes at once, none finding a compiled rulebook cached yet: each
    prints the same bytes as a later run that does find one."""
    from conftest import run_cli

    monkeypatch.setenv("LIABILITY_CACHE_DIR", str(tmp_path / "cache"))
    facts = tmp_path / "facts.json"
    facts.write_text(json.dumps(sample_facts(1, seed=13)[0]), encoding="utf-8")
    args = ("evaluate", str(facts), str(ROOT / "facts" / "two-conducts.yaml"), "--format", "json",
            "--as-of", AS_OF.isoformat())
    with ThreadPoolExecutor(4) as pool:
        cold = list(pool.map(lambda _: run_cli(*args), range(4)))
    warm = run_cli(*args)
    for proc in [*cold, warm]:
        assert proc.returncode == 0, proc.stderr
        assert "Traceback" not in proc.stderr
    assert len({proc.stdout for proc in [*cold, warm]}) == 1
    assert len(warm.stdout.splitlines()) == 2
